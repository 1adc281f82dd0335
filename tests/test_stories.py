"""group_stories: clustering articles into events."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

import mediakit as mk


@pytest.fixture(scope="module")
def triplets(corpora_dir):
    return pd.read_json(corpora_dir / "allsides_triplets" / "articles.jsonl", lines=True,
                        dtype={"published": str})


@pytest.mark.corpora
def test_triplets_recovered_with_dates(triplets):
    mixed = triplets.drop(columns="story_id")
    grouped = mk.group_stories(mixed)
    assert adjusted_rand_score(triplets["story_id"], grouped["story_id"]) >= 0.95


@pytest.mark.corpora
def test_triplets_recovered_without_dates(triplets):
    mixed = triplets.drop(columns=["story_id", "published"])
    grouped = mk.group_stories(mixed)
    # measured 0.954 (0.931 with full idf and numbers weighted as words, 0.891 with the plain
    # cosine distance before local scaling)
    assert adjusted_rand_score(triplets["story_id"], grouped["story_id"]) >= 0.90


@pytest.mark.corpora
def test_equals_average_linkage_on_the_full_matrix(triplets):
    """The component trick gives exactly scipy's average linkage on the dense n x n matrix of
    locally scaled distances (each article's scale from its five nearest articles)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    from mediakit.compare.stories import _vectors

    mixed = triplets.drop(columns=["story_id", "published"])
    docs = (mixed["title"] + "\n" + mixed["text"].str.slice(0, 3000)).tolist()
    x = _vectors(docs)
    sim = (x @ x.T).toarray()
    near = sim.copy()
    np.fill_diagonal(near, 0)
    top5 = -np.sort(-near, axis=1)[:, :5].astype(np.float64)
    scale = np.clip(1.0 - top5.mean(axis=1), 0.6, 0.74) / 0.74
    dist = np.clip(1.0 - sim.astype(np.float64), 0, 1)
    dist = (dist + dist.T) / 2 / np.sqrt(scale[:, None] * scale[None, :])
    np.fill_diagonal(dist, 0)
    tree = linkage(squareform(dist, checks=False), method="average")
    for t in (0.8, 0.9):
        ours = mk.group_stories(mixed, threshold=t)
        plain = fcluster(tree, t=t, criterion="distance")
        assert adjusted_rand_score(plain, ours["story_id"]) == 1.0


@pytest.mark.corpora
@pytest.mark.parametrize("n", [60, None])  # under 100 documents: no document-frequency cut-offs
@pytest.mark.parametrize("power", [1.0, 0.5])
def test_vectors_equal_tfidf_vectorizer(triplets, n, power):
    """_word_vectors counts its own way; the matrix is TfidfVectorizer's (same entries in the
    same order) with each column's idf raised to ``power`` and numbers weighted twice."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    from mediakit.compare.stories import (
        _NUMBER_WEIGHT,
        _TOKEN_PATTERN,
        _preprocess,
        _word_vectors,
    )

    docs = (triplets["title"] + "\n" + triplets["text"].str.slice(0, 3000)).tolist()[:n]
    docs += ["Sébastien’s “U.S.” visit\u00a0— İstanbul, ΟΔΟΣ, e-mail", "", "the and of"]
    small = len(docs) < 100
    vectorizer = TfidfVectorizer(preprocessor=_preprocess, stop_words="english",
                                 sublinear_tf=True, min_df=1 if small else 2, norm=None,
                                 dtype=np.float32, token_pattern=_TOKEN_PATTERN)
    want = vectorizer.fit_transform(docs).tocsr()
    number = np.array([t[0].isdigit() for t in vectorizer.get_feature_names_out()])
    assert number.sum() > 10  # "2020", "155,000", ...
    weight = vectorizer.idf_ ** (power - 1) * np.where(number, _NUMBER_WEIGHT, 1.0)
    want.data *= weight[want.indices].astype(np.float32)
    want = normalize(want)
    got = _word_vectors(docs, power)
    assert got.dtype == want.dtype and got.shape == want.shape
    for part in ("indptr", "indices"):  # same entries stored in the same order
        np.testing.assert_array_equal(getattr(got, part), getattr(want, part))
    np.testing.assert_allclose(got.data, want.data, rtol=1e-5, atol=1e-7)
    threaded = _word_vectors(docs, power, n_jobs=3)  # texts cut in batches, in threads
    assert (threaded != got).nnz == 0
    for part in ("indptr", "indices"):
        np.testing.assert_array_equal(getattr(threaded, part), getattr(got, part))


@pytest.mark.corpora
def test_l2_rows_equal_scikit_learn_bit_for_bit(triplets, monkeypatch):
    """The rows are normalised without scikit-learn, to exactly its float32 values (the
    stories would otherwise change with the last bit of a cosine at the cut)."""
    from scipy import sparse
    from sklearn.preprocessing import normalize

    from mediakit.compare import stories

    docs = (triplets["title"] + "\n" + triplets["text"]).tolist() + triplets["title"].tolist()
    l2_rows = stories._l2_rows
    with monkeypatch.context() as patch:  # the weighted rows before normalising
        patch.setattr(stories, "_l2_rows", lambda x: x)
        raw = stories._word_vectors(docs, 0.5)
    assert raw.nnz > 50_000
    rng = np.random.default_rng(0)
    wide = sparse.random(50, 20_000, density=0.05, format="csr", dtype=np.float32,
                         random_state=0)
    wide.data *= (10.0 ** rng.uniform(-3, 3, wide.nnz)).astype(np.float32)
    empty_rows = sparse.csr_matrix((3, 4), dtype=np.float32)
    for x in (raw, wide, empty_rows):
        want = normalize(x.copy(), norm="l2", copy=False)
        got = l2_rows(x.copy())
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got.toarray(), want.toarray())
        assert got.data.tobytes() == want.data.tobytes()


@pytest.mark.corpora
def test_short_texts_mix_character_ngrams(triplets):
    """Headline-length texts: the cosine is half the word TF-IDF cosine (full idf) and half the
    character 3-5-gram TF-IDF cosine; full text: the word cosine alone (idf square-rooted)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from mediakit.compare.stories import _length_share, _preprocess, _vectors, _word_vectors

    heads = triplets["title"].tolist()
    assert _length_share(8) == 0.0 and _length_share(500) == 1.0
    x = _vectors(heads, 0.0)
    words = _word_vectors(heads, 1.0)
    grams = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), preprocessor=_preprocess,
                            sublinear_tf=True, min_df=2).fit_transform(heads)
    want = 0.5 * (words @ words.T).toarray() + 0.5 * (grams @ grams.T).toarray()
    np.testing.assert_allclose((x @ x.T).toarray(), want, atol=1e-5)
    full = _vectors(heads, 1.0)
    np.testing.assert_allclose(full.toarray(), _word_vectors(heads, 0.5).toarray())


