"""read_articles: formats, metadata sources, encodings, Unicode repair, titles, property test."""

from __future__ import annotations

import gzip
import json
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import mediakit as mk
from mediakit._frames import ARTICLE_COLUMNS

DATA = Path(__file__).parent / "data" / "ingest"
PAGE = DATA / "article.html"

# The article inside tests/data/ingest/article.html, as every other format stores it.
TITLE = "Ministers Meet in Brussels on Ukraine Plan"
TEXT = "\n".join([
    TITLE,
    "About 30 defence ministers met in Brussels on Thursday to discuss how their countries "
    "could support a future peace deal in Ukraine.",
    "“We are ready to play our part,” the British defence secretary said, adding that the "
    "coalition would keep up the pressure on Russia.",
    "The meeting came a day before the Ukraine Defence Contact Group gathered at NATO "
    "headquarters, where ministers pledged further aid.",
])
META = {"article_id": "article", "outlet": "The Example Post", "title": TITLE,
        "published": "2025-04-10T09:30:00+00:00", "url": "https://news.example.org/world/a1"}
RECORD = {**META, "text": TEXT}
FRONT = "---\n" + "".join(f"{k}: '{v}'\n" for k, v in META.items()) + "---\n"


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _as(fmt: str, tmp: Path):
    """The same article stored as ``fmt``; returns what to pass to read_articles."""
    frame = pd.DataFrame([RECORD])
    if fmt == "html":
        return PAGE
    if fmt in ("txt", "md"):
        return _write(tmp / f"article.{fmt}", FRONT + TEXT + "\n")
    if fmt == "manifest":
        _write(tmp / "article.txt", TEXT)
        pd.DataFrame([{"file": "article.txt", **META}]).to_csv(tmp / "manifest.csv", index=False)
        return tmp
    if fmt == "json":
        return _write(tmp / "a.json", json.dumps([RECORD], ensure_ascii=False))
    if fmt == "jsonl":
        return _write(tmp / "a.jsonl", json.dumps(RECORD) + "\n")
    if fmt == "jsonl.gz":
        return _write(tmp / "a.jsonl.gz", gzip.compress(json.dumps(RECORD).encode()))
    if fmt == "csv":
        frame.to_csv(tmp / "a.csv", index=False)
        return tmp / "a.csv"
    if fmt == "csv.gz":
        frame.to_csv(tmp / "a.csv.gz", index=False, compression="gzip")
        return tmp / "a.csv.gz"
    if fmt == "tsv":
        frame.to_csv(tmp / "a.tsv", index=False, sep="\t")
        return tmp / "a.tsv"
    if fmt == "parquet":
        frame.to_parquet(tmp / "a.parquet")
        return tmp / "a.parquet"
    if fmt == "frame":
        return frame
    if fmt == "records":
        return [dict(RECORD)]
    raise AssertionError(fmt)


