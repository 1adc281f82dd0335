"""compare_coverage: sentence alignment across outlets, facts, omissions, numbers."""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mediakit as mk
from mediakit._normalize import (
    fold_accents,
    normalize_numbers,
    normalize_spelling,
    parse_number_words,
)
from mediakit.compare._numbers import extract_amounts

SEED_A, SEED_B = "000_7ab8ad6a0a579be7", "002_83c2cadf47dd1672"


def _sid(sentences, article_id, needle):
    """sentence_id of the one content sentence of ``article_id`` containing ``needle``."""
    rows = sentences[(sentences["article_id"] == article_id)
                     & sentences["text"].str.contains(needle, regex=False)
                     & sentences["kind"].isin(["headline", "body", "bullet"])]
    assert len(rows) == 1, f"{needle!r} found {len(rows)} times in {article_id}"
    return int(rows["sentence_id"].iloc[0])


def _row(alignment, article_id, sentence_id):
    rows = alignment[(alignment["article_id"] == article_id)
                     & (alignment["sentence_id"] == sentence_id)]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.fixture(scope="module")
def seeds_coverage(seeds_sentences):
    return mk.compare_coverage(seeds_sentences)


# --- normalisation ------------------------------------------------------------------------------

def test_fold_accents_and_spelling_variants():
    assert fold_accents("Sébastien Häkkänen, Øresund, straße") == "Sebastien Hakkanen, Oresund, strasse"
    assert normalize_spelling("Ukraine Defence Contact Group") == "Ukraine Defense Contact Group"
    assert normalize_spelling("organise the colour centre") == "organize the color center"
    assert normalize_spelling("travelled, labour, analysed") == "traveled, labor, analyzed"
    # words that only look like variants stay
    assert normalize_spelling("four hours, promise, exercise, more") == (
        "four hours, promise, exercise, more")


def _fold_accents_plainly(text: str) -> str:
    """fold_accents' definition: the special letters mapped, NFKD, every combining mark
    dropped, NFC."""
    import unicodedata

    from mediakit._normalize import _SPECIAL_LETTERS

    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(
    [chr(c) for c in range(0x20, 0x3100) if not 0xD800 <= c < 0xE000]
    + [chr(c) for c in range(0x1D150, 0x1D250)] + list("øØßæıŁœÞ’“—")
    + ["e\u0301", "\u0301", "\u1100\u1161", "\U0001D15E", "ﬁ", "²"]), max_size=12).map("".join))
def test_fold_accents_equals_its_definition(text):
    """The quick tests (nothing to decompose or drop; marks found by one character class)
    give what the definition gives."""
    assert fold_accents(text) == _fold_accents_plainly(text)


