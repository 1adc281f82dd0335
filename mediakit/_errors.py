"""Exception and warning classes. Exceptions subclass built-ins so ``except ValueError`` works."""

from __future__ import annotations


class SchemaError(ValueError):
    """A frame lacks a column the function needs, or a column has the wrong type."""


class InvalidParameterError(ValueError, TypeError):
    """An argument has the wrong type or value. Both ``except ValueError`` and ``except TypeError``
    catch it; ``param`` names the parameter (``None`` when the call itself does not bind)."""

    def __init__(self, message: str, *, param: str | None = None):
        super().__init__(message)
        self.param = param


class NotFittedError(ValueError, AttributeError):
    """A learned model was used before ``fit``."""


class ResourceMissingError(RuntimeError):
    """A local resource (a dictionary, a model) is not installed; the message says how to fix it.

    mediakit never downloads anything at run time, so this is raised instead.
    """



class StoryTooLargeError(MemoryError):
    """One story holds more text than can be aligned in the memory there is (the message names
    the story and its size)."""

class MediakitWarning(UserWarning):
    """Base class of mediakit's warnings, so ``warnings.filterwarnings`` can target them."""


class SkippedInputWarning(MediakitWarning):
    """Some inputs were skipped (``on_error="skip"``); the list is on the result's ``attrs``."""


class WideIntervalWarning(MediakitWarning):
    """Too few articles per group for a useful interval."""


class LanguageWarning(MediakitWarning):
    """Text does not look like English, which the lexicons and formulas assume."""


class TruncatedInputWarning(MediakitWarning):
    """A text was longer than a model reads; only its start was read (the message says how much)."""
