"""``analyze`` on a dask DataFrame: every stage on the cluster, results equal to pandas.

:func:`mediakit.analyze` hands a ``dask.dataframe.DataFrame`` (or a path with ``engine="dask"``)
to :func:`analyze_dask`. The stages run where the data is:

* **read**: :func:`mediakit.read_articles` on each partition (inputs it skips are collected),
  written to Parquet parts and read back lazily (:func:`read_to_parquet`): the articles stay on
  disk, not in the workers' memory;
* **stories** (when grouped): :func:`mediakit.group_stories` on each *time window*. Windows are
  cut so that each holds at most :data:`WINDOW_ARTICLES` articles, and every window reaches
  :data:`OVERLAP_WINDOWS` times ``group_stories``' own ``window`` ("3D") past its end, so a
  story starting in a window is seen whole there. Each window keeps the stories whose first
  article lies in its own span; an article claimed by two kept stories joins them (union-find),
  and ids are numbered ``story_0001, ...`` in order of each story's first article, as pandas
  does. The distance cut is fixed once from the whole corpus (its median words per text). A
  window reads only the partitions whose time range reaches into it, and windows run as many
  at a time as the scheduler has slots, so memory holds the running windows' articles. The
  articles with their stories are spilled to Parquet too.
  Within one window the clustering is ``group_stories`` itself, so a corpus in one window gives
  exactly the pandas stories; across windows only the word weights (IDF) differ. Articles
  without a date are compared with every other, so they put the corpus in one window.
* **split, score_*** per partition (each article in one partition, see :mod:`mediakit._dask`);
  the split and the scored sentences are written to Parquet (:func:`spill_frame`) and read back,
  so the later stages stream them from disk;
* **compare_groups, compare_terms**: partial sums per partition, finished in pandas;
* **compare_coverage**, and **entities and quotes** when asked: per story, after a shuffle
  of the sentences by ``story_id`` (every sentence of a story in one partition). Each
  partition's :class:`~mediakit.compare.coverage.Coverage` tables are written to Parquet by
  its worker and read by the client one table at a time: concatenated, fact ids renumbered in
  story order and each table sorted as pandas sorts it, so they equal the pandas tables. Before the shuffle the largest story is measured: one too large for a worker's
  memory raises :class:`mediakit.StoryTooLargeError` naming it.

The returned :class:`~mediakit.analysis.Analysis` holds pandas objects (the sentences are
computed at the end), so the report works unchanged; with ``keep="disk"`` it holds the
Parquet-backed articles and sentences and a
:class:`~mediakit.compare.coverage.CoverageOnDisk` instead. Warnings raised on workers stay in their
logs; those raised on the client are in ``Analysis.warnings``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mediakit._analysis_result import (
    GROUP_MEASURES,
    Analysis,
    actor_stage,
    article_rows,
    check_by,
    chosen_outlets,
)
from mediakit._dask import shuffle_by, slots
from mediakit._stages import stages
from mediakit.compare.coverage import (
    CoverageOnDisk,
    check_story_size,
    coverage_to_files,
    merge_coverages,
)

#: Most articles in the core of one ``group_stories`` time window (a window's memory follows
#: its articles: a bounded chunk whatever the corpus's size).
WINDOW_ARTICLES = 10_000
#: How far (in ``group_stories`` windows) each time window reaches past its core.
OVERLAP_WINDOWS = 2
#: Columns the coverage stage needs (the others stay out of the shuffle).
_COVERAGE_COLUMNS = ("article_id", "sentence_id", "outlet", "story_id", "text", "kind",
                     "position", "start")


#: Articles per partition when a JSONL or CSV file is spilled to Parquet parts.
ROWS_PER_PART = 500


def read_source(source, read_kws: dict | None = None, *, spill_dir=None,
                rows_per_part: int | None = None):
    """A dask articles frame from a path (Parquet file or folder, CSV, JSONL; ``.gz`` too), a
    dask frame, or a pandas frame (in partitions of ``rows_per_part`` rows).

    Parquet is read as it is partitioned. A JSONL or CSV file (``.gz`` too: a compressed file
    cannot be split by byte ranges) is streamed in chunks of ``rows_per_part`` rows (default
    :data:`ROWS_PER_PART`) into
    Parquet parts in ``spill_dir`` (default: a new temporary folder, removed at exit) and read
    from there: memory holds one chunk at a time, whatever the file's size, and the partitions
    hold a known number of articles.
    """
    import dask.dataframe as dd

    from mediakit._dask import is_dask_frame

    if is_dask_frame(source):
        return source
    if isinstance(source, pd.DataFrame):
        return dd.from_pandas(source.reset_index(drop=True), sort=False,
                              chunksize=rows_per_part or ROWS_PER_PART)
    from pathlib import Path

    path = str(source)
    name = Path(path.rstrip("/")).name.lower()
    if Path(path).is_dir() and not any(Path(path).rglob("*.parquet")):
        raise ValueError(f"engine='dask' reads a folder of Parquet files; {path!r} holds none. "
                         "Read a folder of text, HTML or JSON files with mk.read_articles and "
                         "pass the frame, or use engine='pandas'.")
    if Path(path).is_dir() or name.endswith(".parquet") or ("*" in name and "parquet" in name):
        return dd.read_parquet(path)
    if name.endswith((".csv", ".csv.gz", ".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
        return dd.read_parquet(spill_to_parquet(path, spill_dir,
                                                rows_per_part or ROWS_PER_PART))
    raise ValueError(f"engine='dask' reads Parquet (a file or folder), CSV or JSONL files, "
                     f"a pandas or a dask DataFrame; got {_shown(source)}. Read it with "
                     "mk.read_articles (a pandas frame) or dask.dataframe and pass the frame, "
                     "or use engine='pandas'.")


def _shown(source) -> str:
    if isinstance(source, (str, bytes)) or hasattr(source, "__fspath__"):
        return repr(str(source))
    return f"a {type(source).__name__}"


def spill_to_parquet(path: str, folder=None, rows_per_part: int = ROWS_PER_PART) -> str:
    """Stream a JSONL(.gz) or CSV(.gz) file into Parquet parts of ``rows_per_part`` raw rows
    (text columns as text, ``source`` = the file, as ``read_articles`` sets it) in ``folder``
    (default: :func:`spill_folder`); returns the folder."""
    from pathlib import Path

    out = Path(folder or spill_folder(None, "articles"))
    out.mkdir(parents=True, exist_ok=True)
    name = Path(path).name.lower()
    if ".csv" in name:
        chunks = pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=rows_per_part)
    else:
        chunks = pd.read_json(path, lines=True, dtype=False, chunksize=rows_per_part)
    for k, chunk in enumerate(chunks):
        chunk = chunk.astype({c: "str" for c in chunk.columns if chunk[c].dtype == object})
        if "source" not in chunk.columns:  # read_articles names the file each row came from
            chunk["source"] = pd.array([str(path)] * len(chunk), dtype="str")
        chunk.to_parquet(out / f"part.{k:06d}.parquet", index=False)
    return str(out)


def spill_folder(spill_dir=None, name: str = "spill") -> str:
    """A new folder ``name-*`` in ``spill_dir`` (default: dask's ``temporary-directory``
    setting, else the system's temporary folder), removed when the process exits. On a cluster
    of several machines, point it at storage every worker sees."""
    import atexit
    import shutil
    import tempfile

    import dask

    base = spill_dir or dask.config.get("temporary-directory", None) or None
    if base is not None:
        from pathlib import Path

        Path(base).mkdir(parents=True, exist_ok=True)
    folder = tempfile.mkdtemp(prefix=f"mediakit-{name}-", dir=base)
    atexit.register(shutil.rmtree, folder, True)
    return folder


def spill_frame(frame, name: str, spill_dir=None):
    """``frame`` (lazy) computed into Parquet parts, one per partition, and read back lazily:
    later stages read it from disk, one partition at a time."""
    folder = spill_folder(spill_dir, name)
    frame.to_parquet(folder, write_index=False)
    return _read_back(folder, frame._meta)


def _read_partition(part: pd.DataFrame, read_kws: dict):
    mk = stages()

    out = mk.read_articles(part, progress=False, **read_kws)
    skipped = [dict(s) for s in out.attrs.get("skipped", [])]
    out.attrs = {}
    return out, skipped


def read_to_parquet(ddf, read_kws: dict, spill_dir=None):
    """read_articles per partition, each written to a Parquet part in a :func:`spill_folder`
    and read back lazily, and the inputs it skipped: the articles stay on disk, not in the
    workers' memory, and each partition is read once for both."""
    from pathlib import Path

    import dask

    mk = stages()

    meta = _default_strings(mk.read_articles(ddf._meta, progress=False, **read_kws))
    folder = spill_folder(spill_dir, "articles")
    tasks = [dask.delayed(_read_to_file)(p, read_kws, str(Path(folder) / f"part.{k:06d}.parquet"))
             for k, p in enumerate(ddf.to_delayed())]
    skipped = [s for part in dask.compute(*tasks) for s in part]
    return _read_back(folder, meta), skipped


def _default_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its NA-flavoured text columns (``string``, which dask makes of pandas'
    text columns, and of JSON or CSV text) as pandas' default text type (``str``), as the
    pandas path reads them: a carried column (``by="bias"``) then has one type either way."""
    na_text = [c for c, t in frame.dtypes.items()
               if isinstance(t, pd.StringDtype) and t.na_value is pd.NA]
    return frame.astype(dict.fromkeys(na_text, "str")) if na_text else frame


def _read_to_file(part: pd.DataFrame, read_kws: dict, path: str) -> list[dict]:
    out, skipped = _read_partition(part, read_kws)
    out.to_parquet(path, index=False)
    return skipped


def _read_back(folder: str, meta: pd.DataFrame):
    """The Parquet parts in ``folder`` as a lazy frame with ``meta``'s column types (Parquet
    gives text columns back as the NA-flavoured string type)."""
    import dask.dataframe as dd

    frame = dd.read_parquet(folder)
    changed = {c: t for c, t in meta.dtypes.items() if c in frame.columns
               and frame.dtypes[c] != t}
    return frame.astype(changed) if changed else frame


def analyze_dask(source, *, by, outlets, lexicon, stories, actors, kinds, n_boot, n_jobs,
                 progress, read_kws, params, spill_dir=None, keep="memory"):
    """The dask path of :func:`mediakit.analyze` (same options; see the module docstring).

    Without a ``distributed`` client and with no scheduler chosen (``dask.config``), it runs on
    dask's process scheduler, with one pool of ``os.cpu_count()`` processes for every step: the
    stages are CPU-bound Python, which threads of one process do not run in parallel (they give
    the same results there: tests/test_readability_threads.py).
    """
    import dask

    if _client() is None and dask.config.get("scheduler", None) is None:
        import multiprocessing
        import os
        from concurrent.futures import ProcessPoolExecutor

        # one pool for every step (dask's process scheduler otherwise starts one per compute)
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1,
                                 mp_context=multiprocessing.get_context("spawn")) as pool, \
                dask.config.set(scheduler="processes", pool=pool):
            return _analyze_dask(source, by=by, outlets=outlets, lexicon=lexicon,
                                 stories=stories, actors=actors, kinds=kinds, n_boot=n_boot,
                                 n_jobs=n_jobs, progress=progress, read_kws=read_kws,
                                 params=params, spill_dir=spill_dir, keep=keep)
    return _analyze_dask(source, by=by, outlets=outlets, lexicon=lexicon, stories=stories,
                         actors=actors, kinds=kinds, n_boot=n_boot, n_jobs=n_jobs,
                         progress=progress, read_kws=read_kws, params=params,
                         spill_dir=spill_dir, keep=keep)


def _analyze_dask(source, *, by, outlets, lexicon, stories, actors, kinds, n_boot, n_jobs,
                  progress, read_kws, params, spill_dir=None, keep="memory"):
    mk = stages()
    from mediakit._dask import is_dask_frame

    notes: list[str] = []
    articles_dir = None if spill_dir is None else f"{spill_dir}/articles"
    ddf = source if is_dask_frame(source) else read_source(source, read_kws,
                                                           spill_dir=articles_dir)
    stage = _Stages(progress, ddf.npartitions)
    with stage("read"):
        articles, skipped = read_to_parquet(ddf, read_kws or {}, spill_dir)
    check_by(articles.columns, by)
    if outlets is not None:
        wanted, note = chosen_outlets(articles["outlet"].dropna().unique().compute(), outlets)
        articles = articles[articles["outlet"].astype(str).isin(wanted)]
        notes.extend([note] if note else [])
    if _should_group(articles, stories):
        with stage("group_stories"):
            articles = spill_frame(group_stories_windows(articles), "stories", spill_dir)
        n_stories = articles["story_id"].nunique().compute()
        notes.append(f"Stories were grouped with group_stories: {n_stories} stories.")

    carried = () if by in ("outlet", "story_id", "published") else (by,)
    with stage("split and score"):
        # the split and the scored sentences go to Parquet and are read back from there: the
        # workers stream them from disk instead of holding the corpus in memory
        sentences = spill_frame(mk.split_sentences(articles, carry=carried), "split",
                                spill_dir)
        lex = mk.load_lexicon(lexicon)
        # readability first: its check that each article is whole in one partition then reads
        # the split's article ids, not the scores (which it would compute twice); the columns
        # are put back in the pandas order (sentiment, frames, readability) after
        order = _pandas_columns(sentences._meta, lex, kinds)
        sentences = mk.score_readability(sentences, kinds=kinds)
        sentences = mk.score_frames(mk.score_sentiment(sentences, kinds=kinds), lexicon=lex,
                                    kinds=kinds)
        sentences = spill_frame(sentences[order], "sentences", spill_dir)
        readability = sentences.map_partitions(article_rows, by).compute()
        readability = readability.reset_index(drop=True)

    group_kws = {"by": by, "kinds": kinds, "n_boot": n_boot, "n_perm": n_boot,
                 "progress": False}
    columns = list(sentences.columns)
    measures = [m for m in GROUP_MEASURES if m in columns]
    with stage("compare_groups"):
        groups = mk.compare_groups(sentences, measures=measures, **group_kws)
        frame_cols = [c for c in columns if str(c).startswith("frame_") and c != "frame_terms"]
        frames = (mk.compare_groups(sentences, measures=frame_cols, **group_kws)
                  if frame_cols else None)
    n_by = int(articles[by].nunique().compute())
    with stage("compare_terms"):
        terms = mk.compare_terms(sentences, by=by, kinds=kinds) if n_by > 1 else None
    on_disk = keep == "disk"
    with stage("coverage"):
        by_story = shuffle_by_story(sentences, by=by)
        coverage = coverage_by_story(by_story, by=by, kinds=kinds, spill_dir=spill_dir,
                                     join=not on_disk)
    if n_by < 2:
        notes.append(f"Only one {by}: keyness and coverage have nothing to compare against.")

    if on_disk:  # the Analysis holds the Parquet-backed frames themselves
        local_sentences, local_articles = sentences, articles
    else:
        with stage("collect"):  # the Analysis holds pandas frames
            local_sentences = sentences.compute().reset_index(drop=True)
            local_articles = articles.compute().reset_index(drop=True)

    def extract():
        # the model must load before the stage is timed (and raise ImportError here)
        mk.extract_entities(sentences._meta, kinds=kinds, progress=False)
        with stage("entities and quotes"):
            return actors_by_story(sentences, articles, kinds=kinds)

    # tone toward actors and compare_actors read the sentences in memory (also with
    # keep="disk": only then, and only when actors are asked for)
    actor_sentences = ((lambda: sentences.compute().reset_index(drop=True)) if on_disk
                       else local_sentences)
    entities, quotes, actor_table = actor_stage(extract, actor_sentences, by=by, actors=actors,
                                                notes=notes)
    params = {**params, "engine": "dask", "keep": keep,
              "stage_seconds": {k: round(v, 3) for k, v in stage.seconds.items()}}
    return Analysis(articles=local_articles, sentences=local_sentences,
                    readability=readability, groups=groups, frames=frames, terms=terms,
                    coverage=coverage, actors=actor_table, entities=entities, quotes=quotes,
                    notes=notes, skipped=skipped, params=params, lexicon=lex)


def _pandas_columns(empty: pd.DataFrame, lex, kinds) -> list[str]:
    """The sentence columns in the order the pandas path makes them."""
    import warnings

    mk = stages()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = mk.score_sentiment(empty, kinds=kinds)
        out = mk.score_frames(out, lexicon=lex, kinds=kinds)
        out = mk.score_readability(out, kinds=kinds)
    return list(out.columns)


class _Stages:
    """Progress per stage: its name and time on stderr, with dask's progress bar of its tasks
    (``distributed.progress`` on a cluster). ``progress=None`` shows them when the corpus was
    given as a dask frame of 4 partitions or more."""

    def __init__(self, progress, npartitions: int = 0):
        self.enabled = progress if progress is not None else npartitions >= 4
        self.seconds: dict[str, float] = {}

    def __call__(self, name: str):
        from contextlib import contextmanager

        @contextmanager
        def run():
            import sys
            import time

            start = time.perf_counter()
            if not self.enabled:
                yield
            else:
                sys.stderr.write(f"mediakit [{name}] ...\n")
                if _client() is None:
                    from dask.diagnostics import ProgressBar

                    with ProgressBar(out=sys.stderr):
                        yield
                else:
                    yield
            _release_everywhere()
            self.seconds[name] = time.perf_counter() - start
            if self.enabled:
                sys.stderr.write(f"mediakit [{name}] done in {self.seconds[name]:.1f} s\n")

        return run()


def _release_everywhere() -> dict:
    """:func:`mediakit._memory.release_memory` here and on every worker of the active
    client: a stage's freed memory (glibc's heap, Arrow's pool, which the shuffles and Parquet
    reads fill) goes back to the system before the next stage starts. Returns each worker's
    answer (whether its allocator could), by address."""
    from mediakit._memory import release_memory

    release_memory()
    client = _client()
    if client is None:
        return {}
    try:
        return client.run(release_memory)
    except Exception:  # noqa: BLE001 - a worker that cannot run it keeps its memory
        return {}


def _client():
    from mediakit._dask import active_client

    return active_client()


def _should_group(articles, stories: str) -> bool:
    if stories != "auto":
        return stories == "group"
    story = articles["story_id"]
    none_given = (story.isna() | (story.astype(str) == "all")).all()
    per_outlet = articles.groupby("outlet")["article_id"].count().max()
    none_given, per_outlet = _compute(none_given, per_outlet)
    return bool(none_given) and bool(per_outlet and per_outlet > 1)


def _compute(*things):
    import dask

    return dask.compute(*things)


# --- stories per time window -------------------------------------------------------------------

def _story_keys(part: pd.DataFrame, lead_chars: int) -> pd.DataFrame:
    """Per article: its id, time (int ns; NA without one) and words of title + lead."""
    docs = part["text"].fillna("").astype("str").str.slice(0, lead_chars)
    if "title" in part.columns:
        docs = part["title"].fillna("").astype("str") + "\n" + docs
    if "published" in part.columns:
        stamp = pd.to_datetime(part["published"], errors="coerce", utc=True)
    else:
        stamp = pd.Series(pd.NaT, index=part.index, dtype="datetime64[ns, UTC]")
    return pd.DataFrame({"article_id": part["article_id"].astype("str").to_numpy(),
                         "published": stamp.to_numpy(),
                         "words": docs.str.count(r"\S+").to_numpy(dtype="int64")})


def time_windows(times: pd.Series, span: pd.Timedelta, per_window: int = WINDOW_ARTICLES,
                 overlap: int = OVERLAP_WINDOWS) -> list[tuple]:
    """``(core_start, core_end, reach_end)`` windows over sorted ``times``: each core holds at
    most ``per_window`` articles (more only when they share one instant) and each window
    reaches ``overlap * span`` past its core."""
    t = np.sort(times.to_numpy(dtype="datetime64[ns]"))
    if not len(t):
        return []
    cuts = [t[0]]
    i = 0
    while True:
        j = i + per_window
        if j >= len(t):
            break
        nxt = t[j]
        if nxt == cuts[-1]:  # one instant holds more than per_window articles
            later = np.searchsorted(t, nxt, side="right")
            if later >= len(t):
                break
            nxt, j = t[later], later
        cuts.append(nxt)
        i = j
    ends = [*cuts[1:], t[-1] + np.timedelta64(1, "ns")]
    reach = np.timedelta64(overlap * span.value, "ns")
    return [(pd.Timestamp(s, tz="UTC"), pd.Timestamp(e, tz="UTC"),
             pd.Timestamp(e + reach, tz="UTC")) for s, e in zip(cuts, ends, strict=True)]


def _window_stories(parts, start, core_end, reach_end, threshold, span):
    """group_stories on one time window; the stories whose first article is in its core."""
    mk = stages()

    frame = pd.concat([p for p in parts if len(p)], ignore_index=True) if parts else None
    if frame is None or not len(frame):
        return pd.DataFrame({"article_id": pd.Series(dtype="str"),
                             "local": pd.Series(dtype="int64")})
    stamp = pd.to_datetime(frame["published"], utc=True)
    frame = frame[(stamp >= start) & (stamp < reach_end)].reset_index(drop=True)
    if not len(frame):
        return pd.DataFrame({"article_id": pd.Series(dtype="str"),
                             "local": pd.Series(dtype="int64")})
    grouped = mk.group_stories(frame, threshold=threshold, window=span, progress=False)
    stamp = pd.to_datetime(grouped["published"], utc=True)
    first = stamp.groupby(grouped["story_id"]).transform("min")
    keep = (first >= start) & (first < core_end)
    local = pd.factorize(grouped["story_id"])[0]
    return pd.DataFrame({"article_id": grouped["article_id"].astype("str").to_numpy()[keep],
                         "local": local[keep.to_numpy()]})


def _window_slice(part: pd.DataFrame, start, reach_end) -> pd.DataFrame:
    cols = [c for c in ("article_id", "title", "text", "published") if c in part.columns]
    stamp = pd.to_datetime(part["published"], errors="coerce", utc=True)
    return part.loc[(stamp >= start) & (stamp < reach_end), cols]


def group_stories_windows(articles, *, window: str = "3D", lead_chars: int = 3000,
                          per_window: int | None = None):
    """``articles`` (dask) with ``story_id`` from :func:`mediakit.group_stories` run per time
    window on the workers (see the module docstring); ids numbered as pandas numbers them."""
    import dask
    import dask.dataframe as dd

    mk = stages()
    from mediakit.compare.stories import default_threshold

    per_window = per_window or WINDOW_ARTICLES
    parts = articles.to_delayed()
    own = dask.compute(*[dask.delayed(_story_keys)(p, lead_chars) for p in parts])
    keys = pd.concat(own, ignore_index=True)
    # each partition's time range: a window reads only the partitions that reach into it
    ranges = [(k["published"].min(), k["published"].max()) for k in own]
    span = pd.Timedelta(window)
    threshold, _ = default_threshold(float(keys["words"].median()) if len(keys) else 0.0)
    dated = "published" in articles.columns and keys["published"].notna().all()
    if not dated or len(keys) <= per_window:
        windows = None
    else:
        windows = time_windows(keys["published"], span, per_window)
    if windows is None:  # one window: group_stories itself, on one worker
        parts = articles.map_partitions(
            lambda p: p[[c for c in ("article_id", "title", "text", "published")
                         if c in p.columns]]).to_delayed()
        whole = dask.delayed(pd.concat)(parts, ignore_index=True)
        grouped = dask.delayed(mk.group_stories)(whole, threshold=threshold, window=span,
                                                 lead_chars=lead_chars, progress=False)
        labels = dask.delayed(lambda g: g[["article_id", "story_id"]])(grouped).compute()
        story = _number_stories(labels["article_id"].astype("str").to_numpy(),
                                pd.factorize(labels["story_id"])[0], keys["article_id"])
    else:
        tasks = []
        for start, core_end, reach_end in windows:
            sl = [dask.delayed(_window_slice)(p, start, reach_end)
                  for p, (lo, hi) in zip(parts, ranges, strict=True)
                  if len(own) and not (pd.isna(lo) or hi < start or lo >= reach_end)]
            tasks.append(dask.delayed(_window_stories)(sl, start, core_end, reach_end,
                                                       threshold, span))
        # as many windows at a time as the scheduler runs tasks: a window's articles are
        # read when it starts, so memory holds those of the windows running, not the corpus
        step = slots()
        found = [f for k in range(0, len(tasks), step)
                 for f in dask.compute(*tasks[k:k + step])]
        ids, labels, offset = [], [], 0
        for f in found:
            ids.append(f["article_id"].to_numpy(dtype=object))
            labels.append(f["local"].to_numpy() + offset)
            offset += int(f["local"].max()) + 1 if len(f) else 0
        story = _number_stories(np.concatenate(ids), np.concatenate(labels),
                                keys["article_id"])
    # each partition gets only its own articles' ids: a task carrying the whole map would put
    # the corpus's ids in every task at once (at --repeat 10, 1.3 GB per worker in 12 s)
    meta = articles._meta.assign(story_id=pd.Series(dtype="str"))
    tagged = [dask.delayed(_assign_story)(p, story.reindex(k["article_id"].astype("str")))
              for p, k in zip(articles.to_delayed(), own, strict=True)]
    return dd.from_delayed(tagged, meta=meta, divisions=articles.divisions,
                           verify_meta=False)


def _assign_story(part: pd.DataFrame, story: pd.Series) -> pd.DataFrame:
    """``part`` with ``story_id`` (``story``: article_id -> story of this partition's ids)."""
    out = part.copy()
    out["story_id"] = pd.array(out["article_id"].astype("str").map(story).to_numpy(),
                               dtype="str")
    return out


def _number_stories(ids: np.ndarray, labels: np.ndarray, order: pd.Series) -> pd.Series:
    """article_id -> ``story_0001``...: labels sharing an article joined, numbered in order of
    each story's first article in ``order`` (the articles' ids in frame order)."""
    parent = np.arange(int(labels.max()) + 1 if len(labels) else 0)

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    seen: dict = {}
    for art, lab in zip(ids, labels, strict=True):
        if art in seen:
            a, b = find(seen[art]), find(lab)
            if a != b:
                parent[max(a, b)] = min(a, b)
        else:
            seen[art] = lab
    root = {art: find(lab) for art, lab in seen.items()}
    order_ids = order.astype("str").to_numpy()
    # an article in no kept story (possible only if a window saw it but none claimed it) is a
    # story of its own
    fresh = len(parent)
    roots = np.empty(len(order_ids), dtype=np.int64)
    for k, art in enumerate(order_ids):
        if art in root:
            roots[k] = root[art]
        else:
            roots[k] = fresh
            fresh += 1
    _, first, inverse = np.unique(roots, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    width = max(4, len(str(len(first))))
    names = [f"story_{k + 1:0{width}d}" for k in rank[inverse]]
    return pd.Series(names, index=order_ids, dtype="str")


# --- per story: coverage, entities, quotes ---------------------------------------------------

def _story_sizes(part: pd.DataFrame) -> pd.DataFrame:
    return (part.assign(_bytes=part["text"].astype("str").str.len())
            .groupby("story_id", sort=False)["_bytes"].agg(["sum", "size"]))


def worker_memory() -> int | None:
    """The smallest worker memory limit of the active distributed client, in bytes."""
    client = _client()
    if client is None:
        return None
    info = client.scheduler_info()
    limits = [w.get("memory_limit") for w in info.get("workers", {}).values()]
    limits = [x for x in limits if x]
    return min(limits) if limits else None


def shuffle_by_story(sentences, *, by: str = "outlet", memory: int | None = None):
    """The content columns of ``sentences`` shuffled so every story is in one partition;
    raises :class:`mediakit.StoryTooLargeError` when the largest story would not fit in ``memory``
    (default: the smallest worker memory limit of the active client; unchecked without)."""
    cols = [c for c in dict.fromkeys([*_COVERAGE_COLUMNS, by]) if c in sentences.columns]
    data = sentences[cols]
    sizes = data.map_partitions(_story_sizes).compute()
    sizes = sizes.groupby(level=0).sum()
    check_story_size(sizes, memory or worker_memory(), where="a worker has {}")
    n = max(1, min(data.npartitions, len(sizes)))
    return shuffle_by(data, "story_id", n)


def _coverage_part(part: pd.DataFrame, number: int, folder: str, by: str, kinds):
    """compare_coverage of one partition, its tables written to Parquet in ``folder``."""
    cov = stages().compare_coverage(part, by=by, kinds=kinds, progress=False)
    return coverage_to_files(cov, folder, number)


def coverage_by_story(by_story, *, by="outlet", kinds=None, spill_dir=None, join=True):
    """:func:`mediakit.compare_coverage` per partition of a frame shuffled by story, joined
    into one Coverage equal to the pandas result. Each worker writes its partition's tables
    to Parquet in a :func:`spill_folder`, and the client reads them one table at a time while
    joining, so it never holds every partition's tables at once. ``join=False`` leaves them
    on disk: a :class:`~mediakit.compare.coverage.CoverageOnDisk` of the parts."""
    import dask

    folder = spill_folder(spill_dir, "coverage")
    parts = list(dask.compute(*[dask.delayed(_coverage_part)(p, k, folder, by, kinds)
                                for k, p in enumerate(by_story.to_delayed())]))
    if not join:
        return CoverageOnDisk(parts, parts[0].params)
    return merge_coverages(parts, consume=True)


def _examples_part(part: pd.DataFrame, terms: list[str], by: str, kinds, per_group: int):
    return stages().explain_terms(part, terms=terms, by=by, kinds=kinds, per_group=per_group)


def explain_terms_by_partition(sentences, *, terms, by: str, kinds=None,
                               per_group: int = 2) -> pd.DataFrame:
    """:func:`mediakit.explain_terms` with ``per_group`` on a dask sentences frame, equal to
    the call on the whole frame: each partition gives its first ``per_group`` sentences per
    term and group, and the first ``per_group`` of those, in partition order, are the
    whole frame's first."""
    import dask

    parts = dask.compute(*[dask.delayed(_examples_part)(p, list(terms), by, kinds, per_group)
                           for p in sentences.to_delayed()])
    attrs = dict(parts[0].attrs) if parts else {}
    kept = [p for p in parts if len(p)] or list(parts[:1])
    out = pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0]
    out = out.groupby(["term", by], sort=False).head(per_group).reset_index(drop=True)
    out.attrs = attrs
    return out


def _actors_partition(sentences: pd.DataFrame, articles: pd.DataFrame, kinds):
    mk = stages()

    sentences = sentences.sort_values("_row", kind="stable")
    first_row = sentences.groupby("article_id", sort=False)["_row"].min()
    sentences = sentences.drop(columns="_row")
    ents = mk.extract_entities(sentences, kinds=kinds, progress=False)
    arts = articles[articles["article_id"].isin(sentences["article_id"].unique())]
    quotes = mk.extract_quotes(sentences, articles=arts, entities=ents, kinds=kinds,
                               progress=False)
    # each article's rows keep their order; articles go back to their input order
    return tuple(t.assign(_row=t["article_id"].map(first_row).to_numpy()) for t in (ents, quotes))


def actors_by_story(sentences, articles, *, kinds=None):
    """extract_entities and extract_quotes per story: the sentences are shuffled by
    ``story_id`` (an entity's label is settled over its story, so a story must be whole in one
    partition), each partition gets its stories' articles; the tables are concatenated in the
    pandas order (sentence order of the input)."""
    import dask

    n = max(1, sentences.npartitions)
    ordered = sentences.assign(_row=1)
    ordered["_row"] = ordered["_row"].cumsum()
    by_story = shuffle_by(ordered, "story_id", n)
    cols = [c for c in ("article_id", "title", "text", "published", "outlet", "story_id")
            if c in articles.columns]
    whole = dask.delayed(pd.concat)(articles[cols].to_delayed(), ignore_index=True)
    pairs = [dask.delayed(_actors_partition)(s, whole, kinds) for s in by_story.to_delayed()]
    out = dask.compute(*pairs)
    entities = _in_input_order([e for e, _ in out])
    quotes = _in_input_order([q for _, q in out])
    return entities, quotes


def _in_input_order(frames: list) -> pd.DataFrame:
    frame = pd.concat(frames, ignore_index=True)
    if "_row" in frame.columns:
        frame = frame.sort_values("_row", kind="stable").drop(columns="_row")
    return frame.reset_index(drop=True)