def test_fold_accents_on_every_character():
    every = "".join(chr(c) for c in range(0x20, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    assert fold_accents(every) == _fold_accents_plainly(every)
    bmp = every[:0xD800 - 0x20]
    assert fold_accents(bmp) == _fold_accents_plainly(bmp)


def test_number_words():
    assert normalize_numbers("about thirty ministers") == "about 30 ministers"
    assert normalize_numbers("twenty-seven states, the 27th meeting") == "27 states, the 27 meeting"
    assert parse_number_words(["two", "hundred", "thousand"]) == (200000.0, False)
    assert parse_number_words(["1.5", "million"]) == (1500000.0, False)


def test_extract_amounts_counts_the_noun():
    found = {a["phrase"]: a for a in extract_amounts(
        "Approximately 30 countries met for the 27th meeting and set four primary objectives "
        "at 10:30 in 2025.")}
    assert found["Approximately 30 countries"]["counted"] == "country"
    assert found["Approximately 30 countries"]["qualifier"] == "approximately"
    assert found["27th meeting"]["ordinal"] and found["27th meeting"]["amount"] == 27
    assert found["four primary objectives"]["amount"] == 4
    assert not any("10" in p or "2025" in p for p in found)  # clock time and year skipped


# --- the seeds ------------------------------------------------------------------------------------

def test_seeds_contact_group_defence_defense_are_related(seeds_sentences, seeds_coverage):
    """The two sentences on the Ukraine Defence/Defense Contact Group match each other, but each
    holds details the other lacks (27th meeting, chairs; NATO headquarters, Friday): related,
    not one fact, and shown as evidence beside the omission."""
    a = _sid(seeds_sentences, SEED_A, "Ukraine Defence Contact Group")
    b = _sid(seeds_sentences, SEED_B, "Ukraine Defense Contact Group")
    row = _row(seeds_coverage.alignment, SEED_A, a)
    assert row["other_sentence_id"] == b and row["status"] == "partial"
    assert _row(seeds_coverage.alignment, SEED_B, b)["other_sentence_id"] == a
    facts = seeds_coverage.facts.set_index(["article_id", "sentence_id"])["fact_id"]
    assert facts[(SEED_A, a)] != facts[(SEED_B, b)]
    pres = seeds_coverage.presence.set_index(["fact_id", "outlet"])
    near = pres.loc[(facts[(SEED_B, b)], "outlet A")]
    assert near["status"] == "related" and near["similarity"] == row["similarity"]
    assert (near["article_id"], near["sentence_id"]) == (SEED_A, a)
    assert (near["fact_article_id"], near["fact_sentence_id"]) == (SEED_B, b)
    om = seeds_coverage.omissions
    om = om[(om["outlet"] == "outlet A") & (om["fact_id"] == facts[(SEED_B, b)])].iloc[0]
    assert "Defence Contact Group" in om["related_sentence"]
    assert "Defense Contact Group" in om["fact_sentence"]


def test_seeds_rubio_and_kallas_are_unique(seeds_sentences, seeds_coverage):
    rubio = _sid(seeds_sentences, SEED_A, "Rubio")
    kallas = _sid(seeds_sentences, SEED_B, "Kallas")
    for article, sid in ((SEED_A, rubio), (SEED_B, kallas)):
        row = _row(seeds_coverage.alignment, article, sid)
        assert row["status"] == "unique"
        assert pd.isna(row["other_sentence_id"]) and pd.isna(row["other_article_id"])
    om = seeds_coverage.omissions
    assert om.loc[om["outlet"] == "outlet B", "text"].str.contains("Rubio").any()
    assert om.loc[om["outlet"] == "outlet A", "text"].str.contains("Kallas").any()
    assert not om.loc[om["outlet"] == "outlet A", "text"].str.contains("Rubio").any()


def test_seeds_tables_are_consistent(seeds_sentences, seeds_coverage):
    cov = seeds_coverage
    content = seeds_sentences[seeds_sentences["kind"].isin(["headline", "body", "bullet"])]
    # one alignment row per content sentence (two outlets: one other outlet each)
    assert len(cov.alignment) == len(content)
    assert set(cov.alignment["status"]) <= {"shared", "partial", "unique"}
    # unique rows have no match, matched rows do
    unique = cov.alignment["status"] == "unique"
    assert cov.alignment.loc[unique, "other_sentence_id"].isna().all()
    assert cov.alignment.loc[~unique, "other_sentence_id"].notna().all()
    # every content sentence is in exactly one fact
    assert len(cov.facts) == len(content)
    assert not cov.facts.duplicated(["article_id", "sentence_id"]).any()
    assert not cov.facts.duplicated(["fact_id", "article_id"]).any()
    n_facts = cov.facts["fact_id"].nunique()
    assert len(cov.presence) == 2 * n_facts
    summary = cov.summary().set_index("outlet")
    assert summary["n_sentences"].sum() == len(content)
    assert (summary["n_facts"] == summary["n_shared"] + summary["n_only"]).all()
    assert "Coverage(1 story, 2 outlets" in repr(cov)
    wide = cov.presence_matrix()
    assert list(wide.columns) == ["story_id", "fact_id", "outlet A", "outlet B"]
    assert set(wide[["outlet A", "outlet B"]].stack()) <= {"carried", "related", "absent"}


def test_seeds_numbers(seeds_sentences, seeds_coverage):
    nums = seeds_coverage.numbers
    thirty = nums[nums["amount"] == 30]
    assert set(thirty["outlet"]) == {"outlet A", "outlet B"}
    assert set(thirty["counted"]) == {"minister", "country"}
    meeting = nums[nums["counted"] == "meeting"].iloc[0]
    assert meeting["amount"] == 27 and meeting["ordinal"] and meeting["outlet"] == "outlet A"
    assert nums.loc[nums["counted"] == "objective", "amount"].tolist() == [4.0]
    # offsets point into the article text
    texts = mk.load_example("seeds").set_index("article_id")["text"]
    for row in nums.itertuples():
        assert texts[row.article_id][row.start:row.end] == row.phrase
    assert not nums["disagreement"].any()  # 30 ministers vs 30 countries: different things


def test_number_disagreement():
    sentences = pd.DataFrame({
        "article_id": ["a", "a", "b", "c"], "sentence_id": [0, 1, 0, 0],
        "outlet": ["X", "X", "Y", "Z"], "story_id": "s",
        "text": ["The storm killed 30 people on the coast.", "Rescue teams came.",
                 "At least 25 people died in the storm.", "The storm killed 30 people."]})
    nums = mk.compare_coverage(sentences).numbers
    by_outlet = nums.set_index("outlet")
    assert by_outlet.loc["Y", "disagreement"]
    assert by_outlet.loc["Y", "other_amounts"] == "X: 30; Z: 30"
    assert not by_outlet.loc["X", "disagreement"] and not by_outlet.loc["Z", "disagreement"]
    # within a fact: another outlet's sentence in the same fact counts the same noun and
    # none of them gives this amount
    for row in nums.itertuples():
        others = nums[(nums["fact_id"] == row.fact_id) & (nums["outlet"] != row.outlet)
                      & (nums["counted"] == row.counted)]
        expected = len(others) > 0 and row.amount not in set(others["amount"])
        assert row.fact_disagreement == expected


def test_generic_counts_never_disagree():
    sentences = pd.DataFrame({
        "article_id": ["a", "b"], "sentence_id": [0, 0], "outlet": ["X", "Y"], "story_id": "s",
        "text": ["Shares fell 5% after 20 years of growth.", "Shares fell 7% after 3 years."]})
    nums = mk.compare_coverage(sentences).numbers
    assert set(nums["counted"]) == {"percent", "year"}
    assert not nums["disagreement"].any() and not nums["fact_disagreement"].any()


def test_a_fact_holds_one_sentence_per_article():
    """Near-repeats inside one article cannot chain a story into one giant fact."""
    sentences = pd.DataFrame({
        "article_id": ["a", "a", "b"], "sentence_id": [0, 1, 0], "outlet": ["X", "X", "Y"],
        "story_id": "s",
        "text": ["The minister resigned on Monday after the funding scandal.",
                 "The minister resigned on Monday, after the scandal over funding.",
                 "On Monday the minister resigned over the funding scandal."]})
    cov = mk.compare_coverage(sentences)
    assert (cov.alignment.loc[cov.alignment["outlet"] == "X", "status"] != "unique").all()
    assert not cov.facts.duplicated(["fact_id", "article_id"]).any()
    assert cov.facts["fact_id"].nunique() == 2


def test_alignment_stays_within_a_story():
    text = "The central bank raised interest rates by half a point on Tuesday."
    sentences = pd.DataFrame({
        "article_id": ["a", "b", "c"], "sentence_id": [0, 0, 0], "outlet": ["X", "Y", "Y"],
        "story_id": ["s1", "s2", "s1"],
        "text": [text, text, "Fans queued all night for the concert tickets."]})
    al = mk.compare_coverage(sentences).alignment
    assert set(al["article_id"]) == {"a", "c"}  # b has no other outlet in its story
    assert al.loc[al["article_id"] == "a", "status"].item() == "unique"


def test_three_outlets_and_non_content_ignored():
    sentences = pd.DataFrame({
        "article_id": ["a", "a", "b", "c"], "sentence_id": [0, 1, 0, 0],
        "outlet": ["X", "X", "Y", "Z"], "story_id": "s",
        "kind": ["body", "promo", "body", "body"],
        "text": ["Parliament passed the budget bill by 300 votes to 250.",
                 "Read more: Parliament passed the budget bill",
                 "The budget bill passed Parliament by 300 votes to 250.",
                 "A heatwave closed schools across the north."]})
    cov = mk.compare_coverage(sentences)
    al = cov.alignment
    assert len(al) == 3 * 2  # three content sentences x two other outlets
    assert not (al["sentence_id"] == 1).any()
    xy = al[(al["outlet"] == "X") & (al["other_outlet"] == "Y")].iloc[0]
    assert xy["status"] == "shared" and xy["other_article_id"] == "b"
    assert (al.loc[al["outlet"] == "Z", "status"] == "unique").all()
    om = cov.omissions
    assert set(om.loc[om["outlet"] == "Z", "carried_by"]) == {"X; Y"}


# --- contract ---------------------------------------------------------------------------------------

def test_input_not_mutated(seeds_sentences):
    before = seeds_sentences.copy(deep=True)
    mk.compare_coverage(seeds_sentences)
    pd.testing.assert_frame_equal(seeds_sentences, before)


def test_empty_frame(seeds_sentences):
    cov = mk.compare_coverage(seeds_sentences.iloc[:0])
    assert cov.alignment.empty and cov.facts.empty and cov.numbers.empty
    assert list(cov.alignment.columns) == [
        "story_id", "outlet", "article_id", "sentence_id", "other_outlet", "other_article_id",
        "other_sentence_id", "similarity", "status"]
    assert {"fact_id", "text", "n_outlets", "rank", "position"} <= set(cov.facts.columns)
    assert cov.summary().empty


def test_missing_column_and_bad_values(seeds_sentences):
    with pytest.raises(mk.SchemaError, match="story_id"):
        mk.compare_coverage(seeds_sentences.drop(columns="story_id"))
    with pytest.raises(TypeError):
        mk.compare_coverage(seeds_sentences["text"])
    with pytest.raises(ValueError, match="partial"):
        mk.compare_coverage(seeds_sentences, shared=0.2, partial=0.4)
    with pytest.raises(ValueError, match="kinds"):
        mk.compare_coverage(seeds_sentences, kinds=["bodyy"])


# --- OneStopEnglish: the same article at three levels as three "outlets" -------------------------

OSE_BAD = {"Royal Baby", "WNL Arctic Ramadan"}  # wrong elementary text upstream (SOURCE.md)


def _letters(text):
    """Lower-case ASCII letters of ``text`` and, for each, its offset in ``text``."""
    idx = [i for i, ch in enumerate(text) if ch.isascii() and ch.isalpha()]
    return "".join(text[i].lower() for i in idx), idx


@pytest.fixture(scope="module")
def ose(corpora_dir):
    folder = corpora_dir / "onestopenglish_dev"
    arts = pd.read_json(folder / "articles.jsonl", lines=True)
    arts = arts[~arts["article_id"].isin(OSE_BAD)]
    articles = pd.DataFrame({"article_id": arts["article_id"] + "|" + arts["level"],
                             "outlet": arts["level"], "story_id": arts["article_id"],
                             "text": arts["text"]})
    with open(folder / "aligned_sentences.jsonl", encoding="utf-8") as fh:
        pairs = [json.loads(line) for line in fh]
    pairs = [p for p in pairs if p["article_id"] not in OSE_BAD]
    return articles, mk.split_sentences(articles), pairs


@pytest.mark.corpora
def test_onestopenglish_recall_of_published_alignments(ose):
    """Recall of the published level-pair alignments, per level pair, must be >= 0.95.

    Matching (segmentation differs from upstream's): a published sentence is located in the
    article text by its lower-case ASCII letters only (upstream deleted every non-ASCII
    character), and stands for every one of our sentences whose span overlaps it. A published
    pair (sa, sb) is recalled when one of our sentences standing for sa has a shared or partial
    best match among those standing for sb, or the other way round. Published sentences not
    found verbatim this way (upstream PDF gaps, about 1%) are left out; they are counted and
    must stay few. Upstream made its list by cosine similarity and left out identical
    sentences, so this measures recall only; precision is the negative test below.
    """
    articles, sentences, pairs = ose
    cov = mk.compare_coverage(sentences, progress=False)
    al = cov.alignment[cov.alignment["status"] != "unique"]
    matched = set(zip(al["article_id"], al["sentence_id"], al["other_article_id"],
                      al["other_sentence_id"].astype("int64"), strict=True))
    letters = {a: _letters(t) for a, t in zip(articles["article_id"], articles["text"],
                                              strict=True)}
    spans = {a: (g["sentence_id"].to_numpy(), g["start"].to_numpy(), g["end"].to_numpy())
             for a, g in sentences.groupby("article_id")}

    def ours(article_id, sentence):
        flat, idx = letters[article_id]
        key = "".join(ch.lower() for ch in sentence if ch.isascii() and ch.isalpha())
        at = flat.find(key) if key else -1
        if at < 0:
            return set()
        start, end = idx[at], idx[at + len(key) - 1] + 1
        sid, s, e = spans[article_id]
        return set(sid[(np.minimum(e, end) - np.maximum(s, start)) > 0].tolist())

    hits: dict[tuple[str, str], list[bool]] = {}
    not_found = 0
    for p in pairs:
        a = f"{p['article_id']}|{p['level_a']}"
        b = f"{p['article_id']}|{p['level_b']}"
        sa, sb = ours(a, p["sentence_a"]), ours(b, p["sentence_b"])
        if not sa or not sb:
            not_found += 1
            continue
        ok = any((a, i, b, j) in matched or (b, j, a, i) in matched for i in sa for j in sb)
        hits.setdefault((p["level_a"], p["level_b"]), []).append(ok)
    assert not_found <= 0.02 * len(pairs)
    assert set(hits) == {("advanced", "elementary"), ("advanced", "intermediate"),
                         ("elementary", "intermediate")}
    recall = {pair: float(np.mean(v)) for pair, v in hits.items()}
    assert all(r >= 0.95 for r in recall.values()), recall


@pytest.mark.corpora
def test_onestopenglish_unrelated_articles_rarely_align(ose):
    """A level of one article against a level of the next article (in sorted order, the level
    pair rotating): at most 1% of their sentences may be shared or partial."""
    _, sentences, _ = ose
    ids = sorted(sentences["story_id"].unique())
    level_pairs = [("advanced", "elementary"), ("advanced", "intermediate"),
                   ("elementary", "intermediate")]
    parts = []
    for k, story in enumerate(ids):
        la, lb = level_pairs[k % 3]
        other = ids[(k + 1) % len(ids)]
        x = sentences[sentences["article_id"] == f"{story}|{la}"]
        y = sentences[sentences["article_id"] == f"{other}|{lb}"]
        parts.append(pd.concat([x, y]).assign(story_id=f"neg{k}"))
    negatives = pd.concat(parts, ignore_index=True)
    al = mk.compare_coverage(negatives, progress=False).alignment
    assert len(al) > 5000
    assert (al["status"] != "unique").mean() <= 0.01


def test_similarity_equals_scikit_learn_without_idf(seeds_sentences):
    """Hashing once for the corpus then weighting each row alone gives scikit-learn's sublinear
    term frequencies without idf (nothing fitted on the story).

    Up to hash collisions (2**24 buckets): a colliding pair of n-grams shares one weight, which
    moves a similarity by far less than 0.01.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    from mediakit.compare._align import (
        matching_key,
        sentence_features,
        story_similarity,
        word_tokens,
    )

    texts = seeds_sentences["text"].tolist()
    feats = sentence_features(texts)
    ours = story_similarity(feats.words, feats.chars, word_weight=0.5)
    keys = [matching_key(t) for t in texts]
    plain = {"use_idf": False, "sublinear_tf": True}
    xw = TfidfVectorizer(analyzer=word_tokens, **plain).fit_transform(keys)
    xc = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), **plain).fit_transform(keys)
    expected = np.clip(0.5 * (xw @ xw.T).toarray() + 0.5 * (xc @ xc.T).toarray(), 0, 1)
    np.testing.assert_allclose(ours, expected, atol=0.01)
    assert np.mean(np.abs(ours - expected) < 1e-9) > 0.9


def test_custom_column_roles(seeds_sentences):
    renamed = seeds_sentences.rename(columns={"outlet": "source", "story_id": "event"})
    cov = mk.compare_coverage(renamed, by="source", story="event")
    assert list(cov.alignment.columns[:5]) == ["event", "source", "article_id", "sentence_id",
                                               "other_source"]
    assert set(cov.summary()["source"]) == {"outlet A", "outlet B"}
    default = mk.compare_coverage(seeds_sentences)
    assert cov.alignment["status"].tolist() == default.alignment["status"].tolist()


# --- speed without changing results: fast paths equal the plain computations ---------------------

TRICKY = [
    "Twenty-seven ſeven KELVIN ﬁve ²3 about thirty-first", "Seventeen hundred and ninety-nine",
    "one-off firstly Eleventh tenth", "More  than\xa0thirty men", "as many as “forty” people",
    "Thİrty people came", "about ſix people", "EIGHT men", "at least 5% of the vote",
    "up to £3 million", "as many as $30 people", "about\t\t thirty ships", "(about 30 people)",
    "tenant ten tents", "about about 5 men", "at 10:30 on 5 May 30 people", "about $ 30 men",
    "The Labour DEFENCE programme organised Colour", "٣ people", "no number here", "",
    "éabout 30 countries", "_about 3 men", "x$5 bonus", "naïve about 4 cars", "3about 4 men",
    "paid usd5 m", "ça some 12 usd", "Über more than twenty-seven people", "$US5 (about 9 ships)",
]


def test_number_and_spelling_fast_paths_equal_the_plain_patterns(seeds_sentences, monkeypatch):
    import re

    from mediakit import _normalize as nz
    from mediakit.compare import _numbers

    texts = seeds_sentences["text"].tolist() + TRICKY
    plain = "|".join(sorted(nz.NUMBER_WORDS - {"second"}, key=len, reverse=True))
    assert re.compile(nz.word_alternation(nz.NUMBER_WORDS)).fullmatch("seventeenth")
    fast_numbers = [nz.normalize_numbers(t) for t in texts]
    fast_spelling = [nz.normalize_spelling(t) for t in texts]
    fast_amounts = [_numbers.extract_amounts(t) for t in texts]
    may = nz.may_hold_numbers(texts)
    # the plain versions: one alternation longest first, finditer over every position
    monkeypatch.setattr(nz, "_NUM_RUN", re.compile(
        nz._NUM_RUN.pattern.replace(nz._NUMBER_WORD_RE, f"(?:{plain})"), re.IGNORECASE))
    monkeypatch.setattr(nz, "MAY_HOLD_NUMBER", re.compile(".", re.DOTALL))
    amount = re.compile(_numbers._AMOUNT.pattern.replace(_numbers._NUMWORD, f"(?:{plain})"),
                        re.IGNORECASE)
    monkeypatch.setattr(_numbers, "_amount_matches", amount.finditer)
    assert fast_numbers == [nz.normalize_numbers(t) for t in texts]
    assert [nz._WORD_RE.sub(lambda m: m.group(0) if nz.americanize(m.group(0).lower())
                            == m.group(0).lower() else nz.normalize_spelling(m.group(0)), t)
            for t in texts] == fast_spelling
    assert fast_amounts == [_numbers.extract_amounts(t) for t in texts]
    assert sum(map(len, fast_amounts)) > 10
    # the vectorised test never drops a text holding a number (after folding)
    number = re.compile(r"\d|\b(?:" + plain + ")", re.IGNORECASE)
    for text, maybe in zip(texts, may, strict=True):
        folded = nz.fold_accents(nz.fold_punctuation(text))
        assert maybe or not number.search(folded), text
    assert not all(may)
    assert [nz.fold_punctuation(t) for t in texts] == [t.translate(nz._PUNCT) for t in texts]


def test_features_equal_scikit_learn_hashing(seeds_sentences):
    """Tokens hashed once per distinct word give HashingVectorizer's counts, column for column."""
    from sklearn.feature_extraction.text import HashingVectorizer

    from mediakit.compare._features import compact, matching_key, sentence_features, word_tokens

    texts = seeds_sentences["text"].tolist() + TRICKY
    feats = sentence_features(texts)
    words, chars = feats.words, feats.chars
    keys = [matching_key(t) for t in texts]
    hashing = {"n_features": 2**24, "alternate_sign": False, "norm": None}
    plain_words = compact(HashingVectorizer(analyzer=word_tokens, **hashing).transform(keys))
    plain_chars = compact(HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5),
                                            **hashing).transform(keys).tocsr())
    for ours, plain in ((words, plain_words), (chars, plain_chars)):
        assert ours.shape == plain.shape
        np.testing.assert_array_equal(ours.indptr, plain.indptr)
        np.testing.assert_array_equal(ours.indices, plain.indices)
        np.testing.assert_array_equal(ours.data, plain.data)


