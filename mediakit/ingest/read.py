"""``read_articles``: files, folders, globs, tables and records into the articles frame."""

from __future__ import annotations

import glob as globmod
import hashlib
import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypedDict

import pandas as pd

from mediakit._errors import MediakitWarning, SchemaError, SkippedInputWarning
from mediakit._frames import ARTICLE_COLUMNS
from mediakit._lines import looks_like_headline
from mediakit._progress import progress as _progress
from mediakit._validation import check_choice, suggest
from mediakit.ingest import _formats as fmt
from mediakit.ingest._html import extract_page, looks_like_page
from mediakit.ingest._text import TextProblem, check_text, clean_text, decode_bytes

ON_ERROR = ("raise", "skip")
#: Story id given to articles whose input names none: a small set is one story.
DEFAULT_STORY = "all"
_META = ("article_id", "outlet", "story_id", "title", "published", "url", "source")


class Skipped(TypedDict):
    """One input left out with ``on_error="skip"``; ``articles.attrs["skipped"]`` lists them.

    ``source`` is the file (or None for in-memory data), ``row`` the 0-based row or record in
    it (None for a whole file), ``reason`` the same message the error would have had.
    """

    source: str | None
    row: int | None
    reason: str


def read_articles(
    source: Any,
    *,
    text: str = "text",
    id: str = "article_id",  # noqa: A002 - the column role, like text= and outlet=
    outlet: str = "outlet",
    title: str = "title",
    published: str = "published",
    manifest: str | os.PathLike | None = None,
    encoding: str | None = None,
    max_chars: int | None = 1_000_000,
    on_error: str = "raise",
    progress: bool | None = None,
) -> pd.DataFrame:
    """Read news articles into the articles frame.

    Parameters
    ----------
    source : path, glob, list of paths, DataFrame or list of dicts
        A folder (read recursively; hidden files and ``manifest.*`` are not articles), a file,
        a glob (``"news/*/*.txt"``, ``**`` allowed), or in-memory data. File types: ``.txt``,
        ``.md``, ``.html``/``.htm`` (one article each) and ``.json``, ``.jsonl``, ``.csv``,
        ``.tsv``, ``.parquet`` (one article per row); ``.gz`` compression is read too.
    text, id, outlet, title, published : str
        Names of the input columns (or front matter / manifest keys) holding those fields, e.g.
        ``read_articles(df, text="body", outlet="source_name")``. Other columns are carried
        through untouched after the frame's own columns.
    manifest : path, optional
        A CSV or JSON sidecar with a ``file`` column naming each file (relative to the
        manifest's folder) and metadata columns. Without it, ``manifest.csv`` or
        ``manifest.json`` next to the files is used. Metadata in the file itself (columns,
        front matter) wins; the manifest fills in the rest.
    encoding : str, optional
        Force one text encoding. By default it is detected: a byte order mark, else UTF-8, else
        Windows-1252 / Latin-1, else charset-normalizer's guess.
    max_chars : int or None, default 1_000_000
        Longest accepted article in characters (news articles are far shorter; longer input is
        usually several articles or not an article). None for no limit.
    on_error : {"raise", "skip"}
        On a bad input (empty, binary, undecodable, too long, unknown type, unreadable,
        duplicate id, missing field) raise an error naming it, or skip it: a
        :class:`~mediakit.SkippedInputWarning` gives the count and ``attrs["skipped"]`` lists
        every skipped input with its reason (see :class:`Skipped`).
    progress : bool, optional
        Show a progress bar (default: only for long work).

    Returns
    -------
    pandas.DataFrame
        One row per article: ``article_id, outlet, story_id, title, published, url, source,
        text``, then user columns. ``published`` is UTC (naive times are taken as UTC).
        ``text`` is the clean text every later offset points into: Unicode repaired (mojibake,
        line breaks, NFC, no-break spaces; curly quotes kept), leftover HTML tags removed, full
        HTML pages reduced to their main text. Fields: ``article_id`` given, else the file's
        path without suffix, else a hash of outlet, title and text; ``outlet`` given, else the
        per-outlet subfolder, else the file name (never invented for in-memory data:
        :class:`~mediakit.SchemaError`); ``story_id`` given, else ``"all"`` (use
        ``mk.group_stories`` for large corpora); ``title`` given, else the first line when it
        reads as a headline (the line stays in the text).

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.load_example("seeds")
    >>> list(articles.columns[:4])
    ['article_id', 'outlet', 'story_id', 'title']
    >>> articles["outlet"].tolist()
    ['outlet A', 'outlet B']
    """
    check_choice("on_error", on_error, ON_ERROR)
    if max_chars is not None and (isinstance(max_chars, bool) or not isinstance(max_chars, int)
                                  or max_chars < 1):
        raise ValueError(f"max_chars must be a positive integer or None, got {max_chars!r}.")
    for param, value in (("text", text), ("id", id), ("outlet", outlet), ("title", title),
                         ("published", published)):
        if not isinstance(value, str) or not value:
            raise TypeError(f"{param}= must be a column name (str), got {value!r}.")
    reader = _Reader(
        names={"text": text, "article_id": id, "outlet": outlet, "title": title,
               "published": published},
        encoding=encoding, max_chars=max_chars, on_error=on_error, progress=progress,
    )
    reader.read(source, manifest)
    return reader.frame()


