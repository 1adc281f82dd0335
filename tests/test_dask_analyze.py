"""``analyze`` on a dask DataFrame: every stage on dask, the same tables as pandas.

The must-show test runs the whole pipeline on a ``distributed.LocalCluster`` with two worker
processes; the others use dask's local schedulers (quicker) for the pieces: stories per time
window, coverage per story after a shuffle, the merge of per-story coverage tables.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit import _dask_analyze as da
from mediakit.compare.coverage import CoverageOnDisk, merge_coverages

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.filterwarnings("ignore::mediakit.MediakitWarning",
                                        "ignore::UserWarning")


@pytest.fixture(scope="module")
def triplets_raw(corpora_dir) -> pd.DataFrame:
    """The 276 allsides_triplets articles as raw rows, without their story ids (so
    ``analyze`` groups them into stories: the story stage runs too)."""
    raw = pd.read_json(corpora_dir / "allsides_triplets" / "articles.jsonl", lines=True,
                       dtype=False)
    return raw.drop(columns=["story_id"])


def assert_tables_equal(got: mk.Analysis, want: mk.Analysis, names=None):
    want_tables, got_tables = want.tables(), got.tables()
    for name in names or want_tables:
        pd.testing.assert_frame_equal(got_tables[name].reset_index(drop=True),
                                      want_tables[name].reset_index(drop=True),
                                      obj=name)


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows in an order that does not depend on the order they came in."""
    order = np.argsort(pd.util.hash_pandas_object(frame, index=False).to_numpy(), kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def _page(path) -> str:
    """The report page without its provenance (the parameters name the engine) and without
    the inline SVG figures (their ids are random)."""
    import re

    html = (path / "index.html").read_text(encoding="utf-8")
    html = html.split("<h2>Provenance</h2>")[0]
    return re.sub(r"<svg.*?</svg>", "<svg/>", html, flags=re.S)


def assert_same_report(disk_dir, memory_dir):
    """The report of an analysis kept on disk holds the files, the tables (the coverage
    tables may come in another row order: part by part), the figures' data and the page of
    the analysis in memory."""
    files = sorted(p.relative_to(memory_dir) for p in memory_dir.rglob("*") if p.is_file())
    assert sorted(p.relative_to(disk_dir) for p in disk_dir.rglob("*") if p.is_file()) == files
    for rel in files:
        if rel.suffix == ".parquet":
            got, want = pd.read_parquet(disk_dir / rel), pd.read_parquet(memory_dir / rel)
            if rel.stem.startswith("coverage_"):
                got, want = _rows(got), _rows(want)
            pd.testing.assert_frame_equal(got, want, obj=str(rel))
        elif rel.name.endswith(".data.csv"):
            assert (disk_dir / rel).read_bytes() == (memory_dir / rel).read_bytes(), rel
    assert _page(disk_dir) == _page(memory_dir)


def test_analyze_dask_on_a_two_process_cluster_equals_pandas(triplets_raw, tmp_path,
                                                               monkeypatch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = mk.analyze(triplets_raw, actors=False, n_boot=200, progress=False)
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster):
            got = mk.analyze(dd.from_pandas(triplets_raw, npartitions=4), actors=False,
                             n_boot=200, progress=False)
            disk = mk.analyze(dd.from_pandas(triplets_raw, npartitions=4), actors=False,
                              n_boot=200, progress=False, keep="disk")
            kept = disk.collect()
    assert got.params["engine"] == "dask"
    assert want.articles["story_id"].nunique() > 50  # the stories were grouped, on dask too
    for frame in (got.articles, got.sentences, got.groups, got.terms, got.coverage.alignment):
        assert isinstance(frame, pd.DataFrame)
    assert_tables_equal(got, want, ["articles", "groups", "frames", "terms", "readability",
                                    "coverage_alignment", "coverage_facts",
                                    "coverage_presence", "coverage_omissions",
                                    "coverage_numbers", "coverage_summary", "sentences"])
    assert len(got.coverage.facts) > 1000
    # keep="disk": the frames stay in Parquet, every table is the same once collected
    assert disk.on_disk and not got.on_disk
    assert isinstance(disk.sentences, dd.DataFrame) and isinstance(disk.articles, dd.DataFrame)
    assert isinstance(disk.coverage, CoverageOnDisk) and len(disk.coverage.parts) > 1
    pd.testing.assert_frame_equal(disk.coverage.summary(), want.coverage.summary())
    assert_tables_equal(kept, want, ["articles", "sentences", "groups", "frames", "terms",
                                     "readability", "term_examples", "attention",
                                     "coverage_alignment", "coverage_facts",
                                     "coverage_presence", "coverage_omissions",
                                     "coverage_numbers", "coverage_summary"])
    assert len(kept.term_examples) > 100 and kept.attention["n_articles"].sum() == 276
    # the report of the analysis kept on disk is written without reading it into memory,
    # and holds what the report of the same analysis in memory holds
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got.report(tmp_path / "memory", formats=("png",))
        for cls in (mk.Analysis, CoverageOnDisk):
            monkeypatch.setattr(cls, "collect", lambda self: pytest.fail("collected"))
        disk.report(tmp_path / "disk", formats=("png",))
    assert_same_report(tmp_path / "disk", tmp_path / "memory")


def test_seeds_through_analyze_on_the_local_scheduler(seeds_articles):
    with warnings.catch_warnings(), dask.config.set(scheduler="sync"):
        warnings.simplefilter("ignore")
        want = mk.analyze(seeds_articles, actors=False, n_boot=100, progress=False)
        got = mk.analyze(dd.from_pandas(seeds_articles, npartitions=2), actors=False,
                         n_boot=100, progress=False)
    assert_tables_equal(got, want)


def test_analyze_dask_by_another_column_equals_pandas(triplets_raw):
    """by= a column other than outlet reaches every stage, the coverage shuffle included."""
    articles = triplets_raw.iloc[:45]
    assert articles["bias"].nunique() > 1
    with warnings.catch_warnings(), dask.config.set(scheduler="sync"):
        warnings.simplefilter("ignore")
        want = mk.analyze(articles, by="bias", actors=False, n_boot=100, progress=False)
        got = mk.analyze(dd.from_pandas(articles, npartitions=3), by="bias", actors=False,
                         n_boot=100, progress=False)
    assert set(got.coverage.presence["bias"]) == set(articles["bias"])
    assert_tables_equal(got, want, ["groups", "terms", "coverage_alignment",
                                    "coverage_presence", "coverage_summary"])


def test_keep_disk_reports_as_in_memory_and_refuses_pandas(tmp_path, seeds_articles):
    """An analysis kept on disk writes its report without reading it into memory: the same
    tables."""
    with pytest.raises(ValueError, match="keep='disk' runs on dask"):
        mk.analyze(seeds_articles, engine="pandas", keep="disk")
    with warnings.catch_warnings(), dask.config.set(scheduler="sync"):
        warnings.simplefilter("ignore")
        want = mk.analyze(seeds_articles, n_boot=100, progress=False)
        disk = mk.analyze(seeds_articles, n_boot=100, progress=False, keep="disk")
        assert disk.on_disk and disk.params["keep"] == "disk"
        assert "kept on disk" in repr(disk)
        disk.report(tmp_path / "disk", formats=("png",))
    want.report(tmp_path / "memory", formats=("png",))
    names = ["sentences", "groups", "terms", "term_examples", "coverage_presence",
             "coverage_summary"]
    if want.actors is not None:  # with the nlp extra: actors read the sentences in memory
        names += ["actors", "entities", "quotes"]
    for name in names:
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "disk" / "tables" / f"{name}.parquet"),
            pd.read_parquet(tmp_path / "memory" / "tables" / f"{name}.parquet"), obj=name)
    assert (tmp_path / "disk" / "index.html").is_file()


