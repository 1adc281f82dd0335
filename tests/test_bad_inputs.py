"""A catalogue of bad inputs across the public API: each raises the documented exception with a
message that says what is wrong, or (ingest with ``on_error="skip"``) is listed in
``attrs["skipped"]`` while the good inputs are kept."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import mediakit as mk

GOOD = {"text": "The minister said the plan would go ahead. Talks continue on Friday.",
        "outlet": "A"}
DEEP = "[" * 100_000 + "]" * 100_000  # deeper than Python's JSON parser can recurse


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


# -- the catalogue -----------------------------------------------------------------------------


class _Data:
    """Frames the catalogue's calls are made on (built once, lazily; spaCy only for quotes)."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.articles = mk.load_example("seeds")
        self.sentences = mk.split_sentences(self.articles)
        self.scored = _quiet(mk.score_frames, _quiet(mk.score_sentiment, self.sentences))

    def file(self, name: str, data: bytes | str) -> Path:
        return _write(self.tmp / name, data)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return _Data(tmp_path_factory.mktemp("catalogue"))


def _quiet(func, *args, **kwargs):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def _fig():
    import matplotlib.pyplot as plt

    return plt.figure()


SchemaError = mk.SchemaError


def _mentions(d):
    """Two mentions (the first word of two sentences) in extract_entities' shape."""
    first = d.sentences.iloc[:2]
    return first[["article_id", "sentence_id", "start"]].assign(end=first["start"] + 3)

_NO_FRAME = "must be a pandas (or dask )?DataFrame"