@pytest.mark.corpora
def test_hashed_rows_equal_scikit_learn_on_a_corpus(corpora_dir):
    """The vectorised MurmurHash of every word and character n-gram of a real corpus (and of
    words of 1 and 2 letters, accents, other scripts, emoji) lands in scikit-learn's columns."""
    from itertools import chain

    from sklearn.feature_extraction.text import HashingVectorizer

    from mediakit.compare._features import compact, hashed_rows, matching_keys

    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False)
    keys = matching_keys(articles["text"].tolist())
    words = list(dict.fromkeys(chain.from_iterable(k.lower().split() for k in keys)))
    words += ["a", "ab", "é", "naïve", "größe", "日本語", "абвгд", "😀", "x😀y", "ǆ"]
    assert len(words) > 10_000
    hashing = {"n_features": 2**24, "alternate_sign": False, "norm": None}
    for ngrams, vectorizer in (
            (None, HashingVectorizer(analyzer=lambda w: [w], **hashing)),
            ((3, 5), HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=False,
                                       **hashing)),
            ((2, 7), HashingVectorizer(analyzer="char_wb", ngram_range=(2, 7), lowercase=False,
                                       **hashing))):
        ours, plain = hashed_rows(words, char_wb=ngrams), compact(
            vectorizer.transform(words).tocsr())
        assert ours.shape == plain.shape
        np.testing.assert_array_equal(ours.indptr, plain.indptr)
        np.testing.assert_array_equal(ours.indices, plain.indices)
        np.testing.assert_array_equal(ours.data, plain.data)