@pytest.mark.corpora
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_neighbour_graph_equals_every_pair(triplets, monkeypatch, n_jobs):
    """Blocks by time find exactly the pairs (and float32 cosines) of the full product, and
    each article's five largest cosines in its window (sorted), in one thread or in two (the
    blocks, many more than the threads, taken in order)."""
    import mediakit.compare.stories as stories

    monkeypatch.setattr(stories, "_DATED_CHUNK", 16)  # many blocks, windows across them
    docs = (triplets["title"] + "\n" + triplets["text"].str.slice(0, 3000)).tolist()
    x = stories._vectors(docs)
    stamp = pd.to_datetime(triplets["published"], errors="coerce", utc=True)
    stamp[::7] = pd.NaT  # some undated articles: compared with all
    times = stamp.to_numpy(dtype="datetime64[ns]").astype("int64")
    times = np.where(stamp.isna().to_numpy(), np.iinfo(np.int64).min, times)
    min_sim, win = 0.15, pd.Timedelta("3D")
    block = (x @ x.T.tocsr()).toarray()
    one_day = np.where(times == np.iinfo(np.int64).min, times, times.max())  # one window
    for t in (times, None, one_day):
        r, c = np.nonzero(np.triu(block >= min_sim, 1))
        if t is not None:
            ok = stories._in_window(t[r], t[c], win)
            r, c = r[ok], c[ok]
        rows, cols, sims, top, full = stories._neighbour_graph(x, min_sim, t, win,
                                                               progress=False, keep=True,
                                                               n_jobs=n_jobs)
        np.testing.assert_array_equal(rows, r)
        np.testing.assert_array_equal(cols, c)
        np.testing.assert_array_equal(sims, block[r, c])
        near = block.copy()
        np.fill_diagonal(near, 0)
        if t is not None:
            near[~stories._in_window(t[:, None], t[None, :], win)] = 0
        want = -np.sort(-near, axis=1)[:, :stories._K]
        np.testing.assert_array_equal(top[:, ::-1], want)
        if t is times:  # years of dates: few pairs computed, nothing kept
            assert len(r) < np.triu(block >= min_sim, 1).sum()  # the window bites
            assert full is None
            continue
        off = ~np.eye(len(block), dtype=bool)
        np.testing.assert_array_equal(full[off], block[off])  # kept: same float32 values


