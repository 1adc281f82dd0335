"""``Analysis.report``: the page, the figures and the tables written into one output folder.

Every file goes through :class:`mediakit.report._output.OutputFolder` (no link followed, a
previous report replaced wholly), and the folder's ``manifest.json`` lists every file written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mediakit.compare.coverage import TABLES, Coverage
from mediakit.report._paths import relative_sources


@dataclass(frozen=True, repr=False)
class _SelectedCoverage(Coverage):
    """The coverage of the stories a report shows, read from disk, which still lists every
    story of the analysis (:meth:`stories`), so the page can say what it leaves out."""

    every_story: tuple = ()

    def stories(self) -> list[str]:
        return list(self.every_story)

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


#: The sentence columns the report's figures and page read (with the ``by`` column): an
#: analysis kept on disk reads only these into memory.
VIEW_SENTENCE_COLUMNS = ("article_id", "sentence_id", "kind", "outlet", "position",
                         "sentiment_compound")


def _partitions(frame):
    """The pandas frames of a dask frame's partitions, computed one at a time (or the frame)."""
    from mediakit._dask import is_dask_frame

    if not is_dask_frame(frame):
        yield frame
        return
    for part in frame.to_delayed():
        yield part.compute()


def _local(frame, columns) -> pd.DataFrame:
    from mediakit._dask import is_dask_frame

    frame = frame[[c for c in columns if c in frame.columns]]
    return frame.compute().reset_index(drop=True) if is_dask_frame(frame) else frame


def disk_view(result, *, stories=None, groups=None, max_stories: int = 3,
              shown_stories: int = 10) -> dict:
    """What the report's figures and page read of an analysis kept on disk, in memory.

    The articles without their text (and the SHA-256 of each text, read partition by
    partition, for the manifests), the sentence columns the figures draw
    (:data:`VIEW_SENTENCE_COLUMNS`), and the coverage of the stories drawn and listed on the
    page (the same focus as for the whole analysis; fact ids as in ``collect()``), which
    still knows every story. The tables the report writes are streamed from disk apart
    (:func:`table_sources`); nothing here grows with the sentences but a few columns.
    """
    from mediakit.plots.overview import PARTS, choose_focus, tables_of
    from mediakit.report.figures import text_hashes

    by = result.params.get("by", "outlet")
    articles = _local(result.articles, [c for c in result.articles.columns if c != "text"])
    hashes: dict[str, str] = {}
    for part in _partitions(result.articles[["article_id", "text"]]):
        hashes.update(text_hashes(part))
    sentences = _local(result.sentences, dict.fromkeys((*VIEW_SENTENCE_COLUMNS, by)))
    view = {k: getattr(result, k, None) for k in PARTS if k not in ("manifest", "palette")}
    view.update(articles=articles, sentences=sentences,
                manifest={**result.manifest, "inputs": hashes})
    coverage = result.coverage
    if coverage is not None and not isinstance(coverage, Coverage):  # CoverageOnDisk
        view["coverage"] = None
        focus = choose_focus(tables_of(view), stories=stories, groups=groups,
                             max_stories=max_stories)
        every = coverage.stories()
        wanted = focus.stories or every[:shown_stories]
        selected = coverage.select(wanted)
        view["coverage"] = _SelectedCoverage(*(getattr(selected, f) for f in TABLES),
                                             selected.params, every_story=tuple(every))
    return view


def table_sources(result, view: dict) -> dict:
    """The report's tables of an analysis kept on disk, by name as :meth:`Analysis.tables`
    names them: the small ones as frames, the articles, sentences and coverage tables as
    functions giving their rows part by part (and an empty frame for their columns)."""
    from mediakit._dask import is_dask_frame

    sources: dict = {}
    rel = relative_sources(view["articles"]["source"]) if "source" in view["articles"] else None

    def articles():
        start = 0
        for part in _partitions(result.articles):
            part = part.reset_index(drop=True)
            if rel is not None:
                part = part.assign(source=rel.iloc[start:start + len(part)].set_axis(
                    part.index))
            start += len(part)
            yield part

    def meta(frame):
        return frame._meta if is_dask_frame(frame) else frame.iloc[:0]

    sources["articles"] = (articles, meta(result.articles))
    sources["sentences"] = (lambda: (p.reset_index(drop=True)
                                     for p in _partitions(result.sentences)),
                            meta(result.sentences))
    sources.update(result._in_memory_tables())
    coverage = result.coverage
    if coverage is not None:
        selected = view.get("coverage")
        for name in TABLES:
            empty = getattr(selected, name).iloc[:0] if selected is not None else None
            sources[f"coverage_{name}"] = (lambda n=name: coverage.table_chunks(n), empty)
        sources["coverage_summary"] = coverage.summary()
    return sources


def write_full_report(result, out_dir, *, formats, title, stories, groups, max_stories,
                      overwrite) -> list[Path]:
    import warnings

    import matplotlib.pyplot as plt

    from mediakit._params import Options, check_param, warn
    from mediakit.plots.overview import choose_focus, standard_figures, tables_of
    from mediakit.report._csv import compact_terms, write_chunks, write_csv, write_parquet
    from mediakit.report._output import REPORT_FILES_KEY, OutputFolder, safe_open
    from mediakit.report.figures import FORMATS, build_manifest, save_figure
    from mediakit.report.html import write_report

    formats = (formats,) if isinstance(formats, str) else tuple(formats)
    for f in formats:
        check_param("Analysis.report", "formats", f, (Options(*FORMATS),))
    on_disk = getattr(result, "on_disk", False)
    if on_disk:  # the figures and the page read a view; the tables stream from disk
        view = disk_view(result, stories=stories, groups=groups, max_stories=max_stories)
        frames = table_sources(result, view)
        articles, manifest_of = None, view["manifest"]
        tables = tables_of(view)
    else:
        articles, manifest_of = result.articles, result.manifest
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
        manifest = dict(manifest_of)
        for item in figures:
            base = folder.path(f"figures/{stems[item.name]}")
            folder.ensure_dir("figures")
            paths = save_figure(item.figure, base, formats=formats, data=item.data,
                                manifest=manifest, articles=articles, tight=False,
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
    if not on_disk:
        frames = report_tables(result)
    names = figure_stems(frames)
    by = focus.by
    folder.ensure_dir("tables")
    for name, frame in frames.items():
        exact = folder.path(f"tables/{names[name]}.parquet")
        if isinstance(frame, tuple):  # rows part by part, from disk
            chunks, empty = frame
            written += write_chunks(chunks(), folder.path(f"tables/{names[name]}.csv"), exact,
                                    empty=empty, root=root)
            continue
        short = compact_terms(frame, by=by) if name == "terms" else frame
        written.append(write_csv(short, folder.path(f"tables/{names[name]}.csv"), root=root))
        try:
            written.append(write_parquet(frame, exact, root=root))
        except (TypeError, ValueError, ImportError) as exc:  # pyarrow cannot store a column
            warn(f"tables/{names[name]}.parquet not written: {exc}")
    record = build_manifest(manifest_of, articles=articles)
    target = folder.path("manifest.json")
    files = sorted({folder.relative(p) for p in written} | {"manifest.json"})
    record[REPORT_FILES_KEY] = files
    with safe_open(target, "w", root=root) as handle:
        handle.write(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n")
    written.append(target)
    return written