# (public name, call on _Data, exception type, message fragment (regex))
CATALOGUE = [
    # ingest
    ("read_articles", lambda d: mk.read_articles(None), TypeError, "source must be a path"),
    ("read_articles", lambda d: mk.read_articles(b"text"), TypeError, "got bytes"),
    ("read_articles", lambda d: mk.read_articles({"text": "a"}), TypeError, "single dict"),
    ("read_articles", lambda d: mk.read_articles([GOOD, "a.txt"]), TypeError,
     "only dicts .* or only paths"),
    ("read_articles", lambda d: mk.read_articles([GOOD], text=3), TypeError,
     r"text must be a column name \(a non-empty str\); got 3 \(int\)"),
    ("read_articles", lambda d: mk.read_articles([GOOD], on_error="ignore"), ValueError,
     "on_error must be one of 'raise', 'skip'; got 'ignore'"),
    ("read_articles", lambda d: mk.read_articles([GOOD], max_chars=-5), ValueError,
     r"max_chars must be an integer in \[1, inf\) or None; got -5"),
    ("read_articles", lambda d: mk.read_articles(d.tmp / "missing.txt"), FileNotFoundError,
     "missing.txt' does not exist"),
    ("read_articles", lambda d: mk.read_articles(str(d.tmp / "*.nothing")), FileNotFoundError,
     "matches no files"),
    ("read_articles", lambda d: mk.read_articles([GOOD], manifest=d.tmp / "m.csv"),
     FileNotFoundError, "manifest=.* does not exist"),
    ("read_articles", lambda d: mk.read_articles([{"text": "x."}]), SchemaError, "'outlet'"),
    ("read_articles", lambda d: mk.read_articles([{"body": "x.", "outlet": "A"}]), SchemaError,
     "missing column.*'text'"),
    ("read_articles", lambda d: mk.read_articles([{**GOOD, "outlet": None}]), SchemaError,
     "has no 'outlet' value"),
    ("read_articles", lambda d: mk.read_articles([{**GOOD, "text": 5}]), ValueError,
     "row 0 has a text of type int"),
    ("read_articles", lambda d: mk.read_articles([{**GOOD, "text": "  "}]), ValueError,
     "row 0 has no text"),
    ("read_articles", lambda d: mk.read_articles([{**GOOD, "article_id": "x"}] * 2), ValueError,
     "ids must be unique"),
    ("read_articles", lambda d: mk.read_articles(d.file("a.txt", "Hi."), encoding="bogus"),
     ValueError, "a.txt cannot be decoded as 'bogus'"),
    ("read_articles", lambda d: mk.read_articles(d.file("a.doc", "Hi.")), ValueError,
     "unsupported file type"),
    ("read_articles", lambda d: mk.read_articles(d.file("a.parquet", b"PAR1 not really")),
     ValueError, "not a readable Parquet file"),
    ("read_articles", lambda d: mk.read_articles(d.file("a.csv", b"")), ValueError,
     "not a readable CSV file"),
    ("read_articles", lambda d: mk.read_articles(d.file("a.txt.gz", b"not gzip")), OSError,
     "a.txt.gz cannot be read"),
    ("fetch_articles", lambda d: mk.fetch_articles(None), TypeError, "urls must be a URL"),
    ("fetch_articles", lambda d: mk.fetch_articles("file:///etc/passwd"), ValueError,
     "not an http\\(s\\) URL"),
    ("fetch_articles", lambda d: mk.fetch_articles("http://127.0.0.1:9/", timeout=-1),
     ValueError, r"timeout must be a number in \(0, inf\); got -1"),
    ("fetch_articles", lambda d: mk.fetch_articles("http://127.0.0.1:9/", max_bytes=0),
     ValueError, r"max_bytes must be an integer in \[1, inf\); got 0"),
    ("fetch_articles", lambda d: mk.fetch_articles("http://127.0.0.1:9/", on_error="warn"),
     ValueError, "on_error must be one of 'raise', 'skip'; got 'warn'"),
    ("load_example", lambda d: mk.load_example("seed"), ValueError, "Did you mean 'seeds'"),
    ("load_example", lambda d: mk.load_example(None), ValueError, "name must be one of 'seeds'"),
    # segment
    ("split_sentences", lambda d: mk.split_sentences([GOOD]), TypeError, _NO_FRAME),
    ("split_sentences", lambda d: mk.split_sentences(d.articles.drop(columns="text")),
     SchemaError, "missing column.*'text'"),
    ("split_sentences", lambda d: mk.split_sentences(d.articles.assign(text=1)), TypeError,
     "articles.text must be strings"),
    ("split_sentences", lambda d: mk.split_sentences(d.articles.assign(article_id="x")),
     ValueError, "must be unique"),
    ("split_sentences", lambda d: mk.split_sentences(d.articles, n_jobs=0), ValueError,
     r"n_jobs must be an integer in \[1, inf\); got 0"),
    # measures
    ("score_sentiment", lambda d: mk.score_sentiment("text"), TypeError, _NO_FRAME),
    ("score_sentiment", lambda d: mk.score_sentiment(d.sentences, scope="quote"), ValueError,
     "Did you mean 'quoted'"),
    ("score_sentiment", lambda d: mk.score_sentiment(d.sentences, kinds=["bodies"]), ValueError,
     "Did you mean 'body'"),
    ("score_sentiment", lambda d: mk.score_sentiment(d.sentences, kinds=[]), ValueError,
     "kinds must be None, one of 'content', 'all'.* or a non-empty list"),
    ("score_sentiment", lambda d: mk.score_sentiment(d.sentences, text="body"), SchemaError,
     "'body'"),
    ("score_sentiment", lambda d: mk.score_sentiment(d.sentences.assign(text=1)), TypeError,
     "must hold text"),
    ("score_sentiment", lambda d: mk.score_sentiment(d.sentences.drop(columns="in_quote"),
                                                     scope="quoted"), SchemaError, "in_quote"),
    ("score_readability", lambda d: mk.score_readability(None), TypeError, _NO_FRAME),
    ("score_readability", lambda d: mk.score_readability(d.sentences, level="doc"), ValueError,
     "level must be one of 'article', 'sentence'; got 'doc'"),
    ("score_readability", lambda d: mk.score_readability(d.sentences, indices=["fk"]),
     ValueError, r"indices must be None or an index name .*got \['fk'\]"),
    ("score_readability", lambda d: mk.score_readability(
        d.sentences.drop(columns="article_id")), SchemaError, "'article_id'"),
    ("score_frames", lambda d: mk.score_frames(d.articles.text), TypeError, _NO_FRAME),
    ("score_frames", lambda d: mk.score_frames(d.sentences, lexicon="policy"), ValueError,
     "Did you mean 'policy_frames'"),
    ("score_frames", lambda d: mk.score_frames(d.sentences.drop(columns="kind")), SchemaError,
     "'kind'"),
    ("score_frames", lambda d: mk.score_frames(d.scored), ValueError,
     "already has frame columns"),
    ("load_lexicon", lambda d: mk.load_lexicon(3), TypeError, r"got 3 \(int\)"),
    ("load_lexicon", lambda d: mk.load_lexicon({}), ValueError, "no categories"),
    ("load_lexicon", lambda d: mk.load_lexicon({"a": ["<b>"]}), ValueError,
     "not a valid pattern"),
    ("load_lexicon", lambda d: mk.load_lexicon({"terms": ["x"]}), ValueError, "reserved"),
    ("load_lexicon", lambda d: mk.load_lexicon(d.tmp / "none.yaml"), FileNotFoundError,
     "does not exist"),
    ("load_lexicon", lambda d: mk.load_lexicon(d.file("l.txt", "a")), ValueError,
     "unknown lexicon format '.txt'"),
    ("load_lexicon", lambda d: mk.load_lexicon(d.file("l.yaml", "a: [b\n")), ValueError,
     "could not read .* as YAML"),
    ("load_lexicon", lambda d: mk.load_lexicon(d.file("l.json", "{")), ValueError,
     "could not read .* as JSON"),
    ("load_lexicon", lambda d: mk.load_lexicon(d.file("l.dic", "junk\n")), ValueError,
     "not a LIWC-style .dic file"),
    ("Lexicon", lambda d: mk.load_lexicon(d.file("list.yaml", "- a\n")), ValueError,
     "does not hold a mapping"),
    ("explain_frames", lambda d: mk.explain_frames(d.sentences), SchemaError, "'frame_terms'"),
    ("explain_frames", lambda d: mk.explain_frames(d.scored, articles=pd.concat(
        [d.articles, d.articles.assign(text="other")])), ValueError,
     "article_id must be unique to look texts up; repeated"),
    ("frame_profile", lambda d: mk.frame_profile([1]), TypeError, _NO_FRAME),
    ("frame_profile", lambda d: mk.frame_profile(d.sentences), SchemaError, "frame_"),
    ("outlet_colors", lambda d: mk.outlet_colors(5), TypeError,
     "outlets must be a list or column of values"),
    ("FrameClassifier", lambda d: mk.FrameClassifier().predict(["text"]), mk.NotFittedError,
     "not fitted yet"),
    ("FrameClassifier", lambda d: mk.FrameClassifier().fit(["a", "b"], ["x"]), ValueError,
     "2 items but labels has 1"),
    ("FrameClassifier", lambda d: mk.FrameClassifier().fit("abc", list("xyz")), TypeError,
     "texts must be a list"),
    ("FrameClassifier", lambda d: mk.FrameClassifier().fit(["a"] * 3, ["x"] * 3), ValueError,
     "at least two different labels"),
    ("extract_entities", lambda d: mk.extract_entities([]), TypeError, _NO_FRAME),
    ("extract_entities", lambda d: mk.extract_entities(d.articles), SchemaError,
     "'sentence_id', 'start'"),
    ("extract_entities", lambda d: mk.extract_entities(d.sentences, labels=["PERSONS"]),
     ValueError, "Did you mean 'PERSON'"),
    ("extract_entities", lambda d: mk.extract_entities(d.sentences, aliases=5), TypeError,
     r"aliases must be a mapping \(dict\), a DataFrame or None; got 5"),
    ("extract_entities", lambda d: mk.extract_entities(d.sentences, batch_size=0), ValueError,
     r"batch_size must be an integer in \[1, inf\); got 0"),
    ("score_target_sentiment", lambda d: mk.score_target_sentiment("x", sentences=d.sentences),
     TypeError, "data must be a pandas DataFrame"),
    ("score_target_sentiment", lambda d: mk.score_target_sentiment(
        _mentions(d).drop(columns="end"), sentences=d.sentences), SchemaError,
     "mentions is missing column\\(s\\) 'end'"),
    ("score_target_sentiment", lambda d: mk.score_target_sentiment(
        _mentions(d), sentences=d.sentences.drop(columns="start")), SchemaError,
     "sentences is missing column\\(s\\) 'start'"),
    ("score_target_sentiment", lambda d: mk.score_target_sentiment(
        _mentions(d).assign(start="0"), sentences=d.sentences), TypeError, "must hold integers"),
    ("score_target_sentiment", lambda d: mk.score_target_sentiment(
        _mentions(d).assign(end=10**6), sentences=d.sentences), ValueError, "lies outside its sentence"),
    ("score_target_sentiment", lambda d: mk.score_target_sentiment(
        _mentions(d), sentences=d.sentences, model="bert"), ValueError,
     "model must be one of 'auto', 'minilm', 'vader'; got 'bert'"),
    ("extract_quotes", lambda d: mk.extract_quotes("x", entities=d.sentences), TypeError,
     _NO_FRAME),
    ("extract_quotes", lambda d: mk.extract_quotes(d.articles, entities=d.sentences),
     SchemaError, r"looks like an articles frame.*mk\.split_sentences"),
    ("extract_quotes", lambda d: mk.extract_quotes(d.sentences), TypeError,
     "missing a required argument: 'entities'"),
    ("extract_quotes", lambda d: mk.extract_quotes(d.sentences, entities=d.sentences),
     SchemaError, "entities is missing column"),
    ("extract_quotes", lambda d: mk.extract_quotes(d.sentences, entities=d.sentences,
                                                   include_scare="yes"), TypeError,
     r"include_scare must be a bool \(True or False\)"),
    # compare
    ("compare_groups", lambda d: mk.compare_groups([1]), TypeError,
     "must be a pandas or dask DataFrame"),
    ("compare_groups", lambda d: mk.compare_groups(d.scored, measures=["sentiment"]),
     SchemaError, "'sentiment'"),
    ("compare_groups", lambda d: mk.compare_groups(d.scored, measures=["text"]), TypeError,
     "must be numeric"),
    ("compare_groups", lambda d: mk.compare_groups(d.scored, measures=["sentiment_compound"],
                                                   stat="avg"), ValueError,
     r"compare_groups\(stat=...\): stat must be one of 'mean', .*; got 'avg' \(str\)"),
    ("compare_groups", lambda d: mk.compare_groups(d.scored, measures=["sentiment_compound"],
                                                   n_boot=-1), ValueError,
     r"n_boot must be an integer in \[1, inf\); got -1"),
    ("compare_groups", lambda d: mk.compare_groups(123), TypeError,
     r"data must be a pandas or dask DataFrame.*got 123 \(int\)"),
    ("compare_groups", lambda d: mk.compare_groups(d.scored, measures=["sentiment_compound"],
                                                   pairs=[("x", "y")]), ValueError,
     "is not a group"),
    ("compare_terms", lambda d: mk.compare_terms(d.sentences, stat="g3"), ValueError,
     "Did you mean 'g2'"),
    ("compare_terms", lambda d: mk.compare_terms(d.sentences, prior_scale=True), TypeError,
     r"prior_scale must be a number in \(0, inf\); got True \(bool\)"),
    ("compare_terms", lambda d: mk.compare_terms(d.sentences, target="outlet C"), ValueError,
     "target='outlet C' is not valid"),
    ("compare_terms", lambda d: mk.compare_terms(d.sentences, ngram_range=(2, 1)), ValueError,
     "ngram_range must be"),
    ("compare_terms", lambda d: mk.compare_terms(d.sentences, stop_words="french"), ValueError,
     "stop_words must be one of 'english', a list of str.*; got 'french'"),
    ("compare_terms", lambda d: mk.compare_terms(d.sentences, correction="yate"), ValueError,
     "Did you mean 'yates'"),
    ("explain_terms", lambda d: mk.explain_terms(d.sentences, terms=3), TypeError,
     r"terms must be a str, a DataFrame, a list of str.*; got 3 \(int\)"),
    ("explain_terms", lambda d: mk.explain_terms(d.sentences.drop(columns="text"), terms="x"),
     SchemaError, "'text'"),
    ("compare_attention", lambda d: mk.compare_attention(d.articles, freq="fortnight"),
     ValueError, "freq='fortnight' is not a pandas frequency"),
    ("compare_attention", lambda d: mk.compare_attention(d.articles.drop(columns="published")),
     SchemaError, "'published'"),
    ("compare_coverage", lambda d: mk.compare_coverage(d.sentences, shared=2), ValueError,
     r"shared must be a number in \[0, 1\]; got 2"),
    ("compare_coverage", lambda d: mk.compare_coverage(d.sentences, shared=0.3, partial=0.5),
     ValueError, "must not exceed"),
    ("compare_coverage", lambda d: mk.compare_coverage(d.sentences.drop(columns="story_id")),
     SchemaError, "'story_id'"),
    ("Coverage", lambda d: mk.plot_coverage_map(d.sentences), TypeError,
     "result of mk.compare_coverage"),
    ("compare_actors", lambda d: mk.compare_actors(d.sentences, entities=d.articles,
                                                   quotes=d.articles, tone=False),
     SchemaError, "entities is missing column"),
    ("compare_actors", lambda d: mk.compare_actors(d.sentences.drop(columns="outlet"),
                                                   entities=d.articles, quotes=d.articles),
     SchemaError, "outlet"),
    ("compare_actors", lambda d: mk.compare_actors(d.sentences), ValueError,
     "needs entities= and quotes=.*mk.extract_entities.*mk.extract_quotes"),
    ("group_stories", lambda d: mk.group_stories(d.articles, threshold=2), ValueError,
     r"threshold must be a number in \(0, 1\] or None; got 2"),
    ("group_stories", lambda d: mk.group_stories(d.articles.drop(columns="text")), SchemaError,
     "'text'"),
    # plots and report
    ("save_figure", lambda d: mk.save_figure(None, d.tmp / "f"), TypeError,
     "fig must be a matplotlib Figure"),
    ("save_figure", lambda d: mk.save_figure(_fig(), d.tmp / "f", formats=("gif",)), ValueError,
     "formats must be one of 'png', 'svg', 'pdf'; got 'gif'"),
    ("save_figure", lambda d: mk.save_figure(_fig(), d.tmp / "f", dpi=0), ValueError,
     r"dpi must be an integer in \[10, inf\); got 0"),
    ("save_figure", lambda d: mk.save_figure(_fig(), d.tmp / "f", data=[1]), TypeError,
     "data must be a pandas DataFrame"),
    ("write_report", lambda d: mk.write_report(None, d.tmp / "r"), TypeError,
     "expected an mk.Analysis or a mapping"),
    ("write_report", lambda d: mk.write_report({"articles": d.articles}, d.file("afile", "x")),
     FileExistsError, "afile"),
    ("analyze", lambda d: mk.analyze(d.articles, stories="x"), ValueError,
     "stories must be one of 'auto', 'given', 'group'; got 'x'"),
    ("analyze", lambda d: mk.analyze(d.articles, actors="yes"), TypeError,
     r"actors must be a bool \(True or False\) or None; got 'yes'"),
    ("analyze", lambda d: mk.analyze(d.articles, read_kws=[1]), TypeError,
     "read_kws must be a dict"),
    ("analyze", lambda d: mk.analyze(d.articles, lexicon="nope", actors=False), ValueError,
     "neither a built-in lexicon nor a file"),
    ("Analysis", lambda d: _quiet(mk.analyze, d.articles, actors=False, n_boot=20).report(
        d.tmp / "rep", formats=("gif",)), ValueError,
     r"Analysis.report\(formats=...\): formats must be one of 'png', 'svg', 'pdf'; got 'gif'"),
    ("plot_estimates", lambda d: mk.plot_estimates(d.sentences), SchemaError, "'estimate'"),
    ("plot_actor_tone", lambda d: mk.plot_actor_tone(d.sentences, n_actors=0), ValueError,
     r"n_actors must be an integer in \[1, inf\); got 0"),
    ("plot_actors", lambda d: mk.plot_actors(d.sentences), SchemaError, "'canonical'"),
    ("plot_attention", lambda d: mk.plot_attention(d.sentences, x=3), TypeError,
     r"x must be a column name.*got 3 \(int\)"),
    ("plot_coverage_map", lambda d: mk.plot_coverage_map(d.sentences), TypeError,
     "result of mk.compare_coverage"),
    ("plot_presence", lambda d: mk.plot_presence(d.sentences), SchemaError, "'fact_id'"),
    ("plot_frames", lambda d: mk.plot_frames(d.sentences, annotate="yes"), TypeError,
     "annotate must be a bool"),
    ("InvalidParameterError", lambda d: mk.compare_coverage(d.sentences, semantic="yes"),
     mk.InvalidParameterError, "semantic must be a bool"),
    ("plot_keyness", lambda d: mk.plot_keyness("x"), TypeError, _NO_FRAME),
    ("plot_overview", lambda d: mk.plot_overview(5), TypeError, "expected an mk.Analysis"),
    ("plot_readability", lambda d: mk.plot_readability(d.articles), SchemaError,
     "readability_flesch_kincaid_grade"),
    ("plot_sentiment_arc", lambda d: mk.plot_sentiment_arc(d.articles), SchemaError,
     "sentiment_compound"),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), [
    pytest.param(*row, id=f"{row[0]}-{i}") for i, row in enumerate(CATALOGUE)])