def _article(i, text, published):
    return {"article_id": f"a{i}", "outlet": f"o{i}", "title": None, "text": text,
            "published": pd.Timestamp(published, tz="UTC")}


FLOOD = ("Floods swept through the valley town of Riverton on Monday, forcing hundreds of "
         "residents from their homes as the river burst its banks after days of heavy rain.")
ELECTION = ("The opposition won the regional election in Northshire by a wide margin, ending "
            "two decades of rule by the governing party, according to official results.")


def test_time_window_and_separation():
    articles = pd.DataFrame([
        _article(0, FLOOD, "2024-03-04"),
        _article(1, FLOOD.replace("Monday", "Monday night"), "2024-03-05"),
        _article(2, ELECTION, "2024-03-04"),
        _article(3, FLOOD, "2024-06-20"),  # same words, months later: another event
    ])
    before = articles.copy(deep=True)
    grouped = mk.group_stories(articles)
    pd.testing.assert_frame_equal(articles, before)  # input not mutated
    s = grouped["story_id"].tolist()
    assert s[0] == s[1] and len({s[0], s[2], s[3]}) == 3
    assert s[0] == "story_0001"  # numbered by first appearance
    no_window = mk.group_stories(articles, window=None)["story_id"].tolist()
    assert no_window[0] == no_window[1] == no_window[3] != no_window[2]
    undated = mk.group_stories(articles.drop(columns="published"))["story_id"].tolist()
    assert undated[0] == undated[3]


def test_seeds_one_story_and_contract(seeds_articles):
    grouped = mk.group_stories(seeds_articles)
    assert grouped["story_id"].nunique() == 1
    assert list(grouped.columns) == list(seeds_articles.columns)
    named = mk.group_stories(seeds_articles, story="event")
    assert "event" in named.columns and "event" not in seeds_articles.columns
    empty = mk.group_stories(seeds_articles.iloc[:0])
    assert empty.empty and "story_id" in empty.columns
    with pytest.raises(mk.SchemaError, match="text"):
        mk.group_stories(seeds_articles.drop(columns="text"))
    with pytest.raises(ValueError, match="threshold"):
        mk.group_stories(seeds_articles, threshold=1.5)
    with pytest.raises(ValueError, match="threshold"):
        mk.group_stories(seeds_articles, threshold="high")
    with pytest.raises(TypeError):
        mk.group_stories("not a frame")


@pytest.mark.corpora
def test_headlines_as_text_recovered_with_dates(triplets):
    """Headline-only input gets the short-text threshold and still finds the triplets."""
    headlines = triplets.drop(columns=["story_id", "title"]).assign(text=triplets["title"])
    grouped = mk.group_stories(headlines)
    info = grouped.attrs["group_stories"]
    assert info["threshold"] == pytest.approx(0.86) and info["median_words"] < 15
    assert adjusted_rand_score(triplets["story_id"], grouped["story_id"]) >= 0.90


