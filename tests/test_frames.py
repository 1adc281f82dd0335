"""score_frames on the seeds: explainable hits, the contract, frame profiles."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit._validation import CONTENT_KINDS
from mediakit.compare.frames import add_lead_weights, dominant_frames, frame_profile
from mediakit.measures.frames import explain_frames, parse_frame_terms


@pytest.fixture(scope="module")
def scored(seeds_sentences):
    return mk.score_frames(seeds_sentences)


def _pattern_regex(term: str) -> re.Pattern[str]:
    """An independent reading of the pattern syntax, to check each match against its term."""
    words = re.findall(r"[\w*?]+", term.casefold())
    parts = ["".join(r"\w*" if c == "*" else r"\w" if c == "?" else re.escape(c) for c in w)
             for w in words]
    return re.compile(r"[\s\-\u2010\u2011'\u2019.]+".join(parts), re.IGNORECASE)


def test_security_defense_is_the_strongest_policy_frame_in_each_seed(scored):
    profile = frame_profile(scored, by="article_id")
    top = profile[profile["rank"] == 1]
    assert len(top) == 2
    assert set(top["frame"]) == {"security_defense"}
    for _, group in profile.groupby("article_id"):
        hits = group.set_index("frame")["hits"]
        assert hits["security_defense"] > hits.drop("security_defense").max()
    assert dominant_frames(scored)["dominant_frame"].tolist() == ["security_defense"] * 2


def test_every_hit_is_explained_by_frame_terms(scored, seeds_articles):
    cats = [c for c in scored.columns if c.startswith("frame_") and c != "frame_terms"]
    assert len(cats) == 14
    texts = dict(zip(seeds_articles["article_id"], seeds_articles["text"], strict=True))
    n_checked = 0
    for _, row in scored.iterrows():
        hits = parse_frame_terms(row["frame_terms"])
        if row["kind"] not in CONTENT_KINDS:
            assert pd.isna(row["frame_terms"]) and row[cats].isna().all()
            continue
        counted = {c: 0 for c in cats}
        for hit in hits:
            counted[f"frame_{hit['category']}"] += 1
            # offsets are article offsets inside this sentence
            assert row["start"] <= hit["start"] < hit["end"] <= row["end"]
            match = texts[row["article_id"]][hit["start"]:hit["end"]]
            assert _pattern_regex(hit["term"]).fullmatch(match), (hit, match)
            assert hit["term"] in mk.load_lexicon("policy_frames").categories[hit["category"]][1]
            n_checked += 1
        assert {c: int(row[c]) for c in cats} == counted
    assert n_checked >= 40
    table = explain_frames(scored, articles=seeds_articles)
    assert len(table) == n_checked
    assert list(table.columns[-5:]) == ["category", "term", "start", "end", "match"]
    assert table["match"].str.len().gt(0).all()


def test_frame_terms_survive_csv_and_parquet(scored, tmp_path):
    scored.to_csv(tmp_path / "s.csv", index=False)
    back = pd.read_csv(tmp_path / "s.csv")
    for a, b in zip(scored["frame_terms"], back["frame_terms"], strict=True):
        assert parse_frame_terms(a) == parse_frame_terms(b)
    scored.to_parquet(tmp_path / "s.parquet")
    back = pd.read_parquet(tmp_path / "s.parquet")
    assert back["frame_terms"].fillna("").tolist() == scored["frame_terms"].fillna("").tolist()


def test_contract_input_kept_rows_kept_empty_and_missing_column(seeds_sentences):
    before = seeds_sentences.copy()
    out = mk.score_frames(seeds_sentences, lexicon="generic_frames")
    pd.testing.assert_frame_equal(seeds_sentences, before)
    assert len(out) == len(seeds_sentences)
    assert out["article_id"].tolist() == seeds_sentences["article_id"].tolist()
    assert list(out.columns[: len(before.columns)]) == list(before.columns)
    assert {"frame_conflict", "frame_responsibility", "frame_terms"} <= set(out.columns)
    empty = mk.score_frames(seeds_sentences.iloc[:0])
    assert len(empty) == 0 and "frame_security_defense" in empty.columns
    assert "frame_terms" in empty.columns
    with pytest.raises(mk.SchemaError):
        mk.score_frames(seeds_sentences.drop(columns="text"))
    with pytest.raises(mk.SchemaError):
        mk.score_frames(seeds_sentences.drop(columns="kind"))
    with pytest.raises(TypeError):
        mk.score_frames(seeds_sentences["text"])
    with pytest.raises(ValueError, match="already has frame columns"):
        mk.score_frames(out)


def test_kinds_option_and_plain_text_frames(seeds_sentences):
    every = mk.score_frames(seeds_sentences, kinds="all")
    assert every["frame_security_defense"].notna().all()
    bodies = mk.score_frames(seeds_sentences, kinds=["body"])
    assert bodies.loc[seeds_sentences["kind"] != "body", "frame_economic"].isna().all()
    # a plain frame of texts: offsets are into each text
    plain = pd.DataFrame({"text": ["NATO troops and NATO jets", None, ""]})
    out = mk.score_frames(plain, kinds="all")
    assert out["frame_security_defense"].tolist()[0] == 3
    assert np.isnan(out["frame_security_defense"].tolist()[1])
    assert out["frame_terms"].tolist()[2] == ""
    assert parse_frame_terms(out["frame_terms"][0])[0] == {
        "category": "security_defense", "term": "nato", "start": 0, "end": 4}
    with pytest.raises(ValueError, match="kinds"):
        mk.score_frames(seeds_sentences, kinds=["bodyy"])


def test_lead_weights_and_profiles_per_outlet(scored):
    weighted = add_lead_weights(scored, headline=3.0, lede=2.0)
    assert "weight" not in scored.columns
    heads = weighted["kind"] == "headline"
    assert (weighted.loc[heads, "weight"] == 3.0).all()
    ledes = weighted[(weighted["weight"] == 2.0)]
    assert ledes["article_id"].is_unique and len(ledes) == 2
    plain = frame_profile(scored, by="outlet")
    lead = frame_profile(weighted, by="outlet", weights="weight")
    assert plain["frame"].nunique() == 14 and set(plain["outlet"]) == set(scored["outlet"])
    assert ((plain["share"] >= 0) & (plain["share"] <= 1)).all()
    # weights change the estimates but not the hits' definition
    assert not np.allclose(plain["hits"].sum(), lead["hits"].sum())


def test_outlet_comparison_through_compare_groups(scored):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = mk.compare_groups(scored, measures=["frame_security_defense", "frame_economic"],
                                  stat="share_nonzero", n_boot=200, n_perm=200)
    groups = table[table["comparison"] == "group"]
    profile = frame_profile(scored, by="outlet")
    for _, row in groups[groups["measure"] == "frame_security_defense"].iterrows():
        # one article per outlet: the article's share is the outlet's estimate
        expected = profile[(profile["outlet"] == row["outlet"])
                           & (profile["frame"] == "security_defense")]["share"].item()
        assert row["estimate"] == pytest.approx(expected)


def test_matching_is_linear_in_text_size():
    """Doubling the text roughly doubles the hits; the lexicon compiles once and is reused."""
    lex = mk.load_lexicon("policy_frames")
    assert lex.matcher() is lex.matcher()
    text = "Defence ministers discussed military aid, peace-keeping and taxes. " * 50
    hits = lex.matcher().find(text)
    assert len(hits) == 50 * len(lex.matcher().find(text[:67]))


def test_n_jobs_gives_identical_results(seeds_sentences):
    one = mk.score_frames(seeds_sentences)
    two = mk.score_frames(seeds_sentences, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert one.attrs == two.attrs
    with pytest.raises(ValueError, match="n_jobs"):
        mk.score_frames(seeds_sentences, n_jobs=0)


def test_batch_matching_equals_one_text_at_a_time(seeds_sentences):
    # find_many locates the words of all texts at once (numpy over code points); find() is the
    # reference: same hits, same offsets, on news text and on awkward strings
    tricky = ["", "   ", "NATO\u2019s peace\u2011keeping troops", "U.S. defence-spending",
              "İstanbul ΟΔΟΣ naïve", "emoji 😀 war 💥 crime", "x\ud800y military",
              "health-care health care healthcare", "_under_score and 1,000 taxes",
              "a\nmultiline\ttext about defence\u2028and war"]
    for name in ("policy_frames", "generic_frames", "gvfc_frames"):
        matcher = mk.load_lexicon(name).matcher()
        texts = tricky + seeds_sentences["text"].tolist()
        assert matcher.find_many(texts) == [matcher.find(t) for t in texts]
    assert sum(map(len, matcher.find_many(texts))) > 10