def test_catalogue(name, call, exc, match, data):
    with pytest.raises(exc, match=match) as info:
        _quiet(call, data)
    # the documented class, not a stray built-in error from deep inside a library
    assert type(info.value).__module__.split(".")[0] in ("builtins", "mediakit"), info.value
    assert len(str(info.value)) < 2000


def test_resource_missing_is_its_own_error(monkeypatch, tmp_path):
    from mediakit.ingest import examples

    # neither an installed wheel's copy nor the source tree's data folder is there
    monkeypatch.setattr(examples.resources, "files", lambda package: tmp_path)
    monkeypatch.setattr(examples, "__file__", str(tmp_path / "a" / "b" / "examples.py"))
    with pytest.raises(mk.ResourceMissingError, match="the example 'seeds' is not installed"):
        mk.load_example("seeds")


# Warnings: (public name, call, warning class, message fragment)
WARNINGS = [
    ("read_articles", lambda d: mk.read_articles([GOOD, {"text": "", "outlet": "B"}],
                                                 on_error="skip"),
     mk.SkippedInputWarning, "skipped 1 input"),
    ("split_sentences", lambda d: mk.split_sentences(d.articles.assign(text=["", " x"])),
     mk.SkippedInputWarning, "gave no sentences"),
    ("read_articles", lambda d: mk.read_articles([{**GOOD, "published": "soon"}]),
     mk.MediakitWarning, "could not be read as dates"),
    ("compare_groups", lambda d: mk.compare_groups(d.scored, measures=["sentiment_compound"],
                                                   n_boot=20, n_perm=20),
     mk.WideIntervalWarning, "article"),
    ("score_sentiment", lambda d: mk.score_sentiment(pd.DataFrame({"text": [
        "Der Minister sagte, der Plan werde am Montag beginnen und die Truppen würden folgen."
    ] * 3})), mk.LanguageWarning, "English"),
    ("extract_entities", lambda d: mk.extract_entities(pd.DataFrame({
        "article_id": ["a"], "sentence_id": [0], "kind": ["body"], "start": [0],
        "end": [100_004], "text": ["Merkel " + "1.5 " * 25_000 + "end."]})),
     mk.TruncatedInputWarning, "longer than 100,000 characters"),
]