def test_examples_per_partition_equal_one_call(corpora_dir):
    """explain_terms' first two sentences per term and group, found partition by partition,
    equal the call on the whole frame (a group's first sentences span partitions)."""
    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False)
    sentences = mk.split_sentences(articles, progress=False)
    terms = ["trump", "president", "said", "US", "court", "police"]
    want = mk.explain_terms(sentences, terms=terms, by="outlet", per_group=2)
    parts = dd.from_pandas(sentences, npartitions=7, sort=False)
    with dask.config.set(scheduler="sync"):
        got = da.explain_terms_by_partition(parts, terms=terms, by="outlet", per_group=2)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)  # dask's NA-flavoured str
    assert want.groupby(["term", "outlet"]).size().max() == 2 and len(want) > 100


def test_attention_counts_dask_sentences_as_pandas(corpora_dir):
    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False)
    sentences = mk.split_sentences(articles, progress=False)
    want = mk.compare_attention(articles, sentences=sentences)
    with dask.config.set(scheduler="sync"):
        got = mk.compare_attention(articles, sentences=dd.from_pandas(sentences,
                                                                      npartitions=5))
    pd.testing.assert_frame_equal(got, want)
    assert got["n_sentences"].sum() > 5000


def test_engine_pandas_refuses_a_dask_frame(seeds_articles):
    with pytest.raises(TypeError, match="engine='pandas'"):
        mk.analyze(dd.from_pandas(seeds_articles, npartitions=1), engine="pandas")


