"""Safe file names for outputs named after outlets, stories or user input.

A name like ``../../etc/passwd``, ``/tmp/x``, ``C:\\x`` or ``CON`` must never place a file outside
the output folder or hit a reserved device name on Windows.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PurePath

import pandas as pd

#: Names Windows reserves for devices, with or without an extension.
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(10)} | {f"LPT{i}" for i in range(10)}
    | {f"COM{c}" for c in "¹²³"} | {f"LPT{c}" for c in "¹²³"}
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: object, *, default: str = "untitled", max_length: int = 80) -> str:
    """Turn any text into a file name that stays inside the folder it is joined to.

    Accents are dropped (``é`` -> ``e``), every run of other characters (path separators,
    spaces, ``:``, control characters) becomes ``_``, leading dots and underscores and trailing
    dots are removed (no ``..``, no hidden files), Windows device names (``CON``, ``NUL``,
    ``COM1``...) get a ``_`` prefix, and the result is cut to ``max_length`` characters.

    Parameters
    ----------
    name : object
        The outlet, story or user-given name (converted with ``str``).
    default : str
        Returned when nothing usable is left (e.g. for ``"../"`` or ``""``).
    max_length : int
        Longest name returned, at least 8.

    Returns
    -------
    str
        A non-empty name made of ``A-Z a-z 0-9 . _ -`` only.

    Examples
    --------
    >>> safe_filename("outlet A")
    'outlet_A'
    >>> safe_filename("../../etc/passwd")
    'etc_passwd'
    >>> safe_filename("NUL.txt")
    '_NUL.txt'
    """
    if max_length < 8:
        raise ValueError(f"max_length must be >= 8, got {max_length!r}.")
    text = unicodedata.normalize("NFKD", str(name))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = text.strip("._- ")
    text = text[:max_length].rstrip("._- ")
    if not text:
        text = default
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text


def unique_filenames(names: Iterable[object], *, clean=None, **kwargs) -> dict[str, str]:
    """Map each distinct name to a safe file name, adding ``-2``, ``-3``... on collisions.

    Names are taken in the order given; comparison of file names ignores case (as Windows and
    macOS file systems do). ``clean``, if given, rewrites each name before it is made safe
    (names it makes equal still get distinct files).
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        key = str(name)
        if key in out:
            continue
        base = safe_filename(clean(key) if clean is not None else key, **kwargs)
        candidate, i = base, 1
        while candidate.lower() in used:
            i += 1
            candidate = f"{base}-{i}"
        used.add(candidate.lower())
        out[key] = candidate
    return out


def inside(root: Path, name: str) -> Path:
    """Join ``name`` (already safe) to ``root`` and check the result stays inside ``root``."""
    root = Path(root).resolve()
    path = (root / name).resolve()
    if path.parent != root:
        raise ValueError(f"refusing to write {name!r} outside {str(root)!r}.")
    return path


def relative_sources(values: pd.Series) -> pd.Series:
    """``source`` paths relative to the inputs' common folder (URLs and None unchanged)."""
    paths = [v for v in values.dropna().astype(str).unique() if os.path.isabs(v)]
    if not paths:
        return values
    try:
        common = os.path.commonpath([os.path.dirname(p) for p in paths])
    except ValueError:  # different drives
        return values.map(lambda v: PurePath(v).name if isinstance(v, str) and os.path.isabs(v)
                          else v)
    return values.map(lambda v: os.path.relpath(v, common)
                      if isinstance(v, str) and os.path.isabs(v) else v)