FORMATS = ["html", "txt", "md", "manifest", "json", "jsonl", "jsonl.gz", "csv", "csv.gz", "tsv",
           "parquet", "frame", "records"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_gives_the_same_article(fmt, tmp_path):
    got = mk.read_articles(_as(fmt, tmp_path))
    assert tuple(got.columns) == ARTICLE_COLUMNS
    assert len(got) == 1
    row = got.iloc[0]
    assert row["article_id"] == "article"
    assert row["outlet"] == "The Example Post"
    assert row["title"] == TITLE
    assert row["url"] == META["url"]
    assert row["published"] == pd.Timestamp("2025-04-10 09:30", tz="UTC")
    assert row["story_id"] == "all"
    assert row["text"] == TEXT
    if fmt in ("frame", "records"):
        assert pd.isna(row["source"])
    else:
        assert Path(row["source"]).exists()


def test_html_page_keeps_the_body_and_drops_the_page_furniture():
    text = mk.read_articles(PAGE)["text"].iloc[0]
    for furniture in ("cookie", "World news section", "Sport pages", "Related stories",
                      "Markets fall", "All rights reserved", "Privacy policy"):
        assert furniture not in text
    assert "“We are ready to play our part,”" in text


def test_column_mapping_and_user_columns_carried_untouched():
    df = pd.DataFrame({"body": ["One sentence here.", "Another one here."],
                       "source_name": ["A", "B"], "headline": ["H one", "H two"],
                       "score": [1, 2], "tags": [["x"], ["y", "z"]]})
    before = df.copy(deep=True)
    got = mk.read_articles(df, text="body", outlet="source_name", title="headline")
    pd.testing.assert_frame_equal(df, before)  # input not mutated
    assert list(got.columns) == [*ARTICLE_COLUMNS, "score", "tags"]
    assert got["outlet"].tolist() == ["A", "B"]
    assert got["title"].tolist() == ["H one", "H two"]
    assert got["score"].dtype == df["score"].dtype
    assert got["tags"].tolist() == [["x"], ["y", "z"]]
    assert got["article_id"].is_unique and got["article_id"].str.len().eq(16).all()
    numbered = mk.read_articles(pd.DataFrame({"text": ["A b c."], "outlet": ["X"], 0: [7]}))
    assert list(numbered.columns) == [*ARTICLE_COLUMNS, 0] and numbered[0].tolist() == [7]


def test_hash_ids_are_deterministic():
    records = [{"text": "Same text here.", "outlet": "A"}, {"text": "Other text.", "outlet": "A"}]
    a, b = mk.read_articles(records), mk.read_articles(list(reversed(records)))
    assert set(a["article_id"]) == set(b["article_id"])


def test_front_matter_metadata_and_extra_keys(tmp_path):
    path = _write(tmp_path / "x.md", "---\noutlet: Example Times\ndate: 2025-04-10\n"
                  "section: world\n---\nA first sentence of the story.\n")
    got = mk.read_articles(path, published="date")
    assert got["outlet"].iloc[0] == "Example Times"
    assert got["published"].iloc[0] == pd.Timestamp("2025-04-10", tz="UTC")
    assert got["section"].iloc[0] == "world"
    assert got["text"].iloc[0] == "A first sentence of the story."


def test_manifest_by_name_and_explicit_manifest(tmp_path):
    _write(tmp_path / "texts" / "a.txt", "First article text.")
    _write(tmp_path / "texts" / "b.txt", "Second article text.")
    _write(tmp_path / "meta.json", json.dumps(
        {"texts/a.txt": {"outlet": "Alpha", "story_id": "s1", "lang": "en"},
         "texts/b.txt": {"outlet": "Beta", "story_id": "s1", "lang": "en"}}))
    got = mk.read_articles(tmp_path / "texts", manifest=tmp_path / "meta.json")
    assert got["outlet"].tolist() == ["Alpha", "Beta"]
    assert got["story_id"].tolist() == ["s1", "s1"]
    assert got["lang"].tolist() == ["en", "en"]
    assert got["article_id"].tolist() == ["a", "b"]


def test_outlet_from_subfolders_else_file_name(tmp_path):
    _write(tmp_path / "news" / "Alpha" / "1.txt", "Alpha reports the story.")
    _write(tmp_path / "news" / "Beta" / "1.txt", "Beta reports the story.")
    got = mk.read_articles(tmp_path / "news")
    assert got["outlet"].tolist() == ["Alpha", "Beta"]
    assert got["article_id"].tolist() == ["Alpha/1", "Beta/1"]
    globbed = mk.read_articles(str(tmp_path / "news" / "*" / "*.txt"))
    assert globbed["outlet"].tolist() == ["Alpha", "Beta"]
    single = mk.read_articles(tmp_path / "news" / "Alpha" / "1.txt")
    assert single["outlet"].tolist() == ["1"]


def test_list_of_paths(tmp_path):
    a = _write(tmp_path / "a.txt", "Text of a.")
    b = _write(tmp_path / "b.txt", "Text of b.")
    assert mk.read_articles([a, str(b)])["article_id"].tolist() == ["a", "b"]


# -- encodings and repairs --------------------------------------------------------------------
SMART = "The minister said “we don’t know” – and left…"


@pytest.mark.parametrize("data", [
    pytest.param(b"\xef\xbb\xbf" + SMART.encode("utf-8"), id="utf-8-bom"),
    pytest.param(SMART.encode("utf-8"), id="utf-8"),
    pytest.param(SMART.encode("utf-16"), id="utf-16-bom"),
    pytest.param(SMART.encode("utf-16-be").join([b"\xfe\xff", b""]), id="utf-16-be-bom"),
    pytest.param(SMART.encode("cp1252"), id="cp1252-smart-quotes"),
])
def test_encodings_are_detected(data, tmp_path):
    got = mk.read_articles(_write(tmp_path / "x.txt", data))
    assert got["text"].iloc[0] == SMART


def test_latin1_and_explicit_encoding(tmp_path):
    text = "Café owners in Málaga said the façade was ¼ finished."
    assert mk.read_articles(_write(tmp_path / "l.txt", text.encode("latin-1")))["text"][0] == text
    greek = "Η κυβέρνηση ανακοίνωσε νέα μέτρα."
    path = _write(tmp_path / "g.txt", greek.encode("cp1253"))
    assert mk.read_articles(path, encoding="cp1253")["text"][0] == greek


def test_mojibake_nbsp_and_nfc_are_repaired():
    text = "Donâ€™t panic,\u00a0he said about the cafe\u0301.\r\nSecond line."
    got = mk.read_articles([{"text": text, "outlet": "A"}])["text"][0]
    assert got == "Don’t panic, he said about the café.\nSecond line."


def test_tag_fragments_removed_also_mid_text():
    text = ("<\ndiv data-component-name=”ui-article-body” data-highlight-intro=”true”>\n"
            "The first line of the story.\nA <span class=\"x\">second</span> line with a "
            "<a href='/y'>link</a>.\n</div>\nPrices rose 3 < 4 and <Reuters> said AT&amp;T "
            "&amp; others.")
    got = mk.read_articles([{"text": text, "outlet": "A"}])["text"][0]
    assert got == ("The first line of the story.\nA second line with a link.\n"
                   "Prices rose 3 < 4 and <Reuters> said AT&T & others.")


def test_title_detection_rules():
    headline = "Allies Forge Ahead on Peace Plan\nThe body starts here."
    sentence = "The body starts here. It goes on.\nMore."
    got = mk.read_articles([{"text": headline, "outlet": "A"}, {"text": sentence, "outlet": "A"}])
    assert got["title"][0] == "Allies Forge Ahead on Peace Plan"
    assert got["text"][0] == headline  # the headline line stays in the text
    assert pd.isna(got["title"][1])
    given_na = mk.read_articles([{"text": headline, "outlet": "A", "title": None}])
    assert pd.isna(given_na["title"][0])  # a title column with no value is not guessed


def test_markdown_heading_is_the_title(tmp_path):
    got = mk.read_articles(_write(tmp_path / "a.md", "# Ministers meet in Brussels\n\nBody."))
    assert got["title"][0] == "Ministers meet in Brussels"
    assert got["text"][0].startswith("# Ministers meet in Brussels")


def test_published_is_utc():
    got = mk.read_articles([
        {"text": "a.", "outlet": "A", "published": "2025-04-10T11:30:00+02:00"},
        {"text": "b.", "outlet": "A", "published": "2025-04-10 09:30"},
        {"text": "c.", "outlet": "A", "published": None},
    ])
    assert str(got["published"].dtype) == "datetime64[ns, UTC]"
    assert got["published"][0] == got["published"][1] == pd.Timestamp("2025-04-10 09:30Z")
    assert pd.isna(got["published"][2])


def test_unreadable_date_warns_and_is_nat():
    with pytest.warns(mk.MediakitWarning, match="could not be read as dates"):
        got = mk.read_articles([{"text": "a.", "outlet": "A", "published": "last Tuesday-ish"}])
    assert pd.isna(got["published"][0])


def test_empty_list_gives_an_empty_frame():
    got = mk.read_articles([])
    assert tuple(got.columns) == ARTICLE_COLUMNS and len(got) == 0


# -- property: nothing but the documented repairs ---------------------------------------------
# No markup (< > &), no mojibake (no Latin-1 letters that could be lead bytes), no NBSP or
# control characters: for such text the only changes are BOM, line endings, NFC and the outer
# whitespace.
_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"()-/%$#@*+=")
    + list("’‘“”—–…€") + list("αβγδЖжЯяあいう漢字") + ["e\u0301", "\n", "\r\n", "\t", "  "]
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, min_size=1, max_size=200).map("".join),
       st.booleans())
