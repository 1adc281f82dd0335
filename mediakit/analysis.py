"""The whole pipeline in one call: ``analyze(source) -> Analysis``, and ``Analysis.report()``.

``analyze`` only calls mediakit's public functions, in the order of the layers::

    read_articles -> (group_stories) -> split_sentences -> score_sentiment, score_frames,
    score_readability -> compare_groups, compare_terms, compare_coverage,
    (extract_entities, extract_quotes, compare_actors)
"""

from __future__ import annotations

import importlib
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
STORY_MODES: tuple[str, ...] = ("auto", "given", "group")


@dataclass(repr=False)
class Analysis:
    """Everything :func:`analyze` computed: the frames, each comparison table, and notes.

    Attributes
    ----------
    articles : DataFrame
        The articles frame (``read_articles``; ``story_id`` from ``group_stories`` when grouped).
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
    coverage : Coverage or None
        ``compare_coverage``: alignment, facts, presence, omissions, numbers.
    actors : DataFrame or None
        ``compare_actors`` (needs the ``nlp`` extra); None when skipped (see ``notes``).
    entities, quotes : DataFrame or None
        The long tables behind ``actors``.
    notes : list of str
        What was skipped and why.
    params : dict
        The options ``analyze`` was called with; ``manifest`` adds versions for reports.
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
    params: dict = field(default_factory=dict)
    lexicon: object | None = None

    @property
    def manifest(self) -> dict[str, object]:
        """Parameters and lexicon recorded in every manifest written from this analysis."""
        out: dict[str, object] = {"parameters": dict(self.params)}
        if self.lexicon is not None:
            out["lexicons"] = [self.lexicon]
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table as a DataFrame, by name (the CSV files ``report`` writes)."""
        out = {"articles": self.articles, "sentences": self.sentences}
        for name in ("readability", "groups", "frames", "terms", "actors", "entities", "quotes"):
            value = getattr(self, name)
            if isinstance(value, pd.DataFrame):
                out[name] = value
        if self.coverage is not None:
            for name in ("alignment", "facts", "presence", "omissions", "numbers"):
                value = getattr(self.coverage, name, None)
                if isinstance(value, pd.DataFrame):
                    out[f"coverage_{name}"] = value
            if hasattr(self.coverage, "summary"):
                out["coverage_summary"] = self.coverage.summary()
        return out

    def report(self, out_dir: str | Path, *, formats=("png", "svg", "pdf"),
               title: str | None = None) -> list[Path]:
        """Write the HTML report, every figure (``save_figure``) and every table (CSV).

        Layout of ``out_dir``: ``index.html`` (the page); ``figures/<name>.{png,svg,pdf}`` with
        ``<name>.data.csv`` and ``<name>.manifest.json``; ``tables/<name>.csv``;
        ``manifest.json`` (versions, parameters, lexicon, SHA-256 of every input text). In the
        CSV files a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
        return gets a leading ``'``, so a spreadsheet shows it instead of running it as a
        formula (OWASP, CSV injection), and lines end with CRLF so a line break inside a cell
        is always quoted; the frames in memory keep the text as it is.

        Returns
        -------
        list of Path
            Every file written, the HTML page first.
        """
        import json

        import matplotlib.pyplot as plt

        from mediakit import save_figure, write_report
        from mediakit.plots.overview import standard_figures
        from mediakit.report._csv import write_csv
        from mediakit.report._paths import inside, unique_filenames
        from mediakit.report.figures import build_manifest

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        figures = standard_figures(self)
        written = [write_report(self, out, title=title, figures=figures)]
        names = unique_filenames([item.name for item in figures])
        fig_dir = out / "figures"
        for item in figures:
            path = inside(fig_dir.resolve() if fig_dir.exists() else _mkdir(fig_dir),
                          names[item.name])
            written += save_figure(item.figure, path, formats=formats, data=item.data,
                                   manifest=self.manifest, articles=self.articles)
            plt.close(item.figure)
        table_dir = _mkdir(out / "tables")
        table_names = unique_filenames(self.tables())
        for name, frame in self.tables().items():
            path = inside(table_dir, table_names[name] + ".csv")
            written.append(write_csv(frame, path))
        record = build_manifest(self.manifest, articles=self.articles)
        path = out / "manifest.json"
        path.write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n",
                        encoding="utf-8")
        written.append(path)
        return written

    def __repr__(self) -> str:
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


