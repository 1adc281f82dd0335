"""The result of :func:`mediakit.analyze`: :class:`Analysis` (its frames and tables, and
``.report()``), shared by the pandas and the dask pipeline (``analysis``, ``_dask_analyze``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: Measures ``analyze`` compares across outlets (besides the frames).
GROUP_MEASURES: tuple[str, ...] = (
    "sentiment_compound",
    "readability_flesch_kincaid_grade",
    "readability_flesch_reading_ease",
    "readability_mean_sentence_length",
)


@dataclass(repr=False)
class Analysis:
    """Everything :func:`analyze` computed: the frames, each comparison table, and notes.

    Attributes
    ----------
    articles : DataFrame
        The articles frame (``read_articles``; ``story_id`` from ``group_stories`` when grouped).
        With ``analyze(..., keep="disk")`` a dask DataFrame read from Parquet, as are the
        sentences (see :attr:`on_disk`).
    sentences : DataFrame
        The sentences frame with every measure: ``sentiment_*``, ``frame_*`` / ``frame_terms``
        and ``readability_*`` (the article's value on each content row).
    readability : DataFrame
        One row per article: ``article_id, outlet, story_id`` and the ``readability_*`` values.
    groups : DataFrame or None
        ``compare_groups`` of sentiment and readability measures per outlet.
    frames : DataFrame or None
        ``compare_groups`` of the ``frame_*`` measures (frame-term hits per sentence) per outlet.
    terms : DataFrame or None
        ``compare_terms``: each outlet against the rest (signed G2, counts kept).
    coverage : Coverage, CoverageOnDisk or None
        ``compare_coverage``: alignment, facts, presence, omissions, numbers (with
        ``keep="disk"``, the per-story parts on Parquet: ``.summary()``, ``.collect()``).
    actors : DataFrame or None
        ``compare_actors`` (needs the ``nlp`` extra); None when skipped (see ``notes``).
    entities, quotes : DataFrame or None
        The long tables behind ``actors``.
    term_examples : DataFrame or None
        ``explain_terms(sentences, top terms, by=by, per_group=2)``: two example sentences per
        group for each top keyness term (the ``TOP_TERMS`` terms each group uses most, by
        G2), shown in the report and written as ``tables/term_examples``.
    attention : DataFrame or None
        ``compare_attention(articles, sentences=sentences, by=by)``: articles per group,
        story and day, and who first reported each story; None when no article has a date.
    notes : list of str
        What was skipped and why.
    warnings : list of str
        Every distinct warning raised while analysing (``"Category: message"``), in order; the
        report shows each on its page.
    skipped : list of dict
        Inputs ``read_articles`` left out (``source``, ``row``, ``reason``; with
        ``read_kws={"on_error": "skip"}``), recorded in the report and its manifest.
    params : dict
        The options ``analyze`` was called with (``by`` is the grouping column); ``manifest``
        adds versions for reports.
    """

    articles: pd.DataFrame
    sentences: pd.DataFrame
    readability: pd.DataFrame | None = None
    groups: pd.DataFrame | None = None
    frames: pd.DataFrame | None = None
    terms: pd.DataFrame | None = None
    coverage: object | None = None
    actors: pd.DataFrame | None = None
    entities: pd.DataFrame | None = None
    quotes: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    lexicon: object | None = None
    term_examples: pd.DataFrame | None = None
    attention: pd.DataFrame | None = None

    @property
    def manifest(self) -> dict[str, object]:
        """Parameters and lexicon recorded in every manifest written from this analysis."""
        out: dict[str, object] = {"parameters": dict(self.params)}
        if self.lexicon is not None:
            out["lexicons"] = [self.lexicon]
        if self.notes:
            out["notes"] = list(self.notes)
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.skipped:
            out["skipped"] = [dict(s) for s in self.skipped]
        return out

    @property
    def on_disk(self) -> bool:
        """Whether the articles, sentences and coverage tables stay on disk (``analyze(...,
        keep="disk")``): dask frames read from Parquet, not pandas frames in memory."""
        from mediakit._dask import is_dask_frame

        return is_dask_frame(self.sentences) or is_dask_frame(self.articles)

    def collect(self) -> Analysis:
        """This analysis with every frame in memory: the articles and sentences computed and
        the coverage parts joined, as ``analyze(..., keep="memory")`` gives them. The analysis
        itself when it is in memory already."""
        if not self.on_disk:
            return self
        from dataclasses import replace

        from mediakit._dask import is_dask_frame

        def local(frame):
            return frame.compute().reset_index(drop=True) if is_dask_frame(frame) else frame

        coverage = self.coverage
        if coverage is not None and hasattr(coverage, "collect"):
            coverage = coverage.collect()
        return replace(self, articles=local(self.articles), sentences=local(self.sentences),
                       coverage=coverage)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table as a DataFrame, by name (the CSV files ``report`` writes). On an
        analysis kept on disk, the tables of :meth:`collect` (read into memory)."""
        if self.on_disk:
            return self.collect().tables()
        from mediakit.compare.coverage import TABLES

        out = {"articles": self.articles, "sentences": self.sentences, **self._in_memory_tables()}
        if self.coverage is not None:
            for name in TABLES:
                value = getattr(self.coverage, name, None)
                if isinstance(value, pd.DataFrame):
                    out[f"coverage_{name}"] = value
            if hasattr(self.coverage, "summary"):
                out["coverage_summary"] = self.coverage.summary()
        return out

    def _in_memory_tables(self) -> dict[str, pd.DataFrame]:
        """The tables held in memory also when the analysis is kept on disk (readability,
        groups, frames, terms, term examples, attention, actors, entities, quotes; those
        present), by name, in the order of :meth:`tables`."""
        out = {}
        for name in ("readability", "groups", "frames", "terms", "term_examples", "attention",
                     "actors", "entities", "quotes"):
            value = getattr(self, name)
            if isinstance(value, pd.DataFrame):
                out[name] = value
        return out

    def report(self, out_dir: str | Path, *, formats=("png", "svg", "pdf"),
               title: str | None = None, stories=None, groups=None, max_stories: int = 3,
               overwrite: bool = False) -> list[Path]:
        """Write the HTML report, every figure (``save_figure``) and every table (CSV, Parquet).

        Layout of ``out_dir``: ``index.html`` (the page); ``figures/<name>.{png,svg,pdf}`` (PNG
        at 200 dpi; SVG and PDF vector, text kept as text) with
        ``<name>.data.csv`` and ``<name>.manifest.json``; ``tables/<name>.csv`` and
        ``tables/<name>.parquet``; ``manifest.json`` (versions, parameters, lexicon, warnings,
        skipped inputs, SHA-256 of every input text, and the list of files written).

        The folder must be new, empty, or hold a previous mediakit report (and nothing else):
        that report is replaced wholly with ``overwrite=True``, so no stale file stays; anything
        else raises ``OutputFolderError`` (a ``FileExistsError``). No symbolic link inside the
        folder is followed.

        Tables: the Parquet file is the exact table. The CSV is for spreadsheets and pandas:
        a text cell that can run as a formula (starting with ``=``, ``@``, a tab or a carriage
        return, or ``+``/``-`` unless followed by a space with no function call or ``|``) gets
        a leading ``'`` (OWASP, CSV injection), so bullets such as ``- Officials said`` read
        back exactly; lines end with CRLF so a line break inside a cell is always quoted.
        ``tables/terms.csv`` keeps the 25 most distinctive terms on each side per group; the
        full keyness table is ``tables/terms.parquet``. ``source`` paths are written relative
        to the inputs' common folder. The frames in memory are not changed. An analysis kept
        on disk (:attr:`on_disk`) is not read into memory: the figures and the page read the
        articles without their text, the few sentence columns the figures draw and the
        coverage of the stories shown, and the articles, sentences and coverage tables are
        written part by part (the same rows as :meth:`collect`'s; the coverage tables in
        part order, not sorted across parts).

        Parameters
        ----------
        out_dir : str or Path
            Output folder.
        formats : sequence of {"png", "svg", "pdf"}
            Figure formats.
        title : str, optional
            Page title.
        stories : sequence of str, optional
            Stories drawn story by story (coverage, presence, actors); default the
            ``max_stories`` stories covered by the most outlets. The page says what is left out.
        groups : sequence of str, optional
            Values of the analysis's ``by`` column drawn; default the 8 with the most articles.
        max_stories : int
            Stories (and keyness targets) drawn when ``stories`` is not given.
        overwrite : bool
            Replace a previous mediakit report in ``out_dir``.

        Returns
        -------
        list of Path
            Every file written, the HTML page first.
        """
        from mediakit.report._build import write_full_report

        return write_full_report(self, out_dir, formats=formats, title=title, stories=stories,
                                 groups=groups, max_stories=max_stories, overwrite=overwrite)

    def __repr__(self) -> str:
        if self.on_disk:
            parts = [name for name in ("groups", "frames", "terms", "coverage", "actors")
                     if getattr(self, name) is not None]
            return (f"Analysis(kept on disk: {self.articles.npartitions} partitions of "
                    f"articles, {self.sentences.npartitions} of sentences; tables: "
                    f"{', '.join(parts) or 'none'}; .collect() reads them into memory)")
        n_out = self.articles["outlet"].nunique() if "outlet" in self.articles else 0
        n_story = self.articles["story_id"].nunique() if "story_id" in self.articles else 0
        parts = [name for name in ("groups", "frames", "terms", "coverage", "actors")
                 if getattr(self, name) is not None]
        text = (f"Analysis({len(self.articles)} articles, {n_out} outlets, {n_story} "
                f"{'story' if n_story == 1 else 'stories'}, {len(self.sentences)} sentences; "
                f"tables: {', '.join(parts) or 'none'}")
        if self.notes:
            text += f"; {len(self.notes)} note(s): see .notes"
        return text + "; .report(out_dir) writes everything)"


def article_rows(sentences: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    cols = [c for c in sentences.columns if str(c).startswith("readability_")]
    ids = dict.fromkeys(["article_id", "outlet", by, "story_id"])
    keep = [c for c in ids if c in sentences.columns] + cols
    if not cols:
        return sentences[keep].iloc[0:0]
    rows = sentences[sentences[cols].notna().any(axis=1)]
    return rows[keep].drop_duplicates("article_id").reset_index(drop=True)


def check_by(columns, by: str) -> None:
    """Raise ``SchemaError`` (with the nearest column) unless ``by`` is a column."""
    if by in columns:
        return
    from mediakit._errors import SchemaError
    from mediakit._validation import suggest

    cols = [str(c) for c in columns if c != "text"]
    raise SchemaError(f"by={by!r} is not a column of the articles (columns: "
                      f"{', '.join(cols)})." + suggest(by, cols))


def chosen_outlets(known, outlets) -> tuple[list[str], str | None]:
    """The outlets to keep (``ValueError`` naming the nearest for an unknown one) and the note
    listing those left out (None when none is)."""
    from mediakit._validation import suggest

    known = sorted({str(o) for o in known})
    wanted = [str(o) for o in outlets]
    for name in wanted:
        if name not in known:
            raise ValueError(f"outlet {name!r} is not in the articles." + suggest(name, known))
    left = [o for o in known if o not in wanted]
    if not left:
        return wanted, None
    return wanted, (f"Only the chosen outlets were analysed ({len(wanted)}); {len(left)} left "
                    f"out: {', '.join(left[:10])}"
                    + (f" and {len(left) - 10} more." if len(left) > 10 else "."))


def actor_stage(extract, sentences: pd.DataFrame, *, by: str, actors, notes: list[str],
                progress: bool | None = False):
    """``(entities, quotes, actors)`` for ``analyze``: ``extract()`` gives the entities and
    quotes (per engine), then tone toward each mention and ``compare_actors``. With
    ``actors=None`` a missing optional dependency (spaCy) becomes a note; ``actors=False``
    skips the stage. ``sentences`` may be a function giving the frame, called only once the
    entities are extracted."""
    if actors is False:
        notes.append("Actors skipped (actors=False).")
        return None, None, None
    from mediakit._stages import stages

    mk = stages()
    try:
        entities, quotes = extract()
        if callable(sentences):
            sentences = sentences()
        entities = mk.score_target_sentiment(entities, sentences=sentences,
                                             progress=progress)
        return entities, quotes, mk.compare_actors(sentences, entities=entities, quotes=quotes,
                                                   by=by)
    except ImportError as exc:
        if actors:
            raise
        notes.append(f"Actors skipped: {exc}")
        return None, None, None