def test_text_is_only_repaired_as_documented(text, bom):
    expected = unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()
    records = [{"text": ("\ufeff" if bom else "") + text, "outlet": "A"}]
    if not expected:
        with pytest.raises(ValueError, match="no text"):
            mk.read_articles(records)
        return
    got = mk.read_articles(records)["text"][0]
    assert got == expected


# Pieces of messy text: mojibake, NBSP, C1 and terminal controls, entities, CR, combining marks.
# (Not Windows-1251 mojibake mixed with Windows-1252 mojibake in one line: ftfy then decides
# by position, so a re-read can fix what the first read left; no real text is like that.)
_MESSY = st.sampled_from([">", "&", ";", "amp", "#8217", "div", " ", "class=", '"x"', "”", "\n",
                          "a", ".", "Ã", "©", "â€™", "\u00a0", "/", "’", "\x80",
                          "\x1b[31m", "\r", "e\u0301", "Hello world."])


def _read_text(text: str) -> str | None:
    try:
        return mk.read_articles([{"text": text, "outlet": "A"}])["text"][0]
    except ValueError:
        return None


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(_MESSY, max_size=30).map("".join)))
@example("Â\x1f\x80")  # C1 fix reveals mojibake
@example("©\u00a0â€™")  # NBSP replacement reveals mojibake
@example("e\u0300\x80\x80")  # NFC composition reveals mojibake
def test_repairs_are_stable_and_normal(text):
    got = _read_text(text)
    if got is None:
        return
    assert got == unicodedata.normalize("NFC", got) and got == got.strip()
    assert "\r" not in got and "\u00a0" not in got
    assert _read_text(got) == got  # reading the result again changes nothing


