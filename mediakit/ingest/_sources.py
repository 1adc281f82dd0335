"""Where articles come from: paths, folders, globs, and sidecar manifests."""

from __future__ import annotations

import glob as globmod
import os
from pathlib import Path

from mediakit._validation import suggest
from mediakit.ingest import _formats as fmt


class MissingPath(FileNotFoundError):
    """A path or glob that names no file; ``reason`` says so without repeating the path."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source!r} {reason}")
        self.reason = reason


def stem(path: Path) -> str:
    name = path.name
    suffix, gz = fmt.file_kind(path)
    for end in ((".gz",) if gz else ()) + ((suffix,) if suffix else ()):
        if name.lower().endswith(end):
            name = name[: -len(end)]
    return name or path.name


def expand(source: str | os.PathLike) -> tuple[list[tuple[Path, Path | None]], Path | None]:
    """Files of a path or glob, each with the folder it was found under; and that folder."""
    path = Path(source)
    if path.is_dir():
        return walk(path), path
    if path.exists():
        return [(path, None)], None
    text = os.fspath(source)
    if globmod.has_magic(text):
        parts = Path(text).parts
        fixed = next(i for i, part in enumerate(parts) if globmod.has_magic(part))
        root = Path(*parts[:fixed]) if fixed else Path(".")
        # pathlib's "**" does not follow symbolic links into folders (glob.glob does: a link to
        # a parent folder repeats every file, and two make it run for ever); hidden names are
        # left out unless the pattern names them, as glob.glob does
        named = set(parts[fixed:])
        matches = sorted(str(m) for m in root.glob(str(Path(*parts[fixed:])))
                         if not any(c.startswith(".") and c not in named
                                    for c in m.relative_to(root).parts))
        if not matches:
            raise MissingPath(text, f"matches no files (a glob); check the pattern and the "
                                    f"current folder ({os.getcwd()})")
        files: list[tuple[Path, Path | None]] = []
        seen: set[Path] = set()  # "news/**" matches a folder and its subfolders: read once
        for m in map(Path, matches):
            for found in walk(m) if m.is_dir() else [(m, root)]:
                if (real := found[0].resolve()) not in seen:
                    seen.add(real)
                    files.append(found)
        return files, None
    parent = path.parent if str(path.parent) else Path(".")
    near = ""
    if parent.is_dir():
        near = suggest(path.name, [p.name for p in parent.iterdir()])
    raise MissingPath(text, f"does not exist.{near}")


def walk(folder: Path) -> list[tuple[Path, Path | None]]:
    out: list[tuple[Path, Path | None]] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name.lower() in fmt.MANIFEST_NAMES:
                continue
            out.append((Path(dirpath) / name, folder))
    return out


def read_manifest(path: Path) -> dict[str, dict]:
    """Read a manifest; a broken one is an error naming it (it describes many files)."""
    try:
        return fmt.read_manifest(path)
    except (ValueError, OSError) as exc:  # SchemaError and TextProblem are ValueErrors
        if str(path) in str(exc):
            raise
        raise type(exc)(f"manifest {path} {exc}") from exc


def manifest_entry(path: Path, base: Path | None, explicit: Path | None,
                   cache: dict[Path, dict[str, dict] | None], used: set[tuple[Path, str]]) -> dict:
    """Metadata for ``path`` from the explicit manifest, else the nearest ``manifest.*`` up to
    ``base``; keyed by path relative to the manifest's folder, or by file name."""
    candidates = [explicit] if explicit is not None else []
    folder = path.parent
    while True:
        for name in fmt.MANIFEST_NAMES:
            candidates.append(folder / name)
        if base is None or folder == base or base not in folder.parents:
            break
        folder = folder.parent
    for mpath in candidates:
        if mpath not in cache:
            cache[mpath] = read_manifest(mpath) if mpath.is_file() else None
        entries = cache[mpath]
        if not entries:
            continue
        rel = os.path.relpath(path, mpath.parent).replace(os.sep, "/")
        for key in (rel, path.name):
            if key in entries:
                used.add((mpath, key))
                return dict(entries[key])
    return {}