@pytest.mark.parametrize(("name", "call", "warning", "match"), [
    pytest.param(*row, id=f"{row[0]}-{row[2].__name__}") for row in WARNINGS])
def test_warnings_have_their_own_classes(name, call, warning, match, data):
    with pytest.warns(warning, match=match):
        call(data)


def test_skipped_inputs_are_listed_with_source_row_and_reason(tmp_path):
    _write(tmp_path / "good.txt", GOOD["text"])
    _write(tmp_path / "empty.txt", "")
    _write(tmp_path / "notes.docx", "x")
    _write(tmp_path / "rows.jsonl", json.dumps(GOOD) + "\nnot json\n" + json.dumps(
        {"text": "", "outlet": "B"}) + "\n")
    with pytest.warns(mk.SkippedInputWarning, match="skipped 4 input\\(s\\), kept 2"):
        got = mk.read_articles(tmp_path, on_error="skip")
    skipped = got.attrs["skipped"]
    assert all(set(s) == set(mk.Skipped.__annotations__) for s in skipped)
    by_where = {(Path(s["source"]).name, s["row"]): s["reason"] for s in skipped}
    assert set(by_where) == {("empty.txt", None), ("notes.docx", None), ("rows.jsonl", 1),
                             ("rows.jsonl", 2)}
    assert "has no text" in by_where[("empty.txt", None)]
    assert "unsupported file type" in by_where[("notes.docx", None)]
    assert "not a JSON object" in by_where[("rows.jsonl", 1)]
    assert sorted(got["source"].map(lambda p: Path(p).name)) == ["good.txt", "rows.jsonl"]


