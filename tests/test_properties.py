"""Property tests: arbitrary Unicode, HTML soup, unbalanced and nested quotes and long lines
through ingest, split, every ``score_*``, the compare_* functions and (fewer examples, spaCy is
slow) the extract_* functions. Only documented exceptions, no article lost, every offset exact
(``articles.text[start:end]`` is the row's text for sentences, entities, quotes and frame terms).

Example counts (``max_examples``) are set so the file runs in about a minute on two cores; the
ingest and split properties in tests/test_ingest.py and tests/test_segment.py add to them.
"""

from __future__ import annotations

import re
import unicodedata
import warnings

import numpy as np
import pandas as pd
import pytest
from _glob_spec import glob_regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import mediakit as mk
from mediakit._validation import CONTENT_KINDS
from mediakit.measures._matcher import _GAP, parse_pattern

LEXICONS = ("policy_frames", "generic_frames", "gvfc_frames")
_SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow,
                                                          HealthCheck.data_too_large]}


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


# -- strategies ------------------------------------------------------------------------------

# Any code point but lone surrogates (which Python strings from files cannot hold; see
# tests/test_bad_inputs.py for JSON escapes that make them): controls, zero-width and bidi
# marks, emoji, combining marks, CJK, private use.
_ANY = st.characters(exclude_categories=("Cs",))
_PIECES = st.sampled_from([
    # quotes: curly, straight, guillemets, low-9, nested, unbalanced
    "“", "”", '"', "‘", "’", "«", "»", "„", "‹", "›", "“We said ‘no’ twice,” she said. ",
    "“Unclosed quote ", "”Stray close. ", "'", "''", '""', "“„»«",
    # HTML soup and entities
    "<div class=”b”>", "</p>", "<p", "<\ndiv data-x=”y”>", "<script>alert(1)</script>", "<!--",
    "-->", "&amp;", "&#x27;", "&#8217;", "&lt;b&gt;", "&nbsp;", "<", ">", "<br/>", "<a href='x'",
    "/div>", "<img src=x onerror=alert(1)>", "<<<>>>", "<Reuters>",
    # invisible and direction characters, combining marks, emoji
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u202d", "\u2066", "\u2069",
    "\u200f", "e\u0301", "a\u0308\u0323", "🙂", "👨‍👩‍👧", "🇺🇸", "\ufffd", "ﬁ", "Ⅻ", "İ", "ß", "ǅ",
    # controls, line and paragraph separators, mojibake
    "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\x9d", "\u2028", "\u2029", "\x0b", "\x0c", "\r",
    "\r\n", "\t", "\u00a0", "â€™", "Ã©", "Ð", "Р",
    # news structure
    " ", "\n", "\n\n", "- ", "• ", "1. ", "Key Points:\n", "Find out more: x\n", "By Jane Doe\n",
    "Brussels – ", "WASHINGTON (Reuters) - ", "U.S. ", "Mr. Smith said. ", "Lt. Col. Jones ",
    "The government cut taxes and the economy grew. ", "War and peace talks failed. ",
    "Angela Merkel met John Healey in Brussels. ", "“We are ready,” Healey said. ",
    "Police said 30 people were hurt. ", "...", "?!", "…",
])
_LONG = st.sampled_from(["word ", "x", "“", "- a\n", "<", ".", "\u200b"]).flatmap(
    lambda unit: st.integers(100, 3000).map(lambda n: unit * n))
_TEXT = st.lists(st.one_of(st.text(_ANY, max_size=30), _PIECES, _PIECES, _LONG),
                 min_size=1, max_size=40).map("".join)
_OUTLET = st.one_of(st.sampled_from(["A", "B", "Le Monde", "<b>C</b>", "  D  ", "É"]),
                    st.text(_ANY, min_size=1, max_size=12))


@st.composite
def _records(draw, *, outlets=_OUTLET, max_size=4):
    n = draw(st.integers(1, max_size))
    return [{"article_id": f"r{i}", "text": draw(_TEXT), "outlet": draw(outlets)}
            for i in range(n)]


