"""CSV files for reports, safe to open in a spreadsheet.

Article text comes from the web. A cell such as ``=HYPERLINK("http://x", "click")`` or
``@SUM(1+1)*cmd|' /C calc'!A0`` is run as a formula by Excel, LibreOffice or Google Sheets
when the CSV is opened ("CSV injection", OWASP). Following OWASP's advice, every text cell (and
column name) that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading single quote in the file, which spreadsheets show as text. Numbers are written as
numbers (``-0.5`` stays ``-0.5``); frames in memory are not changed.

Lines end with CRLF (RFC 4180), so a cell holding a line break of either kind is quoted: with
``\n`` line ends Python's csv writer leaves a cell with a bare ``\r`` unquoted, and a
spreadsheet starts a new row there, whose first cell can be a formula (``"ok\r=1+1"``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = r"[=+\-@\t\r]"


def _defuse(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def defuse_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot start a formula.

    Only cells holding strings change (a ``'`` is put in front); numeric, date and missing
    cells, and ``frame`` itself, are left as they are.
    """
    out = frame
    for i in range(frame.shape[1]):
        col = frame.iloc[:, i]
        if isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype(object)
        if pd.api.types.is_string_dtype(col.dtype) and not pd.api.types.is_object_dtype(col.dtype):
            mask = col.str.match(_FORMULA_PATTERN).fillna(False).astype(bool)
            if not mask.any():
                continue
            new = col.mask(mask, "'" + col)
        elif pd.api.types.is_object_dtype(col.dtype):
            new = col.map(_defuse)
            if new.equals(col):
                continue
        else:
            continue
        if out is frame:
            out = frame.copy(deep=False)
        out.isetitem(i, new)
    names = [_defuse(c) for c in frame.columns]
    if names != list(frame.columns):
        if out is frame:
            out = frame.copy(deep=False)
        out.columns = names
    return out


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as UTF-8 CSV without the index, CRLF line ends, formulas defused."""
    path = Path(path)
    defuse_formulas(frame).to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")
    return path