_EVERY_REPAIR = st.sampled_from(["\r", "\r\n", "\u2028", "\u2029", "\x85", "\x80", "\x9f",
                                  "\ud83d", "\udca9", "\x1b[31m", "\x00", "\x07", "\ufeff",
                                  "\u200e", "\u00a0", "\u202f", "Ã©", "â€™", "Ð¸", "e\u0301",
                                  "\u00e9", "\u0420", "a", " ", "’"])


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(max_size=100), st.lists(_EVERY_REPAIR, max_size=20).map("".join)))
def test_repair_first_test_skips_only_what_needs_no_repair(text):
    """repair_unicode returns text holding none of the characters a repair acts on as it is;
    on any text it gives what trying every repair gives."""
    from mediakit.ingest._text import _repair, repair_unicode

    assert repair_unicode(text) == _repair(text)


@pytest.mark.corpora
def test_repair_first_test_on_news(corpora_dir):
    from mediakit.ingest._text import _repair, repair_unicode

    with gzip.open(corpora_dir / "allsides_bench" / "articles.jsonl.gz", "rt") as f:
        texts = [json.loads(line).get("text") or "" for line in f]
    changed = [t for t in texts if _repair(t) != t]
    assert len(changed) > 10  # the corpus holds text to repair (NBSP, mojibake ...)
    assert all(repair_unicode(t) == _repair(t) for t in texts)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, min_size=1, max_size=100).map("".join))