# -- checks ----------------------------------------------------------------------------------

_C0 = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _read(records: list[dict]) -> pd.DataFrame:
    """read_articles with on_error='skip', checked: nothing lost, clean text, in order."""
    articles = _quiet(mk.read_articles, records, on_error="skip")
    skipped = articles.attrs["skipped"]
    assert len(articles) + len(skipped) == len(records)
    kept_rows = [int(a[1:]) for a in articles["article_id"]]
    assert kept_rows == sorted(kept_rows)
    assert sorted(kept_rows + [s["row"] for s in skipped]) == list(range(len(records)))
    for s in skipped:
        assert s["source"] is None and isinstance(s["reason"], str) and s["reason"]
    for text in articles["text"]:
        assert text and text == text.strip() and unicodedata.is_normalized("NFC", text)
        assert "\r" not in text and "\u00a0" not in text and not _C0.search(text)
    assert (articles["outlet"].str.strip() != "").all()
    return articles


def _check_spans(articles: pd.DataFrame, table: pd.DataFrame, column: str) -> None:
    """``articles.text[start:end] == table[column]`` for every row."""
    texts = dict(zip(articles["article_id"], articles["text"], strict=True))
    for aid, start, end, value in zip(table["article_id"], table["start"], table["end"],
                                      table[column], strict=True):
        assert 0 <= start < end <= len(texts[aid])
        assert texts[aid][start:end] == value, (aid, start, end, value)


def _check_sentences(articles: pd.DataFrame, sentences: pd.DataFrame) -> None:
    _check_spans(articles, sentences, "text")
    assert set(sentences["article_id"]) == set(articles["article_id"])  # text never empty
    for _, group in sentences.groupby("article_id", sort=False):
        assert group["sentence_id"].tolist() == list(range(len(group)))
        assert (group["start"].to_numpy()[1:] >= group["end"].to_numpy()[:-1]).all()
    assert sentences["in_quote"].between(0, 1).all()
    content = sentences["kind"].isin(CONTENT_KINDS)
    assert sentences.loc[content, "position"].between(0, 1).all()
    assert sentences.loc[~content, "position"].isna().all()


def _term_regex(term: str) -> re.Pattern[str]:
    """The text a lexicon term matches: its words (globs expanded) separated by phrase gaps."""
    words = [glob_regex(w).pattern for w in parse_pattern(term)]
    return re.compile(_GAP.pattern.join(words))


def _check_frames(articles: pd.DataFrame, scored: pd.DataFrame, lexicon: str) -> None:
    from mediakit.measures.frames import explain_frames

    hits = explain_frames(scored, articles=articles)
    cats = [c for c in scored.columns if c.startswith("frame_") and c != "frame_terms"]
    counted = scored[cats].sum().sum()
    assert len(hits) == counted  # every counted hit is explained, and nothing else
    texts = dict(zip(articles["article_id"], articles["text"], strict=True))
    for aid, start, end, match, term in zip(hits["article_id"], hits["start"], hits["end"],
                                            hits["match"], hits["term"], strict=True):
        text = texts[aid]
        assert match == text[start:end] and match, (lexicon, term)
        # whole words only, and the words are the term's (case-folded)
        assert start == 0 or not re.match(r"\w", text[start - 1]), (term, text[start - 1:end])
        assert end == len(text) or not re.match(r"\w", text[end]), (term, text[start:end + 1])
        assert _term_regex(term).fullmatch(match.casefold()), (term, match)


# -- ingest ----------------------------------------------------------------------------------


_ODD_VALUES = st.one_of(st.none(), st.integers(), st.floats(), st.booleans(), st.binary(
    max_size=20), st.lists(st.integers(), max_size=2), st.just(pd.NA), st.just(float("nan")))