def _stem(path: Path) -> str:
    name = path.name
    suffix, gz = fmt.file_kind(path)
    for end in ((".gz",) if gz else ()) + ((suffix,) if suffix else ()):
        if name.lower().endswith(end):
            name = name[: -len(end)]
    return name or path.name


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _where(source: str | None, row: int | None) -> str:
    if row is None:
        return source or "input"
    return f"{source} row {row}" if source else f"row {row}"


def _hash_id(outlet: str, title: str | None, text: str) -> str:
    key = "\x1f".join((outlet, title or "", text)).encode("utf-8")
    return hashlib.sha1(key).hexdigest()[:16]


def _detect_title(text: str, markdown: bool) -> str | None:
    first = text.split("\n", 1)[0].strip()
    if markdown and first.startswith("#"):
        return first.lstrip("#").strip() or None
    return first if looks_like_headline(first) else None


class _Reader:
    """State of one read_articles call: finished rows, skipped inputs, manifests."""

    def __init__(self, *, names: dict[str, str], encoding: str | None, max_chars: int | None,
                 on_error: str, progress: bool | None):
        self.rename = {user: canon for canon, user in names.items() if user != canon}
        self.names = names
        self.encoding = encoding
        self.max_chars = max_chars
        self.on_error = on_error
        self.progress = progress
        self.rows: list[dict] = []
        self.extras: list[dict] = []
        self.skipped: list[Skipped] = []
        self.manifests: dict[Path, dict[str, dict] | None] = {}
        self.used: set[tuple[Path, str]] = set()
        self.frame_extras: pd.DataFrame | None = None
        self.positions: list[int] = []
        self.where: list[tuple[str | None, int | None]] = []

    # -- errors ---------------------------------------------------------------------------
    def fail(self, source: str | None, row: int | None, reason: str,
             exc: type[Exception] = ValueError) -> None:
        if self.on_error == "raise":
            raise exc(f"{_where(source, row)} {reason} (or pass on_error='skip' to leave it out).")
        self.skipped.append(Skipped(source=source, row=row, reason=reason))

    # -- sources --------------------------------------------------------------------------
    def read(self, source: Any, manifest: str | os.PathLike | None) -> None:
        explicit = None
        if manifest is not None:
            explicit = Path(manifest)
            if not explicit.is_file():
                raise FileNotFoundError(f"manifest={str(manifest)!r} does not exist.")
            self.manifests[explicit] = fmt.read_manifest(explicit)
        if isinstance(source, pd.DataFrame):
            self.read_frame(source)
        elif isinstance(source, (str, os.PathLike)):
            self.read_files(*_expand(source), explicit)
        elif isinstance(source, dict):
            raise TypeError("source is a single dict; wrap it in a list: read_articles([record]).")
        elif isinstance(source, Iterable) and not isinstance(source, (bytes, bytearray)):
            items = list(source)
            if all(isinstance(i, dict) for i in items):
                self.read_frame(pd.DataFrame.from_records(items) if items else
                                pd.DataFrame({self.names["text"]: pd.Series([], dtype="str"),
                                              self.names["outlet"]: pd.Series([], dtype="str")}))
            elif all(isinstance(i, (str, os.PathLike)) for i in items):
                files: list[tuple[Path, Path | None]] = []
                for item in items:
                    files.extend(_expand(item)[0])
                self.read_files(files, None, explicit)
            else:
                raise TypeError("source list must hold only dicts (records) or only paths.")
        else:
            raise TypeError(
                f"source must be a path, a glob, a list of paths, a DataFrame or a list of dicts, "
                f"got {type(source).__name__}.")

    def read_frame(self, data: pd.DataFrame) -> None:
        cols = list(map(str, data.columns))
        if len(set(cols)) != len(cols):
            raise ValueError("source has duplicate column names; make them unique first.")
        text_col, outlet_col = self.names["text"], self.names["outlet"]
        hint = ("Name the columns with text=... and outlet=..., e.g. read_articles(df, "
                "text='body', outlet='source_name'), or add them (df.assign(outlet='...')).")
        missing = [c for c in (text_col, outlet_col) if c not in cols]
        if missing:
            have = ", ".join(cols[:12]) + (" ..." if len(cols) > 12 else "")
            raise SchemaError(f"source is missing column(s) {', '.join(map(repr, missing))} "
                              f"(it has: {have}).{suggest(missing[0], cols)} {hint}")
        self._check_collisions(cols)
        canon = [c for c in cols if self.rename.get(c, c) in _META or self.rename.get(c) == "text"
                 or c == text_col]
        records = data[canon].rename(columns=self.rename).to_dict("records")
        for i, rec in _progress(list(enumerate(records)), enabled=self.progress,
                                desc="reading articles"):
            if self.add(rec, source=None, row=i, has_title="title" in rec):
                self.positions.append(i)
        users = [c for c in data.columns if str(c) not in canon]
        self.frame_extras = data.iloc[self.positions][users].reset_index(drop=True)

    def _check_collisions(self, keys: Iterable[str]) -> None:
        keys = set(keys)
        for user, canon in self.rename.items():
            if user in keys and canon in keys:
                raise ValueError(
                    f"the input has both {user!r} (used as {canon}) and a {canon!r} column; "
                    f"rename or drop {canon!r} so no data is hidden.")

    def read_files(self, files: list[tuple[Path, Path | None]], root: Path | None,
                   explicit: Path | None) -> None:
        for path, base in _progress(files, enabled=self.progress, desc="reading files"):
            meta = self._manifest_entry(path, base, explicit)
            try:
                self.read_file(path, base, meta)
            except TextProblem as exc:
                self.fail(str(path), None, str(exc))
            except PermissionError as exc:
                self.fail(str(path), None, f"cannot be read ({exc.strerror}); check its "
                          "permissions", PermissionError)
            except OSError as exc:
                self.fail(str(path), None, f"cannot be read ({exc}); check the file", OSError)
        if root is not None:
            for mpath in [*([root / n for n in fmt.MANIFEST_NAMES]), explicit]:
                entries = self.manifests.get(mpath) if mpath is not None else None
                for key in entries or {}:
                    if (mpath, key) not in self.used:
                        self.fail(str(mpath), None, f"lists {key!r} but no such article file "
                                  "was read; fix the name or remove that row")

    def _manifest_entry(self, path: Path, base: Path | None, explicit: Path | None) -> dict:
        candidates = [explicit] if explicit is not None else []
        folder = path.parent
        while True:
            for name in fmt.MANIFEST_NAMES:
                candidates.append(folder / name)
            if base is None or folder == base or base not in folder.parents:
                break
            folder = folder.parent
        for mpath in candidates:
            if mpath not in self.manifests:
                self.manifests[mpath] = fmt.read_manifest(mpath) if mpath.is_file() else None
            entries = self.manifests[mpath]
            if not entries:
                continue
            rel = os.path.relpath(path, mpath.parent).replace(os.sep, "/")
            for key in (rel, path.name):
                if key in entries:
                    self.used.add((mpath, key))
                    return {self.rename.get(k, k): v for k, v in entries[key].items()}
        return {}

    def read_file(self, path: Path, base: Path | None, manifest_meta: dict) -> None:
        suffix, gz = fmt.file_kind(path)
        if suffix not in fmt.SUFFIXES:
            raise TextProblem(
                f"has an unsupported file type ({suffix or 'no suffix'!r}); supported: "
                f"{', '.join(fmt.SUFFIXES)} (optionally .gz). Convert it, or move it out")
        rel = path.relative_to(base) if base is not None else Path(path.name)
        defaults = {"outlet": rel.parts[0] if len(rel.parts) > 1 else _stem(path)}
        if suffix in fmt.TEXT_SUFFIXES:
            limit = 4 * self.max_chars + 1024 if self.max_chars is not None else None
            raw, _ = decode_bytes(fmt.read_bytes(path, gz, limit), self.encoding)
            if suffix in (".html", ".htm"):
                meta, body = {}, raw
            else:
                meta, body = fmt.split_front_matter(raw)
                meta = {self.rename.get(k, k): v for k, v in meta.items()}
            rec = {**manifest_meta, **meta, "text": body}
            defaults["article_id"] = (rel.parent / _stem(path)).as_posix()
            self.add(rec, source=str(path), row=None, defaults=defaults,
                     has_title="title" in rec, markdown=suffix in (".md", ".markdown"))
            return
        first = True
        for row, item in fmt.iter_table(path, self.encoding):
            if isinstance(item, fmt.RowProblem):
                self.fail(str(path), row, str(item))
                continue
            if first:
                first = False
                if self.names["text"] not in item:
                    have = ", ".join(list(map(str, item))[:12])
                    self.fail(str(path), None,
                              f"has no {self.names['text']!r} column (it has: {have}); name the "
                              "text column with text=...", SchemaError)
                    return
                self._check_collisions(item)
            rec = {self.rename.get(k, k): v for k, v in item.items()}
            rec = {**manifest_meta, **rec}
            self.add(rec, source=str(path), row=row, defaults=defaults, has_title="title" in rec)

    # -- one article ----------------------------------------------------------------------
    def add(self, rec: dict, *, source: str | None, row: int | None, has_title: bool,
            defaults: dict | None = None, markdown: bool = False) -> bool:
        """Clean and check one record; keep it as a row or report it. True when kept."""
        try:
            out = self._finish(rec, defaults or {}, has_title, markdown)
        except TextProblem as exc:
            self.fail(source, row, str(exc))
            return False
        except SchemaError as exc:
            self.fail(source, row, str(exc), SchemaError)
            return False
        if source is not None and _missing(out["source"]):
            out["source"] = source
        self.rows.append(out)
        self.where.append((source, row))
        if self.frame_extras is None and source is not None:
            self.extras.append({k: v for k, v in rec.items() if k not in _META and k != "text"})
        return True

    def _finish(self, rec: dict, defaults: dict, has_title: bool, markdown: bool) -> dict:
        raw = rec.get("text")
        if isinstance(raw, bytes):
            raw = decode_bytes(raw, self.encoding)[0]
        if _missing(raw):
            raise TextProblem("has no text (empty or missing)")
        if not isinstance(raw, str):
            raise TextProblem(f"has a text of type {type(raw).__name__}, not a string")
        rec = dict(rec)
        if looks_like_page(raw):
            page = extract_page(raw, url=None if _missing(rec.get("url")) else str(rec["url"]))
            raw = page["text"]
            for key in ("title", "published", "outlet", "url"):
                if _missing(rec.get(key)) and not _missing(page[key]):
                    rec[key] = page[key]
            has_title = has_title or page["title"] is not None
        body = clean_text(raw)
        check_text(body, max_chars=self.max_chars)

        if "outlet" in rec:
            if _missing(rec["outlet"]):
                raise SchemaError(f"has no {self.names['outlet']!r} value; give every article "
                                  "its outlet")
            outlet = " ".join(str(rec["outlet"]).split())
        elif "outlet" in defaults:
            outlet = defaults["outlet"]
        else:  # in-memory data always has the column (checked up front)
            raise SchemaError(f"has no {self.names['outlet']!r}; give every article its outlet")

        title = None
        if not _missing(rec.get("title")):
            title = clean_text(str(rec["title"])).replace("\n", " ") or None
        elif not has_title:
            title = _detect_title(body, markdown)

        if not _missing(rec.get("article_id")):
            article_id = str(rec["article_id"]).strip()
        elif "article_id" in defaults:
            article_id = defaults["article_id"]
        else:
            article_id = _hash_id(outlet, title, body)

        story = rec.get("story_id")
        return {
            "article_id": article_id,
            "outlet": outlet,
            "story_id": DEFAULT_STORY if _missing(story) else str(story).strip(),
            "title": title,
            "published": None if _missing(rec.get("published")) else rec["published"],
            "url": None if _missing(rec.get("url")) else str(rec["url"]).strip(),
            "source": None if _missing(rec.get("source")) else str(rec["source"]),
            "text": body,
        }

    # -- result ---------------------------------------------------------------------------
    def frame(self) -> pd.DataFrame:
        keep = self._dedupe()
        rows = [self.rows[i] for i in keep]
        data = {col: pd.Series([r[col] for r in rows], dtype="str")
                for col in ARTICLE_COLUMNS if col != "published"}
        data["published"] = _parse_published([r["published"] for r in rows])
        out = pd.DataFrame({col: data[col] for col in ARTICLE_COLUMNS})
        if self.frame_extras is not None:
            extras = self.frame_extras.iloc[keep].reset_index(drop=True)
        else:
            extras = pd.DataFrame.from_records([self.extras[i] for i in keep]) if keep else None
        if extras is not None and len(extras.columns):
            out = pd.concat([out, extras.reset_index(drop=True)], axis=1)
        out.attrs["skipped"] = list(self.skipped)
        if self.skipped:
            shown = "; ".join(f"{_where(s['source'], s['row'])} {s['reason']}"
                              for s in self.skipped[:3])
            warnings.warn(
                f"skipped {len(self.skipped)} input(s), kept {len(out)} article(s); the full list "
                f"with reasons is in articles.attrs['skipped']. First: {shown}",
                SkippedInputWarning, stacklevel=3)
        return out

    def _dedupe(self) -> list[int]:
        seen: dict[str, int] = {}
        keep = []
        for i, row in enumerate(self.rows):
            first = seen.setdefault(row["article_id"], i)
            if first == i:
                keep.append(i)
                continue
            self.fail(*self.where[i],
                      f"has article_id {row['article_id']!r}, also the id of "
                      f"{_where(*self.where[first])}; ids must be unique: give distinct ids "
                      "(id=...) or remove the duplicate")
        return keep


