"""One validation boundary: each public function declares its options once, checked by one decorator.

Modelled on scikit-learn's ``utils/_param_validation.py``: a function lists, for each parameter,
the constraints any one of which a value may meet::

    @validate_params(
        data=[Frame()],
        by=[Column()],
        stat=[Options("mean", "median", "share")],
        n_boot=[Interval(Integral, 0, None)],
        threshold=[Interval(Real, 0, None), None],
    )
    def compare_groups(data, *, by="outlet", stat="mean", n_boot=2000, threshold=None): ...

A value that meets none raises :class:`~mediakit.InvalidParameterError` (a ``ValueError`` *and* a
``TypeError``, so either ``except`` works) with one message shape: the function and parameter,
what is allowed, what was given and, for a misspelt option or keyword, the nearest one::

    compare_terms(stat='g3'): stat must be one of 'g2', 'chi2', 'pmi', 'log_odds'; got 'g3'.
    Did you mean 'g2'?

The tables are public data (``func.__mediakit_params__``), so the bad-input catalogue and the
contract tests are generated from them rather than written out per function.

:func:`warn` is the one way mediakit warns: the warning's file and line are the caller's (the
user's script or notebook cell), found by walking out of mediakit's frames, not a fixed
``stacklevel`` that breaks when a wrapper is added.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import numbers
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from mediakit._errors import InvalidParameterError

__all__ = [
    "Column", "Columns", "Frame", "Interval", "Options", "Sequence_", "Subset", "Values", "validate_params",
    "warn", "nearest", "records_roles", "roles_of",
]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def nearest(value: object, allowed: Iterable[object]) -> str:
    """`` Did you mean 'x'?`` for the closest allowed string, or ``''``."""
    names = [str(a) for a in allowed]
    close = difflib.get_close_matches(str(value), names, n=1, cutoff=0.5)
    return f" Did you mean {close[0]!r}?" if close else ""


# -- constraints --------------------------------------------------------------------------------


class Constraint:
    """A rule a value may meet; ``describe()`` says what is allowed, in words."""

    def is_satisfied_by(self, value: object) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def is_type_rule(self) -> bool:
        """Whether failing it means the value has the wrong type (a value of the right type
        that is out of range or not an option is a value error)."""
        return True


@dataclass(frozen=True)
class _InstanceOf(Constraint):
    types: tuple[type, ...]
    words: str

    def is_satisfied_by(self, value: object) -> bool:
        if bool not in self.types and isinstance(value, bool):
            return False  # True is an int to Python, not to a user passing n_jobs=True
        return isinstance(value, self.types)

    def describe(self) -> str:
        return self.words


@dataclass(frozen=True)
class _NoneConstraint(Constraint):
    def is_satisfied_by(self, value: object) -> bool:
        return value is None

    def describe(self) -> str:
        return "None"


@dataclass(frozen=True)
class _Callable(Constraint):
    def is_satisfied_by(self, value: object) -> bool:
        return callable(value)

    def describe(self) -> str:
        return "a callable"


class Options(Constraint):
    """One of a fixed set of values (strings, usually)."""

    def __init__(self, *values: object):
        self.values = tuple(values)

    def is_satisfied_by(self, value: object) -> bool:
        try:
            return any(value == v and type(value) is type(v) for v in self.values)
        except Exception:  # an array compared with ==
            return False

    def describe(self) -> str:
        return "one of " + ", ".join(map(repr, self.values))

    def is_type_rule(self) -> bool:
        return False

    def suggestion(self, value: object) -> str:
        return nearest(value, self.values) if isinstance(value, str) else ""


class Interval(Constraint):
    """A number of type ``kind`` (``numbers.Integral`` or ``numbers.Real``) within bounds.

    ``closed`` is ``"both"``, ``"left"``, ``"right"`` or ``"neither"``; ``None`` bounds are open.
    """

    def __init__(self, kind: type, left: float | None, right: float | None, *,
                 closed: str = "both"):
        self.kind, self.left, self.right, self.closed = kind, left, right, closed

    def _typed(self, value: object) -> bool:
        if isinstance(value, bool):
            return False
        return isinstance(value, self.kind)

    def is_satisfied_by(self, value: object) -> bool:
        if not self._typed(value):
            return False
        if value != value:  # NaN
            return False
        lo_ok = self.left is None or (value >= self.left if self.closed in ("both", "left")
                                      else value > self.left)
        hi_ok = self.right is None or (value <= self.right if self.closed in ("both", "right")
                                       else value < self.right)
        return lo_ok and hi_ok

    def describe(self) -> str:
        what = "an integer" if self.kind is numbers.Integral else "a number"
        if self.left is None and self.right is None:
            return what
        lb = "[" if self.closed in ("both", "left") and self.left is not None else "("
        rb = "]" if self.closed in ("both", "right") and self.right is not None else ")"
        lo = "-inf" if self.left is None else f"{self.left:g}"
        hi = "inf" if self.right is None else f"{self.right:g}"
        return f"{what} in {lb}{lo}, {hi}{rb}"

    def is_type_rule(self) -> bool:
        return False

    def type_ok(self, value: object) -> bool:
        return self._typed(value)


class Frame(Constraint):
    """A pandas DataFrame (and, with ``dask=True``, a dask DataFrame)."""

    def __init__(self, *, dask: bool = False, hint: str = "build one with mk.read_articles(...) "
                 "or mk.split_sentences(...)"):
        self.dask, self.hint = dask, hint

    def is_satisfied_by(self, value: object) -> bool:
        import pandas as pd

        if isinstance(value, pd.DataFrame):
            return True
        if self.dask:
            from mediakit._dask import is_dask_frame

            return is_dask_frame(value)
        return False

    def describe(self) -> str:
        return ("a pandas or dask DataFrame" if self.dask else "a pandas DataFrame") + (
            f" ({self.hint})" if self.hint else "")


class Column(Constraint):
    """A column name: a non-empty string."""

    def is_satisfied_by(self, value: object) -> bool:
        return isinstance(value, str) and value != ""

    def describe(self) -> str:
        return "a column name (a non-empty str)"


class Columns(Constraint):
    """One column name or a list of them."""

    def is_satisfied_by(self, value: object) -> bool:
        if isinstance(value, str):
            return value != ""
        return (isinstance(value, (list, tuple)) and len(value) > 0
                and all(isinstance(v, str) and v for v in value))

    def describe(self) -> str:
        return "a column name or a non-empty list of them"


class Sequence_(Constraint):  # noqa: N801 - reads as the typing name, without shadowing it
    """A list or tuple (not a string) whose items are all of ``item`` type(s)."""

    def __init__(self, item: type | tuple[type, ...] = str, *, words: str = "a list of str"):
        self.item, self.words = item, words

    def is_satisfied_by(self, value: object) -> bool:
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, Sequence)):
            return False
        return all(isinstance(v, self.item) for v in value)

    def describe(self) -> str:
        return self.words


class Values(Constraint):
    """Several values: any iterable (list, Series, generator) but not a single string."""

    def is_satisfied_by(self, value: object) -> bool:
        return isinstance(value, Iterable) and not isinstance(value, (str, bytes))

    def describe(self) -> str:
        return "a list or column of values (not a single string)"


class Subset(Constraint):
    """A non-empty list, tuple or set (not a string) whose items are each one of ``values``."""

    def __init__(self, *values: object):
        self.values = tuple(values)

    def is_satisfied_by(self, value: object) -> bool:
        if not isinstance(value, (list, tuple, set, frozenset)) or not value:
            return False
        return all(isinstance(v, str) and v in self.values for v in value)

    def describe(self) -> str:
        return "a non-empty list of " + ", ".join(map(repr, self.values))

    def is_type_rule(self) -> bool:
        return False

    def suggestion(self, value: object) -> str:
        if isinstance(value, (list, tuple, set, frozenset)):
            bad = [v for v in value if v not in self.values]
            if bad and isinstance(bad[0], str):
                return nearest(bad[0], self.values)
        return ""


_TYPE_WORDS = {
    str: "a str", bool: "a bool (True or False)", int: "an int", float: "a float",
    dict: "a dict", list: "a list", tuple: "a tuple", Mapping: "a mapping (dict)",
}


def _as_constraint(rule: object) -> Constraint:
    if isinstance(rule, Constraint):
        return rule
    if rule is None:
        return _NoneConstraint()
    if rule == "callable":
        return _Callable()
    if isinstance(rule, type):
        return _InstanceOf((rule,), _TYPE_WORDS.get(rule, f"a {rule.__name__}"))
    if isinstance(rule, tuple) and all(isinstance(t, type) for t in rule):
        return _InstanceOf(rule, " or ".join(_TYPE_WORDS.get(t, t.__name__) for t in rule))
    raise TypeError(f"not a parameter constraint: {rule!r}")  # a bug in mediakit, not user input


# -- the decorator ------------------------------------------------------------------------------


def _shown(value: object) -> str:
    """How a given value reads in a message: its repr and type, or just the type when long."""
    kind = type(value).__name__
    text = repr(value)
    if value is None:
        return "None"
    if len(text) > 60 or "\n" in text or hasattr(value, "columns"):
        return f"a {kind}"
    return f"{text} ({kind})"


def check_param(func_name: str, name: str, value: object, rules: Sequence[Constraint]) -> None:
    """Raise :class:`InvalidParameterError` unless ``value`` meets one of ``rules``."""
    if any(rule.is_satisfied_by(value) for rule in rules):
        return
    allowed = [rule.describe() for rule in rules]
    allowed_text = allowed[0] if len(allowed) == 1 else (
        ", ".join(allowed[:-1]) + " or " + allowed[-1])
    hint = ""
    for rule in rules:
        if hasattr(rule, "suggestion"):
            hint = rule.suggestion(value)
            if hint:
                break
    raise InvalidParameterError(
        f"{func_name}({name}=...): {name} must be {allowed_text}; got {_shown(value)}.{hint}",
        param=name)


def validate_params(**declared: Sequence[object]) -> Callable:
    """Check the named parameters of the decorated function against their constraints.

    Each keyword names a parameter and gives a list of constraints (any one suffices): a type,
    ``None``, ``"callable"``, or an :class:`Options` / :class:`Interval` / :class:`Frame` /
    :class:`Column` / :class:`Columns` / :class:`Sequence_`. Parameters not declared are not
    checked here. An unknown keyword argument raises with the nearest parameter name.
    """
    tables = {name: tuple(_as_constraint(r) for r in rules) for name, rules in declared.items()}

    def decorate(func: Callable) -> Callable:
        sig = inspect.signature(func)
        unknown = set(tables) - set(sig.parameters)
        if unknown:
            raise TypeError(f"{func.__qualname__} declares no parameter {sorted(unknown)}")
        accepts_any = any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values())
        # a method reads as Class.method; a function as its name
        name = func.__name__ if "<locals>" in func.__qualname__ else func.__qualname__

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if not accepts_any:
                for key in kwargs:
                    if key not in sig.parameters:
                        raise InvalidParameterError(
                            f"{name}() got an unexpected keyword argument {key!r}."
                            + nearest(key, [p for p in sig.parameters if not p.startswith("_")]),
                            param=key)
            try:
                bound = sig.bind(*args, **kwargs)
            except TypeError as exc:
                raise InvalidParameterError(f"{name}(): {exc}.", param=None) from None
            for param, rules in tables.items():
                if param in bound.arguments:
                    check_param(name, param, bound.arguments[param], rules)
            return func(*args, **kwargs)

        wrapper.__mediakit_params__ = tables
        return wrapper

    return decorate


# -- roles ------------------------------------------------------------------------------------


def records_roles(*names: str) -> Callable:
    """Record the column roles a result was computed with in ``result.attrs["roles"]``.

    ``names`` are parameters of the decorated function (``"by"``, ``"story"``, ``"text"``,
    ``"stat"``); the values used, defaults included, are stored (a one-column ``by`` list as
    its column name), so plots, figures and the report read the roles from the result instead
    of assuming ``"outlet"`` or ``"story_id"``. A result that is not a DataFrame is returned as
    it is (it records its roles itself, e.g. :class:`mediakit.Coverage`).
    """

    def decorate(func: Callable) -> Callable:
        sig = inspect.signature(func)
        missing = set(names) - set(sig.parameters)
        if missing:
            raise TypeError(f"{func.__qualname__} has no parameter {sorted(missing)}")

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            result = func(*args, **kwargs)
            attrs = getattr(result, "attrs", None)
            if isinstance(attrs, dict) and hasattr(result, "columns"):
                bound = sig.bind(*args, **kwargs)
                bound.apply_defaults()
                roles = {}
                for name in names:
                    value = bound.arguments[name]
                    if isinstance(value, (list, tuple)) and len(value) == 1:
                        value = value[0]
                    roles[name] = list(value) if isinstance(value, tuple) else value
                attrs["roles"] = roles
            return result

        return wrapper

    return decorate


def roles_of(data: object) -> dict:
    """The roles a result records (``attrs["roles"]``, or a Coverage's ``roles``), else ``{}``."""
    roles = getattr(data, "roles", None)
    if isinstance(roles, Mapping):
        return dict(roles)
    attrs = getattr(data, "attrs", None)
    if isinstance(attrs, Mapping) and isinstance(attrs.get("roles"), Mapping):
        return dict(attrs["roles"])
    return {}


# -- warnings -----------------------------------------------------------------------------------

_SKIP_DIRS: tuple[str, ...] = (_PACKAGE_DIR,)


def _is_internal(filename: str) -> bool:
    return filename.startswith(_SKIP_DIRS) or filename.startswith("<frozen ")


#: Schedulers whose frames stand between a lazy dask frame's ``compute()`` and mediakit.
_SCHEDULERS = ("dask", "distributed", "toolz", "tlz", "concurrent.futures", "threading",
               "multiprocessing")
_PASS_THROUGH = ("functools.py", "contextlib.py")


def _scheduler_dirs() -> tuple[str, ...]:
    """Folders of the dask packages already imported (never imports them)."""
    dirs = []
    for name in _SCHEDULERS:
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        if path:  # a package's folder, or a module's file (threading.py)
            path = os.path.abspath(path)
            dirs.append(os.path.dirname(path) + os.sep if path.endswith("__init__.py")
                        else path)
    return tuple(dirs)


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """Warn with the caller's file and line: the first frame outside mediakit.

    Frames of the standard library's ``functools``/``contextlib`` between mediakit's own frames
    are skipped too, so a decorator never moves the warning into mediakit. On a dask frame the
    work runs at ``compute()``: dask's own frames are skipped as well when the caller's frame is
    on the stack (the synchronous scheduler, or a task run inline); on a worker thread or
    process there is none, and the warning names the first frame outside mediakit.
    """
    level = 2  # stacklevel 2 is warn()'s caller, sys._getframe(1)
    first_outside = None
    schedulers = _scheduler_dirs()
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not (_is_internal(filename) or filename.endswith(_PASS_THROUGH)):
            if first_outside is None:
                first_outside = level
            if not (schedulers and filename.startswith(schedulers)):
                warnings.warn(message, category, stacklevel=level)
                return
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=first_outside or 2)