@pytest.mark.corpora
def test_semantic_headlines_group_better_and_full_text_is_not_encoded(triplets, monkeypatch):
    """semantic=True mixes the headlines' MiniLM cosine in at half the similarity, with its
    own default cut: the triplets' headlines are grouped better than on their words alone,
    with dates and without (measured 0.991 and 0.797, against 0.953 and 0.674). At full-text
    length the share is 0 and nothing is encoded: the stories are the lexical ones."""
    import mediakit.compare._samefact as samefact

    heads = triplets.drop(columns=["story_id", "title"]).assign(text=triplets["title"])
    for data, floor in ((heads, 0.98), (heads.drop(columns="published"), 0.75)):
        lexical = mk.group_stories(data)
        meaning = mk.group_stories(data, semantic=True)
        info = meaning.attrs["group_stories"]
        assert info["semantic_share"] == 0.5 and info["threshold"] == pytest.approx(0.78)
        assert lexical.attrs["group_stories"]["semantic_share"] == 0.0
        ari = adjusted_rand_score(triplets["story_id"], meaning["story_id"])
        assert ari >= floor
        assert ari > adjusted_rand_score(triplets["story_id"], lexical["story_id"]) + 0.03

    def no_encoding(*args, **kwargs):
        raise AssertionError("full text is not encoded")

    monkeypatch.setattr(samefact, "encode", no_encoding)
    full = triplets.drop(columns="story_id")
    meaning = mk.group_stories(full, semantic=True)
    assert meaning.attrs["group_stories"]["semantic_share"] == 0.0
    assert meaning["story_id"].equals(mk.group_stories(full)["story_id"])


@pytest.mark.corpora
def test_condensed_distance_equals_the_dense_matrix(triplets, monkeypatch):
    """Filled block by block, the condensed matrix is squareform of the dense one, exactly."""
    from scipy.spatial.distance import squareform

    import mediakit.compare.stories as stories

    monkeypatch.setattr(stories, "_BLOCK", 37)  # many blocks, a short last one
    docs = (triplets["title"] + "\n" + triplets["text"].str.slice(0, 3000)).tolist()
    x = stories._vectors(docs)
    stamp = pd.to_datetime(triplets["published"], utc=True)
    times = stamp.to_numpy(dtype="datetime64[ns]").astype("int64")
    times[::5] = np.iinfo(np.int64).min  # undated: compared with all
    win = pd.Timedelta("3D")
    dist = 1.0 - (x @ x.T).toarray().astype(np.float64)
    dist[~stories._in_window(times[:, None], times[None, :], win)] = 1.0
    np.fill_diagonal(dist, 0.0)
    dist = np.clip((dist + dist.T) / 2, 0.0, 1.0)
    got = stories._condensed_distance(x, times, win)
    np.testing.assert_array_equal(got, squareform(dist, checks=False))
    # read from the cosines the first pass kept, for a subset of articles, with scales
    idx = np.arange(3, x.shape[0], 2)
    scale = np.linspace(0.7, 1.0, len(idx))
    full = (x @ x.T).toarray()
    kept = stories._condensed_distance(x[idx], times[idx], win, scale, (full, idx))
    sub = dist[np.ix_(idx, idx)] / np.sqrt(scale[:, None] * scale[None, :])
    np.testing.assert_array_equal(kept, squareform(sub, checks=False))
    assert (got == 1.0).sum() > len(got) // 2  # the window bites
    # blocks filled in two threads: the same cells
    monkeypatch.setattr(stories, "_THREADED", 0)
    np.testing.assert_array_equal(stories._condensed_distance(x, times, win, n_jobs=2), got)
    np.testing.assert_array_equal(
        stories._condensed_distance(x[idx], times[idx], win, scale, (full, idx), n_jobs=2), kept)


