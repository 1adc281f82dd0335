"""Plain YAML only: one loader for front matter and lexicon files.

``yaml.safe_load`` refuses Python tags but still expands aliases (a few hundred bytes of nested
``*name`` references become gigabytes: "billion laughs") and composes nested collections
recursively (deep nesting ends in a raw ``RecursionError``, after a scan that is quadratic in the
depth). :func:`load` refuses anchors and aliases and stops at :data:`MAX_DEPTH` levels while
composing, before the rest of the input is scanned; both raise :class:`YAMLRefused` with a short
message.
"""

from __future__ import annotations

#: Deepest nesting of lists and mappings accepted (metadata and lexicons need a handful).
MAX_DEPTH = 64


class YAMLRefused(ValueError):
    """The YAML holds something plain data does not need (aliases, very deep nesting)."""


def _loader():
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise YAMLRefused("uses YAML aliases (*name), which can expand without bound; "
                                  "write the values out")
            event = self.peek_event()
            if getattr(event, "anchor", None) is not None:
                raise YAMLRefused(f"uses YAML aliases (an anchor &{event.anchor[:40]}), which "
                                  "can expand without bound; write the values out")
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise YAMLRefused(f"nests lists or mappings more than {MAX_DEPTH} levels deep; "
                                  "flatten it")
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return Loader


def load(text: str) -> object:
    """Parse plain YAML (``yaml.safe_load`` rules, no anchors or aliases, bounded depth).

    Raises :class:`YAMLRefused` or ``yaml.YAMLError``.
    """
    loader = _loader()(text)
    try:
        return loader.get_single_data()
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops well before
        raise YAMLRefused(f"nests lists or mappings more than {MAX_DEPTH} levels deep; "
                          "flatten it") from None
    finally:
        loader.dispose()
