"""load_example: the bundled seeds, offline, as an articles frame."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mediakit as mk
from mediakit._frames import ARTICLE_COLUMNS

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


def test_seeds_is_an_articles_frame(seeds_articles):
    assert tuple(seeds_articles.columns[: len(ARTICLE_COLUMNS)]) == ARTICLE_COLUMNS
    assert len(seeds_articles) == 2
    assert seeds_articles["article_id"].is_unique
    assert str(seeds_articles["published"].dtype) == "datetime64[ns, UTC]"
    assert seeds_articles.attrs["skipped"] == []


def test_seeds_metadata_comes_from_the_manifest(seeds_articles):
    manifest = pd.read_csv(SEEDS / "manifest.csv", dtype=str)
    got = seeds_articles.set_index("article_id")
    for row in manifest.itertuples():
        assert got.loc[row.article_id, "outlet"] == row.outlet
        assert got.loc[row.article_id, "story_id"] == row.story_id
        assert Path(got.loc[row.article_id, "source"]).name == row.file


def test_seeds_text_is_clean_and_keeps_curly_quotes(seeds_articles):
    raw = {p.stem: p.read_text("utf-8") for p in SEEDS.glob("*.txt")}
    for row in seeds_articles.itertuples():
        assert "data-component-name" not in row.text
        assert "<" not in row.text.split("\n", 1)[0]
        assert "’" in row.text and "’" in raw[row.article_id]
        assert row.text.count("’") == raw[row.article_id].count("’")
        assert row.text.count("“") == raw[row.article_id].count("“")


def test_seed_titles(seeds_articles):
    by_id = seeds_articles.set_index("article_id")
    first_line = (SEEDS / "002_83c2cadf47dd1672.txt").read_text("utf-8").split("\n", 1)[0]
    assert by_id.loc["002_83c2cadf47dd1672", "title"] == first_line.strip()
    assert by_id.loc["002_83c2cadf47dd1672", "text"].startswith(first_line.strip())
    assert pd.isna(by_id.loc["000_7ab8ad6a0a579be7", "title"])


def test_seed_000_starts_at_the_story(seeds_articles):
    text = seeds_articles.set_index("article_id").loc["000_7ab8ad6a0a579be7", "text"]
    assert text.startswith("The defence secretary is set to encourage")


def test_each_call_returns_a_new_frame():
    a, b = mk.load_example("seeds"), mk.load_example("seeds")
    assert a is not b
    a.loc[0, "outlet"] = "changed"
    assert b.loc[0, "outlet"] == "outlet A"


def test_unknown_example_lists_the_names():
    with pytest.raises(ValueError, match="'seeds'"):
        mk.load_example("seed")
