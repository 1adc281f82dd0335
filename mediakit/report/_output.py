"""The report's output folder: one safe-write helper for every file, and whole replacement.

Every file of a report is opened by :func:`safe_open`: below the output folder no path part may
be a symbolic link, and the file itself is opened with ``O_NOFOLLOW``, so a link planted in the
folder (``manifest.json -> ~/.bashrc``, ``figures -> /tmp``) is never followed.

The folder's ``manifest.json`` lists every file the report wrote (``report_files``). A folder
is a previous mediakit report when that list accounts for everything in it; such a folder is
replaced wholly (its files removed, then the new report written), so no stale file survives. A
non-empty folder holding anything else is refused: mediakit never deletes files it did not write.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path, PurePosixPath

#: The key of ``manifest.json`` listing the report's files (relative POSIX paths).
REPORT_FILES_KEY = "report_files"


class OutputFolderError(FileExistsError):
    """The output folder cannot take a report (not empty and not a previous report, or a link)."""


def safe_open(path: str | Path, mode: str = "wb", *, root: str | Path | None = None):
    """Open ``path`` for writing without following symbolic links.

    ``root``, when given, is the folder the file must stay in: every part of ``path`` below it
    must be a real folder (not a link). The file is created or truncated; a link in its place is
    refused with ``OutputFolderError``. ``mode`` is ``"wb"`` or ``"w"`` (UTF-8, no newline
    translation).
    """
    path = Path(path)
    if root is not None:
        root = Path(root)
        rel = path.relative_to(root)
        current = root
        for part in rel.parts[:-1]:
            current = current / part
            _require_real_dir(current)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    if path.is_symlink():
        raise OutputFolderError(f"refusing to write through the symbolic link {path.name!r}.")
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if path.is_symlink():
            raise OutputFolderError(
                f"refusing to write through the symbolic link {path.name!r}.") from exc
        raise
    if mode == "wb":
        return os.fdopen(fd, "wb")
    if mode == "w":
        return os.fdopen(fd, "w", encoding="utf-8", newline="")
    os.close(fd)
    raise ValueError(f"mode must be 'wb' or 'w', got {mode!r}.")


def _require_real_dir(path: Path) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        path.mkdir()
        return
    if stat.S_ISLNK(info.st_mode):
        raise OutputFolderError(f"refusing to write into {path.name!r}: it is a symbolic link.")
    if not stat.S_ISDIR(info.st_mode):
        raise OutputFolderError(f"{path.name!r} in the output folder is not a folder.")


class OutputFolder:
    """A report's output folder: checked, emptied of a previous report, written safely."""

    def __init__(self, root: str | Path, *, overwrite: bool = False):
        self.root = Path(root)
        self.written: list[Path] = []
        self._prepare(overwrite)

    def _prepare(self, overwrite: bool) -> None:
        root = self.root
        if root.is_symlink() and not root.exists():
            raise OutputFolderError(f"{str(root)!r} is a broken symbolic link.")
        if not root.exists():
            root.mkdir(parents=True)
            return
        if not root.is_dir():
            raise OutputFolderError(f"{str(root)!r} exists and is not a folder.")
        entries = _all_entries(root)
        if not entries:
            return
        listed = previous_report_files(root)
        if listed is None:
            raise OutputFolderError(
                f"{str(root)!r} is not empty and holds no mediakit report: choose a new or empty "
                "folder (mediakit never deletes files it did not write).")
        extra = sorted(e for e in entries
                       if e not in listed and not _is_parent(root, e, listed))
        if extra:
            raise OutputFolderError(
                f"{str(root)!r} holds a previous mediakit report plus {len(extra)} other "
                f"file(s) (e.g. {extra[0]!r}); move them or choose a new folder.")
        if not overwrite:
            raise OutputFolderError(
                f"{str(root)!r} holds a previous mediakit report; replace it with "
                "overwrite=True or choose a new folder.")
        for rel in sorted(entries, key=lambda e: -len(PurePosixPath(e).parts)):
            path = root / rel
            if path.is_symlink() or not path.is_dir():
                path.unlink()
            else:
                path.rmdir()

    def path(self, rel: str) -> Path:
        """The absolute path of ``rel`` (a safe relative POSIX path) inside the folder."""
        parts = PurePosixPath(rel).parts
        if not parts or any(p in ("", ".", "..") or "/" in p or "\\" in p for p in parts):
            raise ValueError(f"refusing to write {rel!r} outside the output folder.")
        return self.root.joinpath(*parts)

    def open(self, rel: str, mode: str = "wb"):
        """Open ``rel`` for writing (see :func:`safe_open`) and record it."""
        path = self.path(rel)
        handle = safe_open(path, mode, root=self.root)
        self.written.append(path)
        return handle

    def ensure_dir(self, rel: str) -> Path:
        """Create the sub-folder ``rel`` (a real folder, never a link) and return it."""
        path = self.path(rel)
        current = self.root
        for part in PurePosixPath(rel).parts:
            current = current / part
            _require_real_dir(current)
        return path

    def relative(self, path: Path) -> str:
        return Path(path).relative_to(self.root).as_posix()


def previous_report_files(root: Path) -> set[str] | None:
    """The files a previous report in ``root`` wrote (from its manifest), or None."""
    manifest = root / "manifest.json"
    if manifest.is_symlink() or not manifest.is_file():
        return None
    try:
        record = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = record.get(REPORT_FILES_KEY) if isinstance(record, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return set(files) | {"manifest.json"}


def _all_entries(root: Path) -> set[str]:
    out = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(dirpath)
        for name in dirnames + filenames:
            out.add((base / name).relative_to(root).as_posix())
    return out


def _is_parent(root: Path, entry: str, listed: set[str]) -> bool:
    """A real folder (never a link) holding listed files."""
    prefix = entry.rstrip("/") + "/"
    return any(f.startswith(prefix) for f in listed) and not (root / entry).is_symlink()