def test_engine_dask_reads_a_parquet_folder(tmp_path, seeds_articles):
    folder = tmp_path / "articles"
    dd.from_pandas(seeds_articles, npartitions=2).to_parquet(folder)
    with warnings.catch_warnings(), dask.config.set(scheduler="sync"):
        warnings.simplefilter("ignore")
        got = mk.analyze(folder, engine="dask", actors=False, n_boot=100, progress=False)
        want = mk.analyze(seeds_articles, actors=False, n_boot=100, progress=False)
    assert got.params["engine"] == "dask"
    assert_tables_equal(got, want, ["groups", "terms", "coverage_alignment", "coverage_facts"])


def test_engine_dask_takes_a_pandas_frame(seeds_articles):
    """A pandas frame with engine="dask" is cut into partitions of ROWS_PER_PART rows."""
    with warnings.catch_warnings(), dask.config.set(scheduler="sync"):
        warnings.simplefilter("ignore")
        got = mk.analyze(seeds_articles, engine="dask", actors=False, n_boot=100,
                         progress=False)
        want = mk.analyze(seeds_articles, actors=False, n_boot=100, progress=False)
    assert got.params["engine"] == "dask"
    assert_tables_equal(got, want)


def test_engine_dask_names_what_it_cannot_read(tmp_path, seeds_articles):
    (tmp_path / "a.txt").write_text("Some news.", encoding="utf-8")
    with pytest.raises(ValueError, match="holds none.*mk.read_articles"):
        mk.analyze(tmp_path, engine="dask")
    with pytest.raises(ValueError, match="got a list"):
        mk.analyze([str(tmp_path / "a.txt")], engine="dask")
    with pytest.raises(ValueError, match="a.txt"):
        mk.analyze(tmp_path / "a.txt", engine="dask")


def test_read_keeps_the_articles_on_disk_and_reads_each_partition_once(
        tmp_path, triplets_raw, monkeypatch):
    """The read articles are Parquet parts read back lazily (not held in the workers), with the
    columns and types read_articles gives; the skipped inputs come from the same pass."""
    calls = []
    original = da._read_partition

    def counting(part, kws):
        calls.append(len(part))
        return original(part, kws)

    monkeypatch.setattr(da, "_read_partition", counting)
    raw = triplets_raw.copy()
    raw.loc[5, "text"] = ""  # skipped with on_error="skip"
    with dask.config.set(scheduler="sync"):
        parts = da.read_source(raw, rows_per_part=100)
        articles, skipped = da.read_to_parquet(parts, {"on_error": "skip"}, tmp_path)
        got = articles.compute().reset_index(drop=True)
    assert sorted(calls) == sorted(len(p) for p in parts.partitions) and len(calls) == 3
    assert len(list(tmp_path.glob("mediakit-articles-*/part.*.parquet"))) == 3
    assert len(skipped) == 1 and "empty" in skipped[0]["reason"], skipped
    want = mk.read_articles(raw, on_error="skip", progress=False).reset_index(drop=True)
    assert len(got) == len(want) == len(raw) - 1
    core = [c for c in want.columns if c != "bias"]  # dask's own type for an extra column
    pd.testing.assert_frame_equal(got[core], want[core])