def test_pipeline_does_not_import_scikit_learn():
    """Splitting, scoring, keyness, story grouping (full text) and coverage never import
    scikit-learn (about a second in the process, 0.6 s in each coverage worker): the stop words
    are read from its module file, and they are scikit-learn's list."""
    import subprocess

    code = (
        "import sys, mediakit as mk\n"
        "a = mk.load_example('seeds')\n"
        "s = mk.split_sentences(a, progress=False)\n"
        "s = mk.score_frames(mk.score_readability(mk.score_sentiment(s, progress=False),\n"
        "                    progress=False), progress=False)\n"
        "terms = mk.compare_terms(s, by='outlet', stratify=False)\n"
        "assert len(terms) > 0\n"
        "stories = mk.group_stories(a, progress=False)\n"
        "assert stories['story_id'].nunique() == 1\n"
        "cov = mk.compare_coverage(s.assign(story_id='a'), progress=False)\n"
        "assert len(cov.facts) > 0\n"
        "print('sklearn' in sys.modules)\n"
        "from mediakit.compare._tokens import english_stop_words\n"
        "from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS\n"
        "print(english_stop_words() == ENGLISH_STOP_WORDS)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True"]


def _three_outlets():
    texts = {
        "X": ["The central bank raised interest rates by half a point on Tuesday.",
              "Inflation reached 7 percent in March, the highest in 40 years.",
              "Fans queued all night for the concert tickets."],
        "Y": ["On Tuesday the central bank raised rates by half a point.",
              "Prices rose 7 percent in the year to March.",
              "The governor said further rises were likely."],
        "Z": ["Interest rates went up by half a point, the central bank said.",
              "The governor warned that more rises were likely this year."],
    }
    rows = [{"article_id": outlet, "sentence_id": k, "outlet": outlet, "story_id": "s",
             "text": t} for outlet, ts in texts.items() for k, t in enumerate(ts)]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("name", ["seeds", "three"])
