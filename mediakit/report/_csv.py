"""Tables for reports: CSV safe to open in a spreadsheet and exact for pandas, plus Parquet.

Article text comes from the web. A cell such as ``=HYPERLINK("http://x", "click")`` or
``@SUM(1+1)*cmd|' /C calc'!A0`` is run as a formula by Excel, LibreOffice or Google Sheets
when the CSV is opened ("CSV injection", OWASP). A text cell (or column name) is defused with a
leading single quote, which spreadsheets show as text, when it can be a formula:

- it starts with ``=``, ``@``, a tab or a carriage return; or
- it starts with ``+`` or ``-`` *not* followed by a space, or followed by a space but holding a
  function call (a name directly followed by ``(``) or a ``|`` (DDE).

The choice: ordinary text starting with a dash and a space, such as a bullet ("- Officials
said..."), is what news text holds most often and cannot run anything (no function, no DDE),
so it is written as it is and ``pd.read_csv`` gives back exactly the text the offsets point
into. Every cell that can be a formula keeps OWASP's quote. Numbers are written as numbers
(``-0.5`` stays ``-0.5``); every text-like column counts, whatever its dtype (object, string,
categorical, Arrow strings and Arrow dictionary-encoded strings). Frames in memory are not
changed. For an exact copy of every cell, use the Parquet file written beside each CSV.

Lines end with CRLF (RFC 4180), so a cell holding a line break of either kind is quoted: with
``\n`` line ends Python's csv writer leaves a cell with a bare ``\r`` unquoted, and a
spreadsheet starts a new row there, whose first cell can be a formula (``"ok\r=1+1"``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

#: First characters that can make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_ALWAYS = re.compile(r"[=@\t\r]")
_SIGN = re.compile(r"[+\-]")
_SIGN_SPACE = re.compile(r"[+\-] ")
_ACTIVE = re.compile(r"[A-Za-z0-9_.]\(|\|")
_FIRST = "[" + re.escape("".join(FORMULA_STARTS)) + "]"  # a cell a formula could be


def is_formula(value: object) -> bool:
    """Whether a text cell could run as a spreadsheet formula (see the module's rule)."""
    if not isinstance(value, str) or not value:
        return False
    if _ALWAYS.match(value):
        return True
    if _SIGN.match(value):
        return not _SIGN_SPACE.match(value) or bool(_ACTIVE.search(value))
    return False


def _defuse(value: object) -> object:
    return "'" + value if is_formula(value) else value


def _is_plain(dtype) -> bool:
    """Numbers, booleans and times: never text (an Arrow dictionary of strings is text)."""
    api = pd.api.types
    try:
        return (api.is_bool_dtype(dtype) or api.is_numeric_dtype(dtype)
                or api.is_datetime64_any_dtype(dtype) or api.is_timedelta64_dtype(dtype))
    except TypeError:
        return False


def defuse_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot start a formula.

    Only cells holding strings that can be formulas change (a ``'`` is put in front; see the
    module's rule); numeric, date and missing cells, and ``frame`` itself, are left as they are.
    """
    out = frame
    for i in range(frame.shape[1]):
        col = frame.iloc[:, i]
        if _is_plain(col.dtype) and not isinstance(col.dtype, pd.CategoricalDtype):
            continue
        # a vectorised first pass: only cells starting with a character a formula can start
        # with are tested one by one (most text starts otherwise)
        maybe = col.astype("str").str.match(_FIRST).fillna(False).to_numpy(dtype=bool)
        if not maybe.any():
            continue
        values = col.astype(object)
        mask = np.zeros(len(values), dtype=bool)
        mask[maybe] = [is_formula(v) for v in values.to_numpy()[maybe]]
        if not mask.any():
            continue
        new = values.copy()
        new[mask] = "'" + values[mask].astype(str)
        if out is frame:
            out = frame.copy(deep=False)
        out.isetitem(i, new)
    names = [_defuse(c) for c in frame.columns]
    if names != list(frame.columns):
        if out is frame:
            out = frame.copy(deep=False)
        out.columns = names
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, *, root: str | Path | None = None) -> Path:
    """Write ``frame`` as UTF-8 CSV without the index, CRLF line ends, formulas defused.

    The file is opened without following symbolic links (``root``: the folder it must stay in).
    """
    from mediakit.report._output import safe_open

    path = Path(path)
    with safe_open(path, "w", root=root) as handle:
        defuse_formulas(frame).to_csv(handle, index=False, lineterminator="\r\n")
    return path


def write_parquet(frame: pd.DataFrame, path: str | Path, *, root: str | Path | None = None
                  ) -> Path:
    """Write ``frame`` as Parquet (pyarrow), every cell exactly as in memory, no index.

    Column names are made strings; ``frame.attrs`` is not stored.
    """
    from mediakit.report._output import safe_open

    path = Path(path)
    out = frame.copy(deep=False)
    out.attrs = {}
    out.columns = [str(c) for c in out.columns]
    with safe_open(path, "wb", root=root) as handle:
        out.to_parquet(handle, index=False, engine="pyarrow")
    return path


def write_chunks(chunks, csv_path: str | Path, parquet_path: str | Path, *,
                 empty: pd.DataFrame, root: str | Path | None = None) -> list[Path]:
    """Write a table given as frames in row order (``chunks``) to CSV and Parquet, one frame at
    a time: the files :func:`write_csv` and :func:`write_parquet` write for the frames joined,
    without ever holding them all. ``empty`` (the table without rows) is written when no frame
    has rows. Every frame must have the columns and types of the first."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from mediakit.report._output import safe_open

    csv_path, parquet_path = Path(csv_path), Path(parquet_path)
    writer = schema = None
    with safe_open(csv_path, "w", root=root) as text, \
            safe_open(parquet_path, "wb", root=root) as binary:
        for frame in chunks:
            if not len(frame):
                continue
            frame = frame.copy(deep=False)
            frame.attrs = {}
            frame.columns = [str(c) for c in frame.columns]
            defuse_formulas(frame).to_csv(text, index=False, header=writer is None,
                                          lineterminator="\r\n")
            if writer is None:
                table = pa.Table.from_pandas(frame, preserve_index=False)
                schema = table.schema
                writer = pq.ParquetWriter(binary, schema)
            else:
                table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
            writer.write_table(table)
        if writer is None:
            out = empty.copy(deep=False)
            out.attrs = {}
            out.columns = [str(c) for c in out.columns]
            defuse_formulas(out).to_csv(text, index=False, lineterminator="\r\n")
            out.to_parquet(binary, index=False, engine="pyarrow")
        else:
            writer.close()
    return [csv_path, parquet_path]


def compact_terms(terms: pd.DataFrame, *, by: str = "outlet", stat: str = "g2",
                  n_terms: int = 25) -> pd.DataFrame:
    """The keyness table cut to the ``n_terms`` most distinctive terms on each side per target.

    Keeps every column; rows are the top ``n_terms`` by ``stat`` (more in the target) and the
    bottom ``n_terms`` (more in the reference) of each ``by`` value. The report writes this as
    CSV and the full table as Parquet.
    """
    if terms is None or terms.empty or by not in terms.columns or stat not in terms.columns:
        return terms
    parts = []
    for _key, rows in terms.groupby(terms[by].astype(str), sort=True):
        ranked = rows.sort_values(stat, ascending=False, kind="stable")
        more = ranked[ranked[stat] > 0].head(n_terms)
        less = ranked[ranked[stat] < 0].tail(n_terms)
        parts += [more, less]
    return pd.concat(parts, ignore_index=True) if parts else terms.iloc[0:0]