def test_every_public_name_is_in_the_catalogue():
    covered = {row[0] for row in CATALOGUE} | {row[0] for row in WARNINGS}
    covered |= {row[2].__name__ for row in CATALOGUE} | {row[2].__name__ for row in WARNINGS}
    covered |= {"ResourceMissingError", "Skipped", "__version__"}  # tests above
    # a story larger than the machine's memory cannot be built in a test: test_coverage.py and
    # test_dask_analyze.py lower the memory it is checked against
    covered |= {"StoryTooLargeError"}
    missing = set(mk.__all__) - covered
    assert not missing, f"public names without a bad-input case: {sorted(missing)}"


def test_deeply_nested_json_is_a_named_bad_input_not_a_recursion_error(tmp_path):
    # json.loads raised RecursionError, which escaped read_articles even with on_error="skip"
    path = _write(tmp_path / "deep.json", DEEP)
    with pytest.raises(ValueError, match="deep.json is not valid JSON .*nested too deeply"):
        mk.read_articles(path)
    lines = _write(tmp_path / "deep.jsonl", json.dumps(GOOD) + "\n" + DEEP + "\n")
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.read_articles(lines, on_error="skip")
    assert len(got) == 1
    assert got.attrs["skipped"] == [{"source": str(lines), "row": 1, "reason": got.attrs[
        "skipped"][0]["reason"]}]
    assert "nested too deeply" in got.attrs["skipped"][0]["reason"]
    manifest = _write(tmp_path / "m" / "manifest.json", DEEP)
    _write(tmp_path / "m" / "a.txt", GOOD["text"])
    with pytest.raises(ValueError, match="manifest .*nested too deeply"):
        mk.read_articles(tmp_path / "m", manifest=manifest)


