"""CSV and TSV rows, every line accounted for.

Exports are often not valid CSV: a stray ``"`` at the start of a cell (``"Quoted" headline``), or
TSV written without any quoting convention at all. A lenient parser then reads on to the next
quote mark and folds the following lines into one cell, under another row's fields, silently.
Here each record is parsed strictly (Python's ``csv`` module, RFC 4180 quoting: a quoted cell
ends with ``"`` followed by the separator or the line end, ``""`` inside is one quote), and:

- a record that does not parse, has the wrong number of fields, is longer than the row limit, or
  (in a TSV) whose quoted cell runs over lines holding tabs, is taken as its *first line only*:
  that line is read literally (quotes kept as text) and becomes a row when it has the header's
  number of fields, else it is listed as a bad row naming its line; reading resumes at the next
  line, so no line is swallowed by another row;
- a quoted cell that does parse (``"First paragraph.\\n\\nSecond."``, as pandas and Excel
  write them) is read as one cell, in TSV too.
"""

from __future__ import annotations

import csv
import io
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from mediakit.ingest import _bounded
from mediakit.ingest._text import TextProblem


class RowProblem(ValueError):
    """One row of a tabular file is bad; ``row`` says which (0-based)."""

    def __init__(self, row: int, message: str):
        super().__init__(message)
        self.row = row


class _Over(Exception):
    """The current record ran past the row limit."""


class _Lines:
    """Lines for ``csv.reader``: remembers those taken by the current record, can put them back,
    and stops a record longer than the limit (or one holding an over-long line)."""

    def __init__(self, lines: Iterator, limit: int | None):
        self._lines = lines
        self._back: deque = deque()
        self.limit = limit
        self.taken: list[tuple[int, str | _bounded.TooLong]] = []
        self._size = 0

    def begin(self) -> None:
        self.taken = []
        self._size = 0

    def put_back(self, items: list) -> None:
        self._back.extendleft(reversed(items))

    def __iter__(self):
        return self

    def __next__(self) -> str:
        item = self._back.popleft() if self._back else next(self._lines)
        self.taken.append(item)
        line = item[1]
        if isinstance(line, _bounded.TooLong):
            raise _Over
        self._size += len(line)
        if self.limit is not None and self._size > self.limit:
            raise _Over
        return line


def _header(fields: list[str]) -> list[str]:
    names = [name if name else f"Unnamed: {i}" for i, name in enumerate(fields)]
    dupes = sorted({n for n in names if names.count(n) > 1}) if len(set(names)) < len(names) \
        else []
    if dupes:
        raise TextProblem(f"has duplicate column names ({', '.join(map(repr, dupes))}); make "
                          "them unique so no data is hidden")
    return names


def rows(path: Path, gz: bool, encoding: str, sep: str, limit: int | None,
         ) -> Iterator[tuple[int, dict | RowProblem]]:
    """``(row, record)`` or ``(row, RowProblem)`` for each data row; empty cells are None."""
    # the csv module's own cell limit (131,072 characters) would cut long articles short
    cap = limit if limit is not None else (1 << 31) - 1
    if csv.field_size_limit() < cap:
        csv.field_size_limit(cap)
    with _bounded.opened(path, gz) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        try:
            yield from _records(_Lines(_bounded.lines(text, limit), limit), sep, limit)
        except UnicodeDecodeError as exc:
            raise TextProblem(f"cannot be decoded as {encoding} ({exc}); pass encoding=...") \
                from exc


def _records(src: _Lines, sep: str, limit: int | None) -> Iterator[tuple[int, dict | RowProblem]]:
    header: list[str] | None = None
    kind = "TSV" if sep == "\t" else "CSV"
    row = -1
    while True:
        src.begin()
        problem = None
        fields: list[str] = []
        try:
            fields = next(csv.reader(src, delimiter=sep, strict=True))
        except StopIteration:
            if header is None:
                raise TextProblem(f"is not a readable {kind} file (it is empty: no header "
                                  "line)") from None
            return
        except csv.Error as exc:
            problem = f"is not valid {kind} ({exc})"
        except _Over:
            problem = (f"is longer than {limit:,} characters (see max_chars), or a quote "
                       "opened on it is never closed")
        taken = src.taken
        if header is None:
            if problem is not None:
                raise TextProblem(f"has a first (header) line that {problem}")
            if fields:
                header = _header(fields)
            continue
        if problem is None and not fields:
            continue  # a blank line
        if problem is None and sep == "\t" and _tabs_inside_quote(taken):
            problem = ("opens a quote that runs over the next lines, which hold tab-separated "
                       "rows of their own (TSV has no quoting)")
        # a line read literally may be a row only when the quoting was the problem
        literal_ok = problem is not None or len(taken) > 1
        if problem is None and len(fields) != len(header):
            problem = f"has {len(fields)} fields, the header has {len(header)}"
        row += 1
        if problem is None:
            yield row, _record(header, fields)
            continue
        number, first = taken[0]
        src.put_back(taken[1:])
        if isinstance(first, _bounded.TooLong):
            yield row, RowProblem(row, f"(line {number}) is a line of {first.size:,} characters, "
                                       f"more than the {limit:,} one article may have "
                                       "(see max_chars)")
            continue
        literal: list[str] = []
        if literal_ok:
            try:
                literal = next(csv.reader([first.rstrip("\r\n")], delimiter=sep,
                                          quoting=csv.QUOTE_NONE), [])
            except csv.Error:  # e.g. a NUL character
                pass
        if len(literal) == len(header):
            yield row, _record(header, literal)  # read as written, quote marks kept
        else:
            yield row, RowProblem(row, f"(line {number}) {problem}; fix the quoting or the "
                                       "separators of that line")


def _tabs_inside_quote(taken: list) -> bool:
    """Whether a record's quoted cell runs over lines holding tabs (before the closing quote of
    its last line): in a TSV, rows of their own folded into one cell."""
    if len(taken) < 2:
        return False
    last = taken[-1][1]
    return any("\t" in line for _, line in taken[1:-1]) or "\t" in last[:last.rfind('"')]


def _record(header: list[str], fields: list[str]) -> dict:
    return {name: (value if value != "" else None) for name, value in
            zip(header, fields, strict=True)}
