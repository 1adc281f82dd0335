"""Page furniture and bylines on real scraped news (issue 14).

The labelled set ``tests/data/furniture_labels.csv`` holds references only (corpus, article id,
line offsets, label) to lines of ``allsides_triplets`` and the first 3,000 ``allsides_bench``
articles, labelled by reading them: ``caption``, ``promo``, ``boilerplate``, ``byline`` (page
furniture), ``content`` (a line of the story) and ``structure`` (a heading).
"""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

import mediakit as mk
from mediakit._errors import SkippedInputWarning
from mediakit._validation import CONTENT_KINDS, FURNITURE_KINDS

LABELS = Path(__file__).parent / "data" / "furniture_labels.csv"
FURNITURE = ("caption", "promo", "boilerplate", "byline")
N_BENCH = 3000


def _read_corpora(corpora_dir: Path) -> pd.DataFrame:
    rows = []
    with open(corpora_dir / "allsides_triplets" / "articles.jsonl", encoding="utf-8") as fh:
        rows += [{**json.loads(line), "corpus": "allsides_triplets"} for line in fh]
    with gzip.open(corpora_dir / "allsides_bench" / "articles.jsonl.gz", "rt",
                   encoding="utf-8") as fh:
        rows += [{**json.loads(line), "corpus": "allsides_bench"}
                 for line in itertools.islice(fh, N_BENCH)]
    frame = pd.DataFrame(rows).drop_duplicates("article_id")
    return frame[["article_id", "outlet", "title", "text", "corpus"]].reset_index(drop=True)


@pytest.fixture(scope="module")
def allsides(corpora_dir):
    return _read_corpora(corpora_dir)


@pytest.fixture(scope="module")
def allsides_sentences(allsides):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedInputWarning)
        return mk.split_sentences(allsides, n_jobs=2)


@pytest.fixture(scope="module")
def labelled(allsides, allsides_sentences):
    """Each labelled line with the kinds of the sentence rows inside it."""
    labels = pd.read_csv(LABELS, dtype={"article_id": str})
    texts = dict(zip(allsides["article_id"], allsides["text"], strict=True))
    by_article = {a: g for a, g in allsides_sentences.groupby("article_id", sort=False)}
    kinds = []
    for row in labels.itertuples():
        line = texts[row.article_id][row.start:row.end]
        assert line.strip() == line and line, f"label offsets no longer point at a line: {row}"
        g = by_article[row.article_id]
        inside = g[(g["start"] < row.end) & (g["end"] > row.start)]
        kinds.append(inside["kind"].tolist())
    labels["kinds"] = kinds
    return labels


def _line_kind(kinds: list[str]) -> str:
    """One predicted label per line: content if any content row, else the most common kind."""
    if any(k in CONTENT_KINDS for k in kinds):
        return "content"
    mode = max(set(kinds), key=kinds.count)
    return mode if mode in FURNITURE else "structure"


def _scores(labelled: pd.DataFrame) -> dict[str, tuple[float, float, int]]:
    pred = labelled["kinds"].map(_line_kind)
    out = {}
    for kind in (*FURNITURE, "content"):
        tp = int(((pred == kind) & (labelled["label"] == kind)).sum())
        precision = tp / max(int((pred == kind).sum()), 1)
        recall = tp / max(int((labelled["label"] == kind).sum()), 1)
        out[kind] = (precision, recall, int((labelled["label"] == kind).sum()))
    return out


@pytest.mark.corpora
def test_labelled_set_size_and_sources(labelled):
    assert labelled["label"].isin(FURNITURE).sum() >= 300
    assert (labelled["label"] == "content").sum() >= 300
    assert set(labelled["corpus"]) == {"allsides_triplets", "allsides_bench"}
    assert not labelled.duplicated(["article_id", "start"]).any()


@pytest.mark.corpora
def test_furniture_sentences_are_not_content(labelled):
    """At most 2% of the sentences of furniture lines are content kinds."""
    rows = [k for ks in labelled.loc[labelled["label"].isin(FURNITURE), "kinds"] for k in ks]
    content = sum(k in CONTENT_KINDS for k in rows)
    assert len(rows) >= 300
    assert content / len(rows) <= 0.02, f"{content} of {len(rows)} furniture sentences are content"


