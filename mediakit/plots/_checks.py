"""Input checks shared by the ``plot_*`` functions (same messages as the rest of mediakit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from numbers import Integral

import pandas as pd

from mediakit._params import Column, Interval, Sequence_, roles_of
from mediakit._validation import check_frame, require_columns

#: Constraints shared by the plots' declarations (``validate_params``).
ORDER = [Sequence_(object, words="a list of levels"), None]
PALETTE = [Mapping, Sequence_(str, words="a list of colours"), None]
COLUMN = [Column()]
MAYBE_COLUMN = [Column(), None]
AT_LEAST_ONE = [Interval(Integral, 1, None)]


def frame_with(data: object, columns: Iterable[str | None], *, what: str, hint: str = ""
               ) -> pd.DataFrame:
    """Check ``data`` is a DataFrame holding ``columns`` (None entries are ignored)."""
    frame = check_frame(data)
    require_columns(frame, [c for c in columns if c is not None], what=what, hint=hint)
    return frame


def role(data: object, name: str, given: str | None, default: str) -> str:
    """The column playing ``name`` (``"by"``, ``"story"``, ``"stat"``...): ``given`` when the
    caller names it, else the one the result recorded (``attrs["roles"]``), else ``default``."""
    if given is not None:
        return given
    value = roles_of(data).get(name)
    if isinstance(value, (list, tuple)):
        value = value[0] if len(value) == 1 else None
    return str(value) if value else default


def only_value(frame: pd.DataFrame, column: str, *, noun: str = "values", what: str = "data",
               how: str | None = None) -> str | None:
    """The one value of ``frame[column]`` a plot draws (None when the frame is empty).

    A plot selects no values: given several, a ``ValueError`` lists them and says how to
    filter ``data`` (``how``, default ``data[data[column] == value]``).
    """
    values = sorted({str(v) for v in frame[column].dropna()})
    if len(values) <= 1:
        return values[0] if values else None
    shown = ", ".join(map(repr, values[:10])) + (f" ... ({len(values)} in all)"
                                                  if len(values) > 10 else "")
    example = how.format(values[0]) if how else f"data[data[{column!r}] == {values[0]!r}]"
    raise ValueError(f"{what} holds {len(values)} {noun} ({shown}); a plot draws one: "
                     f"filter it first, e.g. {example}.")