def test_kept_cosines_freed_before_the_last_linkage(monkeypatch):
    """On a one-event corpus (one component of every article), the n x n cosines kept from
    the first pass are gone when scipy copies the condensed matrix for the linkage: the peak
    is two condensed matrices, not those and the full one."""
    import weakref

    import scipy.cluster.hierarchy as hierarchy

    import mediakit.compare.stories as stories

    kept, alive = [], []
    graph, linkage = stories._neighbour_graph, hierarchy.linkage

    def spy_graph(*args, **kwargs):
        out = graph(*args, **kwargs)
        kept.append(weakref.ref(out[-1]))
        return out

    def spy_linkage(*args, **kwargs):
        alive.append(kept[0]() is not None)
        return linkage(*args, **kwargs)

    monkeypatch.setattr(stories, "_neighbour_graph", spy_graph)
    monkeypatch.setattr(hierarchy, "linkage", spy_linkage)
    grouped = mk.group_stories(_one_event(150))
    assert grouped["story_id"].nunique() <= 2
    assert alive == [False]  # one component, and the matrix kept was freed before it


def _one_event(n: int) -> pd.DataFrame:
    """n articles on one flood, each five of ten sentences about it, within two days."""
    facts = [
        "Floods swept through the valley town of Riverton on Monday after days of heavy rain.",
        "Hundreds of residents were forced from their homes as the Riverton river burst its "
        "banks.",
        "Rescue crews used boats to reach families trapped on rooftops in the flooded streets.",
        "The mayor of Riverton declared a state of emergency and opened three shelters.",
        "Forecasters warned that more rain was expected in the valley later in the week.",
        "Power was cut to thousands of homes and the main bridge into Riverton was closed.",
        "Officials said two people were missing and search teams worked through the night.",
        "Farmers said the flood waters had destroyed crops across the valley.",
        "The governor said state funds would help Riverton rebuild after the floods.",
        "Volunteers filled sandbags outside the town hall as the water kept rising.",
    ]
    rng = np.random.default_rng(n)
    rows = []
    for i in range(n):
        pick = rng.choice(len(facts), size=5, replace=False)
        rows.append({"article_id": f"a{i}", "outlet": f"outlet {i % 40}",
                     "title": facts[pick[0]].split(" after")[0],
                     "text": " ".join(facts[k] for k in pick),
                     "published": pd.Timestamp("2024-03-04", tz="UTC")
                     + pd.Timedelta(hours=int(rng.integers(0, 48)))})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("n", [99, 150, 400])
def test_one_event_corpus_stays_one_story(n):
    """Words common to every article are the event's words: none is dropped for that (150
    articles used to give 150 stories, 99 gave 1)."""
    grouped = mk.group_stories(_one_event(n))
    assert grouped["story_id"].nunique() <= 2


def test_threshold_from_text_length_and_attrs(seeds_articles):
    from mediakit.compare.stories import default_threshold

    assert default_threshold(8)[0] == pytest.approx(0.86)
    assert default_threshold(500)[0] == pytest.approx(0.77)
    middle = default_threshold(30)[0]
    assert 0.77 < middle < 0.86
    grouped = mk.group_stories(seeds_articles)
    info = grouped.attrs["group_stories"]
    assert info["threshold"] == pytest.approx(0.77) and info["window"] == "3 days 00:00:00"
    assert info["dated"] and info["n_stories"] == 1 and "median" in info["threshold_rule"]
    assert "locally scaled" in info["method"] and "5 nearest" in info["method"]
    given = mk.group_stories(seeds_articles, threshold=0.5, window=None).attrs["group_stories"]
    assert given["threshold"] == 0.5 and given["threshold_rule"] == "given"
    assert given["window"] is None and not given["dated"]


def _busy_day(corpora_dir, triplets, n=7000):
    bench = pd.read_json(corpora_dir / "allsides_bench" / "articles.jsonl.gz", lines=True,
                         dtype={"published": str}, nrows=n)
    bench = bench[~bench["article_id"].isin(triplets["article_id"])]
    return pd.concat([bench.drop(columns="topic"), triplets.drop(columns="story_id")],
                     ignore_index=True).assign(published="2020-01-01")