def test_broken_json_manifest_names_itself(tmp_path):
    # JSONDecodeError could not be re-raised with the manifest's name: a TypeError escaped
    _write(tmp_path / "a.txt", GOOD["text"])
    _write(tmp_path / "manifest.json", '[{"file": "a.txt", ')
    with pytest.raises(ValueError, match="manifest .*manifest.json is not valid JSON"):
        mk.read_articles(tmp_path)


@pytest.mark.timeout(30)
def test_front_matter_alias_bomb_is_refused_quickly(tmp_path):
    # nine levels of nine aliases: the title expanded to 9**8 items when it was made a string
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    path = _write(tmp_path / "bomb.md", "---\n" + "\n".join(lines) + "\ntitle: *a8\n---\nBody.\n")
    with pytest.raises(ValueError, match="bomb.md has front matter that uses YAML aliases"):
        mk.read_articles(path)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be-bom", "utf-32"])
def test_utf16_and_utf32_tables_with_a_byte_order_mark(codec, tmp_path):
    # Excel's "Unicode text" export: a UTF-16 TSV was read as Windows-1252, so the header became
    # "ÿþt\x00e\x00x\x00t" and the file failed with "has no 'text' column"
    table = "text\toutlet\n“We don’t know,” she said.\tLe Monde\n"
    data = (b"\xfe\xff" + table.encode("utf-16-be")) if codec == "utf-16-be-bom" else table.encode(
        codec)
    got = mk.read_articles(_write(tmp_path / "export.tsv", data))
    assert got["text"].tolist() == ["“We don’t know,” she said."]
    assert got["outlet"].tolist() == ["Le Monde"]


