"""``read_articles``: files, folders, globs, tables and records into the articles frame."""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Iterable
from numbers import Integral
from pathlib import Path
from typing import Any, TypedDict

import pandas as pd

from mediakit import _parallel
from mediakit._errors import SchemaError, SkippedInputWarning
from mediakit._frames import ARTICLE_COLUMNS, str_array
from mediakit._memory import releases_memory
from mediakit._params import Column, Interval, Options, validate_params, warn
from mediakit._progress import progress as _progress
from mediakit._validation import suggest
from mediakit.ingest import _fields as fld
from mediakit.ingest import _formats as fmt
from mediakit.ingest import _sources as src
from mediakit.ingest._text import TextProblem, decode_bytes, no_surrogates

ON_ERROR = ("raise", "skip")
#: With ``n_jobs`` > 1, table files (JSONL, CSV, Parquet, JSON) of at least this many bytes
#: have their records cleaned in worker processes (below, starting them costs more).
POOL_BYTES = 4 * 2**20
#: Records per chunk sent to a worker.
CHUNK_RECORDS = 256


class Skipped(TypedDict):
    """One input left out with ``on_error="skip"``; ``articles.attrs["skipped"]`` lists them.

    ``source`` is the file (or None for in-memory data), ``row`` the 0-based row or record in
    it (None for a whole file), ``reason`` the same message the error would have had.
    """

    source: str | None
    row: int | None
    reason: str


