"""Check a drawn figure's text with matplotlib's renderer: nothing cut at the figure's edge, no
two labels overlapping, legends of at most 12 entries with distinct colours (artists, not pixels).
"""

from __future__ import annotations

from itertools import combinations

from matplotlib.colors import to_hex
from matplotlib.legend import Legend
from matplotlib.text import Text

MAX_LEGEND = 12


def _texts(fig):
    """Every text drawn: tick labels only of the ticks drawn (inside the view limits)."""
    tick_labels, drawn = set(), []
    for ax in fig.axes:
        for axis in ax._axis_map.values():
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                tick_labels.update({id(tick.label1), id(tick.label2)})
            for tick in axis._update_ticks():
                drawn += [t for t in (tick.label1, tick.label2) if t.get_visible()]
    out = [t for t in drawn if t.get_text().strip()]
    for artist in fig.findobj(Text):
        if id(artist) in tick_labels:
            continue
        if not artist.get_visible() or not artist.get_text().strip():
            continue
        out.append(artist)
    return out


def problems(fig, *, tolerance: float = 1.0) -> list[str]:
    """Every legibility problem of ``fig`` as drawn (empty when legible)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found: list[str] = []
    frame = fig.bbox
    boxes = []
    for text in _texts(fig):
        box = text.get_window_extent(renderer)
        label = text.get_text()[:40]
        if (box.x0 < frame.x0 - tolerance or box.y0 < frame.y0 - tolerance
                or box.x1 > frame.x1 + tolerance or box.y1 > frame.y1 + tolerance):
            found.append(f"cut at the figure's edge: {label!r}")
        clip = text.get_clip_box() if text.get_clip_on() else None
        if clip is not None and text.axes is not None and text in text.axes.texts and (
                box.x0 < clip.x0 - tolerance or box.x1 > clip.x1 + tolerance):
            found.append(f"cut at the axes' edge: {label!r}")
        boxes.append((text, box))
    for (a, ba), (b, bb) in combinations(boxes, 2):
        w = min(ba.x1, bb.x1) - max(ba.x0, bb.x0)
        h = min(ba.y1, bb.y1) - max(ba.y0, bb.y0)
        if w > tolerance and h > tolerance:
            found.append(f"overlap: {a.get_text()[:30]!r} / {b.get_text()[:30]!r}")
    for legend in fig.findobj(Legend):
        handles = legend.legend_handles
        if len(handles) > MAX_LEGEND:
            found.append(f"legend of {len(handles)} entries")
        colors = []
        styles = [(str(getattr(h, "get_linestyle", lambda: None)()),
                   str(getattr(h, "get_hatch", lambda: None)())) for h in handles]
        for h in handles:
            getter = getattr(h, "get_facecolor", None) or getattr(h, "get_color", None)
            try:
                value = getter() if getter else None
                if hasattr(value, "ndim") and getattr(value, "ndim", 0) == 2:
                    value = value[0]
                colors.append(to_hex(value) if value is not None else None)
            except (ValueError, TypeError, IndexError):
                colors.append(None)
        named = [(c, st) for c, st in zip(colors, styles, strict=True)
                 if c not in (None, "#000000", "#ffffff")]
        if len(set(named)) < len(named):
            found.append(f"legend colours repeat: {colors}")
    return found