def test_time_windows_cap_the_core_and_reach_past_it():
    times = pd.Series(pd.date_range("2020-01-01", periods=100, freq="12h", tz="UTC"))
    wins = da.time_windows(times, pd.Timedelta("3D"), per_window=30)
    assert len(wins) == 4
    covered = np.zeros(len(times), dtype=int)
    for start, core_end, reach_end in wins:
        in_core = ((times >= start) & (times < core_end)).to_numpy()
        assert in_core.sum() <= 30
        covered += in_core
        assert reach_end - core_end == pd.Timedelta("6D")
    assert (covered == 1).all()  # every article in exactly one core


def test_stories_per_window_match_pandas_on_real_articles(corpora_dir):
    """The triplets span 2013-2020: windows of 100 articles cut them into three. Within a
    window the clustering is group_stories itself; only the word weights (IDF, fitted per
    window) differ from one call on the whole corpus, so the partition is close, not equal,
    and as close to the stories people labelled."""
    from sklearn.metrics import adjusted_rand_score

    labelled = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False)
    articles = labelled.drop(columns=["story_id"])
    want = mk.group_stories(articles)
    parts = dd.from_pandas(articles, npartitions=3)
    got = da.group_stories_windows(parts, per_window=100).compute().reset_index(drop=True)
    assert got["article_id"].tolist() == want["article_id"].tolist()
    assert got["story_id"].notna().all()
    assert adjusted_rand_score(want["story_id"], got["story_id"]) > 0.94
    assert adjusted_rand_score(labelled["story_id"], got["story_id"]) > 0.94
    # story ids are numbered in order of first appearance, as pandas numbers them
    first = got.drop_duplicates("story_id")["story_id"].tolist()
    assert first == sorted(first)


def test_windows_read_only_the_partitions_in_their_time(corpora_dir, monkeypatch):
    """Articles in time order, 12 partitions, windows of 100 articles: each window slices the
    partitions whose dates reach into it, not all twelve, and the stories are the same."""
    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False).drop(columns=["story_id"])
    articles = articles.sort_values("published", kind="stable").reset_index(drop=True)
    parts = dd.from_pandas(articles, npartitions=12, sort=False)
    with dask.config.set(scheduler="sync"):
        want = da.group_stories_windows(parts, per_window=100).compute()
        sliced = []
        cut = da._window_slice
        monkeypatch.setattr(da, "_window_slice",
                            lambda part, start, end: sliced.append(start) or cut(part, start,
                                                                                 end))
        got = da.group_stories_windows(parts, per_window=100).compute()
    windows = da.time_windows(pd.to_datetime(articles["published"], utc=True),
                              pd.Timedelta("3D"), 100)
    assert len(windows) == 3 and len(sliced) < 3 * 12 / 2
    pd.testing.assert_frame_equal(got, want)


def test_each_partition_is_given_only_its_own_stories(corpora_dir, monkeypatch):
    """The story ids go to each partition as that partition's slice: a task carrying the
    whole corpus's map puts every article's id in every task at once (at --repeat 10 that grew
    each worker by 1.3 GB). Each article keeps its own story."""
    from sklearn.metrics import adjusted_rand_score

    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False).drop(columns=["story_id"])
    parts = dd.from_pandas(articles, npartitions=6)
    given = []
    assign = da._assign_story
    monkeypatch.setattr(da, "_assign_story",
                        lambda part, story: given.append((len(part), len(story)))
                        or assign(part, story))
    with dask.config.set(scheduler="sync"):
        got = da.group_stories_windows(parts, per_window=100).compute()
    sizes = parts.map_partitions(len).compute().tolist()
    assert sorted(given) == sorted(zip(sizes, sizes, strict=True))
    assert got.index.equals(articles.index)
    assert got["article_id"].tolist() == articles["article_id"].tolist()
    # every article keeps its own story
    want = mk.group_stories(articles)
    assert adjusted_rand_score(want["story_id"], got["story_id"]) > 0.94