def test_lone_surrogates_from_json_escapes_become_replacement_characters(tmp_path):
    # an emoji cut in half ("\ud83d") in a JSON field: pandas cannot store it, and a
    # UnicodeEncodeError escaped read_articles for the whole file (also with on_error="skip")
    line = ('{"text": "Fans cheered \\ud83d\\ude00 and left \\ud83d.", "outlet": "A\\udc80",'
            ' "summary": "Truncated \\ud83d", "\\ud83dkey": 1}\n')
    got = mk.read_articles(_write(tmp_path / "cut.jsonl", line))
    row = got.iloc[0]
    assert row["text"] == "Fans cheered 😀 and left \ufffd."
    assert row["outlet"] == "A\ufffd" and row["summary"] == "Truncated \ufffd"
    assert "\ufffdkey" in got.columns
    records = [{"text": "One \ud83d two.", "outlet": "B", "note": "x\udfff"}]
    got = mk.read_articles(records)
    assert got["text"][0] == "One \ufffd two." and got["note"][0] == "x\ufffd"
    sentences = mk.split_sentences(got)
    assert sentences["text"].tolist() == ["One \ufffd two."]


@pytest.mark.parametrize("value", [-1, "0025-04-10", "2300-01-01", "20255-04-10"])
def test_published_outside_the_nanosecond_range_is_nat_with_a_warning(value):
    # pandas parsed "0025-04-10" (a typo) to a microsecond date, and casting it to the frame's
    # nanosecond dtype raised OutOfBoundsDatetime for the whole read
    records = [{**GOOD, "published": value}, {**GOOD, "text": "Other.", "published": "2025-04-10"}]
    with pytest.warns(mk.MediakitWarning, match="could not be read as dates"):
        got = mk.read_articles(records)
    assert str(got["published"].dtype) == "datetime64[ns, UTC]"
    assert got["published"].isna().tolist() == [True, False]


def test_one_abbreviation_given_as_a_string_is_not_split_into_letters():
    # abbreviations="Cllr" was iterated letter by letter: "c", "l", "r" were added, not "Cllr"
    articles = mk.read_articles([{"text": "He spoke to Cllr. Jones on Monday.", "outlet": "A"}])
    assert mk.split_sentences(articles)["text"].tolist() == ["He spoke to Cllr.",
                                                             "Jones on Monday."]
    got = mk.split_sentences(articles, abbreviations="Cllr")["text"].tolist()
    assert got == ["He spoke to Cllr. Jones on Monday."]


@pytest.mark.parametrize("option", [{"max_rows": -1}, {"max_rows": 0}, {"max_stories": 0},
                                    {"max_rows": 2.5}])
def test_write_report_row_limits_are_checked(option, seeds_articles, tmp_path):
    # max_rows=-1 was passed to DataFrame.head, which then showed every row but the last
    with pytest.raises(ValueError, match=rf"{next(iter(option))} must be an integer in \[1, inf\)"):
        mk.write_report({"articles": seeds_articles}, tmp_path, **option)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".dic"])
