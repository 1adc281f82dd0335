"""The public stage functions as one namespace, for the code that chains them (``analyze``).

Imported from the modules that define them, not through ``mediakit`` itself: the package maps its
names to these modules, so a module that imported the package back would close an import cycle.
"""

from __future__ import annotations

from types import SimpleNamespace


def stages() -> SimpleNamespace:
    """``read_articles``, ``split_sentences``, every ``score_*``, ``extract_*`` and ``compare_*``
    that ``analyze`` chains, loaded on first use (each brings its own heavy imports)."""

    return SimpleNamespace(**{k: v for k, v in locals().items()})
