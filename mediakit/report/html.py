"""A self-contained HTML report: inline SVG figures, tables, and each outlet's unique and omitted
facts quoted with their sentences.

Every piece of text that comes from the articles or their metadata goes through ``html.escape``;
the page loads nothing from outside and a Content-Security-Policy forbids scripts.
"""

from __future__ import annotations

import io
import re
import warnings
from numbers import Integral
from pathlib import Path

from mediakit._params import Interval, validate_params
from mediakit.report import _sections
from mediakit.report._paths import inside, safe_filename
from mediakit.report._sections import esc as _e

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:1100px;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.7rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1.2rem 0}figure svg{max-width:100%;height:auto}
figcaption{font-size:.85rem;color:#555}
blockquote{margin:.4rem 0 .4rem 1rem;padding-left:.6rem;border-left:3px solid #ccc}
.note{background:#fff8e1;border-left:4px solid #e6a700;padding:.4rem .8rem}
.scroll{overflow-x:auto}.meta{color:#666;font-size:.85rem}.swatch{display:inline-block;width:.8em;height:.8em;
margin-right:.3em;vertical-align:baseline}
"""

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'")


@validate_params(out_dir=[str, Path], title=[str, None], filename=[str],
                 max_rows=[Interval(Integral, 1, None)], max_stories=[Interval(Integral, 1, None)],
                 figures=[list, tuple, None], extra_warnings=[list, tuple])
def write_report(result, out_dir: str | Path, *, title: str | None = None,
                 filename: str = "index.html", max_rows: int = 40, max_stories: int = 10,
                 figures=None, focus=None, extra_warnings=(), _folder=None,
                 _svgs=None) -> Path:
    """Write one self-contained HTML page with the figures and tables of an analysis.

    The page holds, in order: a plain-language summary of the key differences with their
    uncertainty; every warning of the run, the notes and the skipped inputs; what is compared
    and what the figures leave out; the articles; each figure as inline SVG (the same figures
    :meth:`mediakit.Analysis.report` saves, with the attention timeline when the articles have
    dates); the top keyness terms of each group drawn, each with up to two example sentences
    per group (the ``term_examples`` table); for each story drawn and each outlet the facts
    only it reported and the facts others reported that it left out, quoted with their
    sentences; the comparison tables (key columns first); and the provenance as a list
    (versions, parameters, SHA-256 of every input text). Paths of input files are shown
    relative to their common folder. It loads no external resource, runs no script, and
    escapes all text from the articles and metadata.

    Parameters
    ----------
    result : Analysis or mapping
        An :class:`mediakit.Analysis`, or a mapping with some of the keys ``articles``,
        ``sentences``, ``groups``, ``frames``, ``readability``, ``terms``, ``term_examples``,
        ``attention``, ``coverage``, ``actors``, ``notes``. Missing parts are left out of the
        page.
    out_dir : str or Path
        Folder to write into (created if needed).
    title : str, optional
        Page title; default "mediakit report".
    filename : str
        Name of the page; made safe with ``safe_filename`` (it cannot leave ``out_dir``).
    max_rows : int
        Longest table shown per section (the full tables are in ``Analysis.report``'s CSVs).
    max_stories : int
        Stories whose facts are quoted (the first in sorted order); all are in the CSV tables.
    figures : list, optional
        Figures already drawn for this result (``mediakit.plots.overview.standard_figures``);
        by default they are drawn here and closed after use. Given figures are left open.
    focus : Focus, optional
        What the figures draw (``mediakit.plots.overview.choose_focus``); default chosen by
        coverage.
    extra_warnings : sequence of str
        Warnings raised after the analysis (e.g. while drawing), shown with the others.

    Returns
    -------
    Path
        The HTML file written.
    """
    from mediakit.plots.overview import choose_focus, standard_figures, tables_of
    from mediakit.report._output import safe_open

    tables = dict(tables_of(result))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = inside(out, safe_filename(filename, default="index.html"))
    page_title = title or "mediakit report"
    focus = focus or choose_focus(tables, max_stories=min(max_stories, 3))
    tables = _sections.relative_paths(tables)
    tables["extra_warnings"] = list(extra_warnings)

    parts = [f"<h1>{_e(page_title)}</h1>", _sections.key_differences(tables, focus),
             _sections.warnings_box(tables), _sections.summary(tables, focus)]
    owned = figures is None
    items = standard_figures(tables, focus=focus) if owned else list(figures)
    if items:
        parts.append("<h2>Figures</h2>")
        for k, item in enumerate(items):
            svg = _svgs[k] if _svgs is not None else None
            parts.append(_figure_html(item.figure, item.caption, prefix=f"f{k}", svg=svg))
            if owned:
                _close(item.figure)
    parts.append(_sections.term_examples_section(tables, focus))
    parts.append(_sections.coverage_section(tables, max_rows=max_rows, max_stories=max_stories,
                                            stories=focus.stories or None))
    parts.append(_sections.tables_section(tables, max_rows=max_rows, by=focus.by))
    parts.append(_sections.provenance(tables))

    body = "\n".join(p for p in parts if p)
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{_e(page_title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )
    if _folder is not None:
        with _folder.open(target.name, "w") as handle:
            handle.write(page)
    else:
        with safe_open(target, "w") as handle:
            handle.write(page)
    return target


def figure_svg(fig, *, prefix: str, tight: bool = True) -> str:
    """The figure as an inline ``<svg>`` element, its ids prefixed so several can share a page."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "mediakit", "svg.fonttype": "none"}), \
            warnings.catch_warnings():
        # labels are clipped (plots._style.literal), so constrained layout applies; just in case
        warnings.filterwarnings("ignore", "constrained_layout not applied", UserWarning)
        fig.savefig(buffer, format="svg", bbox_inches="tight" if tight else None,
                    metadata={"Date": None, "Creator": None})
    return inline_svg(buffer.getvalue(), prefix=prefix)


def inline_svg(svg: str, *, prefix: str) -> str:
    """An SVG document as an inline ``<svg>`` element with ids prefixed (see ``figure_svg``)."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    # matplotlib repeats each drawn string in a comment (escaped); the page does not need it
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    return svg


def _figure_html(fig, caption: str, *, prefix: str, svg: str | None = None) -> str:
    inline = inline_svg(svg, prefix=prefix) if svg is not None else figure_svg(fig, prefix=prefix)
    return (f"<figure>{inline}"
            f"<figcaption>{_e(caption)}</figcaption></figure>")


def _close(fig) -> None:
    import matplotlib.pyplot as plt

    plt.close(fig)

