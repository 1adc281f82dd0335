"""File formats: each reader yields ``(row, record)`` pairs; a record is a dict of raw fields.

Text files (.txt, .md, .html, .htm) give one record; tabular files (.json, .jsonl, .csv, .tsv,
.parquet, optionally gzip-compressed) give one per row and are read in chunks or line by line, so
memory stays bounded by the chunk plus the result.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from mediakit.ingest import _bounded, _delimited
from mediakit.ingest._delimited import RowProblem
from mediakit.ingest._text import TextProblem, decode_bytes, utf16_codec

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
TABLE_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".parquet")
#: Every suffix read_articles understands (tabular and text files may also end in .gz).
SUFFIXES = TEXT_SUFFIXES + TABLE_SUFFIXES
MANIFEST_NAMES = ("manifest.csv", "manifest.json")


def file_kind(path: Path) -> tuple[str, bool]:
    """Return ``(suffix, gzipped)``, e.g. ``(".jsonl", True)`` for ``a.jsonl.gz``."""
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    if gz:
        suffixes = suffixes[:-1]
    return (suffixes[-1] if suffixes else ""), gz


def read_bytes(path: Path, gz: bool, limit: int | None) -> bytes:
    """Read a whole (small) file; refuse one bigger than ``limit`` bytes without reading it all."""
    return _bounded.read_all(path, gz, limit, "too big for one article (see max_chars); split "
                             "it, or pass max_chars=None")


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split YAML front matter (``---`` lines at the very start) from the text."""
    if not text.startswith("---"):
        return {}, text
    first, sep, rest = text.partition("\n")
    if first.rstrip() != "---" or not sep:
        return {}, text
    end = -1
    pos = 0
    while pos < len(rest):
        nl = rest.find("\n", pos)
        line = rest[pos:] if nl < 0 else rest[pos:nl]
        if line.rstrip() in ("---", "..."):
            end = pos
            break
        if nl < 0:
            break
        pos = nl + 1
    if end < 0:
        raise TextProblem("starts with '---' but its front matter has no closing '---' line")
    import yaml

    from mediakit.ingest._yaml import YAMLRefused, load

    try:
        meta = load(rest[:end])
    except YAMLRefused as exc:
        raise TextProblem(f"has front matter that {exc}") from exc
    except yaml.YAMLError as exc:
        raise TextProblem(f"has front matter that is not valid YAML ({_clip(exc)}); fix it") \
            from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise TextProblem("has front matter that is not a mapping of 'key: value' lines")
    nl = rest.find("\n", end)
    body = "" if nl < 0 else rest[nl + 1:]
    return {str(k): v for k, v in meta.items()}, body


def _clip(exc: BaseException, n: int = 300) -> str:
    text = str(exc)
    return text if len(text) <= n else text[:n] + " ..."


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    out = dict(pairs)
    if len(out) < len(pairs):
        seen: set[str] = set()
        dupe = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise json.JSONDecodeError(f"an object has the key {dupe!r} twice (one would hide the "
                                   "other)", "", 0)
    return out


