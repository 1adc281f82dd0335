"""compare_coverage: one definition of who carries what, size invariance, calibration, evidence.

``check_consistent`` derives facts.n_outlets, omissions, "only X reported" and summary() from
presence.status (and back) and is run on the seeds and on every story of allsides_triplets.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit.compare._numbers import extract_amounts

CONTENT = ["headline", "body", "bullet"]


def check_consistent(cov) -> None:
    """Every table of a Coverage agrees with presence.status, exactly."""
    by, story = cov.params["by"], cov.params["story"]
    pres, facts, om, al = cov.presence, cov.facts, cov.omissions, cov.alignment
    assert set(pres["status"]) <= {"carried", "related", "absent"}
    # one row per story x fact x outlet of the story
    outlets = facts.groupby(story)[by].unique().map(set)
    expected = sum(len(outlets[s]) * n for s, n in facts.groupby(story)["fact_id"].nunique().items())
    assert len(pres) == expected
    assert not pres.duplicated(["fact_id", by]).any()
    # carried <=> a sentence of the outlet is in the fact
    carried = pres["status"] == "carried"
    assert set(zip(pres.loc[carried, "fact_id"], pres.loc[carried, by], strict=True)) == set(
        zip(facts["fact_id"], facts[by], strict=True))
    # facts.n_outlets counts carried
    n_carried = carried.groupby(pres["fact_id"]).sum()
    assert (facts["n_outlets"].to_numpy() == n_carried.reindex(facts["fact_id"]).to_numpy()).all()
    assert (n_carried >= 1).all()
    # similarity: NA exactly when absent, or carried by the only carrier
    sole = carried & (pres["fact_id"].map(n_carried) == 1)
    assert pres["similarity"].isna().equals((pres["status"] == "absent") | sole)
    # omissions are exactly the rows not carried, each fact carried by someone else
    keys = ["fact_id", by]
    assert om[keys].sort_values(keys).reset_index(drop=True).equals(
        pres.loc[~carried, keys].sort_values(keys).reset_index(drop=True))
    merged = om.merge(pres, on=keys, suffixes=("", "_p"))
    assert (merged["status"] == merged["status_p"]).all()
    np.testing.assert_array_equal(merged["similarity"].to_numpy(dtype=float),
                                  merged["similarity_p"].to_numpy(dtype=float))
    carriers = facts.groupby("fact_id")[by].apply(lambda s: "; ".join(sorted(map(str, set(s)))))
    assert (om["carried_by"].to_numpy() == carriers.reindex(om["fact_id"]).to_numpy()).all()
    assert not any(str(o) in c.split("; ") for o, c in zip(om[by], om["carried_by"], strict=True))
    # related: the evidence is a matched pair, the outlet's sentence outside the fact
    related = pres[pres["status"] == "related"]
    fact_of = facts.set_index(["article_id", "sentence_id"])["fact_id"]
    partial = cov.params["partial"]
    assert (related["similarity"] >= partial - 1e-12).all()
    matched = al[al["status"] != "unique"]
    pairs = set(zip(matched["article_id"], matched["sentence_id"], matched["other_article_id"],
                    matched["other_sentence_id"].astype("int64"), strict=True))
    for r in related.itertuples():
        a, b = (r.article_id, int(r.sentence_id)), (r.fact_article_id, int(r.fact_sentence_id))
        assert (*a, *b) in pairs or (*b, *a) in pairs
        assert fact_of[b] == r.fact_id and fact_of[a] != r.fact_id
    # summary() counted from presence
    summary = cov.summary().set_index(by)
    per = pres.assign(_c=carried, _s=carried & ~sole, _o=sole).groupby(by)
    assert (summary["n_facts"] == per["_c"].sum().reindex(summary.index)).all()
    assert (summary["n_shared"] == per["_s"].sum().reindex(summary.index)).all()
    assert (summary["n_only"] == per["_o"].sum().reindex(summary.index)).all()
    n_om = om.groupby(by).size().reindex(summary.index, fill_value=0)
    assert (summary["n_omitted"] == n_om).all()
    assert (summary["n_omitted"] == summary["n_related"] + summary["n_absent"]).all()
    assert (summary["n_sentences"] == facts.groupby(by).size().reindex(summary.index)).all()
    # "only X reported": facts whose only carrier is X
    only = facts[facts["n_outlets"] == 1].groupby(by)["fact_id"].nunique()
    assert (summary["n_only"] == only.reindex(summary.index, fill_value=0)).all()


def check_report_counts(cov, tmp_path) -> None:
    """The HTML page's counts equal the tables written as CSV."""
    from mediakit.report._csv import write_csv

    by, story = cov.params["by"], cov.params["story"]
    for name in ("facts", "presence", "omissions"):
        write_csv(getattr(cov, name), tmp_path / f"coverage_{name}.csv")
    facts = pd.read_csv(tmp_path / "coverage_facts.csv", dtype={story: str, by: str})
    om = pd.read_csv(tmp_path / "coverage_omissions.csv", dtype={story: str, by: str})
    n_stories = facts[story].nunique()
    page = mk.write_report({"coverage": cov}, tmp_path, figures=[], max_stories=n_stories,
                           max_rows=5).read_text(encoding="utf-8")
    import html as _html

    text = _html.unescape(page)
    blocks = re.split(r"<h3>", text)
    seen = 0
    for block in blocks:
        m = re.match(r"(.+?) <span class=\"meta\">story (.+?)</span></h3>", block)
        if not m or m.group(1).startswith("Reported by several"):
            continue
        outlet, story_id = m.group(1), m.group(2)
        mine = facts[(facts[story] == story_id) & (facts[by] == outlet)]
        n_only = mine.loc[mine["n_outlets"] == 1, "fact_id"].nunique()
        n_om = int(((om[story] == story_id) & (om[by] == outlet)).sum())
        assert f"Only {outlet} reported ({n_only})" in block
        assert f"Reported by others, not by {outlet} ({n_om})" in block
        seen += 1
    pairs = facts.groupby(story)[by].nunique()
    assert seen == int(pairs[pairs > 1].sum())
    for story_id in pairs[pairs == 1].index:
        assert f"Story {story_id}</h3><p>Only one {by}" in text


