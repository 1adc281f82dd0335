"""plots layer: one axes-level ``plot_*`` per comparison, and the figure-level ``plot_overview``.

Every axes-level function is ``plot_x(data, *, ..., ax=None, **kwargs)``: ``data`` is the table a
public function returned, roles are column names, ``ax=None`` draws on ``plt.gca()``, and the Axes
is returned. Plots draw what the compare layer computed and never compute statistics themselves.
Importing this package changes no matplotlib setting.

Outlets keep one colour in every figure: pass ``palette=outlet_colors(articles["outlet"])``
(Okabe-Ito, colour-blind safe, assigned by sorted outlet name).
"""

from __future__ import annotations

from mediakit.plots._style import LABELS, OKABE_ITO, display_label, outlet_colors
from mediakit.plots.actor_tone import plot_actor_tone
from mediakit.plots.actors import plot_actors
from mediakit.plots.attention import plot_attention
from mediakit.plots.coverage import plot_coverage_map, plot_presence
from mediakit.plots.estimates import plot_estimates, plot_readability
from mediakit.plots.frames import plot_frames
from mediakit.plots.overview import plot_overview
from mediakit.plots.sentiment import plot_sentiment_arc
from mediakit.plots.terms import plot_keyness

__all__ = [
    "LABELS",
    "OKABE_ITO",
    "display_label",
    "outlet_colors",
    "plot_actor_tone",
    "plot_actors",
    "plot_attention",
    "plot_coverage_map",
    "plot_estimates",
    "plot_frames",
    "plot_keyness",
    "plot_overview",
    "plot_presence",
    "plot_readability",
    "plot_sentiment_arc",
]