def test_similarity_by_blocks_equals_pair_by_pair(name, seeds_sentences, monkeypatch):
    from mediakit.compare import _align

    sentences = seeds_sentences if name == "seeds" else _three_outlets()
    monkeypatch.setattr(_align, "DENSE_FACTOR", 10**9)
    blocks = mk.compare_coverage(sentences)
    monkeypatch.setattr(_align, "DENSE_FACTOR", 0)
    pairs = mk.compare_coverage(sentences)
    for table in ("alignment", "facts", "presence", "omissions", "numbers"):
        pd.testing.assert_frame_equal(getattr(blocks, table), getattr(pairs, table))
    assert (blocks.alignment["status"] != "unique").sum() >= 3


def test_a_sentence_sharing_no_word_with_an_outlet_has_no_candidate():
    cov = mk.compare_coverage(_three_outlets())
    al = cov.alignment.set_index(["outlet", "sentence_id", "other_outlet"])
    concert = al.loc[("X", 2, "Y")]
    assert concert["status"] == "unique" and concert["similarity"] == 0.0
    assert pd.isna(concert["other_article_id"]) and pd.isna(concert["other_sentence_id"])
    rates = al.loc[("X", 0, "Z")]
    assert rates["status"] != "unique" and rates["other_sentence_id"] == 0
    assert 0 < al.loc[("Y", 2, "Z"), "similarity"] <= 1


