"""Input checks shared by the ``plot_*`` functions (same messages as the rest of mediakit)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from mediakit._validation import check_frame, require_columns


def frame_with(data: object, columns: Iterable[str | None], *, what: str, hint: str = ""
               ) -> pd.DataFrame:
    """Check ``data`` is a DataFrame holding ``columns`` (None entries are ignored)."""
    frame = check_frame(data)
    require_columns(frame, [c for c in columns if c is not None], what=what, hint=hint)
    return frame


def pick_measure(data: pd.DataFrame, measure: str | None, *, column: str = "measure",
                 prefix: str | None = None) -> str:
    """The one measure to draw from a tidy comparison table.

    ``measure=None`` works when the table (restricted to ``prefix`` if given) holds exactly one.
    """
    values = [str(v) for v in pd.unique(data[column].dropna())]
    if prefix is not None:
        values = [v for v in values if v.startswith(prefix)]
    if measure is None:
        if len(values) == 1:
            return values[0]
        if not values:
            raise ValueError(f"data has no measure to draw{f' starting with {prefix!r}' if prefix else ''}.")
        raise ValueError(
            f"data holds several measures ({', '.join(map(repr, values[:8]))}); choose one with "
            "measure=..."
        )
    if measure not in values:
        from mediakit._validation import suggest

        raise ValueError(
            f"measure={measure!r} is not in data; choose one of {', '.join(map(repr, values[:12]))}."
            + suggest(measure, values)
        )
    return measure
