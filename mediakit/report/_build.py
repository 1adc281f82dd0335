"""``Analysis.report``: the page, the figures and the tables written into one output folder.

Every file goes through :class:`mediakit.report._output.OutputFolder` (no link followed, a
previous report replaced wholly), and the folder's ``manifest.json`` lists every file written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from mediakit.report._paths import relative_sources

#: Resolution of the report's PNG figures (screen and draft print; SVG and PDF are vector).
REPORT_DPI = 200

#: Figure and table file stems never hold a dot (``s`` and ``s.svg`` stay two figures).
_STEM_CHARS = "."


def figure_stems(names) -> dict[str, str]:
    """Map each figure / table name to a unique safe file stem without dots."""
    from mediakit.report._paths import unique_filenames

    return unique_filenames(names, clean=lambda name: name.replace(_STEM_CHARS, "_"))


def report_tables(result) -> dict[str, pd.DataFrame]:
    """The tables as written: ``source`` made relative (the frames in memory are unchanged)."""
    tables = dict(result.tables())
    articles = tables.get("articles")
    if isinstance(articles, pd.DataFrame) and "source" in articles.columns:
        articles = articles.copy(deep=False)
        articles["source"] = relative_sources(articles["source"])
        tables["articles"] = articles
    return tables


def write_full_report(result, out_dir, *, formats, title, stories, groups, max_stories,
                      overwrite) -> list[Path]:
    import warnings

    import matplotlib.pyplot as plt

    from mediakit._params import Options, check_param, warn
    from mediakit.plots.overview import choose_focus, standard_figures, tables_of
    from mediakit.report._csv import compact_terms, write_csv, write_parquet
    from mediakit.report._output import REPORT_FILES_KEY, OutputFolder, safe_open
    from mediakit.report.figures import FORMATS, build_manifest, save_figure
    from mediakit.report.html import write_report

    formats = (formats,) if isinstance(formats, str) else tuple(formats)
    for f in formats:
        check_param("Analysis.report", "formats", f, (Options(*FORMATS),))
    tables = tables_of(result)
    focus = choose_focus(tables, stories=stories, groups=groups, max_stories=max_stories)
    folder = OutputFolder(out_dir, overwrite=overwrite)
    root = folder.root
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figures = standard_figures(tables, max_stories=max_stories, focus=focus, freeze=True)
    drawn = [f"{w.category.__name__}: {' '.join(str(w.message).split())}" for w in caught]
    written: list[Path] = []
    svgs: list[str | None] = []
    try:
        stems = figure_stems([item.name for item in figures])
        manifest = dict(result.manifest)
        for item in figures:
            base = folder.path(f"figures/{stems[item.name]}")
            folder.ensure_dir("figures")
            paths = save_figure(item.figure, base, formats=formats, data=item.data,
                                manifest=manifest, articles=result.articles, tight=False,
                                dpi=REPORT_DPI)
            folder.written += paths
            written += paths
            svg = [p for p in paths if p.suffix == ".svg"]
            svgs.append(svg[0].read_text(encoding="utf-8") if svg else None)
        page = write_report(tables, root, title=title, figures=figures, focus=focus,
                            extra_warnings=drawn, _folder=folder,
                            _svgs=svgs if all(s is not None for s in svgs) else None)
        written.insert(0, page)
    finally:
        for item in figures:
            plt.close(item.figure)
    frames = report_tables(result)
    names = figure_stems(frames)
    by = focus.by
    folder.ensure_dir("tables")
    for name, frame in frames.items():
        exact = folder.path(f"tables/{names[name]}.parquet")
        short = compact_terms(frame, by=by) if name == "terms" else frame
        written.append(write_csv(short, folder.path(f"tables/{names[name]}.csv"), root=root))
        try:
            written.append(write_parquet(frame, exact, root=root))
        except (TypeError, ValueError, ImportError) as exc:  # pyarrow cannot store a column
            warn(f"tables/{names[name]}.parquet not written: {exc}")
    record = build_manifest(result.manifest, articles=result.articles)
    target = folder.path("manifest.json")
    files = sorted({folder.relative(p) for p in written} | {"manifest.json"})
    record[REPORT_FILES_KEY] = files
    with safe_open(target, "w", root=root) as handle:
        handle.write(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n")
    written.append(target)
    return written
