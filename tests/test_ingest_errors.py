"""read_articles on bad input: a clear error naming the input, or a listed skip; never a silent drop."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import struct
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mediakit as mk
from mediakit._frames import ARTICLE_COLUMNS
from mediakit.ingest._text import TextProblem, decode_bytes

GOOD = "The minister said the plan would go ahead. Talks continue on Friday."


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


BAD_FILES = {
    "empty.txt": (b"", "has no text"),
    "blank.txt": (b"  \n\t\r\n  ", "has no text"),
    "only-markup.html": (b"<div class=\"x\">\n</div>", "has no text"),
    "report.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    # numbers stored as 4-byte integers: NUL bytes on both sides, so not UTF-16 text
    "numbers.txt": (b"".join(i.to_bytes(4, "little") for i in range(750)),
                    "binary data \\(it holds NUL bytes and is not UTF-16 text\\)"),
    "noise.txt": (bytes(b or 1 for b in random.Random(0).randbytes(3000)), "encoding"),
    "notes.docx": (b"plain words", "unsupported file type"),
    "broken.json": (b"[{\"text\": ", "not valid JSON"),
    "wrongcol.csv": (b"body,outlet\nSome text.,A\n", "has no 'text' column"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_raises_naming_it(name, tmp_path):
    data, message = BAD_FILES[name]
    path = _write(tmp_path / name, data)
    with pytest.raises(ValueError, match=message) as info:
        mk.read_articles(path)
    assert name in str(info.value)
    assert "on_error='skip'" in str(info.value)


def test_missing_text_column_is_a_schema_error(tmp_path):
    with pytest.raises(mk.SchemaError, match="'text'"):
        mk.read_articles(pd.DataFrame({"body": ["x"], "outlet": ["A"]}))
    with pytest.raises(mk.SchemaError, match="wrongcol.csv"):
        mk.read_articles(_write(tmp_path / "wrongcol.csv", BAD_FILES["wrongcol.csv"][0]))
    with pytest.raises(mk.SchemaError, match="outlet"):
        mk.read_articles([{"text": GOOD}])


def test_skip_lists_every_bad_file_and_keeps_the_good_ones(tmp_path):
    for name, (data, _) in BAD_FILES.items():
        _write(tmp_path / name, data)
    _write(tmp_path / "good.txt", GOOD)
    with pytest.warns(mk.SkippedInputWarning, match=f"skipped {len(BAD_FILES)} input") as record:
        got = mk.read_articles(tmp_path, on_error="skip")
    assert [w.filename for w in record] == [__file__]  # one warning, pointing at the caller
    assert got["article_id"].tolist() == ["good"]
    skipped = got.attrs["skipped"]
    assert sorted(Path(s["source"]).name for s in skipped) == sorted(BAD_FILES)
    for entry in skipped:
        assert re.search(BAD_FILES[Path(entry["source"]).name][1], entry["reason"])
        assert entry["row"] is None


def test_bad_rows_name_the_row_and_skip_lists_them(tmp_path):
    lines = [json.dumps({"text": GOOD, "outlet": "A", "article_id": "1"}), "{not json",
             json.dumps({"text": "   ", "outlet": "A"}), json.dumps(["a", "list"]),
             json.dumps({"text": GOOD + " More.", "outlet": None}),
             json.dumps({"text": GOOD, "outlet": "B", "article_id": "1"})]
    path = _write(tmp_path / "a.jsonl.gz", gzip.compress("\n".join(lines).encode()))
    with pytest.raises(ValueError, match=r"a\.jsonl\.gz row 1 is not a JSON object \(line 2"):
        mk.read_articles(path)
    with pytest.warns(mk.SkippedInputWarning, match="skipped 5"):
        got = mk.read_articles(path, on_error="skip")
    assert got["article_id"].tolist() == ["1"]
    reasons = {s["row"]: s["reason"] for s in got.attrs["skipped"]}
    assert sorted(reasons) == [1, 2, 3, 4, 5]
    assert "no text" in reasons[2] and "not an object" in reasons[3]
    assert "outlet" in reasons[4] and "also the id of" in reasons[5]


def test_in_memory_rows(tmp_path):
    records = [{"text": GOOD, "outlet": "A"}, {"text": None, "outlet": "A"},
               {"text": 42, "outlet": "A"}]
    with pytest.raises(ValueError, match="^row 1 has no text"):
        mk.read_articles(records)
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.read_articles(pd.DataFrame(records), on_error="skip")
    assert len(got) == 1
    assert [(s["source"], s["row"]) for s in got.attrs["skipped"]] == [(None, 1), (None, 2)]


def test_duplicate_ids_raise_naming_both(tmp_path):
    records = [{"text": GOOD, "outlet": "A", "article_id": "x"},
               {"text": "Other text.", "outlet": "B", "article_id": "x"}]
    with pytest.raises(ValueError, match=r"row 1 has article_id 'x', also the id of row 0"):
        mk.read_articles(records)
    same = [{"text": GOOD, "outlet": "A"}, {"text": GOOD, "outlet": "A"}]
    with pytest.raises(ValueError, match="ids must be unique"):
        mk.read_articles(same)  # the same article twice hashes to the same id


def test_missing_path_glob_and_manifest(tmp_path):
    _write(tmp_path / "articles.txt", GOOD)
    with pytest.raises(FileNotFoundError, match="Did you mean 'articles.txt'"):
        mk.read_articles(tmp_path / "article.txt")
    with pytest.raises(FileNotFoundError, match="matches no files"):
        mk.read_articles(str(tmp_path / "*.jsonl"))
    with pytest.raises(FileNotFoundError, match="manifest"):
        mk.read_articles(tmp_path, manifest=tmp_path / "nope.csv")


def test_missing_path_in_a_list_can_be_skipped(tmp_path):
    good = _write(tmp_path / "a.txt", GOOD)
    with pytest.raises(FileNotFoundError, match="b.txt does not exist"):
        mk.read_articles([good, tmp_path / "b.txt"])
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.read_articles([good, tmp_path / "b.txt"], on_error="skip")
    assert got["article_id"].tolist() == ["a"]
    [entry] = got.attrs["skipped"]
    assert (entry["source"], entry["row"]) == (str(tmp_path / "b.txt"), None)
    assert entry["reason"].startswith("does not exist.")


def test_broken_manifest_names_itself(tmp_path):
    _write(tmp_path / "a.txt", GOOD)
    _write(tmp_path / "manifest.csv", "name,outlet\na.txt,A\n")
    with pytest.raises(mk.SchemaError, match="manifest.csv row 0 has no 'file'"):
        mk.read_articles(tmp_path)


def test_manifest_row_without_a_file_is_reported(tmp_path):
    _write(tmp_path / "a.txt", GOOD)
    _write(tmp_path / "manifest.csv", "file,outlet\na.txt,A\nb.txt,B\n")
    with pytest.raises(ValueError, match="lists 'b.txt' but no such article file"):
        mk.read_articles(tmp_path)
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.read_articles(tmp_path, on_error="skip")
    assert got["outlet"].tolist() == ["A"]
    assert got.attrs["skipped"][0]["source"].endswith("manifest.csv")


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_unreadable_file(tmp_path, monkeypatch):
    path = _write(tmp_path / "secret.txt", GOOD)
    path.chmod(0)
    if os.access(path, os.R_OK):  # running as root: make the read fail the same way
        real_open = os.open

        def deny(file, *args, **kwargs):
            if os.fspath(file) == str(path):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)
        monkeypatch.setattr(os, "open", deny)
    try:
        with pytest.raises(PermissionError, match="secret.txt cannot be read"):
            mk.read_articles(path)
        with pytest.warns(mk.SkippedInputWarning):
            got = mk.read_articles(tmp_path, on_error="skip")
        assert len(got) == 0 and tuple(got.columns) == ARTICLE_COLUMNS
        assert "cannot be read" in got.attrs["skipped"][0]["reason"]
    finally:
        path.chmod(0o644)


def test_five_megabyte_article(tmp_path):
    sentence = "The minister said the plan would work, and the talks went on. "
    path = _write(tmp_path / "big.txt", sentence * (5_000_000 // len(sentence)))
    start = time.perf_counter()
    with pytest.raises(ValueError, match="big.txt is .* too big|more than max_chars"):
        mk.read_articles(path)
    got = mk.read_articles(path, max_chars=None)
    assert time.perf_counter() - start < 20  # linear work; quadratic would take minutes
    assert len(got["text"][0]) == len((sentence * (5_000_000 // len(sentence))).strip())


def test_megabyte_line_without_punctuation(tmp_path):
    line = "word " * 200_000
    path = _write(tmp_path / "line.txt", f"A normal first sentence.\n{line}\nThe end.")
    start = time.perf_counter()
    with pytest.raises(ValueError, match="line.txt .*more than max_chars"):
        mk.read_articles(path)
    with pytest.raises(ValueError, match="without a line break or sentence punctuation"):
        mk.read_articles(path, max_chars=None)
    assert time.perf_counter() - start < 20


def test_markup_heavy_text_stays_linear():
    # many "<" without ">" and many unclosed comments: the tag rule must not backtrack
    text = "Start. " + "<div a=\"b. " * 100_000 + " <!-- x. " * 100_000 + " End."
    start = time.perf_counter()
    got = mk.read_articles([{"text": text, "outlet": "A"}], max_chars=None)
    assert time.perf_counter() - start < 20
    assert got["text"][0].startswith("Start.")


def test_bad_options():
    with pytest.raises(ValueError, match="on_error must be one of 'raise', 'skip'; got 'ignore'"):
        mk.read_articles([{"text": GOOD, "outlet": "A"}], on_error="ignore")
    with pytest.raises(ValueError, match="max_chars"):
        mk.read_articles([{"text": GOOD, "outlet": "A"}], max_chars=0)
    with pytest.raises(TypeError, match="single dict"):
        mk.read_articles({"text": GOOD, "outlet": "A"})
    with pytest.raises(TypeError, match="source must be"):
        mk.read_articles(42)
    with pytest.raises(ValueError, match="both 'body'"):
        mk.read_articles(pd.DataFrame({"body": ["a."], "text": ["b."], "outlet": ["A"]}),
                         text="body")


# -- UTF-16 without a byte order mark (Windows "Unicode" saves, some exports) -----------------

SMART = "The minister said “we don’t know” – café owners agreed. Сегодня 中文 😀"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_read(codec, tmp_path):
    lines = "\n".join(json.dumps({"text": SMART, "outlet": o, "article_id": o},
                                 ensure_ascii=False) for o in "AB")
    files = {
        "a.txt": SMART,
        "b.csv": f'text,outlet\n"{SMART}",B\n',
        "c.tsv": f"text\toutlet\n{SMART}\tC\n",
        "d.jsonl": lines,  # lines cannot be split as bytes in UTF-16
        "e.json": json.dumps([{"text": SMART, "outlet": "E"}], ensure_ascii=False),
    }
    for name, text in files.items():
        _write(tmp_path / name, text.encode(codec))
    got = mk.read_articles(tmp_path)
    assert got["text"].tolist() == [SMART] * 6
    assert got["outlet"].tolist() == ["a", "B", "C", "A", "B", "E"]


def test_binary_with_nul_bytes_is_still_refused_with_the_reason(tmp_path):
    rng = random.Random(3)
    binary = {
        "random.txt": rng.randbytes(4000),
        "png.txt": b"\x89PNG\r\n\x1a\n" + rng.randbytes(4000),
        # NULs on one side only, but the other bytes are not text (controls when decoded)
        "half-nul.txt": bytes(b if i % 2 == 0 else 0 for i, b in enumerate(rng.randbytes(4000))),
        "doubles.txt": b"".join(struct.pack("<d", i / 7) for i in range(500)),
        "odd-length.txt": SMART.encode("utf-16-le") + b"x",
    }
    for name, data in binary.items():
        _write(tmp_path / name, data)
    _write(tmp_path / "good.txt", GOOD)
    with pytest.warns(mk.SkippedInputWarning, match="skipped 5 input"):
        got = mk.read_articles(tmp_path, on_error="skip")
    assert got["article_id"].tolist() == ["good"]
    reasons = {Path(s["source"]).name: s["reason"] for s in got.attrs["skipped"]}
    assert sorted(reasons) == sorted(binary)
    assert "PNG image" in reasons["png.txt"]
    for name in ("half-nul.txt", "doubles.txt", "odd-length.txt"):
        assert "binary data (it holds NUL bytes and is not UTF-16 text)" in reasons[name], name
    assert "encoding could not be detected" in reasons["random.txt"]


def test_utf8_text_with_a_stray_nul_is_not_taken_for_utf16(tmp_path):
    text = "Talks continue on Friday. " * 40
    path = _write(tmp_path / "a.txt", (text[:100] + "\x00" + text[100:]).encode("utf-8"))
    assert mk.read_articles(path)["text"].tolist() == [text.strip()]


_LATIN = st.text(alphabet=st.characters(codec="ascii", exclude_categories=["Cc"]) | st.just("\n"),
                 min_size=1, max_size=300)
_OTHER = st.text(alphabet=st.sampled_from(list("’‘“”—–…€éüßçñαβγЖжЯяあいう漢字😀")), max_size=150)


@settings(max_examples=300, deadline=None)
@given(latin=_LATIN, other=_OTHER, codec=st.sampled_from(["utf-16-le", "utf-16-be"]),
       data=st.data())
def test_utf16_text_without_bom_decodes_to_itself(latin, other, codec, data):
    # text at least half ASCII (any Western-language text), mixed in any order
    chars = data.draw(st.permutations(list(latin + other[: len(latin)])))
    text = "".join(chars)
    assert decode_bytes(text.encode(codec)) == (text, codec)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=3000) | st.lists(st.sampled_from(
    [b"\x00", b"a\x00", b"\x00a", b"\x00\xd8", b"\xff\xfe", b"\r\x00\n\x00", b"\x89PNG",
     b"\xe2\x80\x99", b"\x92", b"x"]), max_size=400).map(b"".join))
def test_any_bytes_decode_to_clean_text_or_a_text_problem(raw):
    try:
        text, codec = decode_bytes(raw)
    except TextProblem as exc:
        assert str(exc).startswith(("is ", "starts with")), exc
        return
    assert isinstance(text, str)
    if codec.startswith("utf-16-"):  # BOM-less UTF-16 is taken only when it is clean text
        assert not any(c < " " and c not in "\t\n\x0c\r" for c in text)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=3000) | st.lists(st.sampled_from(
    [b"\x00", b"a\x00", b"\x00a", b"\xff\xfe", b"\xef\xbb\xbf", b"%PDF-", b"\x1f\x8b",
     b"\xe2\x80\x99", b"\x92", b"\xc3", b"x", "Jos\u00e9 \u2019".encode()]),
    max_size=400).map(b"".join))
def test_plain_utf8_first_decodes_as_every_check_in_turn(raw):
    """Bytes without a mark (byte order, file magic) or a NUL byte are tried as UTF-8 first
    (each line of a JSONL file); the result, or the problem, is the one every check in turn
    gives."""
    from mediakit.ingest import _text

    def outcome():
        try:
            return decode_bytes(raw)
        except TextProblem as exc:
            return str(exc)

    fast = outcome()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_text, "_MARKED", (b"",))  # every input "marked": no first try
        assert outcome() == fast