@validate_params(
    text=[Column()], id=[Column()], outlet=[Column()], title=[Column()], published=[Column()],
    manifest=[str, os.PathLike, None], encoding=[str, None],
    max_chars=[Interval(Integral, 1, None), None], on_error=[Options(*ON_ERROR)],
    n_jobs=[Interval(Integral, 1, None)], progress=[bool, None],
)
@releases_memory
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
    n_jobs: int = 1,
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
        usually several articles or not an article). It also bounds every read: a line, CSV
        record, Parquet row or decompressed text file of more than about ``4 * max_chars``
        bytes is not held in memory but reported as a bad row (so a compression bomb costs one
        row). None for no limit.
    on_error : {"raise", "skip"}
        On a bad input (empty, binary, undecodable, too long, unknown type, unreadable, not a
        regular file such as a FIFO or device, duplicate id, missing field, a CSV/TSV line
        that does not fit the header, YAML front matter with aliases or deep nesting) raise an
        error naming it, or skip it: a
        :class:`~mediakit.SkippedInputWarning` gives the count and ``attrs["skipped"]`` lists
        every skipped input with its reason (see :class:`Skipped`).
    n_jobs : int, default 1
        Worker processes. With more than one, the records of a large table file (JSONL, CSV,
        Parquet or JSON of 4 MB or more) are cleaned and checked in that many processes while
        this one reads (decompresses and parses) the next; the result is the same. The
        workers started are mediakit's (see ``split_sentences``), so the first start in a
        session (about half a second) is paid here, while the file is read, and not by the
        next step.
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
        reads as a headline, or a Markdown ``# heading`` (the line stays in the text).

    Raises
    ------
    FileNotFoundError
        ``source`` (or ``manifest``) does not exist, or a glob matches nothing.
    SchemaError
        The text (or, for in-memory data, the outlet) column is missing.
    TypeError, ValueError
        A bad option; with ``on_error="raise"``, a bad input (the message names the file or
        row, what is wrong and what to do; ``PermissionError`` for an unreadable file).

    Notes
    -----
    The repairs made to the text, and nothing else: decoding (a byte order mark is dropped);
    mojibake fixed by ftfy ("donâ€™t" -> "don’t") with quotes left curly; CRLF/CR line breaks
    to LF; control characters removed; no-break spaces to spaces; NFC normalisation; HTML tags
    and tag fragments removed (``<`` + line break + ``div class=...>``, also mid-text), and in
    such markup ``&amp;``-style references decoded; leading and trailing whitespace removed.
    In every field, UTF-16 surrogates (JSON escapes such as ``\\ud83d`` cut in half) become
    their character, or U+FFFD when alone. Reading the result of markup-free text again changes
    nothing. No line is removed but one that held only markup, so a headline stays the first
    line of its text.

    Large JSONL, CSV and Parquet files are read line by line or in chunks, each bounded (see
    ``max_chars``); Parquet text columns are sized from their dictionaries before any row is
    decoded. Only regular files are read. CSV and TSV records are parsed strictly (RFC 4180
    quoting): a line whose quotes do not parse is read as written, quote marks kept, and never
    swallows the following lines; one that still does not match the header is a bad row. A
    column name repeated in a file's header (or a JSON object) is an error.

    ``outlet`` names are normalised (NFKC; zero-width, bidirectional-control and control
    characters removed; white space collapsed); ids are text (``1.0`` reads as ``"1"``).
    Numeric dates such as ``10/04/2025`` follow one day/month convention per column, set by the
    dates that can only be read one way (``13/04/2025``); a
    :class:`~mediakit.MediakitWarning` says when none decides or both conventions occur.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.load_example("seeds")
    >>> list(articles.columns[:4])
    ['article_id', 'outlet', 'story_id', 'title']
    >>> articles["outlet"].tolist()
    ['outlet A', 'outlet B']
    """
    with contextlib.ExitStack() as pools:
        reader = _Reader(
            names={"text": text, "article_id": id, "outlet": outlet, "title": title,
                   "published": published},
            encoding=encoding, max_chars=max_chars, on_error=on_error, progress=progress,
            n_jobs=n_jobs, pools=pools,
        )
        reader.read(source, manifest)
    return reader.frame()


class _Reader:
    """State of one read_articles call: finished rows, skipped inputs, manifests."""

    def __init__(self, *, names: dict[str, str], encoding: str | None, max_chars: int | None,
                 on_error: str, progress: bool | None, n_jobs: int = 1,
                 pools: contextlib.ExitStack | None = None):
        self.rename = {user: canon for canon, user in names.items() if user != canon}
        self.n_jobs, self.pools, self.pool = n_jobs, pools, None
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
            raise exc(f"{fld.where(source, row)} {reason} "
                      "(or pass on_error='skip' to leave it out).")
        self.skipped.append(Skipped(source=source, row=row, reason=reason))

    # -- sources --------------------------------------------------------------------------
    def read(self, source: Any, manifest: str | os.PathLike | None) -> None:
        explicit = None
        if manifest is not None:
            explicit = Path(manifest)
            if not explicit.is_file():
                raise FileNotFoundError(f"manifest={str(manifest)!r} does not exist.")
            self.manifests[explicit] = src.read_manifest(explicit)
        if isinstance(source, pd.DataFrame):
            self.read_frame(source)
        elif isinstance(source, (str, os.PathLike)):
            self.read_files(*src.expand(source), explicit)
        elif isinstance(source, dict):
            raise TypeError("source is a single dict; wrap it in a list: read_articles([record]).")
        elif isinstance(source, Iterable) and not isinstance(source, (bytes, bytearray)):
            items = list(source)
            if all(isinstance(i, dict) for i in items):
                items = [no_surrogates(i) for i in items]
                self.read_frame(pd.DataFrame.from_records(items) if items else
                                pd.DataFrame({self.names["text"]: pd.Series([], dtype="str"),
                                              self.names["outlet"]: pd.Series([], dtype="str")}))
            elif all(isinstance(i, (str, os.PathLike)) for i in items):
                files: list[tuple[Path, Path | None]] = []
                for item in items:
                    try:
                        files.extend(src.expand(item)[0])
                    except src.MissingPath as exc:
                        self.fail(os.fspath(item), None, exc.reason, FileNotFoundError)
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
        canon = [c for c in data.columns if self.rename.get(str(c), str(c)) in (*fld.META, "text")]
        records = data[canon].rename(columns=lambda c: self.rename.get(str(c), str(c))).to_dict(
            "records")
        for i, rec in _progress(list(enumerate(records)), enabled=self.progress,
                                desc="reading articles"):
            if self.add(rec, source=None, row=i, has_title="title" in rec):
                self.positions.append(i)
        users = [c for c in data.columns if c not in canon]
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
            meta = {self.rename.get(k, k): v for k, v in src.manifest_entry(
                path, base, explicit, self.manifests, self.used).items()}
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

    def read_file(self, path: Path, base: Path | None, manifest_meta: dict) -> None:
        suffix, gz = fmt.file_kind(path)
        if suffix not in fmt.SUFFIXES:
            raise TextProblem(
                f"has an unsupported file type ({suffix or 'no suffix'!r}); supported: "
                f"{', '.join(fmt.SUFFIXES)} (optionally .gz). Convert it, or move it out")
        rel = path.relative_to(base) if base is not None else Path(path.name)
        defaults = {"outlet": rel.parts[0] if len(rel.parts) > 1 else src.stem(path)}
        if suffix in fmt.TEXT_SUFFIXES:
            limit = 4 * self.max_chars + 1024 if self.max_chars is not None else None
            raw, _ = decode_bytes(fmt.read_bytes(path, gz, limit), self.encoding)
            if suffix in (".html", ".htm"):
                meta, body = {}, raw
            else:
                meta, body = fmt.split_front_matter(raw)
                meta = {self.rename.get(k, k): v for k, v in meta.items()}
            rec = {**manifest_meta, **meta, "text": body}
            defaults["article_id"] = (rel.parent / src.stem(path)).as_posix()
            self.add(rec, source=str(path), row=None, defaults=defaults,
                     has_title="title" in rec, markdown=suffix in (".md", ".markdown"))
            return
        rows = fmt.iter_table(path, self.encoding, self.max_chars)
        try:
            self._read_rows(path, rows, manifest_meta, defaults)
        finally:
            rows.close()  # closes the file now, also when the rows were not all read

    def _read_rows(self, path: Path, rows, manifest_meta: dict, defaults: dict) -> None:
        pool = self._pool_for(path)
        first = True
        # with a pool: rows (records and problems) in chunks, cleaned in the workers, taken
        # back in order; at most 2 * n_jobs chunks ahead of the one taken
        batch: list = []
        ahead: deque = deque()
        options = self._options(defaults)

        def send():
            if _parallel.started(pool):
                ahead.append(_parallel.submit(_finish_rows, (batch, options), pool))
            else:  # the workers are still starting: do this chunk here meanwhile
                done = _finish_rows((batch, options))
                ahead.append(lambda: done)

        def take(until: int):
            while len(ahead) > until:
                for row, result in ahead.popleft()():
                    self._take(str(path), row, result)

        for row, item in _progress(rows, enabled=self.progress, desc=f"reading {path.name}"):
            if isinstance(item, fmt.RowProblem):
                if pool is None or first:
                    self.fail(str(path), row, str(item))
                else:
                    batch.append((row, str(item)))
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
            if pool is None:
                self.add(rec, source=str(path), row=row, defaults=defaults,
                         has_title="title" in rec)
                continue
            batch.append((row, rec))
            if len(batch) >= CHUNK_RECORDS:
                send()
                batch = []
                take(2 * self.n_jobs)
        if batch:
            send()
        take(0)

    def _pool_for(self, path: Path):
        """The worker pool for a table file large enough to share out (started once)."""
        if self.n_jobs <= 1 or self.pools is None:
            return None
        if self.pool is None:
            try:
                large = path.stat().st_size >= POOL_BYTES
            except OSError:
                large = False
            if not large:
                return None
            self.pool = self.pools.enter_context(_parallel.worker_pool(self.n_jobs))
        return self.pool

    # -- one article ----------------------------------------------------------------------
    def _options(self, defaults: dict | None, markdown: bool = False) -> dict:
        return {"defaults": defaults or {}, "markdown": markdown,
                "outlet_label": self.names["outlet"], "encoding": self.encoding,
                "max_chars": self.max_chars}

    def add(self, rec: dict, *, source: str | None, row: int | None, has_title: bool,
            defaults: dict | None = None, markdown: bool = False) -> bool:
        """Clean and check one record; keep it as a row or report it. True when kept."""
        result = _finish(rec, has_title=has_title,
                         extras=self.frame_extras is None and source is not None,
                         **self._options(defaults, markdown))
        return self._take(source, row, result)

    def _take(self, source: str | None, row: int | None, result: tuple) -> bool:
        """Keep a record :func:`_finish` cleaned, or report why it is left out."""
        kind, value, extras = result
        if kind != "ok":
            self.fail(source, row, value, SchemaError if kind == "schema" else ValueError)
            return False
        if source is not None and fld.missing(value["source"]):
            value["source"] = source
        self.rows.append(value)
        self.where.append((source, row))
        if extras is not None:
            self.extras.append(extras)
        return True

    # -- result ---------------------------------------------------------------------------
    def frame(self) -> pd.DataFrame:
        keep = self._dedupe()
        rows = [self.rows[i] for i in keep]
        data = {col: pd.Series(str_array([r[col] for r in rows]))
                for col in ARTICLE_COLUMNS if col != "published"}
        data["published"] = fld.parse_published([r["published"] for r in rows])
        out = pd.DataFrame({col: data[col] for col in ARTICLE_COLUMNS})
        if self.frame_extras is not None:
            extras = self.frame_extras.iloc[keep].reset_index(drop=True)
        else:
            extras = pd.DataFrame.from_records([self.extras[i] for i in keep]) if keep else None
        if extras is not None and len(extras.columns):
            out = pd.concat([out, extras.reset_index(drop=True)], axis=1)
        out.attrs["skipped"] = list(self.skipped)
        if self.skipped:
            shown = "; ".join(f"{fld.where(s['source'], s['row'])} {s['reason']}"
                              for s in self.skipped[:3])
            warn(
                f"skipped {len(self.skipped)} input(s), kept {len(out)} article(s); the full list "
                f"with reasons is in articles.attrs['skipped']. First: {shown}",
                SkippedInputWarning)
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
                      f"{fld.where(*self.where[first])}; ids must be unique: give distinct ids "
                      "(id=...) or remove the duplicate")
        return keep


def _finish(rec: dict, *, defaults: dict, has_title: bool, markdown: bool, outlet_label: str,
            encoding: str | None, max_chars: int | None, extras: bool) -> tuple:
    """One record cleaned and checked: ``("ok", row, its extra fields or None)``, else
    ``("text" or "schema", why, None)``."""
    rec = no_surrogates(rec)
    try:
        out = fld.finish_record(rec, defaults, has_title=has_title, markdown=markdown,
                                outlet_label=outlet_label, encoding=encoding,
                                max_chars=max_chars)
    except TextProblem as exc:
        return "text", str(exc), None
    except SchemaError as exc:
        return "schema", str(exc), None
    return "ok", out, ({k: v for k, v in rec.items() if k not in fld.META and k != "text"}
                       if extras else None)


def _finish_rows(task: tuple[list, dict]) -> list:
    """:func:`_finish` of a chunk of a table file's rows, in a worker: ``(row, result)`` each;
    a row the file could not give (its problem, a text) is passed on as a ``"text"`` one."""
    entries, options = task
    return [(row, ("text", item, None) if isinstance(item, str) else
             _finish(item, has_title="title" in item, extras=True, **options))
            for row, item in entries]
