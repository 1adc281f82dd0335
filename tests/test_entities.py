"""extract_entities: seed actors, canonical names, offsets, the frame contract."""

from __future__ import annotations

import pandas as pd
import pytest

import mediakit as mk
from mediakit.measures import _names
from mediakit.measures.entities import ENTITY_COLUMNS

# These need spaCy and its model (the nlp extra, part of dev): they never skip.


@pytest.fixture(scope="module")
def seed_entities(seeds_sentences):
    return mk.extract_entities(seeds_sentences)


def _articles_naming(ents: pd.DataFrame, name: str) -> set[str]:
    return set(ents.loc[ents["canonical"] == name, "article_id"])


def test_seed_actors_by_article(seed_entities, seeds_articles):
    first, second = seeds_articles["article_id"].tolist()
    for name in ("Kaja Kallas", "Antti Häkkänen"):
        assert _articles_naming(seed_entities, name) == {second}, name
    for name in ("Marco Rubio", "Boris Pistorius"):
        assert _articles_naming(seed_entities, name) == {first}, name
    for name in ("John Healey", "Sébastien Lecornu"):
        assert _articles_naming(seed_entities, name) == {first, second}, name


def test_seed_variants_merge_into_one_canonical(seed_entities):
    people = seed_entities.loc[seed_entities["label"] == "PERSON"]
    healey = people.loc[people["text"].str.contains("Healey"), "canonical"]
    lecornu = people.loc[people["text"].str.contains("Lecornu"), "canonical"]
    assert set(healey) == {"John Healey"} and len(healey) >= 3  # "Mr Healey", "Healey" too
    assert set(lecornu) == {"Sébastien Lecornu"}
    assert set(lecornu.index.map(people["text"].get)) == {"Sebastien Lecornu",
                                                          "Sébastien Lecornu"}


def test_offsets_point_into_article_text(seed_entities, seeds_articles):
    text = dict(zip(seeds_articles["article_id"], seeds_articles["text"], strict=True))
    assert len(seed_entities) > 20
    for aid, s, e, t in zip(seed_entities["article_id"], seed_entities["start"],
                            seed_entities["end"], seed_entities["text"], strict=True):
        assert text[aid][s:e] == t


def test_only_content_sentences_and_asked_labels(seed_entities, seeds_sentences):
    kinds = seeds_sentences.set_index(["article_id", "sentence_id"])["kind"]
    found = kinds.loc[list(zip(seed_entities["article_id"], seed_entities["sentence_id"],
                               strict=True))]
    assert set(found) <= {"headline", "body", "bullet"}
    assert set(seed_entities["label"]) <= {"PERSON", "ORG", "GPE", "LOC", "NORP"}
    people = mk.extract_entities(seeds_sentences, labels=["PERSON"])
    assert set(people["label"]) == {"PERSON"}


def test_no_possessive_or_leading_the(seed_entities):
    assert not seed_entities["text"].str.contains(r"['’]s$").any()
    assert not seed_entities["text"].str.lower().str.startswith("the ").any()


# --- canonical-name rules, on hand-made sentences --------------------------------------------

def _sentences(texts: list[str], story: str = "s") -> pd.DataFrame:
    rows, pos = [], 0
    for i, t in enumerate(texts):
        rows.append({"article_id": f"a{i // 100}", "sentence_id": i % 100, "story_id": story,
                     "kind": "body", "start": pos, "end": pos + len(t), "text": t})
        pos += len(t) + 1
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("texts", "variant", "canonical"),
    [
        (["Ukrainian President Volodymyr Zelenskyy visited Paris on Monday.",
          "Zelensky met the French president there."], "Zelensky", "Volodymyr Zelenskyy"),
        (["Defence Secretary John Healey spoke on Thursday.",
          "Mr Healey repeated the point on Friday."], "Healey", "John Healey"),
        (["French minister Sebastien Lecornu arrived in Brussels on Monday.",
          "Sébastien Lecornu then met NATO officials."], "Sebastien Lecornu",
         "Sébastien Lecornu"),
        (["Donald J. Trump spoke in Ohio on Monday.",
          "Donald Trump repeated the claim on Tuesday."], "Donald J. Trump", "Donald Trump"),
    ],
)
def test_name_variants(texts, variant, canonical):
    ents = mk.extract_entities(_sentences(texts))
    got = ents.loc[ents["text"].str.contains(variant.split()[-1]), ["text", "canonical"]]
    assert variant in set(got["text"]) or any(variant in t for t in got["text"])
    assert set(got["canonical"]) == {canonical}