@pytest.fixture(scope="module")
def seeds_cov(seeds_sentences):
    return mk.compare_coverage(seeds_sentences)


def test_seeds_tables_agree(seeds_cov, tmp_path):
    check_consistent(seeds_cov)
    check_report_counts(seeds_cov, tmp_path)
    assert set(seeds_cov.presence["status"]) == {"carried", "related", "absent"}


def test_seeds_headline_pair_is_not_one_fact(seeds_sentences, seeds_cov):
    """The 0.222 pair of the old TF-IDF: B's headline and A's "intensify our pressure on Putin"."""
    s = seeds_sentences
    head = s[(s["kind"] == "headline") & s["text"].str.startswith("Allies Forge Ahead")]
    putin = s[s["text"].str.startswith("Therefore, we must intensify our pressure on Putin")]
    assert len(head) == 1 and len(putin) == 1
    facts = seeds_cov.facts.set_index(["article_id", "sentence_id"])["fact_id"]

    def key(rows):
        return rows["article_id"].iloc[0], int(rows["sentence_id"].iloc[0])

    assert facts[key(head)] != facts[key(putin)]
    row = seeds_cov.alignment.set_index(["article_id", "sentence_id"]).loc[key(head)]
    assert row["status"] != "shared" and row["similarity"] < seeds_cov.params["shared"]


def test_seeds_report_shows_both_sentences_and_similarity(seeds_cov, tmp_path):
    import html as _html

    page = _html.unescape(mk.write_report({"coverage": seeds_cov}, tmp_path, figures=[])
                          .read_text(encoding="utf-8"))
    related = seeds_cov.omissions[seeds_cov.omissions["status"] == "related"]
    assert len(related)
    for r in related.itertuples():
        # the fact's sentences and the outlet's related sentence, with the similarity
        assert r.related_sentence in page and r.fact_sentence in page
        assert f"{r.outlet}: related, not the same fact — similarity {r.similarity:.2f}" in page


def _story(texts_by_outlet: dict[str, list[str]], story="s") -> pd.DataFrame:
    rows = [{"article_id": f"{o}-{story}", "sentence_id": k, "outlet": o, "story_id": story,
             "kind": "body", "text": t}
            for o, ts in texts_by_outlet.items() for k, t in enumerate(ts)]
    return pd.DataFrame(rows)


def test_identical_articles_are_all_carried(seeds_sentences):
    one = seeds_sentences[seeds_sentences["outlet"] == "outlet A"]
    wire = pd.concat([one, one.assign(outlet="outlet C", article_id=one["article_id"] + "-copy")],
                     ignore_index=True)
    cov = mk.compare_coverage(wire)
    check_consistent(cov)
    assert (cov.presence["status"] == "carried").all()
    assert cov.omissions.empty
    assert (cov.facts["n_outlets"] == 2).all()
    assert (cov.presence["similarity"] > 0.99).all()


def test_single_outlet_story_says_so(seeds_sentences, tmp_path):
    one = seeds_sentences[seeds_sentences["outlet"] == "outlet A"]
    cov = mk.compare_coverage(one)
    check_consistent(cov)
    assert cov.alignment.empty and cov.omissions.empty
    assert (cov.presence["status"] == "carried").all()
    page = mk.write_report({"coverage": cov}, tmp_path, figures=[]).read_text(encoding="utf-8")
    assert "Only one outlet (outlet A) covers this story: nothing to compare." in page
    assert "Only outlet A reported" not in page and "Reported by others" not in page