@settings(max_examples=600, **_SETTINGS)
@given(records=st.lists(st.fixed_dictionaries(
    {"text": st.one_of(_TEXT, _TEXT, _ODD_VALUES), "outlet": st.one_of(_OUTLET, _ODD_VALUES)},
    optional={"title": st.one_of(_TEXT, _ODD_VALUES), "published": st.one_of(
        st.text(max_size=30), _ODD_VALUES, st.datetimes()), "story_id": st.one_of(_OUTLET,
                                                                                 _ODD_VALUES),
              "url": st.one_of(_TEXT, _ODD_VALUES), "extra": st.one_of(_TEXT, _ODD_VALUES)}),
    min_size=1, max_size=5))
@example(records=[{"text": "Â\x1f\x80 the end.", "outlet": "A"}])
@example(records=[{"text": "<\ndiv a=”b”>\nBody.", "outlet": 0}])
def test_ingest_keeps_or_lists_every_record_and_raises_only_documented_errors(records):
    records = [{"article_id": f"r{i}", **r} for i, r in enumerate(records)]
    articles = _read(records)
    try:
        strict = _quiet(mk.read_articles, records)
    except (ValueError, TypeError) as exc:  # SchemaError and the text problems are ValueErrors
        assert articles.attrs["skipped"], f"raised {exc!r} but skip mode skipped nothing"
        assert "on_error='skip'" in str(exc)
    else:
        assert not articles.attrs["skipped"]
        pd.testing.assert_frame_equal(strict, articles)


# -- split and every score_* -----------------------------------------------------------------


@settings(max_examples=250, **_SETTINGS)
@given(records=_records())
@example(records=[{"article_id": "r0", "outlet": "A",
                   "text": "Key Points:\n- Label: “Quoted ‘nested’ text\n- “Another” one"}])
@example(records=[{"article_id": "r0", "outlet": "A", "text": "war " * 5000}])
def test_split_and_scores_keep_rows_and_offsets(records):
    articles = _read(records)
    if articles.empty:
        return
    sentences = mk.split_sentences(articles)
    _check_sentences(articles, sentences)

    scored = _quiet(mk.score_sentiment, sentences)
    assert len(scored) == len(sentences) and scored.index.equals(sentences.index)
    compound = scored["sentiment_compound"]
    content = sentences["kind"].isin(CONTENT_KINDS)
    assert compound[~content].isna().all()
    assert compound.dropna().between(-1, 1).all()
    parts = scored.loc[compound.notna(), ["sentiment_neg", "sentiment_neu", "sentiment_pos"]]
    assert ((parts >= 0) & (parts <= 1)).all().all()

    read = _quiet(mk.score_readability, sentences)
    assert len(read) == len(sentences)
    values = read.filter(like="readability_").to_numpy(dtype=float)
    assert not np.isinf(values).any()

    for lexicon in LEXICONS:
        framed = mk.score_frames(sentences, lexicon=lexicon)
        assert len(framed) == len(sentences)
        assert framed.loc[~content, "frame_terms"].isna().all()
        _check_frames(articles, framed, lexicon)


# -- compare_* -------------------------------------------------------------------------------


@settings(max_examples=100, **_SETTINGS)
@given(records=_records(outlets=st.sampled_from(["A", "B", "C"]), max_size=5))
def test_compare_functions_on_generated_corpora(records):
    articles = _read(records)
    if articles.empty:
        return
    sentences = mk.split_sentences(articles)
    scored = _quiet(mk.score_frames, _quiet(mk.score_sentiment, sentences))
    measures = ["sentiment_compound", "frame_economic"]

    groups = _quiet(mk.compare_groups, scored, measures=measures, n_boot=20, n_perm=20)
    assert set(groups["measure"]) <= set(measures)
    estimates = groups["estimate"].dropna()
    assert not np.isinf(estimates).any()

    if articles["outlet"].nunique() > 1:
        terms = _quiet(mk.compare_terms, scored, min_count=1)
        assert set(terms["outlet"]) <= set(articles["outlet"])
        assert (terms.filter(like="n_").fillna(0) >= 0).all().all()

    coverage = _quiet(mk.compare_coverage, scored)
    align = coverage.alignment
    assert set(align["status"]) <= {"shared", "partial", "unique"}
    assert align["similarity"].dropna().between(0, 1 + 1e-9).all()
    content = scored[scored["kind"].isin(CONTENT_KINDS)]
    keys = set(zip(content["article_id"], content["sentence_id"], strict=True))
    assert set(zip(align["article_id"], align["sentence_id"], strict=True)) <= keys

    stories = _quiet(mk.group_stories, articles)
    assert stories["article_id"].tolist() == articles["article_id"].tolist()
    assert stories["story_id"].notna().all()