@pytest.mark.corpora
def test_content_lines_stay_content(labelled):
    """A content line wrongly demoted costs more than furniture left in: >= 98% stay content."""
    lines = labelled[labelled["label"] == "content"]
    kept = lines["kinds"].map(lambda ks: all(k in CONTENT_KINDS for k in ks))
    demoted = lines["kinds"].map(lambda ks: any(k in FURNITURE_KINDS for k in ks))
    assert kept.mean() >= 0.97, lines.loc[~kept, ["article_id", "start", "kinds"]]
    assert demoted.mean() <= 0.01, lines.loc[demoted, ["article_id", "start", "kinds"]]


@pytest.mark.corpora
def test_precision_recall_per_kind(labelled):
    scores = _scores(labelled)
    for kind, (precision, recall, n) in scores.items():
        print(f"{kind:12s} n={n:4d} precision={precision:.3f} recall={recall:.3f}")
    for kind in FURNITURE:
        precision, recall, _ = scores[kind]
        assert precision >= 0.9 and recall >= 0.85, (kind, precision, recall)
    assert scores["content"][0] >= 0.95 and scores["content"][1] >= 0.97


_NAME_ONLY = re.compile(r"^[A-Z][\w'’.-]+(?:,?\s+(?:and\s+)?[A-Z][\w'’.-]*){1,11}$")


@pytest.mark.corpora
def test_usa_today_name_lines_are_bylines(allsides, allsides_sentences):
    """>= 90% of USA TODAY first lines that are only names ("Eliza Collins", "David Jackson and
    Deirdre Shesgreen") are bylines, not ledes or headlines."""
    usat = allsides[allsides["outlet"] == "USA TODAY"]
    firsts = allsides_sentences[allsides_sentences["article_id"].isin(usat["article_id"])
                                & (allsides_sentences["sentence_id"] == 0)]
    titles = dict(zip(usat["article_id"], usat["title"], strict=True))
    names = firsts[firsts["text"].str.match(_NAME_ONLY)
                   & (firsts["text"] != firsts["article_id"].map(titles))
                   & (firsts["text"].str.split().str.len() <= 12)
                   & ~firsts["text"].str.contains(r"\b(?:The|A|Is|To|In|On|Of|For)\b")]
    assert len(names) >= 40
    share = (names["kind"] == "byline").mean()
    assert share >= 0.9, names.loc[names["kind"] != "byline", "text"].tolist()


@pytest.mark.corpora
def test_mrpc_news_sentences_stay_content(corpora_dir):
    """2,000 real news sentences, ten to an article, one a line: >= 99% content, count kept."""
    with open(corpora_dir / "mrpc_train" / "pairs.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    sentences: list[str] = []
    seen: set[str] = set()
    for row in rows:
        for key in ("sentence1", "sentence2"):
            s = " ".join(row[key].split())
            if s not in seen:
                seen.add(s)
                sentences.append(s)
    sentences = sentences[:2000]
    articles = pd.DataFrame({
        "article_id": [f"m{i:03d}" for i in range(200)],
        "text": ["\n".join(sentences[i * 10:(i + 1) * 10]) for i in range(200)],
    })
    out = mk.split_sentences(articles)
    assert out["kind"].isin(CONTENT_KINDS).mean() >= 0.99
    # one line may hold two sentences (MRPC has a few); none is cut into pieces otherwise
    assert 2000 <= len(out) <= 2002
    assert (out.groupby("article_id").size() >= 10).all()


@pytest.mark.corpora
def test_split_is_identical_with_workers(allsides):
    sample = allsides.iloc[::25]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedInputWarning)
        one = mk.split_sentences(sample)
        two = mk.split_sentences(sample, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)


@pytest.mark.corpora
def test_offsets_exact_on_allsides(allsides, allsides_sentences):
    texts = dict(zip(allsides["article_id"], allsides["text"], strict=True))
    sample = allsides_sentences.iloc[::7]
    assert all(texts[a][s:e] == t for a, s, e, t in zip(
        sample["article_id"], sample["start"], sample["end"], sample["text"], strict=True))


# -- bad input ---------------------------------------------------------------------------------