def _json_loads(text: str) -> object:
    """``json.loads``, with nesting too deep for Python's parser and a key repeated in one
    object reported as decode errors."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise json.JSONDecodeError("arrays or objects nested too deeply", text, 0) from None


def iter_json(path: Path, gz: bool, encoding: str | None, limit: int | None,
              ) -> Iterator[tuple[int, dict | RowProblem]]:
    data = _bounded.read_all(path, gz, None if limit is None else max(limit, _bounded.JSON_LIMIT),
                             "too big to read as one JSON document; write one object per line "
                             "(.jsonl), which is read line by line")
    text, _ = decode_bytes(data, encoding)
    del data
    try:
        data = _json_loads(text)
    except json.JSONDecodeError as exc:
        raise TextProblem(f"is not valid JSON ({exc}); for one object per line use .jsonl") from exc
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if "text" not in data and len(lists) == 1:
            data = lists[0]  # {"articles": [...]} and the like
        else:
            data = [data]
    if not isinstance(data, list):
        raise TextProblem("holds neither an object nor a list of objects")
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            yield i, RowProblem(i, f"is a {type(item).__name__}, not an object")
        else:
            yield i, item


def iter_jsonl(path: Path, gz: bool, encoding: str | None, limit: int | None,
               ) -> Iterator[tuple[int, dict | RowProblem]]:
    """One JSON object per line, parsed line by line (each line bounded by ``limit``); blank
    lines are ignored."""
    with _bounded.opened(path, gz) as fh:
        wide = _wide_codec(fh.read(8192), encoding)
        fh.seek(0)
        # UTF-16/32 cannot be split into lines as bytes ("\n" is two or four bytes there)
        stream = io.TextIOWrapper(fh, encoding=wide, newline="") if wide else fh
        try:
            yield from _json_lines(_bounded.lines(stream, limit), None if wide else encoding,
                                   limit)
        except UnicodeDecodeError as exc:  # only from the UTF-16/32 text stream
            raise TextProblem(f"cannot be decoded as {wide} ({exc}); pass encoding=...") from exc


def _json_lines(lines, encoding: str | None, limit: int | None,
                ) -> Iterator[tuple[int, dict | RowProblem]]:
    """Parse numbered lines (bytes, decoded one by one with ``encoding``, or str)."""
    row = -1
    for lineno, raw in lines:
        if isinstance(raw, _bounded.TooLong):
            row += 1
            yield row, RowProblem(row, f"is a line of {raw.size:,} bytes (line {lineno}), more "
                                       f"than the {limit:,} one article may have (see max_chars)")
            continue
        if not raw.strip():
            continue
        row += 1
        try:
            line = raw if isinstance(raw, str) else decode_bytes(raw, encoding)[0]
            item = _json_loads(line)
        except (TextProblem, json.JSONDecodeError) as exc:
            yield row, RowProblem(row, f"is not a JSON object (line {lineno}: {exc})")
            continue
        if not isinstance(item, dict):
            yield row, RowProblem(row, f"is a JSON {type(item).__name__}, not an "
                                  f"object (line {lineno})")
            continue
        yield row, item


def _wide_codec(head: bytes, encoding: str | None) -> str | None:
    """The UTF-16/32 codec a file is in (given, by byte order mark, or recognised), else None."""
    import codecs

    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError as exc:
            raise TextProblem(f"cannot be decoded as {encoding!r} ({exc}); check encoding=") from exc
        return encoding if name.startswith(("utf-16", "utf-32")) else None
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return utf16_codec(head)


def _csv_encoding(path: Path, gz: bool) -> str:
    """UTF-16/32 by their byte order mark (Excel's "Unicode text"), or UTF-16 without one
    (recognised by its NUL bytes, see ``utf16_codec``); else UTF-8 (with or without BOM) when
    the whole file decodes as UTF-8, else Windows-1252."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    with _bounded.opened(path, gz) as fh:
        head = fh.read(8192)
        if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            return "utf-32"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if codec := utf16_codec(head):
            return codec
        try:
            decoder.decode(head)
            while block := fh.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def iter_table(path: Path, encoding: str | None, max_chars: int | None,
               ) -> Iterator[tuple[int, dict | RowProblem]]:
    """Rows of a tabular file; every line, cell and row is bounded by ``max_chars``."""
    suffix, gz = file_kind(path)
    limit = _bounded.row_limit(max_chars)
    if suffix == ".json":
        return iter_json(path, gz, encoding, limit)
    if suffix in (".jsonl", ".ndjson"):
        return iter_jsonl(path, gz, encoding, limit)
    if suffix in (".csv", ".tsv"):
        return _delimited.rows(path, gz, encoding or _csv_encoding(path, gz),
                               "\t" if suffix == ".tsv" else ",", limit)
    if suffix == ".parquet":
        if gz:
            raise TextProblem("is a gzip-compressed Parquet file; Parquet compresses itself, "
                              "decompress it first")
        from mediakit.ingest._parquet import iter_parquet

        return iter_parquet(path, limit)
    raise AssertionError(suffix)  # internal: callers check the suffix first


def read_manifest(path: Path) -> dict[str, dict]:
    """A sidecar manifest: file name -> metadata. CSV with a ``file`` column, or JSON (a list of
    objects with ``file``, or an object mapping file names to objects)."""
    from mediakit._errors import SchemaError

    if path.suffix.lower() == ".json":
        try:
            data = _json_loads(decode_bytes(path.read_bytes())[0])
        except json.JSONDecodeError as exc:  # a ValueError naming the manifest
            raise ValueError(f"manifest {path} is not valid JSON ({exc})") from exc
        if isinstance(data, dict) and all(isinstance(v, dict) for v in data.values()):
            data = [{"file": k, **v} for k, v in data.items()]
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            raise ValueError(f"manifest {path} must be a list of objects with a 'file' key, or "
                             "an object mapping file names to objects")
        records = data
    else:
        text = decode_bytes(path.read_bytes())[0]
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
        records = frame.to_dict("records")
    out: dict[str, dict] = {}
    for i, rec in enumerate(records):
        if "file" not in rec or not isinstance(rec["file"], str) or not rec["file"]:
            raise SchemaError(f"manifest {path} row {i} has no 'file' value; every row names the "
                              "file (relative to the manifest's folder) it describes")
        key = rec["file"].replace("\\", "/")
        if key in out:
            raise ValueError(f"manifest {path} lists {key!r} twice; keep one row per file")
        out[key] = {k: v for k, v in rec.items() if k != "file"}
    return out
