"""Progress bars for long work (tqdm), silenced with ``progress=False``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

#: Work with fewer items than this never shows a bar.
MIN_ITEMS_FOR_BAR = 200


def progress(iterable: Iterable[T], *, enabled: bool | None, total: int | None = None,
             desc: str = "") -> Iterable[T]:
    """Wrap ``iterable`` in a tqdm bar when enabled (None = only for long work)."""
    if total is None:
        try:
            total = len(iterable)  # type: ignore[arg-type]
        except TypeError:
            total = None
    if enabled is None:
        enabled = total is not None and total >= MIN_ITEMS_FOR_BAR
    if not enabled:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=False)
