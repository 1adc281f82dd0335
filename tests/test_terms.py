"""compare_terms: keyness statistics against hand-computed values, options, contract."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy.stats import chi2_contingency

import mediakit as mk


@pytest.fixture
def small():
    # outlet A: apple x4, banana x1 (5 terms); outlet B: apple x1, banana x2, cherry x3 (6 terms)
    return pd.DataFrame({
        "outlet": ["A", "A", "B", "B"],
        "text": ["Apple apple apple.", "Apple banana!", "apple banana banana", "cherry cherry cherry"],
    })


def _row(table, outlet, term):
    rows = table[(table["outlet"] == outlet) & (table["term"] == term)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_keyness_matches_hand_computed_contingency_table(small):
    keys = mk.compare_terms(small, stop_words=None, min_count=1)
    row = _row(keys, "A", "apple")
    a, b, c, d = 4, 1, 5, 6
    assert (row["n_target"], row["n_reference"]) == (a, b)
    assert (row["total_target"], row["total_reference"]) == (c, d)
    n = c + d
    observed = [[a, b], [c - a, d - b]]
    expected = [[(a + b) * c / n, (a + b) * d / n], [(n - a - b) * c / n, (n - a - b) * d / n]]
    # E11 = 5 * 5 / 11 by hand
    assert expected[0][0] == pytest.approx(25 / 11)
    g2 = 2 * sum(o * math.log(o / e) for orow, erow in zip(observed, expected, strict=True)
                 for o, e in zip(orow, erow, strict=True) if o > 0)
    chi2 = sum((o - e) ** 2 / e for orow, erow in zip(observed, expected, strict=True)
               for o, e in zip(orow, erow, strict=True))
    assert row["g2"] == pytest.approx(g2)
    assert row["g2"] > 0  # apple is A's word
    assert row["chi2"] == pytest.approx(chi2)
    assert row["chi2"] == pytest.approx(chi2_contingency(observed, correction=False)[0])
    assert row["log_ratio"] == pytest.approx(math.log2((4 / 5) / (1 / 6)))
    # Monroe et al. (2008) with the pooled counts as prior: alpha_apple = 5, alpha_0 = 11
    alpha, alpha0 = 5, 11
    delta = (math.log((a + alpha) / (c + alpha0 - a - alpha))
             - math.log((b + alpha) / (d + alpha0 - b - alpha)))
    z = delta / math.sqrt(1 / (a + alpha) + 1 / (b + alpha))
    assert row["log_odds"] == pytest.approx(delta)
    assert row["log_odds_z"] == pytest.approx(z)
    # the same term seen from B is the mirror image
    mirror = _row(keys, "B", "apple")
    assert mirror["g2"] == pytest.approx(-g2)
    assert mirror["log_ratio"] == pytest.approx(-row["log_ratio"])
    assert mirror["log_odds_z"] == pytest.approx(-z)


def test_zero_count_term_is_negative_with_half_count_log_ratio(small):
    row = _row(mk.compare_terms(small, stop_words=None, min_count=1), "A", "cherry")
    assert row["n_target"] == 0 and row["n_reference"] == 3
    assert row["g2"] < 0 and row["chi2"] < 0 and row["log_odds_z"] < 0
    assert row["log_ratio"] == pytest.approx(math.log2((0.5 / 5) / (3 / 6)))
    assert 0 <= row["p_value"] <= 1


def test_sorted_by_measure_within_target(small):
    keys = mk.compare_terms(small, stop_words=None, min_count=1, stat="log_ratio")
    for _, grp in keys.groupby("outlet"):
        assert grp["log_ratio"].is_monotonic_decreasing
    assert list(keys["outlet"].unique()) == ["A", "B"]


def test_reference_options():
    data = pd.DataFrame({"outlet": ["A", "B", "C"],
                         "text": ["tax cuts tax", "tax hikes", "tax cuts border"]})
    rest = mk.compare_terms(data, stop_words=None, min_count=1)
    assert set(rest["outlet"]) == {"A", "B", "C"} and set(rest["reference"]) == {"rest"}
    # one against the rest: target + reference counts are the corpus counts
    tax = rest[rest["term"] == "tax"]
    assert ((tax["n_target"] + tax["n_reference"]) == 4).all()
    pair = mk.compare_terms(data, target="A", reference="B", stop_words=None, min_count=1)
    assert set(pair["outlet"]) == {"A"} and set(pair["reference"]) == {"B"}
    assert _row(pair, "A", "tax")["total_reference"] == 2
    custom = mk.compare_terms(data, reference=["B", "C"], stop_words=None, min_count=1)
    assert set(custom["outlet"]) == {"A"} and set(custom["reference"]) == {"B; C"}
    assert _row(custom, "A", "cuts")["n_reference"] == 1
    with pytest.raises(ValueError, match="reference='Bx' is not valid.*Did you mean 'B'"):
        mk.compare_terms(data, target="A", reference="Bx")


def test_stop_words_min_count_and_bigrams(seeds_sentences):
    default = mk.compare_terms(seeds_sentences, min_count=1)
    assert not default["term"].isin(["the", "and", "of"]).any()
    kept = mk.compare_terms(seeds_sentences, stop_words=None, min_count=1)
    assert kept["term"].isin(["the"]).any()
    own = mk.compare_terms(seeds_sentences, stop_words=["Ukraine"], min_count=1)
    assert not own["term"].isin(["ukraine"]).any() and own["term"].isin(["the"]).any()
    frequent = mk.compare_terms(seeds_sentences, min_count=3)
    assert ((frequent["n_target"] + frequent["n_reference"]) >= 3).all()
    bigrams = mk.compare_terms(seeds_sentences, ngram_range=(1, 2), min_count=2)
    assert bigrams["term"].str.contains(" ").any()
    assert "contact group" in set(bigrams["term"])
    # U.S. is one token, not "u" and "s"; it and "US" are the acronym US, not the stop word
    assert "US" in set(default["term"]) and not default["term"].isin(["u", "s", "u.s."]).any()
    # only content sentences are counted: the promo line's "chinese" is not a term
    assert "chinese" not in set(default["term"])


def test_contract(seeds_sentences):
    before = seeds_sentences.copy(deep=True)
    mk.compare_terms(seeds_sentences)
    pd.testing.assert_frame_equal(seeds_sentences, before)
    empty = mk.compare_terms(seeds_sentences.iloc[:0])
    assert empty.empty
    assert list(empty.columns) == ["outlet", "reference", "term", "variants", "n_target",
                                   "n_reference", "total_target", "total_reference",
                                   "n_stories", "g2", "chi2", "p_value", "log_ratio",
                                   "log_odds", "log_odds_z"]
    with pytest.raises(mk.SchemaError, match="outlet"):
        mk.compare_terms(seeds_sentences.drop(columns="outlet"))
    with pytest.raises(ValueError, match="Did you mean 'g2'"):
        mk.compare_terms(seeds_sentences, stat="g3")
    with pytest.raises(TypeError, match="prior_scale must be a number"):
        mk.compare_terms(seeds_sentences, prior_scale=True)  # a bool is no scale
    with pytest.raises(TypeError, match="unexpected keyword argument 'measure'"):
        mk.compare_terms(seeds_sentences, measure="g2")  # the old name is gone
    with pytest.raises(ValueError, match="min_count"):
        mk.compare_terms(seeds_sentences, min_count=0)
    with pytest.raises(TypeError):
        mk.compare_terms(["not", "a", "frame"])


MESSY = [
    "Trump’s “America First” plan — the U.S.-led deal\u00a0isn’t done…",
    "Sébastien Häkkänen met İstanbul’s mayor; ΟΔΟΣ and Straße in e-mail\ttabs\u2028lines",
    "rock-'n'-roll _under_scored_ 3D x86 a.b. u.k. U.S.A. it's its' O'Neill’s",
    "emoji 🙂 mid😀word, NBSP\u00a0glued “quoted” 'single' ‘curly’ -- dashes – —",
    "",
    "   ",
    "the and of said",
    "Lone surrogate \ud800 text: counted the Python way",
]


def _vectorizer_counts(texts, groups, stop_words):
    """compare_terms' counts the plain way: CountVectorizer per sentence, summed per group,
    each token found by the pattern, mapped to its term, stop words dropped."""
    import re

    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    from mediakit.compare.terms import _TOKEN_PATTERN, _preprocess, normalize_term

    stop = ENGLISH_STOP_WORDS if stop_words == "english" else stop_words
    find = re.compile(_TOKEN_PATTERN).findall

    def analyzer(doc):
        words = [normalize_term(t) for t in find(_preprocess(doc))]
        return [w for w in words if stop is None or w not in stop]

    vec = CountVectorizer(analyzer=analyzer)
    x = vec.fit_transform(texts).toarray()
    frame = pd.DataFrame(x, columns=vec.get_feature_names_out()).groupby(list(groups)).sum()
    return frame.stack().loc[lambda s: s > 0]


@pytest.mark.parametrize("stop_words", ["english", None, ["said", "The"]])
@pytest.mark.parametrize("surrogate, batch, n_jobs",
                         [(False, None, 1), (True, None, 1), (False, 7, 1), (False, None, 3),
                          (True, None, 3)])
def test_counts_equal_count_vectorizer_on_messy_text(seeds_sentences, stop_words, surrogate,
                                                     batch, n_jobs, monkeypatch):
    from mediakit.compare import _tokens
    from mediakit.compare.terms import count_terms

    if batch:  # texts split and counted a few at a time, pieces numbered across batches
        monkeypatch.setattr(_tokens, "_BATCH", batch)

    from mediakit.compare.terms import user_stop_words

    texts = MESSY if surrogate else MESSY[:-1]
    texts = texts + seeds_sentences["text"].tolist()
    groups = ["A", "B"] * (len(texts) // 2) + ["A"] * (len(texts) % 2)
    stop = stop_words if not isinstance(stop_words, list) else sorted(
        user_stop_words(stop_words))
    # a str Series (arrow) cannot hold a lone surrogate: a plain list then
    data = texts if surrogate else pd.Series(texts, dtype="str")
    counts, uniques, vocab, _ = count_terms(data, pd.Series(groups), stop_words=stop,
                                            n_jobs=n_jobs)  # 3: batches counted in threads
    assert list(vocab) == sorted(vocab)
    got = pd.DataFrame(counts.toarray(), index=list(uniques), columns=vocab).stack()
    want = _vectorizer_counts(texts, groups, stop)
    pd.testing.assert_series_equal(got[got > 0].sort_index(), want.sort_index(),
                                   check_names=False, check_dtype=False, check_index_type=False)


def test_fast_punctuation_folding_equals_normalize():
    from mediakit._normalize import _PUNCT
    from mediakit._normalize import fold_punctuation as reference
    from mediakit.compare._tokens import fold_punctuation

    every = "".join(map(chr, _PUNCT))
    for text in [every, "plain ASCII", *MESSY[:-1], f"a{every}b{every[::-1]}é"]:
        assert fold_punctuation(text) == reference(text)


# ------------------------------------------------------------ terms, stories, corrections
def test_seeds_acronyms_are_terms_and_spellings_fold(seeds_sentences):
    keys = mk.compare_terms(seeds_sentences, min_count=1)
    acronyms = keys[keys["term"].str.fullmatch(r"[A-Z]{2,}")]
    assert {"US", "NATO", "UK"} <= set(acronyms["term"])
    assert not (acronyms["p_value"] < 0.05).any()  # both outlets name the US: 5 : 5
    us = _row(keys, "outlet A", "US")
    assert (us["n_target"], us["n_reference"]) == (5, 5) and us["variants"] == "U.S.; US"
    assert not keys["term"].isin(["us", "u.s.", "defence"]).any()
    defense = _row(keys, "outlet A", "defense")
    assert defense["variants"] == "defence; defense"
    assert (defense["n_target"], defense["n_reference"]) == (8, 4)
    assert defense["p_value"] > 0.05
    apart = mk.compare_terms(seeds_sentences, min_count=1, fold_spelling=False)
    assert _row(apart, "outlet A", "defence")["n_target"] == 8
    assert _row(apart, "outlet A", "defense")["n_reference"] == 3
    assert _row(apart, "outlet A", "defence")["p_value"] < 0.05  # the old, spurious finding


def _two_stories():
    """A covers story 1 eight times and story 2 once, B the reverse; same wording per story."""
    s1 = "The minister announced new tariffs on steel imports from the neighbouring country."
    s2 = "Flood waters rose across the valley and rescue crews evacuated hundreds of residents."
    rows = [("A", "s1", s1)] * 8 + [("A", "s2", s2)] + [("B", "s2", s2)] * 8 + [("B", "s1", s1)]
    return pd.DataFrame(rows, columns=["outlet", "story_id", "text"])


def test_within_stories_by_default_pooled_on_request():
    data = _two_stories()
    within = mk.compare_terms(data)
    info = within.attrs["compare_terms"]
    assert info["stratified"] and "Mantel-Haenszel" in info["method"]
    assert len(within) > 20 and not (within["p_value"] < 0.05).any()
    assert (within["g2"].abs() < 1e-9).all() and (within["n_stories"] == 2).all()
    pooled = mk.compare_terms(data, stratify=False)
    assert not pooled.attrs["compare_terms"]["stratified"]
    assert (pooled["p_value"] < 0.05).sum() >= 20  # every story word looks "distinctive"
    row = _row(within, "A", "tariffs")
    assert (row["n_target"], row["n_reference"]) == (8, 1)  # counts kept, summed over stories


def test_cochran_mantel_haenszel_by_hand():
    """Two stories with different word use: CMH, summed G2 and the MH rate ratio by hand."""
    data = pd.DataFrame({
        "outlet": ["A", "B", "A", "B"],
        "story_id": ["s1", "s1", "s2", "s2"],
        "text": ["tax tax tax cut", "tax cut cut cut cut", "tax vote vote", "vote vote tax tax"],
    })
    keys = mk.compare_terms(data, stop_words=None, min_count=1)
    row = _row(keys, "A", "tax")
    # story 1: a=3, b=1, c=4, d=5; story 2: a=1, b=2, c=3, d=4
    tables = [(3, 1, 4, 5), (1, 2, 3, 4)]
    dev = var = g2 = num = den = 0.0
    for a, b, c, d in tables:
        n, m = c + d, a + b
        dev += a - m * c / n
        var += m * (n - m) * c * d / (n * n * (n - 1))
        observed = [a, b, c - a, d - b]
        expected = [m * c / n, m * d / n, (n - m) * c / n, (n - m) * d / n]
        g2 += 2 * sum(o * math.log(o / e) for o, e in zip(observed, expected, strict=True)
                      if o > 0)
        num += a * d / n
        den += b * c / n
    assert row["chi2"] == pytest.approx(math.copysign(dev * dev / var, dev))
    from scipy.stats import chi2 as chi2_dist

    assert row["p_value"] == pytest.approx(chi2_dist.sf(dev * dev / var, 1))
    assert row["g2"] == pytest.approx(math.copysign(g2, dev))
    assert row["log_ratio"] == pytest.approx(math.log2(num / den))
    assert (row["n_target"], row["n_reference"], row["total_target"], row["n_stories"]) == \
        (4, 3, 7, 2)
    yates = _row(mk.compare_terms(data, stop_words=None, min_count=1, correction="yates"),
                 "A", "tax")
    assert abs(yates["chi2"]) == pytest.approx((abs(dev) - 0.5) ** 2 / var)


def test_groups_without_a_shared_story_are_listed_not_dropped():
    data = pd.DataFrame({
        "outlet": ["A", "B", "A", "B", "C"],
        "story_id": ["s1", "s1", "s2", "s2", "s3"],
        "text": ["tariffs steel vote", "tariffs steel", "flood rescue", "flood rescue crews",
                 "admissions harvard court"],
    })
    with pytest.warns(mk.MediakitWarning, match="not comparable.*C"):
        keys = mk.compare_terms(data, min_count=1)
    assert set(keys["outlet"]) == {"A", "B"}
    assert keys.attrs["compare_terms"]["not_comparable"] == ["C"]
    assert not keys["term"].isin(["harvard"]).any()  # C's story has no other outlet
    pooled = mk.compare_terms(data, min_count=1, stratify=False)
    assert "harvard" in set(pooled.loc[pooled["outlet"] == "C", "term"])


def test_yates_and_williams_corrections(small):
    from scipy.stats import chi2_contingency

    a, b, c, d = 4, 1, 5, 6
    table = [[a, b], [c - a, d - b]]
    yates = _row(mk.compare_terms(small, stop_words=None, min_count=1, correction="yates"),
                 "A", "apple")
    assert yates["chi2"] == pytest.approx(chi2_contingency(table, correction=True)[0])
    # G2 on the cells moved 0.5 towards their expectation (quanteda's "yates")
    g2_yates = chi2_contingency(table, correction=True, lambda_="log-likelihood")[0]
    assert yates["g2"] == pytest.approx(g2_yates)
    plain = _row(mk.compare_terms(small, stop_words=None, min_count=1), "A", "apple")
    williams = _row(mk.compare_terms(small, stop_words=None, min_count=1,
                                     correction="williams"), "A", "apple")
    n = c + d
    q = 1 + (n / (a + b) + n / (n - a - b) - 1) * (n / c + n / d - 1) / (6 * n)
    assert williams["g2"] == pytest.approx(plain["g2"] / q)
    assert williams["p_value"] > plain["p_value"]
    with pytest.raises(ValueError, match="correction"):
        mk.compare_terms(small, correction="yate")


@pytest.mark.corpora
def test_threads_give_the_same_table(corpora_dir):
    """n_jobs cuts the texts in threads, batch by batch; the table (within stories and
    pooled, with the variants) is the one of a single thread."""
    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False)
    sentences = mk.split_sentences(articles, progress=False)
    sentences = sentences.assign(story_id=sentences["article_id"].map(
        articles.set_index("article_id")["story_id"]))
    for stratify in (None, False):
        one = mk.compare_terms(sentences, stratify=stratify)
        three = mk.compare_terms(sentences, stratify=stratify, n_jobs=3)
        assert len(one) > 1000
        pd.testing.assert_frame_equal(one, three, check_exact=True)
        assert one.attrs == three.attrs


def test_group_keys_factorized_as_pandas_does():
    import numpy as np

    from mediakit.compare.terms import _factorized

    stories = ["s2", "s1", "s2", "s3", "s1", "s2"]
    outlets = ["B", "A", "A", "B", "A", "B"]
    keys = pd.MultiIndex.from_arrays([stories, outlets], names=["story_id", "outlet"])
    with_na = pd.MultiIndex.from_arrays([stories, ["B", None, "A", "B", None, "B"]])
    for groups in (keys, with_na, pd.Series(outlets), keys[:0]):
        codes, uniques = _factorized(groups)
        want_codes, want_uniques = pd.factorize(groups)
        np.testing.assert_array_equal(codes, want_codes)
        assert list(uniques) == list(want_uniques)
        assert list(getattr(uniques, "names", [])) == list(getattr(want_uniques, "names", []))