def _one(text: str, **cols) -> pd.DataFrame:
    return pd.DataFrame({"article_id": ["a"], "text": [text], **cols})


def test_all_furniture_article_is_listed_not_content():
    text = ("Advertisement\n\nEnlarge this image toggle caption Evan Vucci/AP Evan Vucci/AP\n\n"
            "Sign up for Daily Newsletters Manage Newsletters\n\n"
            "Copyright 2019 The Associated Press. All rights reserved.\n\nStory Continued Below")
    with pytest.warns(SkippedInputWarning, match="no content sentence"):
        out = mk.split_sentences(_one(text))
    assert out["kind"].tolist() == ["boilerplate", "caption", "promo", "boilerplate", "promo"]
    assert out.attrs["no_content"][0]["article_id"] == "a"
    assert out.attrs["skipped"] == []
    assert out["position"].isna().all()


def test_byline_only_article():
    with pytest.warns(SkippedInputWarning, match="no content sentence"):
        out = mk.split_sentences(_one("By Jane Doe and John Roe"))
    assert out["kind"].tolist() == ["byline"]


def test_furniture_in_another_language():
    text = ("Publicidad\n\nEl Gobierno aprobó el martes el presupuesto para 2020. La oposición "
            "votó en contra.\n\nFoto: EFE/Juan Pérez\n\nSuscríbete a nuestro boletín diario\n\n"
            "© 2020 El País. Todos los derechos reservados.\n\nAnzeige")
    out = mk.split_sentences(_one(text))
    kinds = dict(zip(out["text"], out["kind"], strict=True))
    assert kinds["Publicidad"] == "boilerplate" and kinds["Anzeige"] == "boilerplate"
    assert kinds["Foto: EFE/Juan Pérez"] == "caption"
    assert kinds["Suscríbete a nuestro boletín diario"] == "promo"
    assert kinds["© 2020 El País. Todos los derechos reservados."] == "boilerplate"
    assert out.loc[out["kind"] == "body", "text"].tolist() == [
        "El Gobierno aprobó el martes el presupuesto para 2020.", "La oposición votó en contra."]


def test_gallery_label_makes_its_line_a_promo():
    """A gallery label opening a line ("View Photo Gallery", "View photos") is followed on the
    same line by the gallery's title and captions: the whole line is one promo row, whatever its
    length; a sentence that only mentions photos or views stays content."""
    gallery = ("View Photo Gallery March for Life in the Trump era: A collection of photos from "
               "the day Tens of thousands of demonstrators took to the National Mall in "
               "Washington, D.C., on Friday for the 44th annual March for Life.")
    text = (f"The march drew large crowds on Friday.\n\n{gallery}\n\nView gallery here\n\n"
            "Viewers shared photos of the march online. See the photos below, the organizers "
            "said in a statement.\n\nOpen galleries drew visitors all weekend.")
    out = mk.split_sentences(_one(text))
    kinds = dict(zip(out["text"], out["kind"], strict=True))
    assert kinds[gallery] == "promo" and kinds["View gallery here"] == "promo"
    assert kinds["The march drew large crowds on Friday."] == "body"
    assert kinds["Viewers shared photos of the march online."] == "body"
    assert kinds["Open galleries drew visitors all weekend."] == "body"


def test_ten_thousand_caption_lines():
    lines = [f"Enlarge this image toggle caption Photographer {i}/AP Photographer {i}/AP"
             for i in range(10_000)]
    text = "\n".join(lines)
    with pytest.warns(SkippedInputWarning):
        out = mk.split_sentences(_one(text))
    assert len(out) == 10_000 and (out["kind"] == "caption").all()
    assert out["end"].iloc[-1] == len(text)


def test_kinds_are_declared_once():
    from mediakit._validation import ALL_KINDS

    assert set(FURNITURE_KINDS) | set(CONTENT_KINDS) | {"dateline", "heading"} == set(ALL_KINDS)
    out = mk.split_sentences(_one("Photo: AP\n\nThe vote passed. It was close.\n\nAdvertisement"))
    assert set(out["kind"]) <= set(ALL_KINDS)
    # a content kinds filter leaves the furniture out of measures
    scored = mk.score_sentiment(out)
    assert scored.loc[scored["kind"] == "body", "sentiment_compound"].notna().all()
