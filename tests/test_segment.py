"""The sentences frame: the contract of DESIGN.md on the seeds, on hard-wrapped copy, on bad input,
and offsets exact for arbitrary Unicode (hypothesis)."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mediakit as mk
from mediakit._errors import SchemaError, SkippedInputWarning
from mediakit._frames import SENTENCE_COLUMNS

SEED_A = "000_7ab8ad6a0a579be7"
SEED_B = "002_83c2cadf47dd1672"


def _frame(*texts: str, **cols) -> pd.DataFrame:
    return pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))],
                         "text": list(texts), **cols})


def _check_offsets(articles: pd.DataFrame, sentences: pd.DataFrame) -> None:
    texts = dict(zip(articles["article_id"], articles["text"], strict=True))
    for aid, group in sentences.groupby("article_id", sort=False):
        text = texts[aid]
        starts, ends = group["start"].to_numpy(), group["end"].to_numpy()
        assert (ends > starts).all()
        assert (starts[1:] >= ends[:-1]).all(), "rows overlap or are out of reading order"
        assert group["sentence_id"].tolist() == list(range(len(group)))
        covered = np.zeros(len(text), dtype=bool)
        for s, e, t in zip(starts, ends, group["text"], strict=True):
            assert text[s:e] == t
            assert t == t.strip() and t
            covered[s:e] = True
        uncovered = [c for c, cov in zip(text, covered, strict=True) if not cov]
        assert all(c.isspace() for c in uncovered), "a non-space character is in no sentence"


# -- the seeds ---------------------------------------------------------------------------------


def test_seed_columns_and_offsets(seeds_articles, seeds_sentences):
    assert list(seeds_sentences.columns) == list(SENTENCE_COLUMNS)
    assert set(seeds_sentences["article_id"]) == {SEED_A, SEED_B}
    _check_offsets(seeds_articles, seeds_sentences)
    assert not seeds_sentences.duplicated(["article_id", "sentence_id"]).any()
    carried = seeds_articles.set_index("article_id")
    for col in ("outlet", "story_id"):
        assert (seeds_sentences[col].to_numpy()
                == carried.loc[seeds_sentences["article_id"], col].to_numpy()).all()


def test_seed_no_content_sentence_holds_the_tag_fragment(seeds_sentences):
    content = seeds_sentences[seeds_sentences["kind"].isin(["headline", "body", "bullet"])]
    assert not content["text"].str.contains("data-component-name|ui-article-body|<", regex=True).any()


def test_seed_000_promo_lines(seeds_sentences):
    a = seeds_sentences[seeds_sentences["article_id"] == SEED_A]
    promo = a.loc[a["kind"] == "promo", "text"].tolist()
    assert promo == [
        "Find out more: Who’s part of the coalition of the willing?",
        "More on this: Chinese citizens fighting for Russia captured by Ukraine",
        "Ukraine’s Zelenskyy criticizes the US response to Russian aggression",
    ]
    assert "headline" not in set(a["kind"])


def test_seed_002_headline_heading_bullets(seeds_articles, seeds_sentences):
    b = seeds_sentences[seeds_sentences["article_id"] == SEED_B].reset_index(drop=True)
    first_line = seeds_articles.set_index("article_id").loc[SEED_B, "text"].split("\n", 1)[0]
    assert b.loc[0, "kind"] == "headline" and b.loc[0, "text"] == first_line
    assert seeds_articles.set_index("article_id").loc[SEED_B, "title"] == first_line
    assert b.loc[b["text"] == "Key Points:", "kind"].tolist() == ["heading"]
    assert b.loc[1, "kind"] == "dateline" and b.loc[1, "text"] == "Brussels –"
    bullets = b[b["kind"] == "bullet"]
    assert bullets["paragraph_id"].nunique() == 6  # six "- Label: text" lines
    assert len(bullets) == 8  # two of them hold two sentences: two rows each
    assert bullets.groupby("paragraph_id")["text"].first().str.startswith("- ").all()


def test_seed_healey_two_paragraph_quote_is_in_quote(seeds_sentences):
    a = seeds_sentences[seeds_sentences["article_id"] == SEED_A]
    start = a.index[a["text"].str.startswith("Mr Healey is expected")][0]
    quote = a.loc[start:start + 2]
    assert quote["paragraph_id"].nunique() == 2
    assert (quote["in_quote"] > 0.5).all()
    # the outlet's own voice around it is not quoted
    assert a.loc[a["text"].str.startswith("The defence secretary and his German"), "in_quote"].iloc[0] == 0


def test_seed_positions(seeds_sentences):
    for _, group in seeds_sentences.groupby("article_id"):
        content = group[group["kind"].isin(["body", "bullet"])]
        assert content["position"].iloc[0] == 0 and content["position"].iloc[-1] == 1
        assert content["position"].is_monotonic_increasing
        assert group.loc[~group["kind"].isin(["headline", "body", "bullet"]), "position"].isna().all()


# -- structure -------------------------------------------------------------------------------


def test_hard_wrapped_copy_is_not_split_at_line_breaks():
    paras = [
        "WASHINGTON (Reuters) - The Senate voted on Tuesday to extend the program for another "
        "two years, after a long debate in which several members raised concerns about its cost. "
        "The measure now goes to the House.",
        "Supporters said the extension was needed to keep services running. Opponents argued "
        "that the money would be better spent elsewhere, and promised to keep fighting.",
        "A vote in the House is expected next month.",
    ]
    text = "\n\n".join(textwrap.fill(p, 70) for p in paras)
    s = mk.split_sentences(_frame(text))
    flat = [" ".join(t.split()) for t in s["text"]]
    assert flat == [
        "WASHINGTON (Reuters) -",
        "The Senate voted on Tuesday to extend the program for another two years, after a long "
        "debate in which several members raised concerns about its cost.",
        "The measure now goes to the House.",
        "Supporters said the extension was needed to keep services running.",
        "Opponents argued that the money would be better spent elsewhere, and promised to keep "
        "fighting.",
        "A vote in the House is expected next month.",
    ]
    assert s["kind"].tolist()[0] == "dateline"
    assert s["paragraph_id"].tolist() == [0, 0, 0, 1, 1, 2]


def test_structural_short_lines_are_not_joined_in_wrapped_copy():
    body = textwrap.fill("The council met on Monday to discuss the budget for the coming year "
                         "and agreed to cut spending on roads by a tenth. " * 3, 72)
    text = "By Jane Doe\n" + body + "\nRead more: Budget cuts explained\n" + body
    s = mk.split_sentences(_frame(text))
    assert s["kind"].iloc[0] == "byline"
    assert "promo" in set(s["kind"])
    assert not s["text"].str.contains("Read more").sum() > 1


def test_markup_lines_are_kept_as_markup_rows():
    s = mk.split_sentences(_frame("<div class=\"x\">\nThe vote passed.\n</div>"))
    assert s["kind"].tolist() == ["markup", "body", "markup"]


def test_kinds_parameterless_frame_without_metadata_gets_na_outlet():
    s = mk.split_sentences(_frame("One sentence. Two sentences."))
    assert s["outlet"].isna().all() and (s["story_id"] == "all").all()
    assert s["published"].isna().all()


def test_n_jobs_gives_identical_frames(seeds_articles):
    many = pd.concat([seeds_articles.assign(article_id=seeds_articles["article_id"] + f"-{i}")
                      for i in range(6)], ignore_index=True)
    one = mk.split_sentences(many)
    two = mk.split_sentences(many, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)


def test_does_not_mutate_input(seeds_articles):
    before = seeds_articles.copy(deep=True)
    mk.split_sentences(seeds_articles)
    pd.testing.assert_frame_equal(seeds_articles, before)


# -- bad input ----------------------------------------------------------------------------------


def test_missing_text_column():
    with pytest.raises(SchemaError, match="text"):
        mk.split_sentences(pd.DataFrame({"article_id": ["a"], "body": ["x"]}))


def test_not_a_frame():
    with pytest.raises(TypeError, match="DataFrame"):
        mk.split_sentences(["some text"])


def test_nan_text_names_the_article():
    with pytest.raises(TypeError, match="'a1'"):
        mk.split_sentences(_frame("Fine.", np.nan))


def test_duplicate_ids():
    frame = pd.DataFrame({"article_id": ["x", "x"], "text": ["A.", "B."]})
    with pytest.raises(ValueError, match="unique.*'x'"):
        mk.split_sentences(frame)


def test_empty_text_is_listed_not_lost():
    with pytest.warns(SkippedInputWarning, match="1 article"):
        s = mk.split_sentences(_frame("A sentence.", "   \n "))
    assert s.attrs["skipped"] == [{"article_id": "a1", "reason": "text is empty or whitespace"}]
    assert set(s["article_id"]) == {"a0"}


def test_empty_frame():
    s = mk.split_sentences(pd.DataFrame({"article_id": pd.Series([], dtype=str),
                                         "text": pd.Series([], dtype=str)}))
    assert list(s.columns) == list(SENTENCE_COLUMNS) and len(s) == 0


def test_empty_frame_has_the_dtypes_of_a_full_one(seeds_articles):
    # dask takes its meta from the empty frame: the dtypes must be those of real output
    full = mk.split_sentences(seeds_articles)
    for articles in (seeds_articles, seeds_articles.drop(columns=["story_id", "outlet"])):
        empty = mk.split_sentences(articles.iloc[:0])
        some = mk.split_sentences(articles)
        assert len(empty) == 0
        assert empty.dtypes.to_dict() == some.dtypes.to_dict()
    assert full["outlet"].dtype == seeds_articles["outlet"].dtype


def test_long_line_without_punctuation_finishes():
    text = ("word " * 200_000).strip()  # 1 MB, one line, no punctuation
    s = mk.split_sentences(_frame(text))
    assert s["end"].max() == len(text)


# -- properties -----------------------------------------------------------------------------------

_alphabet = st.characters(codec="utf-8", exclude_categories=("Cs",))
_pieces = st.sampled_from([
    "Mr. Smith said.", "“Quote", "”", '"', " ", "\n", "\n\n", "- ", "• ", "U.S.", "Key Points:",
    "Read more: x", "<div a=”b”>", "...", "\u200b", "\u202e", "é", "e\u0301", "🙂", "\t", "\r\n",
    "Brussels – ", "Hello world. ", "?", "!",
])
_texts = st.lists(st.one_of(st.text(_alphabet, max_size=30), _pieces), max_size=25).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_texts, min_size=1, max_size=3))
def test_offsets_exact_monotone_and_covering(texts):
    articles = _frame(*texts)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedInputWarning)
        s = mk.split_sentences(articles)
    _check_offsets(articles, s)
    assert s["in_quote"].between(0, 1).all()
    content = s["kind"].isin(["headline", "body", "bullet"])
    assert s.loc[content, "position"].between(0, 1).all()
    listed = {d["article_id"] for d in s.attrs["skipped"]}
    assert set(s["article_id"]) | listed == set(articles["article_id"])


def test_carry_copies_user_columns(seeds_articles):
    articles = seeds_articles.assign(bias=["left", "right"])
    s = mk.split_sentences(articles, carry=["bias"])
    assert list(s.columns) == [*SENTENCE_COLUMNS, "bias"]
    expected = articles.set_index("article_id").loc[s["article_id"], "bias"].to_numpy()
    assert (s["bias"].to_numpy() == expected).all()
    with pytest.raises(SchemaError, match="nope"):
        mk.split_sentences(articles, carry=["nope"])


def test_colon_line_with_a_verb_of_saying_is_body_not_heading():
    s = mk.split_sentences(_frame("Ministers met.\nHealey told ministers:\n“We must act.”\nKey Points:"))
    assert s["kind"].tolist() == ["body", "body", "body", "heading"]
