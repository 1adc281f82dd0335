"""A catalogue of bad inputs across the public API: each raises the documented exception with a
message that says what is wrong, or (ingest with ``on_error="skip"``) is listed in
``attrs["skipped"]`` while the good inputs are kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mediakit as mk

GOOD = {"text": "The minister said the plan would go ahead. Talks continue on Friday.",
        "outlet": "A"}
DEEP = "[" * 100_000 + "]" * 100_000  # deeper than Python's JSON parser can recurse


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


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
    with pytest.raises(ValueError, match="bomb.md has front matter with YAML aliases"):
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
    with pytest.raises(ValueError, match=f"{next(iter(option))} must be an integer >= 1"):
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
    with pytest.raises(ValueError, match="window=.* is not a time span"):
        mk.group_stories(seeds_articles, window=window)


@pytest.mark.parametrize("urls", [None, 5, b"http://127.0.0.1/", {"url": "http://127.0.0.1/"}])
def test_fetch_urls_of_the_wrong_type(urls):
    # None and 5 raised "'NoneType' object is not iterable"; a dict fetched its keys
    with pytest.raises(TypeError, match="urls must be a URL or a list of URLs"):
        mk.fetch_articles(urls)


@pytest.mark.parametrize("column", ["text", "article_id", "outlet", "title", "published"])
def test_group_stories_does_not_overwrite_an_input_column(column, seeds_articles):
    # column="text" replaced every article's text with its story id
    with pytest.raises(ValueError, match=f"column='{column}' would overwrite"):
        mk.group_stories(seeds_articles, column=column)