def test_file_bytes_are_only_repaired_as_documented(tmp_path_factory, text):
    expected = unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()
    if not expected or expected.startswith("---"):
        return
    path = tmp_path_factory.mktemp("p") / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert mk.read_articles(path)["text"][0] == expected


@pytest.mark.corpora
def test_allsides_triplets_read_whole(corpora_dir):
    path = corpora_dir / "allsides_triplets" / "articles.jsonl"
    raw = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    got = mk.read_articles(path)
    assert len(got) == len(raw) and got.attrs["skipped"] == []
    assert got["article_id"].tolist() == [r["article_id"] for r in raw]
    assert got["outlet"].tolist() == [r["outlet"] for r in raw]
    assert got["story_id"].tolist() == [r["story_id"] for r in raw]
    assert list(got.columns[len(ARTICLE_COLUMNS):]) == ["bias"]
    assert got["published"].notna().all()
    stories = pd.read_csv(corpora_dir / "allsides_triplets" / "stories.csv")
    assert got.groupby("story_id")["outlet"].nunique().eq(3).all()
    assert set(got["story_id"]) == set(stories["story_id"])


@pytest.mark.corpora
@pytest.mark.parametrize("wait", [True, False])
def test_records_cleaned_in_workers_give_the_same_frame_and_skips(corpora_dir, tmp_path,
                                                                 monkeypatch, wait):
    """read_articles(n_jobs=2) cleans a large file's records in worker processes, chunk by
    chunk while the file is read (and here while the workers start): the same frame (extra
    columns included) and the same skipped rows, in order, as in this process; with
    on_error="raise", the same first error."""
    from mediakit.ingest import read as read_module

    if wait:  # every chunk to the workers, none cleaned here while they start
        monkeypatch.setattr(read_module._parallel, "started", lambda pool: True)

    lines = (corpora_dir / "allsides_triplets" / "articles.jsonl").read_text().splitlines()
    limit = max(len(json.loads(line)["text"]) for line in lines) + 10
    bad = ["not json", "[1, 2]", json.dumps({"text": "", "outlet": "x"}), lines[3],
           json.dumps({"text": "x " * limit, "outlet": "y", "article_id": "long"}),
           json.dumps({"text": "z" * (5 * limit), "outlet": "y"})]  # a line over the bound
    mixed = []
    for k, line in enumerate(lines):
        mixed.append(line)
        if k % 40 == 7:
            mixed.append(bad[(k // 40) % len(bad)])
    path = _write(tmp_path / "mixed.jsonl", "\n".join(mixed) + "\n")
    monkeypatch.setattr(read_module, "POOL_BYTES", 0)  # the pool, also for a small file
    monkeypatch.setattr(read_module, "CHUNK_RECORDS", 16)  # many chunks
    with pytest.warns(mk.SkippedInputWarning):
        want = mk.read_articles(path, on_error="skip", max_chars=limit, progress=False)
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.read_articles(path, on_error="skip", max_chars=limit, n_jobs=2, progress=False)
    reasons = " ".join(s["reason"] for s in want.attrs["skipped"])
    assert len(want.attrs["skipped"]) >= 6 and len(want) > 200
    assert "not a JSON object" in reasons and "more than max_chars" in reasons
    pd.testing.assert_frame_equal(got, want)
    assert got.attrs["skipped"] == want.attrs["skipped"]
    errors = []
    for n_jobs in (1, 2):
        with pytest.raises(ValueError) as caught:
            mk.read_articles(path, max_chars=limit, n_jobs=n_jobs, progress=False)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