def _parse_published(values: list) -> pd.Series:
    texts = pd.Series([None if v is None else (v.isoformat() if hasattr(v, "isoformat") else
                                                str(v).strip()) for v in values], dtype="str")
    parsed = pd.to_datetime(texts, utc=True, format="ISO8601", errors="coerce")
    retry = parsed.isna() & texts.notna()
    if retry.any():
        parsed[retry] = pd.to_datetime(texts[retry], utc=True, format="mixed", errors="coerce")
    bad = parsed.isna() & texts.notna()
    if bad.any():
        warnings.warn(
            f"{int(bad.sum())} published value(s) could not be read as dates and are NaT, e.g. "
            f"{texts[bad].iloc[0]!r}; use ISO 8601 (2025-04-10T14:30:00Z)",
            MediakitWarning, stacklevel=4)
    return parsed.astype("datetime64[ns, UTC]")


def _expand(source: str | os.PathLike) -> tuple[list[tuple[Path, Path | None]], Path | None]:
    """Files of a path or glob, each with the folder it was found under; and that folder."""
    path = Path(source)
    if path.is_dir():
        return _walk(path), path
    if path.exists():
        return [(path, None)], None
    text = os.fspath(source)
    if globmod.has_magic(text):
        matches = sorted(globmod.glob(text, recursive=True))
        if not matches:
            raise FileNotFoundError(f"no files match the glob {text!r}; check the pattern and "
                                    f"the current folder ({os.getcwd()}).")
        parts = Path(text).parts
        fixed = next(i for i, part in enumerate(parts) if globmod.has_magic(part))
        root = Path(*parts[:fixed]) if fixed else Path(".")
        files: list[tuple[Path, Path | None]] = []
        for m in map(Path, matches):
            files.extend(_walk(m) if m.is_dir() else [(m, root)])
        return files, None
    parent = path.parent if str(path.parent) else Path(".")
    near = ""
    if parent.is_dir():
        near = suggest(path.name, [p.name for p in parent.iterdir()])
    raise FileNotFoundError(f"{text!r} does not exist.{near}")


def _walk(folder: Path) -> list[tuple[Path, Path | None]]:
    out: list[tuple[Path, Path | None]] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name.lower() in fmt.MANIFEST_NAMES:
                continue
            out.append((Path(dirpath) / name, folder))
    return out