@pytest.mark.corpora
def test_busy_day_triplets_among_2000_articles(corpora_dir, triplets):
    """The triplets among the first 2,000 allsides_bench articles, all dated on one day (the
    window separates nothing); benchmarks/stories_quality.py measures the same with 7,000.
    Measured here 0.930 (full text) and 0.623 (headlines); 0.894 and 0.609 before the term
    weights (full idf for full text, numbers as words, no character n-grams); 0.861 and 0.546
    with the plain cosine distance before local scaling. With 7,000 the index is 0.907 and
    0.618: the issue's busy-day full-text target (0.90 with 7,000) is reached, the headline one
    (0.75) is not, so this guards the level reached."""
    busy = _busy_day(corpora_dir, triplets, n=2000)
    truth = triplets.set_index("article_id")["story_id"]
    for text, floor in (("full", 0.91), ("headlines", 0.60)):
        data = busy if text == "full" else busy.assign(text=busy["title"]).drop(columns="title")
        grouped = mk.group_stories(data, progress=False)
        found = grouped.set_index("article_id")["story_id"].loc[truth.index]
        assert adjusted_rand_score(truth, found) >= floor, text
        threads = mk.group_stories(data, n_jobs=2, progress=False)
        pd.testing.assert_series_equal(threads["story_id"], grouped["story_id"])
        info = grouped.attrs["group_stories"]
        assert info["dated"] and info["window"] == "3 days 00:00:00" and "TF-IDF" in info["method"]



@pytest.mark.corpora
def test_never_looser_than_the_plain_cosine(corpora_dir):
    """The local scale is at most 1: no pair merges that the plain cosine distance at the same
    cut would keep apart. On 3,000 allsides_bench articles with their own dates (mostly one
    article per story), every two-article story is a pair at cosine >= 1 - threshold, and an
    article without neighbours keeps scale 1 (the scale before the cap let such articles merge
    down to cosine 0.12, and joined 5,626 of 10,000 articles into one component)."""
    from mediakit.compare.stories import _local_scale, _vectors

    assert _local_scale(np.zeros((1, 5), np.float32))[0] == 1.0
    assert _local_scale(np.ones((1, 5), np.float32))[0] == pytest.approx(0.6 / 0.74)
    bench = pd.read_json(corpora_dir / "allsides_bench" / "articles.jsonl.gz", lines=True,
                         dtype={"published": str}, nrows=3000)
    grouped = mk.group_stories(bench, progress=False)
    cut = grouped.attrs["group_stories"]["threshold"]
    assert cut == pytest.approx(0.77)  # full text: the plain cut used before local scaling
    x = _vectors((bench["title"] + "\n" + bench["text"].str.slice(0, 3000)).tolist())
    sizes = grouped["story_id"].map(grouped["story_id"].value_counts())
    pairs = grouped.index[sizes == 2].groupby(grouped["story_id"][sizes == 2])
    assert len(pairs) > 20
    for idx in pairs.values():
        i, j = idx
        assert (x[i] @ x[j].T).toarray()[0, 0] >= 1 - cut - 1e-6


def test_threads_keep_every_block_in_order():
    """The blocks' results come back all and in order, however many blocks per thread."""
    from mediakit._parallel import in_threads

    for n_jobs in (1, 2, 3):
        for n in (0, 1, 5, 6, 7, 40):
            assert list(in_threads(lambda k: k * k, list(range(n)), n_jobs)) == \
                [k * k for k in range(n)]
    with pytest.raises(ZeroDivisionError):  # an error in a block reaches the caller
        list(in_threads(lambda k: 1 // (k - 3), list(range(8)), 2))


_SPACES = [" ", "\n", "\t", "\x0b", "\x1c", "\x85", "\xa0", "\u2003", "\u3000", "\u200b"]


def test_words_per_text_are_what_str_split_gives():
    """group_stories reads each text's words (for its default threshold) from the cut that
    counts the tokens: the same as len(text.split()) on any white space, in threads or not,
    also for text Arrow cannot hold (a lone surrogate)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from mediakit.compare.stories import _word_counts

    piece = st.text(st.sampled_from(list("ab,.é2") + _SPACES), max_size=12)

    @settings(max_examples=150, deadline=None)
    @given(st.lists(piece, min_size=1, max_size=40), st.integers(1, 3), st.booleans())
    def check(docs, n_jobs, surrogate):
        if surrogate:
            docs = [*docs, "x \ud800 y"]
        got = _word_counts(docs, n_jobs).words
        assert got.tolist() == [len(d.split()) for d in docs]

    check()
