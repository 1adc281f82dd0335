"""One contract, run over every ``score_*`` and ``compare_*`` function (STYLE.md, DESIGN.md).

Input not mutated; ``score_*`` keep the rows and their order; an empty frame gives an empty result
with the right columns; a missing column raises ``SchemaError``.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import mediakit as mk
from mediakit._errors import MediakitWarning, SchemaError

SCORERS = {
    "score_sentiment": ("sentiment_", {}),
    "score_readability": ("readability_", {}),
    "score_frames": ("frame_", {}),
}


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MediakitWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        return func(*args, **kwargs)


@pytest.fixture(scope="module")
def scored(seeds_sentences):
    out = _quiet(mk.score_sentiment, seeds_sentences)
    out = _quiet(mk.score_readability, out)
    return _quiet(mk.score_frames, out)


@pytest.mark.parametrize("name", sorted(SCORERS))
def test_score_keeps_rows_and_does_not_mutate(name, seeds_sentences):
    prefix, kwargs = SCORERS[name]
    before = seeds_sentences.copy(deep=True)
    out = _quiet(getattr(mk, name), seeds_sentences, **kwargs)
    pd.testing.assert_frame_equal(seeds_sentences, before)
    assert out is not seeds_sentences
    assert len(out) == len(seeds_sentences)
    pd.testing.assert_frame_equal(out[list(before.columns)], before)
    added = [c for c in out.columns if c not in before.columns]
    assert added and all(c.startswith(prefix) for c in added)


@pytest.mark.parametrize("name", sorted(SCORERS))
def test_score_empty_frame(name, seeds_sentences):
    prefix, kwargs = SCORERS[name]
    empty = seeds_sentences.iloc[:0]
    out = _quiet(getattr(mk, name), empty, **kwargs)
    assert len(out) == 0
    assert any(c.startswith(prefix) for c in out.columns)


@pytest.mark.parametrize("name", sorted(SCORERS))
def test_score_missing_text_column(name, seeds_sentences):
    with pytest.raises(SchemaError):
        _quiet(getattr(mk, name), seeds_sentences.drop(columns=["text"]))


COMPARERS = ["compare_groups", "compare_terms", "compare_coverage", "compare_actors",
             "compare_attention"]


@pytest.fixture(scope="module")
def extracted(seeds_sentences):
    entities = mk.extract_entities(seeds_sentences)
    return entities, mk.extract_quotes(seeds_sentences, entities=entities)


def _compare_calls(extracted):
    entities, quotes = extracted
    return {
        "compare_groups": lambda d: mk.compare_groups(d, measures=["sentiment_compound"]),
        "compare_terms": lambda d: mk.compare_terms(d),
        "compare_coverage": lambda d: mk.compare_coverage(d),
        "compare_actors": lambda d: mk.compare_actors(d, entities=entities, quotes=quotes),
        "compare_attention": lambda d: mk.compare_attention(d),
    }


@pytest.mark.parametrize("name", COMPARERS)
def test_compare_does_not_mutate_and_handles_empty(name, scored, extracted):
    call = _compare_calls(extracted)[name]
    before = scored.copy(deep=True)
    result = _quiet(call, scored)
    pd.testing.assert_frame_equal(scored, before)
    assert result is not None
    empty = _quiet(call, scored.iloc[:0])
    tables = [getattr(empty, f) for f in ("alignment", "facts")] if name == "compare_coverage" \
        else [empty]
    for table in tables:
        assert isinstance(table, pd.DataFrame) and len(table) == 0 and len(table.columns) > 0


@pytest.mark.parametrize("name", COMPARERS)
@pytest.mark.parametrize("column", ["outlet", "text"])
def test_compare_missing_column(name, column, scored, extracted):
    call = _compare_calls(extracted)[name]
    if name == "compare_groups" and column == "text":
        column = "sentiment_compound"
    if name == "compare_attention" and column == "text":  # counts articles: needs no text
        column = "published"
    if name == "compare_actors" and column == "text":  # reads the given entities and quotes
        column = "story_id"
    with pytest.raises(SchemaError):
        _quiet(call, scored.drop(columns=[column]))


def test_str_array_is_pandas_str_array():
    # the frames' text columns are built through one pyarrow call; the result must be what
    # pd.array(..., dtype="str") gives, and what pyarrow refuses goes the pandas way
    import numpy as np
    import pyarrow as pa

    from mediakit._frames import str_array

    cases = [["a", None, "é’", "x" * 10_000, ""], [], np.array(["u", None], dtype=object),
             [None, None]]
    for values in cases:
        got, want = str_array(values), pd.array(list(values), dtype="str")
        assert got.dtype == want.dtype
        assert got._pa_array.type == want._pa_array.type == pa.large_string()
        pd.testing.assert_extension_array_equal(got, want)
    mixed = ["a", 3, 2.5]  # not text: converted by pandas as before
    pd.testing.assert_extension_array_equal(str_array(mixed), pd.array(mixed, dtype="str"))