def test_user_aliases_win():
    texts = ["Ukrainian President Volodymyr Zelenskiy visited Paris on Monday."]
    plain = mk.extract_entities(_sentences(texts))
    assert "Volodymyr Zelenskiy" in set(plain["canonical"])
    for aliases in ({"Volodymyr Zelenskiy": "Volodymyr Zelenskyy"},
                    pd.DataFrame({"alias": ["Volodymyr Zelenskiy"],
                                  "canonical": ["Volodymyr Zelenskyy"]})):
        ents = mk.extract_entities(_sentences(texts), aliases=aliases)
        assert "Volodymyr Zelenskyy" in set(ents["canonical"])
    with pytest.raises(TypeError):
        mk.extract_entities(_sentences(texts), aliases=["Zelenskiy"])
    # a surname-only alias also catches the other spellings of that surname
    short = ["Ukrainian President Zelenskiy met French President Emmanuel Macron in Paris.",
             "Zelensky said the talks went well."]
    ents = mk.extract_entities(_sentences(short), aliases={"Zelenskiy": "Volodymyr Zelenskyy"})
    assert set(ents.loc[ents["text"].str.startswith("Zelensk"), "canonical"]) == {
        "Volodymyr Zelenskyy"}


def test_surnames_are_not_merged_across_stories_or_when_ambiguous():
    later = "On Tuesday, Trump told reporters in Ohio that the economy was strong."
    texts = ["Donald Trump and Melania Trump arrived in Ohio on Monday.", later]
    ents = mk.extract_entities(_sentences(texts))
    assert set(ents.loc[ents["text"] == "Trump", "canonical"]) == {"Trump"}  # two Trumps
    other = pd.concat([_sentences(["Donald Trump arrived in Ohio on Monday."], "s1"),
                       _sentences([later], "s2").assign(article_id="b0")])
    ents = mk.extract_entities(other)
    assert set(ents.loc[ents["text"] == "Trump", "canonical"]) == {"Trump"}  # other story


def test_name_key_rules():
    assert _names.name_key("Sébastien") == _names.name_key("Sebastien")
    assert _names.name_key("Zelenskyy") == _names.name_key("Zelensky") \
        == _names.name_key("Zelenskiy")
    assert _names.name_key("U.S.") == _names.name_key("US")
    assert _names.name_key("Healey’s") == _names.name_key("Healey")
    assert _names.strip_titles("Secretary of State Marco Rubio") == "Marco Rubio"
    assert _names.strip_titles("Defence Secretary John Healey") == "John Healey"
    assert _names.is_only_titles("Defense Minister")


# --- contract --------------------------------------------------------------------------------

def test_empty_input_gives_empty_table(seeds_sentences):
    out = mk.extract_entities(seeds_sentences.iloc[0:0])
    assert list(out.columns) == list(ENTITY_COLUMNS)
    assert out.empty


def test_input_not_mutated(seeds_sentences):
    before = seeds_sentences.copy(deep=True)
    mk.extract_entities(seeds_sentences)
    pd.testing.assert_frame_equal(seeds_sentences, before)


def test_missing_column_raises(seeds_sentences):
    with pytest.raises(mk.SchemaError, match="text"):
        mk.extract_entities(seeds_sentences.drop(columns=["text"]))


def test_bad_label_suggests(seeds_sentences):
    with pytest.raises(ValueError, match="PERSON"):
        mk.extract_entities(seeds_sentences, labels=["PERSN"])


def test_missing_model_names_the_extra(monkeypatch):
    from mediakit.measures import _spacy

    _spacy.load_model.cache_clear()
    monkeypatch.setattr(_spacy, "MODEL_PACKAGES", ("no_such_model_package_xyz",))
    try:
        with pytest.raises(ImportError, match=r"mediakit\[nlp\]"):
            _spacy.load_model()
    finally:
        monkeypatch.undo()
        _spacy.load_model.cache_clear()


def test_a_sentence_longer_than_the_model_reads_is_cut_with_a_warning():
    from mediakit.measures._spacy import MAX_CHARS

    text = "Angela Merkel said prices were " + "1.5 " * (MAX_CHARS // 4) + "in all."
    sentences = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "kind": ["body"],
                              "start": [0], "end": [len(text)], "text": [text]})
    with pytest.warns(mk.TruncatedInputWarning, match=r"1 sentence\(s\) longer than 100,000"):
        ents = mk.extract_entities(sentences)
    assert "Angela Merkel" in set(ents["canonical"])
    # a sentence within the limit gives no such warning
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", mk.TruncatedInputWarning)
        mk.extract_entities(sentences.assign(text="Angela Merkel spoke.", end=20))