def test_merged_coverage_equals_one_call(seeds_sentences, corpora_dir):
    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False).iloc[:30]
    sentences = mk.split_sentences(articles)
    want = mk.compare_coverage(sentences, progress=False)
    stories = sentences["story_id"].unique()
    parts = [mk.compare_coverage(sentences[sentences["story_id"].isin(s)], progress=False)
             for s in (stories[1::2], stories[0::2])]  # out of story order, on purpose
    got = merge_coverages(parts)
    for name in ("alignment", "facts", "presence", "omissions", "numbers"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name),
                                      check_dtype=False, obj=name)


def test_coverage_per_story_goes_through_parquet_and_equals_pandas(tmp_path, corpora_dir):
    """Each partition's coverage tables are written to Parquet by its worker; the client joins
    them one table at a time into the pandas tables. An empty partition's Coverage stays in
    memory: Parquet would lose its column types. (Dask turns ``str`` columns into
    ``string[pyarrow]``, so some id columns differ in dtype, not in values, as they did
    before the tables went through Parquet.)"""
    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False).iloc[:30]
    sentences = mk.split_sentences(articles)
    want = mk.compare_coverage(sentences, progress=False)
    data = dd.from_pandas(sentences, npartitions=3)
    by_story = da.shuffle_by_story(data)
    by_story = dd.concat([by_story, dd.from_pandas(by_story._meta, npartitions=1)])  # empty
    with dask.config.set(scheduler="sync"):
        sizes = [len(p) for p in dask.compute(*by_story.to_delayed())]
        got = da.coverage_by_story(by_story, spill_dir=tmp_path)
    assert 0 in sizes and sum(s > 0 for s in sizes) >= 2
    written = list(tmp_path.glob("mediakit-coverage-*/part*-facts.parquet"))
    assert len(written) == sum(s > 0 for s in sizes)
    for name in ("alignment", "facts", "presence", "omissions", "numbers"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name),
                                      check_dtype=False, obj=name)


def test_a_story_too_large_for_a_worker_is_named(seeds_sentences):
    data = dd.from_pandas(seeds_sentences, npartitions=1)
    with pytest.raises(mk.StoryTooLargeError, match="too large to align in memory"):
        da.shuffle_by_story(data, memory=1000)


def test_engine_dask_streams_a_jsonl_gz_into_parquet_parts(tmp_path, corpora_dir, monkeypatch):
    """Without a client: dask's process scheduler (the default for analyze: CPU-bound stages
    run in parallel in processes), three partitions of 10 articles."""
    lines = (corpora_dir / "allsides_triplets" / "articles.jsonl").read_text().splitlines()[:30]
    path = tmp_path / "articles.jsonl.gz"
    import gzip

    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    monkeypatch.setattr(da, "ROWS_PER_PART", 10)
    parts = da.read_source(str(path), spill_dir=tmp_path / "spill", rows_per_part=10)
    assert parts.npartitions == 3
    assert sorted(p.name for p in (tmp_path / "spill").iterdir())[0] == "part.000000.parquet"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = mk.analyze(path, engine="dask", actors=False, n_boot=100, progress=False)
        want = mk.analyze(path, actors=False, n_boot=100, progress=False)
    assert len(got.articles) == 30
    assert_tables_equal(got, want, ["articles", "groups", "terms", "coverage_alignment",
                                    "coverage_facts", "coverage_presence"])


def test_entities_quotes_and_actors_per_story_equal_pandas(corpora_dir):
    """12 articles (4 stories) in 3 partitions that cut stories apart: entities and quotes
    run per story after the shuffle, and come back in the pandas order."""
    pytest.importorskip("spacy")
    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False).iloc[:12]
    with warnings.catch_warnings(), dask.config.set(scheduler="sync"):
        warnings.simplefilter("ignore")
        want = mk.analyze(articles, actors=True, n_boot=100, progress=False)
        got = mk.analyze(dd.from_pandas(articles, npartitions=3), actors=True, n_boot=100,
                         progress=False)
    assert len(want.quotes) > 20 and len(want.actors) > 50
    assert_tables_equal(got, want, ["entities", "quotes", "actors"])