def test_outlet_with_empty_text_is_kept_out_cleanly(seeds_sentences):
    articles = mk.load_example("seeds")
    empty = articles.iloc[:1].assign(article_id="empty", outlet="outlet E", text="")
    with pytest.warns(mk.SkippedInputWarning, match="no sentences"):
        sentences = mk.split_sentences(pd.concat([articles, empty], ignore_index=True))
    cov = mk.compare_coverage(sentences)
    base = mk.compare_coverage(seeds_sentences)
    check_consistent(cov)
    # an article without text has no sentence: nothing to align, the others are unchanged
    assert "outlet E" not in set(cov.presence["outlet"])
    pd.testing.assert_frame_equal(cov.presence, base.presence)


def test_long_story_is_linear_and_consistent():
    """A story of 5,000 sentences: one result, every table consistent."""
    rng = np.random.default_rng(0)
    words = np.array("minister budget storm coast rescue council vote tax school police court "
                     "river bridge election party leader strike union hospital price".split())
    texts = {o: [" ".join(rng.choice(words, 8)).capitalize() + f" on day {k}."
                 for k in range(2500)] for o in ("X", "Y")}
    cov = mk.compare_coverage(_story(texts))
    check_consistent(cov)
    assert len(cov.alignment) == 5000


def test_currency_spellings_parse_to_one_amount_and_unit():
    cases = {
        "USD": ["$US346,807", "US$346,807", "$346,807", "USD 346,807", "346,807 USD"],
        "USD bn": ["US$1.2bn", "$1.2 billion", "USD 1.2bn", "$US1.2 billion", "1.2 billion dollars"],
        "EUR": ["€5m", "EUR 5 million", "5 million euros", "€5mn"],
        "GBP": ["£3.4bn", "GBP 3.4 billion", "£3.4 billion", "3.4bn GBP"],
        "k": ["$20k", "USD 20 thousand", "$20,000"],
        "percent": ["12 per cent", "12 percent", "12%"],
    }
    for name, spellings in cases.items():
        found = []
        for spelling in spellings:
            amounts = extract_amounts(f"The company reported {spelling} in the period.")
            assert len(amounts) == 1, (spelling, amounts)
            found.append((amounts[0]["amount"], amounts[0]["unit"]))
        assert len(set(found)) == 1, (name, found)
    assert extract_amounts("US$1.2bn")[0]["amount"] == 1.2e9
    # no disagreement between outlets writing one amount differently
    texts = {"X": ["The council approved a $US346,807 grant and a US$1.2bn loan."],
             "Y": ["The council approved a $346,807 grant and a $1.2 billion loan."]}
    nums = mk.compare_coverage(_story(texts)).numbers
    assert len(nums) == 4 and not nums["disagreement"].any()
    assert set(nums["unit"]) == {"USD"}


def test_a_disagreement_needs_the_same_unit_and_noun():
    texts = {"X": ["The project costs £5 million and employs 300 workers."],
             "Y": ["The project costs €7 million and employs 300 workers."],
             "Z": ["The project costs £6 million, with 250 workers employed."]}
    nums = mk.compare_coverage(_story(texts)).numbers.set_index(["outlet", "unit"])
    # euros and pounds are not compared; the pound amounts disagree, so do the workers
    assert not nums.loc[("Y", "EUR"), "disagreement"]
    assert nums.loc[("X", "GBP"), "disagreement"] and nums.loc[("Z", "GBP"), "disagreement"]
    workers = nums.xs("", level="unit")
    assert workers.loc["Z", "disagreement"] and not workers.loc["X", "disagreement"]


def test_pair_features_do_not_depend_on_the_story():
    """Features are a function of the two sentences: the same alone and among others."""
    from mediakit.compare._samefact import text_pair_features

    a = ["The central bank raised interest rates by half a point on Tuesday.",
         "Fans queued all night for the concert tickets.", "Prices rose 7 percent."]
    b = ["On Tuesday the central bank raised rates by half a point.",
         "Concert fans queued overnight.", "Inflation hit 7 percent in March."]
    together = text_pair_features(a, b)
    for k in range(3):
        np.testing.assert_allclose(text_pair_features([a[k]], [b[k]])[0], together[k])


# --- real data ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mrpc(corpora_dir):
    return pd.read_csv(corpora_dir / "mrpc_train" / "pairs.tsv", sep="\t")