def test_lexicon_file_not_in_utf8_is_named(suffix, tmp_path):
    # a Latin-1 lexicon raised a bare UnicodeDecodeError that did not name the file
    path = _write(tmp_path / f"lex{suffix}", "%\n1\tcafé\n%\ncafé\t1\n".encode("latin-1"))
    with pytest.raises(ValueError, match=f"lex\\{suffix} is not UTF-8 text"):
        mk.load_lexicon(path)


@pytest.mark.parametrize("window", ["three days", [1]])
def test_group_stories_window_that_is_not_a_time_span(window, seeds_articles):
    # pandas' own message ("unit abbreviation w/o a number") did not name the option
    with pytest.raises(ValueError, match="window=.* is not a time span|window must be a str"):
        mk.group_stories(seeds_articles, window=window)


@pytest.mark.parametrize("urls", [None, 5, b"http://127.0.0.1/", {"url": "http://127.0.0.1/"}])
def test_fetch_urls_of_the_wrong_type(urls):
    # None and 5 raised "'NoneType' object is not iterable"; a dict fetched its keys
    with pytest.raises(TypeError, match="urls must be a URL or a list of URLs"):
        mk.fetch_articles(urls)


@pytest.mark.parametrize("column", ["text", "article_id", "outlet", "title", "published"])
def test_group_stories_does_not_overwrite_an_input_column(column, seeds_articles):
    # story="text" (column="text" then) replaced every article's text with its story id
    with pytest.raises(ValueError, match=f"story='{column}' would overwrite"):
        mk.group_stories(seeds_articles, story=column)


# -- encodings not covered by tests/test_ingest.py (which reads UTF-8 with and without BOM,
# UTF-16 with BOM, cp1252 smart quotes, Latin-1, and in-memory mojibake) ---------------------

SMART = "The minister said “we don’t know” – café owners agreed."
PLAIN = "Don’t panic — café owners said."  # its UTF-8 bytes all decode in Windows-1252
MOJIBAKE = PLAIN.encode("utf-8").decode("cp1252")  # "Donâ€™t panic â€” cafÃ© owners said."


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("mojibake.txt", MOJIBAKE.encode("utf-8"), PLAIN),
    ("utf32.txt", SMART.encode("utf-32"), SMART),
    ("stray-nul.txt", (SMART + "\x00 ") .encode("utf-8") + b"More text follows here. " * 40,
     SMART + " " + ("More text follows here. " * 40).strip()),
    ("bom.jsonl", b"\xef\xbb\xbf" + json.dumps({"text": SMART, "outlet": "A"}).encode() + b"\n",
     SMART),
    ("nul-escape.jsonl", json.dumps({"text": "Ab\u0000c said so.", "outlet": "A"}).encode(),
     "Abc said so."),
    ("bom.csv", b'\xef\xbb\xbftext,outlet\n"' + SMART.encode("utf-8") + b'",A\n',
     SMART),
    ("cp1252.csv", b'text,outlet\n"' + SMART.encode("cp1252") + b'",A\n', SMART),
    ("mojibake.csv", b'text,outlet\n"' + MOJIBAKE.encode("utf-8") + b'",A\n', PLAIN),
])
def test_file_encodings_are_read_and_repaired(name, data, expected, tmp_path):
    got = mk.read_articles(_write(tmp_path / name, data))
    assert got["text"].tolist() == [expected]


def test_utf16_without_byte_order_mark_is_read_also_with_encoding(tmp_path):
    # recognised by its NUL bytes (more in tests/test_ingest_errors.py, with binary refused)
    path = _write(tmp_path / "nobom.txt", SMART.encode("utf-16-le"))
    assert mk.read_articles(path)["text"].tolist() == [SMART]
    assert mk.read_articles(path, encoding="utf-16-le")["text"].tolist() == [SMART]


@pytest.mark.timeout(60)
def test_glob_does_not_follow_folder_links_or_repeat_files(tmp_path):
    # glob.glob's "**" follows links to folders: one link to a parent folder read every file
    # 41 times (as different articles), two made read_articles run for ever; and "news/**"
    # matched the folder and its subfolders, reading files in subfolders several times
    news = tmp_path / "news"
    _write(news / "a" / "x.txt", GOOD["text"])
    _write(news / "a" / "b" / "y.txt", "Another article. It is short.")
    (news / "a" / "up").symlink_to("..")
    (news / "a" / "b" / "top").symlink_to("../..")
    for pattern in ("news/**/*.txt", "news/**"):
        got = mk.read_articles(str(tmp_path / pattern))
        assert sorted(got["article_id"]) == ["a/b/y", "a/x"], pattern