def analyze(source, *, lexicon="policy_frames", stories: str = "auto", actors: bool | None = None,
            kinds=None, n_boot: int = 2000, n_jobs: int = 1, progress: bool | None = None,
            read_kws: dict | None = None) -> Analysis:
    """Run the whole comparison on a corpus: read, split, score, compare.

    Parameters
    ----------
    source : path, glob, DataFrame or list of dicts
        Anything :func:`mediakit.read_articles` reads (e.g. ``mk.load_example("seeds")``).
    lexicon : str, path, dict or Lexicon
        Frame lexicon for :func:`mediakit.score_frames` (default ``"policy_frames"``).
    stories : {"auto", "given", "group"}
        Where stories come from: ``"given"`` keeps ``story_id`` as read; ``"group"`` clusters
        articles with :func:`mediakit.group_stories`; ``"auto"`` groups only when no story was
        given (every ``story_id`` is ``"all"`` or missing) and some outlet has several
        articles, so that two articles on one event stay one story.
    actors : bool or None
        Extract entities and quotes and compare actors (needs the ``nlp`` extra). None = when
        the extra is installed (else skipped with a note); True = required (ImportError
        without it); False = skip.
    kinds : str, sequence of str or None
        Sentence kinds measured and compared (default content: headline, body, bullet).
    n_boot : int
        Bootstrap replicates for the intervals of :func:`mediakit.compare_groups`.
    n_jobs : int
        Worker processes for the sentence scorers (results do not depend on it).
    progress : bool or None
        Progress bars on long work (None = only for long corpora).
    read_kws : dict, optional
        Extra options for :func:`mediakit.read_articles` (e.g. ``{"text": "body"}``).

    Returns
    -------
    Analysis
        The frames and tables; ``.report(out_dir)`` writes the HTML report, figures and CSVs.

    Examples
    --------
    >>> import warnings, mediakit as mk
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     result = mk.analyze(mk.load_example("seeds"), actors=False, n_boot=200)
    >>> sorted(result.articles["outlet"])
    ['outlet A', 'outlet B']
    >>> result.coverage is not None and result.groups is not None
    True
    """
    from mediakit._validation import check_choice

    check_choice("stories", stories, STORY_MODES)
    if actors is not None and not isinstance(actors, bool):
        raise TypeError(f"actors must be True, False or None, got {actors!r}.")
    if read_kws is not None and not isinstance(read_kws, dict):
        raise TypeError(f"read_kws must be a dict or None, got {type(read_kws).__name__}.")
    params = {"lexicon": lexicon if isinstance(lexicon, str) else getattr(lexicon, "name", "custom"),
              "stories": stories, "actors": actors, "kinds": kinds, "n_boot": n_boot}
    notes: list[str] = []
    mk = importlib.import_module("mediakit")

    articles = mk.read_articles(source, progress=progress, **(read_kws or {}))
    if _should_group(articles, stories):
        articles = mk.group_stories(articles, progress=progress)
        notes.append(f"Stories were grouped with group_stories: {articles['story_id'].nunique()} "
                     "stories.")
    sentences = mk.split_sentences(articles, progress=progress)
    sentences = mk.score_sentiment(sentences, kinds=kinds, n_jobs=n_jobs, progress=progress)
    lex = mk.load_lexicon(lexicon)
    sentences = mk.score_frames(sentences, lex, kinds=kinds, progress=progress)
    sentences = mk.score_readability(sentences, kinds=kinds, n_jobs=n_jobs, progress=progress)
    readability = _article_rows(sentences)

    group_kws = {"kinds": kinds, "n_boot": n_boot, "n_perm": n_boot, "progress": progress}
    measures = [m for m in GROUP_MEASURES if m in sentences.columns]
    groups = mk.compare_groups(sentences, measures=measures, **group_kws)
    frame_cols = [c for c in sentences.columns
                  if str(c).startswith("frame_") and c != "frame_terms"]
    frames = mk.compare_groups(sentences, measures=frame_cols, **group_kws) if frame_cols else None
    n_outlets = articles["outlet"].nunique()
    terms = mk.compare_terms(sentences, kinds=kinds) if n_outlets > 1 else None
    coverage = mk.compare_coverage(sentences, kinds=kinds, progress=progress)
    if n_outlets < 2:
        notes.append("Only one outlet: keyness and coverage have nothing to compare against.")

    entities = quotes = actor_table = None
    if actors is not False:
        try:
            entities = mk.extract_entities(sentences, kinds=kinds, progress=progress)
            quotes = mk.extract_quotes(sentences, articles=articles, entities=entities,
                                       kinds=kinds, progress=progress)
            actor_table = mk.compare_actors(sentences, entities=entities, quotes=quotes,
                                            kinds=kinds, progress=progress)
        except ImportError as exc:
            if actors:
                raise
            notes.append(f"Actors skipped: {exc}")
    else:
        notes.append("Actors skipped (actors=False).")
    return Analysis(articles=articles, sentences=sentences, readability=readability,
                    groups=groups, frames=frames, terms=terms, coverage=coverage,
                    actors=actor_table, entities=entities, quotes=quotes, notes=notes,
                    params=params, lexicon=lex)


def _should_group(articles: pd.DataFrame, stories: str) -> bool:
    if stories != "auto":
        return stories == "group"
    story = articles["story_id"]
    none_given = bool((story.isna() | (story.astype(str) == "all")).all())
    return none_given and bool(articles.groupby("outlet").size().gt(1).any())


def _article_rows(sentences: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in sentences.columns if str(c).startswith("readability_")]
    keep = [c for c in ("article_id", "outlet", "story_id") if c in sentences.columns] + cols
    if not cols:
        return sentences[keep].iloc[0:0]
    rows = sentences[sentences[cols].notna().any(axis=1)]
    return rows[keep].drop_duplicates("article_id").reset_index(drop=True)


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()