def _pairs_as_stories(pairs: pd.DataFrame, *, one_story: bool = False) -> pd.DataFrame:
    n = len(pairs)
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in range(n)] + [f"b{i}" for i in range(n)],
        "sentence_id": 0, "outlet": ["A"] * n + ["B"] * n,
        "story_id": "all" if one_story else [f"p{i}" for i in range(n)] * 2,
        "text": pairs["sentence1"].tolist() + pairs["sentence2"].tolist()})


@pytest.mark.corpora
def test_mrpc_similarity_is_size_invariant(mrpc):
    """400 pairs scored alone (a two-sentence story each) and all in one story of 800."""
    pairs = mrpc.iloc[:400]
    n = len(pairs)
    alone = mk.compare_coverage(_pairs_as_stories(pairs)).alignment
    together = mk.compare_coverage(_pairs_as_stories(pairs, one_story=True)).alignment
    alone = alone[alone["outlet"] == "A"].set_index("article_id")["similarity"]
    tog = together[together["outlet"] == "A"].set_index("article_id")
    # in the big story the pair is compared where each other's closest candidate
    own = tog["other_article_id"] == tog.index.str.replace("a", "b", regex=False)
    assert own.mean() > 0.5
    diff = (tog.loc[own, "similarity"] - alone.reindex(tog.index[own])).abs()
    assert len(diff) > 0.5 * n
    assert diff.median() <= 0.02 and diff.max() < 1e-9


@pytest.mark.corpora
def test_mrpc_one_fact_agrees_with_people(mrpc):
    """"Both sentences end up in one fact" against the judges' label, at the defaults."""
    from mediakit.compare._samefact_model import FIT

    cov = mk.compare_coverage(_pairs_as_stories(mrpc))
    one = cov.facts.groupby("story_id")["n_outlets"].max() > 1
    one = one.reindex([f"p{i}" for i in range(len(mrpc))]).to_numpy()
    agreement = float((one == (mrpc["label"] == 1).to_numpy()).mean())
    majority = float((mrpc["label"] == 1).mean())
    assert agreement >= 0.76 > majority + 0.08
    assert abs(agreement - FIT["lexical_fit_accuracy"]) < 0.005  # the shipped model, as fitted
    assert FIT["lexical_cv_accuracy"] >= 0.76  # held-out folds, word rarity from training folds


@pytest.fixture(scope="module")
def allsides(corpora_dir):
    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl")
    sentences = mk.split_sentences(articles)
    return sentences, mk.compare_coverage(sentences, progress=False)


@pytest.mark.corpora
def test_allsides_tables_agree(allsides, tmp_path):
    sentences, cov = allsides
    check_consistent(cov)
    check_report_counts(cov, tmp_path)
    assert cov.facts["story_id"].nunique() == sentences["story_id"].nunique()


@pytest.mark.corpora
def test_allsides_weddington_not_carried_by_national_review(allsides):
    sentences, cov = allsides
    story = "abortion_2019-01-23"
    facts = cov.facts[(cov.facts["story_id"] == story)
                      & cov.facts["sentence"].str.contains("Weddington")]
    assert len(facts)
    nr = sentences[(sentences["story_id"] == story) & (sentences["outlet"] == "National Review")]
    assert len(nr) and not nr["text"].str.contains("Weddington").any()
    pres = cov.presence[cov.presence["fact_id"].isin(facts["fact_id"])
                        & (cov.presence["outlet"] == "National Review")]
    assert len(pres) == facts["fact_id"].nunique()
    assert (pres["status"] != "carried").all()
    om = cov.omissions[(cov.omissions["outlet"] == "National Review")
                       & cov.omissions["fact_id"].isin(facts["fact_id"])]
    assert len(om) == len(pres)


def test_semantic_option_scores_meaning(monkeypatch):
    """The embeddings join the features: a paraphrase with other words scores higher."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    texts = {"X": ["Britain will lead a reassurance force in Ukraine after any ceasefire."],
             "Y": ["The UK is to head a reassurance mission in Ukraine once the fighting stops."]}
    words = mk.compare_coverage(_story(texts))
    meaning = mk.compare_coverage(_story(texts), semantic=True)
    assert meaning.params["semantic"] and not words.params["semantic"]
    assert (meaning.alignment["similarity"].to_numpy()
            > words.alignment["similarity"].to_numpy() + 0.05).all()
    check_consistent(meaning)


def test_semantic_option_names_the_extra_when_missing(monkeypatch):
    import sys

    from mediakit.compare import _samefact

    monkeypatch.setattr(_samefact, "_ENCODER", None)
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    texts = {"X": ["The central bank raised interest rates by half a point on Tuesday."],
             "Y": ["On Tuesday the central bank raised rates by half a point."]}
    with pytest.raises(ImportError, match=r"mediakit\[semantic\]"):
        mk.compare_coverage(_story(texts), semantic=True)
    with pytest.raises(TypeError, match="semantic"):
        mk.compare_coverage(_story(texts), semantic="yes")