def test_candidates_are_capped_and_skip_common_words():
    from mediakit.compare._align import StorySimilarity, candidate_pairs
    from mediakit.compare._features import compact, sentence_features

    # outlet 0: one sentence; outlet 1: 30 sentences sharing "minister" with it, 3 of which
    # also share its rarer words
    texts = ["The minister met farmers in Lyon about grain prices."]
    texts += [f"The minister spoke about topic number {k}." for k in range(27)]
    texts += ["Farmers in Lyon met the minister.", "Grain prices worried farmers in Lyon.",
              "The minister discussed grain prices."]
    groups = np.array([0] + [1] * 30)
    feats = sentence_features(texts)
    xw = StorySimilarity(compact(feats.words), feats.chars).xw
    rows, cols = candidate_pairs(xw, groups, max_sentences=100, per_group=5)
    mine = cols[rows == 0]
    assert len(mine) == 5 and set(mine) >= {28, 29, 30}  # the best by word cosine kept
    assert (groups[rows] != groups[cols]).all()
    assert np.bincount(rows).max() <= 5
    # "minister" is in 29 sentences: above max_sentences it draws no candidates
    rows, cols = candidate_pairs(xw, groups, max_sentences=20, per_group=5)
    assert set(cols[rows == 0]) == {28, 29, 30}
    assert 1 not in set(rows)  # "topic number k" shares only the common word with anyone