# -- extract_* (spaCy: fewer examples) -------------------------------------------------------

_NEWS = st.sampled_from([
    "Angela Merkel", "John Healey", "Kaja Kallas", "Sébastien Lecornu", "Antti Häkkänen",
    "the minister", "He", "She", "They", "NATO", "the United States", "Brussels", "Ukraine’s",
    " said", " told reporters", " added", " according to ", " said: ", ", she said. ",
    "\"We will not,\" he said. ", "“We are ready,” Healey said. ", "“Unclosed quote ",
    "”Stray close. ", "‘single’ ", "«guillemets» ", ". ", "\n", "\n\n", "- ",
])
_NEWS_TEXT = st.lists(st.one_of(_NEWS, _NEWS, _NEWS, _PIECES, st.text(_ANY, max_size=10)),
                      min_size=1, max_size=30).map("".join)


@settings(max_examples=120, **_SETTINGS)
@given(texts=st.lists(_NEWS_TEXT, min_size=1, max_size=3))
@example(texts=["“We are ready,” Healey said.\n“We will", "not stop,” he added.”"])
def test_entities_and_quotes_offsets_are_exact(texts):
    pytest.importorskip("spacy")
    records = [{"article_id": f"r{i}", "text": t, "outlet": "AB"[i % 2]}
               for i, t in enumerate(texts)]
    articles = _read(records)
    if articles.empty:
        return
    sentences = mk.split_sentences(articles)
    entities = _quiet(mk.extract_entities, sentences)
    _check_spans(articles, entities, "text")
    assert entities["canonical"].notna().all()
    quotes = _quiet(mk.extract_quotes, sentences, articles=articles, entities=entities)
    _check_spans(articles, quotes, "quote")
    assert set(quotes["kind"]) <= {"direct", "partial", "indirect"}
    actors = _quiet(mk.compare_actors, sentences, entities=entities, quotes=quotes)
    assert (actors[["n_mentions", "n_quotes"]] >= 0).all().all()
    assert actors["n_mentions"].sum() == len(entities.merge(
        sentences[sentences["kind"].isin(CONTENT_KINDS)][["article_id", "sentence_id"]]))


# -- regressions found while writing these properties (kept as plain tests) -------------------


def test_compare_actors_with_entities_but_no_attributed_quote():
    # pandas 3 raised TypeError from DataFrame.join(None) when no quote had a speaker
    pytest.importorskip("spacy")
    articles = mk.read_articles([
        {"text": "Angela Merkel visited Paris on Monday.", "outlet": "A"},
        {"text": "Emmanuel Macron met Angela Merkel.", "outlet": "B"},
    ])
    sentences = mk.split_sentences(articles)
    entities = mk.extract_entities(sentences)
    quotes = mk.extract_quotes(sentences, entities=entities)
    actors = _quiet(mk.compare_actors, sentences, entities=entities, quotes=quotes)
    assert len(actors) and (actors["n_quotes"] == 0).all()
    merkel = actors[actors["canonical"] == "Angela Merkel"]
    assert sorted(merkel["outlet"]) == ["A", "B"] and (merkel["n_mentions"] == 1).all()
