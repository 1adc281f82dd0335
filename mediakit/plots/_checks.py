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


def pick_story(frame: pd.DataFrame, column: str, story, *, what: str = "data") -> str | None:
    """The story to draw: ``story`` checked against ``frame[column]``, or the only one there.

    None when the frame holds no story and none was asked for; a ``ValueError`` naming the
    choices (and the nearest) when several are there or the asked one is not.
    """
    stories = sorted({str(s) for s in frame[column].dropna()})
    if story is None:
        if len(stories) > 1:
            raise ValueError(f"{what} holds {len(stories)} stories; choose one with story=... "
                             f"(e.g. {stories[0]!r}).")
        return stories[0] if stories else None
    if str(story) not in stories:
        from mediakit._validation import suggest

        raise ValueError(f"story={story!r} is not in {what}." + suggest(story, stories))
    return str(story)