def test_other_amounts_are_listed_up_to_a_cap():
    from mediakit.compare._facts import MAX_OTHER_AMOUNTS

    n = MAX_OTHER_AMOUNTS + 20
    sentences = pd.DataFrame({
        "article_id": [f"a{i}" for i in range(n)], "sentence_id": 0,
        "outlet": ["X"] + ["Y"] * (n - 1), "story_id": "s",
        "text": [f"The storm killed {i + 1000} people on the coast." for i in range(n)]})
    nums = mk.compare_coverage(sentences).numbers.set_index("article_id")
    assert nums.loc["a0", "disagreement"]
    listed = nums.loc["a0", "other_amounts"].split("; ")
    assert len(listed) == MAX_OTHER_AMOUNTS + 1 and listed[-1] == f"... ({n - 1 - MAX_OTHER_AMOUNTS} more)"
    assert listed[0] == "Y: 1001"
    assert nums.loc["a1", "other_amounts"] == "X: 1000"


@pytest.mark.corpora
def test_batches_and_workers_give_the_one_call_tables(corpora_dir, monkeypatch):
    """Stories are aligned in batches (bounded memory) and in worker processes with n_jobs:
    every table is the one a single batch in this process gives, dtypes included."""
    from mediakit.compare import coverage as cov_module

    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False).iloc[:90]
    sentences = mk.split_sentences(articles, progress=False)
    monkeypatch.setattr(cov_module, "BATCH_SENTENCES", 10**9)
    want = mk.compare_coverage(sentences, progress=False)
    assert want.facts["story_id"].nunique() > 20
    for n_jobs, batch in ((1, 300), (2, 10**9)):
        monkeypatch.setattr(cov_module, "BATCH_SENTENCES", batch)
        assert len(cov_module._story_batch_rows(sentences["story_id"], n_jobs)) > 1
        got = mk.compare_coverage(sentences, n_jobs=n_jobs, progress=False)
        for name in ("alignment", "facts", "presence", "omissions", "numbers"):
            pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name), obj=name)


def test_a_story_too_large_for_the_machine_is_named_before_any_work(seeds_sentences,
                                                                   monkeypatch):
    """compare_coverage measures the largest story first: one that would need more memory
    than the machine has available raises StoryTooLargeError naming it and its size."""
    from mediakit._validation import CONTENT_KINDS
    from mediakit.compare import coverage as cov_module

    content = seeds_sentences[seeds_sentences["kind"].isin(CONTENT_KINDS)]
    need = int(content["text"].str.len().sum()) * cov_module.COVERAGE_BYTES_PER_TEXT_BYTE
    # just under what the seeds' one story needs: refused; just over: aligned
    monkeypatch.setattr(cov_module, "available_memory", lambda: need - 1024)
    with pytest.raises(mk.StoryTooLargeError,
                       match=r"story 'coalition-of-the-willing' is too large to align in "
                             r"memory: \d+ sentences, [\d.]+ KB of text"):
        mk.compare_coverage(seeds_sentences, progress=False)
    monkeypatch.setattr(cov_module, "available_memory", lambda: need + 1024)
    assert len(mk.compare_coverage(seeds_sentences, progress=False).facts)


