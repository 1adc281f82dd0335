"""Lexicons: built-ins, the formats researchers have, validation, and the pattern syntax."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import mediakit as mk
from mediakit.measures._matcher import compile_categories
from mediakit.measures.lexicons import BUILTIN

DATA = Path(__file__).parent / "data" / "lexicons"

MINI = {
    "security": ["defen?e*", "militar*", "peace keeping", "nato"],
    "diplomacy": ["negotiat*", "coalition of the willing", "allies"],
}

TEXTS = [
    "The Defence Secretary met NATO allies; military aid and peace-keeping plans followed.",
    "Negotiations stalled as the coalition of the willing weighed a peace keeping force.",
    "US defense officials and Peace  Keeping talks: defences, defenses, militarised zones.",
    "Nothing to see here, only a defendant and a peacekeeper.",
]


def _hits(lexicon):
    sentences = pd.DataFrame({"text": TEXTS, "kind": "body"})
    return mk.score_frames(sentences, lexicon=lexicon)


def _matches(terms_by_category, text):
    matcher = compile_categories(tuple((k, tuple(v)) for k, v in terms_by_category.items()))
    return [(matcher.categories[m.category], m.term, text[m.start:m.end]) for m in
            matcher.find(text)]


def test_builtins_have_metadata_and_named_categories():
    policy = mk.load_lexicon("policy_frames")
    assert isinstance(policy, mk.Lexicon)
    assert len(policy.categories) == 14
    assert "security_defense" in policy.categories and "legality" in policy.categories
    generic = mk.load_lexicon("generic_frames")
    assert list(generic.categories) == [
        "conflict", "human_interest", "economic_consequences", "morality", "responsibility"]
    assert len(mk.load_lexicon("gvfc_frames").categories) == 9
    for name in BUILTIN:
        lex = mk.load_lexicon(name)
        assert lex.name == name and lex.version and lex.citation and lex.licence
        assert lex.source == "builtin"
        for desc, terms in lex.categories.values():
            assert desc and len(terms) >= 20
        assert mk.load_lexicon(name) is lex  # cached


def test_every_format_gives_the_same_hits():
    expected = _hits(MINI)
    assert expected["frame_security"].sum() >= 8  # the sentences were written to hit
    sources = [DATA / "mini.yaml", DATA / "mini.json", DATA / "mini.dic",
               DATA / "mini_quanteda.yml", str(DATA / "mini.yaml")]
    for source in sources:
        got = _hits(source)
        pd.testing.assert_frame_equal(got, expected, check_like=False)
    lex = mk.load_lexicon(DATA / "mini.yaml")
    assert lex.name == "mini" and lex.version == "0.1"
    assert lex.categories["security"][0] == "Military and defence."
    # a Lexicon round-trips through its dict form
    again = mk.load_lexicon(lex.to_dict())
    assert again.categories == lex.categories


def test_nested_quanteda_groups_are_flattened():
    lex = mk.load_lexicon(DATA / "nested_quanteda.yml")
    assert list(lex.categories) == [
        "military_forces", "military_weapons", "diplomacy", "diplomacy_envoys"]
    assert lex.categories["diplomacy_envoys"][1] == ("envoy*",)


def test_unsafe_yaml_is_refused(tmp_path):
    with pytest.raises(ValueError, match="YAML"):
        mk.load_lexicon(DATA / "unsafe.yaml")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"a": []}, "no terms"),
        ({"a": ["ok"], "A": ["other"]}, "twice"),
        ({"a": ["bad|regex"]}, "not a valid pattern"),
        ({"a": ["**"]}, "only of wildcards"),
        ({"a": [""]}, "empty"),
        ({"terms": ["x"]}, "reserved"),
        ({"categories": {"a": {"terms": ["x"], "colour": "red"}}}, "unknown key"),
    ],
)
def test_validation_errors_say_what_is_wrong(data, message):
    with pytest.raises(ValueError, match=message):
        mk.load_lexicon(data)


def test_unknown_name_format_and_file(tmp_path):
    with pytest.raises(ValueError, match="policy_frames"):
        mk.load_lexicon("policy_frame")
    bad = tmp_path / "lex.txt"
    bad.write_text("a: [b]\n")
    with pytest.raises(ValueError, match="unknown lexicon format"):
        mk.load_lexicon(bad)
    with pytest.raises(FileNotFoundError):
        mk.load_lexicon(tmp_path / "missing.yaml")
    with pytest.raises(TypeError):
        mk.load_lexicon(42)
    (tmp_path / "broken.dic").write_text("security\t1\n")
    with pytest.raises(ValueError, match="LIWC"):
        mk.load_lexicon(tmp_path / "broken.dic")
    (tmp_path / "list.json").write_text(json.dumps(["a", "b"]))
    with pytest.raises(ValueError, match="mapping"):
        mk.load_lexicon(tmp_path / "list.json")


def test_category_names_become_identifiers():
    lex = mk.load_lexicon({"Law & Order": ["police"], "Public Opinion": ["poll*"]})
    assert list(lex.categories) == ["law_order", "public_opinion"]


@pytest.mark.parametrize(
    ("pattern", "text", "matched"),
    [
        ("defen?e*", "Defence, defense and defences; not defend.", ["Defence", "defense", "defences"]),
        ("militar*", "military militarise", ["military", "militarise"]),
        ("militar*", "demilitarise", []),
        ("coalition", "the coalition's plan; coalitions", ["coalition"]),
        ("peace keeping", "peace keeping, peace-keeping, Peace  Keeping, peace. keeping",
         ["peace keeping", "peace-keeping", "Peace  Keeping", "peace. keeping"]),
        ("peace keeping", "peace, keeping", []),
        ("u.s.", "the U.S. and the US", ["U.S"]),
        ("don't", "I don’t know", ["don’t"]),
        ("*ism", "terrorism and tourism", ["terrorism", "tourism"]),
        ("c?t", "cat cut coat", ["cat", "cut"]),
        ("sébastien", "Sébastien Lecornu", ["Sébastien"]),
    ],
)
def test_pattern_syntax(pattern, text, matched):
    assert [m[2] for m in _matches({"c": [pattern]}, text)] == matched


def test_longest_match_wins_within_a_category_and_words_count_in_several():
    hits = _matches({"a": ["peace", "peace deal*"], "b": ["deal"]}, "a peace deal now")
    assert hits == [("a", "peace deal*", "peace deal"), ("b", "deal", "deal")]
    # an exact word beats a glob over the same span
    assert _matches({"a": ["defen?e*", "defence"]}, "defence") == [("a", "defence", "defence")]


def test_covered_single_words_and_shared_phrase_starts():
    """A word that is a pattern alone is not counted again inside a longer match of its
    category that starts earlier, but counts for another category; a word that begins a
    phrase and is a pattern alone counts alone when the phrase does not follow."""
    terms = {"a": ["peace keeping", "keeping", "peace"], "b": ["keeping"]}
    assert _matches(terms, "peace keeping keeping") == [
        ("a", "peace keeping", "peace keeping"), ("b", "keeping", "keeping"),
        ("a", "keeping", "keeping"), ("b", "keeping", "keeping")]
    assert _matches(terms, "peace, keeping") == [
        ("a", "peace", "peace"), ("a", "keeping", "keeping"), ("b", "keeping", "keeping")]


def _reference_matches(categories, text):
    """The matching rules applied the slow way: every pattern tried at every word."""
    import re

    from mediakit.measures._matcher import _GAP, _specificity, parse_pattern

    words = list(re.finditer(r"\w+", text))
    keys = [w.group().casefold() for w in words]

    def word_matches(pattern_word, key):
        regex = "".join(r"\w*" if c == "*" else r"\w" if c == "?" else re.escape(c)
                        for c in pattern_word)
        return re.fullmatch(regex, key) is not None

    best, order = {}, 0
    for cat, (_, terms) in enumerate(categories):
        for term in terms:
            pattern = parse_pattern(term)
            for i in range(len(keys)):
                j = i + len(pattern) - 1
                if j < len(keys) and all(word_matches(p, keys[i + k])
                                         for k, p in enumerate(pattern)) and all(
                        _GAP.fullmatch(text, words[k].end(), words[k + 1].start())
                        for k in range(i, j)):
                    rank = (j, _specificity(pattern), -order, term)
                    if (i, cat) not in best or rank > best[(i, cat)]:
                        best[(i, cat)] = rank
            order += 1
    covered, out = {}, []
    for (i, cat), (j, _, _, term) in sorted(best.items()):
        if i >= covered.get(cat, 0):
            covered[cat] = j + 1
            out.append((cat, term, words[i].start(), words[j].end()))
    return out


def test_matcher_equals_the_rules_applied_pattern_by_pattern():
    """Random texts and lexicons of a few words (phrases sharing first words, globs, words
    that are patterns alone and inside phrases): find and find_many give what trying every
    pattern at every word gives."""
    import random

    rng = random.Random(7)
    vocab = ["the", "peace", "keeping", "deal", "deals", "talks", "white", "house", "us"]
    globs = ["deal*", "t?lks", "*ing", "h*e"]
    for _ in range(200):
        categories = []
        for name in ("a", "b"):
            terms = set()
            for _ in range(rng.randint(1, 5)):
                size = rng.choice([1, 1, 2, 3])
                terms.add(" ".join(rng.choice(vocab + globs) for _ in range(size)))
            categories.append((name, tuple(sorted(terms))))
        categories = tuple(categories)
        texts = [rng.choice([" ", ", ", "-", ". ", " "]).join(
            rng.choice(vocab).title() if rng.random() < 0.2 else rng.choice(vocab)
            for _ in range(rng.randint(0, 12))) for _ in range(5)]
        matcher = compile_categories(categories)
        expected = [_reference_matches(categories, t) for t in texts]
        assert [[tuple(m) for m in matcher.find(t)] for t in texts] == expected
        assert [[tuple(m) for m in hits] for hits in matcher.find_many(texts)] == expected