def test_available_memory_reads_the_system():
    from mediakit.compare.coverage import available_memory

    got = available_memory()
    if sys.platform.startswith("linux"):
        assert got is not None and 64 * 2**20 < got < 2**50


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "B", "é", None]),
                          st.one_of(st.none(), st.integers(0, 3)), st.booleans()),
                min_size=0, max_size=12),
       st.lists(st.booleans(), min_size=3, max_size=3), st.integers(1, 3))
def test_in_order_is_a_stable_sort_that_moves_nothing(rows, ascending, n_keys):
    """The merge skips its sort exactly when the sort would leave every row in place (text,
    integers with missing values, booleans; ascending or not; missing values last)."""
    from mediakit.compare.coverage import _in_order

    frame = pd.DataFrame(rows, columns=["s", "i", "b"]).astype(
        {"s": "str", "i": "Int64", "b": "bool"})
    keys, up = ["s", "i", "b"][:n_keys], ascending[:n_keys]
    moved = frame.sort_values(keys, ascending=up, kind="stable").index
    assert _in_order(frame, keys, up) == moved.equals(frame.index)
    ordered = frame.loc[moved]
    assert _in_order(ordered, keys, up)


@pytest.mark.corpora
def test_story_similarity_is_exactly_symmetric_by_blocks_or_pairs(corpora_dir):
    """Rows stored in any order (here each row's entries shuffled), a pair and its reverse
    get the same similarity bit for bit, by blocks or pair by pair: best_matches computes
    each such pair once."""
    from scipy import sparse

    from mediakit.compare._align import StorySimilarity
    from mediakit.compare._features import sentence_features

    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl",
                                progress=False)
    story = articles["story_id"].iloc[0]
    sentences = mk.split_sentences(articles[articles["story_id"] == story], progress=False)
    texts = sentences["text"].tolist()
    feats = sentence_features(texts)
    rng = np.random.default_rng(0)

    def shuffled(x):
        x = x.tocsr(copy=True)
        for i in range(x.shape[0]):
            a, b = x.indptr[i], x.indptr[i + 1]
            perm = a + rng.permutation(b - a)
            x.indices[a:b], x.data[a:b] = x.indices[perm], x.data[perm]
        return sparse.csr_matrix((x.data, x.indices, x.indptr), shape=x.shape)

    words, chars = shuffled(feats.words), shuffled(feats.chars)
    assert not (words.has_sorted_indices and chars.has_sorted_indices)
    sim = StorySimilarity(words, chars)
    m = len(texts)
    full = sim.rows(np.arange(m))
    assert m > 30 and np.array_equal(full, full.T)
    r, c = np.divmod(np.arange(m * m), m)
    assert np.array_equal(sim.pairs(r, c), full[r, c])
    assert np.array_equal(sim.rows(np.arange(5), np.arange(7, 20)), full[:5, 7:20])
    # so are the same-fact model's features (compare_coverage computes them once per pair)
    from mediakit.compare._samefact import pair_features, story_features

    of_pairs = story_features(feats)
    ahead, shared = pair_features(of_pairs, r, c, with_shared=True)
    assert np.array_equal(ahead, pair_features(of_pairs, c, r))
    assert np.array_equal(shared, pair_features(of_pairs, c, r, with_shared=True)[1])
    assert shared.max() > 3 and np.array_equal(shared, shared.reshape(m, m).T.ravel())


@pytest.mark.parametrize("numbered", ["by their tokens", "renumbered"])
def test_runs_of_tokens_shared_by_two_sentences(seeds_sentences, monkeypatch, numbered):
    """The 0/1 sets of tokens and of runs of two, three and four adjacent tokens count, for a
    pair of sentences, the distinct runs they share: as Python sets of the lower-case tokens
    of their matching keys count them (runs numbered from their tokens' numbers, or, past
    64 bits, renumbered)."""
    import mediakit.compare._features as features

    if numbered == "renumbered":
        monkeypatch.setattr(features, "_KEY_LIMIT", 0)
    texts = seeds_sentences["text"].tolist()[:60] + TRICKY
    feats = features.sentence_features(texts)
    tokens = [[t.lower() for t in features._TOKEN.findall(features.matching_key(text))]
              for text in texts]
    runs = [[{tuple(toks[i:i + k]) for i in range(len(toks) - k + 1)} for toks in tokens]
            for k in (1, 2, 3, 4)]
    rows, cols = np.divmod(np.arange(len(texts) ** 2), len(texts))
    for k, sets in enumerate((feats.tokens, feats.bigrams, feats.trigrams, feats.quadgrams)):
        np.testing.assert_array_equal(np.diff(sets.indptr), [len(r) for r in runs[k]])
        shared = np.asarray(sets[rows].multiply(sets[cols]).sum(axis=1)).ravel()
        expected = [len(runs[k][i] & runs[k][j]) for i, j in zip(rows, cols, strict=True)]
        np.testing.assert_array_equal(shared, expected)
        assert max(e for e, i, j in zip(expected, rows, cols, strict=True) if i != j) > 0
