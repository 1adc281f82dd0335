"""Hostile and unusual input files (issue 18): every row accounted for, every read bounded.

The heavy cases run in a child process limited in address space and time (``_bounded_child``),
so a regression fails here instead of exhausting the machine.
"""

from __future__ import annotations

import gzip
import json
import os
import time

import pandas as pd
import pytest
from _bounded_child import run

import mediakit as mk


def _write(path, data):
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _read(source, **kwargs):
    with pytest.warns(mk.SkippedInputWarning) if kwargs.pop("skips", False) else _nothing():
        return mk.read_articles(source, **kwargs)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# -- item 2: quotes in TSV and CSV exports ------------------------------------------------------

TSV_LINES = [
    "article_id\toutlet\ttext",
    't1\tA\t"Quoted headline" and the first story about the port.',
    't2\tB\t"An opening quote that is never closed, then the story.',
    "t3\tC\tA plain third story about the harbour strike.",
    't4\tD\tThe fourth story ends with a quote mark."',
    't5\tE\tThe fifth story says "hello" in the middle.',
]


def test_tsv_with_unescaped_quotes_keeps_every_row_and_its_quotes(tmp_path):
    # was: t2 and t3 folded into t4's text under t4's outlet, nothing listed; t1 lost its quotes
    got = mk.read_articles(_write(tmp_path / "export.tsv", "\n".join(TSV_LINES) + "\n"))
    assert got["article_id"].tolist() == ["t1", "t2", "t3", "t4", "t5"]
    assert got["outlet"].tolist() == ["A", "B", "C", "D", "E"]
    expected = [line.split("\t")[2] for line in TSV_LINES[1:]]
    assert got["text"].tolist() == expected
    assert got.attrs["skipped"] == []


def test_tsv_written_by_pandas_with_quoted_paragraphs_still_reads(tmp_path):
    frame = pd.DataFrame({"text": ['First paragraph with "quotes".\n\nSecond paragraph.',
                                   "Another story."], "outlet": ["A", "B"]})
    frame.to_csv(tmp_path / "a.tsv", sep="\t", index=False)
    got = mk.read_articles(tmp_path / "a.tsv")
    assert got["text"].tolist() == frame["text"].tolist()


def test_csv_with_a_stray_quote_does_not_swallow_the_next_rows(tmp_path):
    lines = ["article_id,outlet,text",
             "c1,A,A normal first story.",
             'c2,B,"A stray quote opens this story about the vote.',
             "c3,C,The third story follows on its own line.",
             'c4,D,"A properly quoted story, with a comma."',
             'c5,E,The fifth story has a "quoted" word inside.']
    got = mk.read_articles(_write(tmp_path / "stray.csv", "\n".join(lines) + "\n"))
    assert got["article_id"].tolist() == ["c1", "c2", "c3", "c4", "c5"]
    assert got["text"].tolist() == [
        "A normal first story.", '"A stray quote opens this story about the vote.',
        "The third story follows on its own line.", "A properly quoted story, with a comma.",
        'The fifth story has a "quoted" word inside.']


def test_csv_row_with_the_wrong_number_of_fields_is_listed(tmp_path):
    lines = ["article_id,outlet,text", "c1,A,Fine story.", "c2,B", "c3,C,Another fine story."]
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.read_articles(_write(tmp_path / "short.csv", "\n".join(lines) + "\n"),
                               on_error="skip")
    assert got["article_id"].tolist() == ["c1", "c3"]
    [skip] = got.attrs["skipped"]
    assert skip["row"] == 1 and "line 3" in skip["reason"] and "2 fields" in skip["reason"]


def test_csv_multiline_quoted_cells_still_read(tmp_path):
    frame = pd.DataFrame({"text": ['He said, "yes."\nThen, later, "no".', "Short story."],
                          "outlet": ["A", "B"]})
    frame.to_csv(tmp_path / "a.csv", index=False)
    assert mk.read_articles(tmp_path / "a.csv")["text"].tolist() == frame["text"].tolist()


# -- low item: duplicate column names are one error in every format -------------------------------

@pytest.mark.parametrize("kind", ["csv", "tsv", "jsonl", "parquet", "frame"])
def test_duplicate_column_names_are_an_error_in_every_format(kind, tmp_path):
    if kind in ("csv", "tsv"):
        sep = "," if kind == "csv" else "\t"
        source = _write(tmp_path / f"a.{kind}", sep.join(["text", "outlet", "text"]) + "\n"
                        + sep.join(["One.", "A", "Two."]) + "\n")
    elif kind == "jsonl":
        source = _write(tmp_path / "a.jsonl", '{"text": "One.", "outlet": "A", "text": "Two."}\n')
    elif kind == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_arrays([pa.array(["One."]), pa.array(["A"]), pa.array(["Two."])],
                                     names=["text", "outlet", "text"])
        pq.write_table(table, tmp_path / "a.parquet")
        source = tmp_path / "a.parquet"
    else:
        source = pd.DataFrame([["One.", "A", "Two."]], columns=["text", "outlet", "text"])
    with pytest.raises(ValueError, match="duplicate column names|twice"):
        mk.read_articles(source)


# -- item 19: FIFOs and devices in an input folder -------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_fifo_and_device_link_in_a_folder_are_listed_not_read(tmp_path):
    _write(tmp_path / "good.txt", "A good story about the harbour.\n")
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    start = time.perf_counter()
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.read_articles(tmp_path, on_error="skip")
    assert time.perf_counter() - start < 10  # was: blocked for ever on the FIFO
    assert got["article_id"].tolist() == ["good"]
    reasons = {os.path.basename(s["source"]): s["reason"] for s in got.attrs["skipped"]}
    assert set(reasons) == {"pipe.txt", "pipe.jsonl", "zero.txt"}
    assert "FIFO" in reasons["pipe.txt"] and "device" in reasons["zero.txt"]
    with pytest.raises(ValueError, match="pipe.txt is a FIFO"):
        mk.read_articles(tmp_path / "pipe.txt")
    with pytest.raises(ValueError, match="zero.txt is a character device"):
        mk.read_articles(tmp_path / "zero.txt", max_chars=None)  # no limit: still not read


# -- item 5: compression bombs ----------------------------------------------------------------------

GOOD = ('{"article_id": "g%d", "outlet": "A", "text": "A good story number %d about the port."}'
        "\n")


@pytest.mark.slow
def test_jsonl_gz_with_a_600_mb_line_keeps_the_good_rows(tmp_path):
    result = run(f"""
        import gzip
        import mediakit as mk
        path = {str(tmp_path / "bomb.jsonl.gz")!r}
        with gzip.open(path, "wb", compresslevel=1) as fh:
            fh.write(({GOOD!r} % (0, 0)).encode())
            fh.write(b'{{"article_id": "bad", "outlet": "A", "text": "')
            block = b"a" * (1 << 20)
            for _ in range(600):
                fh.write(block)
            fh.write(b'"}}\\n')
            fh.write(({GOOD!r} % (1, 1)).encode())
        start()
        got = mk.read_articles(path, on_error="skip")
        done(ids=got["article_id"].tolist(), skipped=got.attrs["skipped"])
    """, seconds=60, gigabytes=2.5)
    assert result["ids"] == ["g0", "g1"]
    [skip] = result["skipped"]
    assert skip["row"] == 1 and "line 2" in skip["reason"] and "max_chars" in skip["reason"]
    print(f"600 MB-line .jsonl.gz: {result['seconds']} s, peak {result['peak_mb']} MB")


@pytest.mark.slow
def test_csv_gz_with_a_huge_cell_keeps_the_good_rows(tmp_path):
    result = run(f"""
        import gzip
        import mediakit as mk
        path = {str(tmp_path / "bomb.csv.gz")!r}
        with gzip.open(path, "wb", compresslevel=1) as fh:
            fh.write(b"article_id,outlet,text\\ng0,A,A good first story.\\nbad,A,")
            block = b"a" * (1 << 20)
            for _ in range(300):
                fh.write(block)
            fh.write(b"\\ng1,B,A good last story.\\n")
        start()
        got = mk.read_articles(path, on_error="skip")
        done(ids=got["article_id"].tolist(), skipped=got.attrs["skipped"])
    """, seconds=60, gigabytes=2.5)
    assert result["ids"] == ["g0", "g1"]
    [skip] = result["skipped"]
    assert skip["row"] == 1 and "line 3" in skip["reason"]
    print(f"300 MB-cell .csv.gz: {result['seconds']} s, peak {result['peak_mb']} MB")


@pytest.mark.slow
def test_dictionary_encoded_parquet_bomb_keeps_the_good_rows(tmp_path):
    result = run(f"""
        import os
        import pyarrow as pa, pyarrow.parquet as pq
        import mediakit as mk
        path = {str(tmp_path / "bomb.parquet")!r}
        # 5 MB of text stored once and referenced by 3,000 rows (15 GB decoded), between two
        # good rows
        big = "a" * (5 << 20)
        values = ["A good first story."] + [big] * 3000 + ["A good last story."]
        ids = ["g0"] + [f"b{{i}}" for i in range(3000)] + ["g1"]
        text = pa.DictionaryArray.from_arrays(
            pa.array([0] + [1] * 3000 + [2], type=pa.int32()),
            pa.array(["A good first story.", big, "A good last story."]))
        table = pa.table({{"article_id": ids, "outlet": ["A"] * 3002, "text": text}})
        pq.write_table(table, path, compression="zstd")
        del big, values, table, text
        size = os.path.getsize(path)
        start()
        got = mk.read_articles(path, on_error="skip")
        done(ids=got["article_id"].tolist(), n_skipped=len(got.attrs["skipped"]),
             first=got.attrs["skipped"][0], size=size)
    """, seconds=60, gigabytes=2.5)
    assert result["size"] < 200_000
    assert result["ids"] == ["g0", "g1"]
    assert result["n_skipped"] == 3000
    assert result["first"]["row"] == 1 and "max_chars" in result["first"]["reason"]
    print(f"{result['size']:,}-byte Parquet bomb: {result['seconds']} s, "
          f"peak {result['peak_mb']} MB")


def test_parquet_rows_are_decoded_in_bounded_slices(tmp_path, monkeypatch):
    from mediakit.ingest import _parquet

    monkeypatch.setattr(_parquet, "BATCH_BYTES", 100)
    frame = pd.DataFrame({"text": [f"Story number {i} about the port and the strike." for i in
                                   range(50)], "outlet": "A"})
    frame.to_parquet(tmp_path / "a.parquet")
    got = mk.read_articles(tmp_path / "a.parquet")
    assert got["text"].tolist() == frame["text"].tolist()


def test_parquet_row_group_too_big_to_read_lists_its_rows(tmp_path, monkeypatch):
    from mediakit.ingest import _parquet

    frame = pd.DataFrame({"text": [f"Story {i} about the port strike." for i in range(30)],
                          "outlet": "A", "article_id": [f"a{i}" for i in range(30)]})
    frame.to_parquet(tmp_path / "a.parquet", row_group_size=10)
    monkeypatch.setattr(_parquet, "CHUNK_LIMIT", 1)  # every row group is "too big"
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.read_articles(tmp_path / "a.parquet", on_error="skip")
    assert len(got) == 0
    skipped = got.attrs["skipped"]
    assert [s["row"] for s in skipped] == list(range(30))
    assert "row group 2" in skipped[-1]["reason"] and "row_group_size" in skipped[-1]["reason"]


def test_gz_text_and_json_are_bounded_too(tmp_path):
    _write(tmp_path / "big.txt.gz", gzip.compress(b"word " * 2_000_000))
    _write(tmp_path / "big.json.gz", gzip.compress(json.dumps(
        [{"text": "x" * 3_000_000, "outlet": "A"}]).encode()))
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.read_articles(tmp_path, max_chars=100_000, on_error="skip")
    reasons = sorted(s["reason"] for s in got.attrs["skipped"])
    assert len(reasons) == 2
    assert any("decompresses to more than" in r for r in reasons)


# -- item 7: deeply nested YAML front matter --------------------------------------------------------

@pytest.mark.parametrize("nesting", ["flow", "block"])
def test_deeply_nested_front_matter_is_a_listed_skip(nesting, tmp_path):
    depth = 50_000
    if nesting == "flow":
        meta = "title: " + "[" * depth + "]" * depth + "\n"
    else:
        meta = "".join(" " * i + f"k{i}:\n" for i in range(900)) + " " * 900 + "x: 1\n"
    _write(tmp_path / "deep.md", "---\n" + meta + "---\nThe body of the story.\n")
    _write(tmp_path / "good.md", "---\ntitle: Fine\n---\nA good story.\n")
    start = time.perf_counter()
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.read_articles(tmp_path, on_error="skip")
    assert time.perf_counter() - start < 20  # was: a long hang, then a raw RecursionError
    assert got["article_id"].tolist() == ["good"]
    [skip] = got.attrs["skipped"]
    assert skip["source"].endswith("deep.md") and "levels deep" in skip["reason"]


# -- item 8: lexicon YAML bombs -----------------------------------------------------------------------

def _lexicon_bomb(path):
    lines = ["a0: &a0 {x: [t], y: [t], z: [t]}"]
    lines += [f"a{i}: &a{i} {{x: *a{i - 1}, y: *a{i - 1}, z: *a{i - 1}, w: *a{i - 1}}}"
              for i in range(1, 12)]
    return _write(path, "\n".join(lines) + "\n")


def test_nested_dict_lexicon_bomb_is_refused_quickly_with_a_short_message(tmp_path):
    path = _lexicon_bomb(tmp_path / "bomb.yaml")
    assert path.stat().st_size < 1000
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"bomb\.yaml uses YAML aliases") as info:
        mk.load_lexicon(path)
    assert time.perf_counter() - start < 2
    assert len(str(info.value)) < 300  # was: MemoryError, or a 226 MB message


@pytest.mark.parametrize("nesting", ["flow", "groups"])
def test_deeply_nested_lexicon_is_refused_naming_the_file(nesting, tmp_path):
    if nesting == "flow":
        path = _write(tmp_path / "deep.yaml", "c: " + "[" * 20_000 + "]" * 20_000 + "\n")
    else:  # nested quanteda groups, given as a dict (JSON nests 1,000 levels before Python fails)
        path = _write(tmp_path / "deep.json", "".join('{"g": ' for _ in range(900)) + '["t"]'
                      + "}" * 900)
    start = time.perf_counter()
    with pytest.raises(ValueError, match="deep|nest") as info:
        mk.load_lexicon(path)
    assert time.perf_counter() - start < 5
    assert len(str(info.value)) < 300
    if nesting == "flow":
        assert "deep.yaml" in str(info.value)


# -- item 9: globs that backtrack, unanchored globs, many terms --------------------------------------

@pytest.mark.slow
def test_backtracking_glob_and_many_unanchored_globs_stay_linear():
    result = run("""
        import pandas as pd
        import mediakit as mk
        # a*a*...*b against long words of a's backtracked exponentially (> 100 s on one word)
        lex = mk.load_lexicon({"bt": ["a*" * 25 + "b"], "tail": ["*ism"]})
        words = ["a" * n for n in range(2_000, 2_100)] + ["racism", "a" * 30 + "b"]
        sentences = pd.DataFrame({"article_id": "a", "sentence_id": range(len(words)), "kind": "body",
                                  "text": words})
        hits = mk.score_frames(sentences, lexicon=lex)
        # 3,000 unanchored globs over 30,000 distinct words: patterns x words before
        many = mk.load_lexicon({f"c{i}": [f"*q{i}z*"] for i in range(3_000)})
        text = " ".join(f"w{i}q{i % 3_000}zv" for i in range(30_000))
        n_many = len(many.matcher().find(text))
        # 100,000 terms (duplicates dropped in linear time)
        big = mk.load_lexicon({"big": [f"term{i}" for i in range(100_000)] * 2})
        done(bt=int(hits["frame_bt"].sum()), tail=int(hits["frame_tail"].sum()), many=n_many,
             n_big=big.n_terms)
    """, seconds=20, gigabytes=2.5)
    assert result["bt"] == 1 and result["tail"] == 1
    assert result["many"] == 30_000
    assert result["n_big"] == 100_000
    print(f"backtracking glob, 3,000 unanchored globs, 100k terms: {result['seconds']} s")


def test_glob_matching_agrees_with_fnmatch_and_the_glob_regex():
    import fnmatch
    import random

    from _glob_spec import glob_regex

    from mediakit.measures._matcher import _Glob

    rng = random.Random(18)
    for _ in range(3_000):
        pattern = "".join(rng.choice("ab*?") for _ in range(rng.randint(1, 7)))
        if not pattern.strip("*?"):
            continue
        word = "".join(rng.choice("ab") for _ in range(rng.randint(1, 9)))
        want = fnmatch.fnmatchcase(word, pattern)
        assert _Glob(pattern).fullmatch(word) == want, (pattern, word)
        assert bool(glob_regex(pattern).fullmatch(word)) == want, (pattern, word)


# -- low item: a LIWC category without terms ----------------------------------------------------------

def test_liwc_category_without_terms_is_left_out_with_a_warning(tmp_path):
    path = _write(tmp_path / "cut.dic", "%\n1\tposemo\n2\tnegemo\n3\tanger\n%\ngood\t1\nbad*\t2\n")
    with pytest.warns(mk.MediakitWarning, match="anger"):
        lex = mk.load_lexicon(path)
    assert list(lex.categories) == ["posemo", "negemo"]


# -- item 6: HTML extraction in linear time ---------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("tag", ["span", "b", "a"])
def test_inline_html_page_of_0_7_mb_extracts_within_20_s(tag, tmp_path):
    result = run(f"""
        import mediakit as mk
        path = {str(tmp_path / "page.html")!r}
        words = "".join(f"<{tag} href='/w{{i}}'>Word {{i}} is here.</{tag}> " for i in range(22_000))
        page = ("<!doctype html><html><head><title>T</title></head><body><article>"
                "<h1>A long page of inline tags</h1><p>" + words + "</p>"
                "<p>The closing paragraph of the story has ordinary words in it.</p>"
                "</article></body></html>")
        open(path, "w").write(page)
        start()
        got = mk.read_articles(path, on_error="skip")
        done(size=len(page), n=len(got), text=got["text"].str.len().tolist(),
             tail="ordinary words" in (got["text"].iloc[0] if len(got) else ""))
    """, seconds=20, gigabytes=2.5)
    assert result["size"] > 700_000
    assert result["n"] == 1 and result["tail"]
    if tag != "a":  # a paragraph of 22,000 links is a link list, left out as page furniture
        assert result["text"][0] > 300_000
    print(f"0.7 MB page of <{tag}>: {result['seconds']} s, peak {result['peak_mb']} MB")


# -- item 17: HTML nested hundreds of levels deep ---------------------------------------------------

def test_deeply_nested_html_keeps_its_text_or_says_why(tmp_path):
    story = "<p>The port strike entered its third day as talks stalled again on Tuesday.</p>"
    for depth in (300, 5_000):
        _write(tmp_path / f"deep{depth}.html", "<!doctype html><html><body><article>"
               + "<div>" * depth + story + "</div>" * depth + "</article></body></html>")
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.read_articles(tmp_path, on_error="skip")
    assert got["article_id"].tolist() == ["deep300"]  # was: "has no text"
    assert "third day" in got["text"][0]
    [skip] = got.attrs["skipped"]
    assert skip["source"].endswith("deep5000.html") and "nested too deeply" in skip["reason"]


# -- item 14: the outlet of a page in an outlet folder ----------------------------------------------

def test_a_page_cannot_claim_another_outlet_through_its_links(tmp_path):
    story = ("<article><h1>Strike Talks Stall</h1><p>" + "The port strike entered its third day "
             "as talks stalled again on Tuesday. " * 4 + "</p></article>")
    heads = {"base": '<base href="https://www.bbc.co.uk/news/">',
             "canonical": '<link rel="canonical" href="https://edition.cnn.com/x">',
             "ogurl": '<meta property="og:url" content="https://www.foxnews.com/a">',
             "declared": '<meta property="og:site_name" content="The Guardian">'}
    (tmp_path / "guardian").mkdir()
    for name, head in heads.items():
        _write(tmp_path / "guardian" / f"{name}.html",
               f"<!doctype html><html><head><title>Strike</title>{head}</head><body>{story}"
               "</body></html>")
    got = mk.read_articles(tmp_path).set_index("article_id")["outlet"]
    assert got["guardian/base"] == got["guardian/canonical"] == got["guardian/ogurl"] == "guardian"
    assert got["guardian/declared"] == "The Guardian"  # a declared site name is metadata


@pytest.mark.slow
def test_a_4_mb_page_of_paragraphs_is_refused_quickly_not_extracted_for_minutes(tmp_path):
    paragraphs = "".join(f"<p>Sentence {i} has <b>bold</b> and <a href='/x{i}'>a link</a>.</p>"
                         for i in range(60_000))
    _write(tmp_path / "huge.html", f"<!doctype html><html><body><article>{paragraphs}"
                                   "</article></body></html>")
    assert (tmp_path / "huge.html").stat().st_size > 4_000_000
    start = time.perf_counter()
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.read_articles(tmp_path, on_error="skip", max_chars=2_000_000)
    assert time.perf_counter() - start < 20  # was: about 14 minutes
    assert "elements" in got.attrs["skipped"][0]["reason"]


# -- item 20: thousands of quotes in one sentence ---------------------------------------------------

@pytest.mark.slow
def test_two_thousand_quotes_in_one_sentence_within_20_s():
    result = run("""
        import mediakit as mk
        def quotes_of(arts):
            sents = mk.split_sentences(arts)
            return mk.extract_quotes(sents, entities=mk.extract_entities(sents), articles=arts)
        quotes_of(mk.read_articles([{"text": 'She said "yes."', "outlet": "A"}]))
        text = "The minister said " + ", ".join(f'"q{i}"' for i in range(2_000)) + " at the end."
        arts = mk.read_articles([{"text": text, "outlet": "A", "article_id": "a"}])
        start()  # the model is loaded: time the quotes only (split, entities, quotes)
        quotes = quotes_of(arts)
        done(n=len(quotes), first=quotes["quote"].iloc[0], last=quotes["quote"].iloc[-1],
             cues=sorted(set(quotes["cue"].dropna())))
    """, seconds=20, gigabytes=3)
    assert result["n"] == 2_000
    assert (result["first"], result["last"]) == ("q0", "q1999")
    assert result["cues"] == ["said"]
    print(f"2,000 quotes in one sentence: {result['seconds']} s, peak {result['peak_mb']} MB")


# -- item 15: dask partitions -------------------------------------------------------------------------

def _dask_articles(ids, texts, npartitions):
    dd = pytest.importorskip("dask.dataframe")
    frame = mk.read_articles([{"article_id": f"row{i}", "outlet": "A", "text": t}
                              for i, t in enumerate(texts)])
    frame["article_id"] = ids
    return dd.from_pandas(frame, npartitions=npartitions, sort=False)


def test_dask_article_ids_repeated_across_partitions_are_refused():
    import dask

    texts = ["The first story is here. It has two sentences.", "A second story is here.",
             "A third story is here.", "The fourth story is here."]
    lazy = _dask_articles(["a", "b", "a", "c"], texts, npartitions=2)
    with pytest.raises(ValueError, match="more than one partition.*'a'"):
        mk.split_sentences(lazy)  # was: the two "a" articles merged silently
    ok = _dask_articles(["a", "b", "c", "d"], texts, npartitions=2)
    with dask.config.set(scheduler="sync"):
        assert mk.split_sentences(ok).compute()["article_id"].nunique() == 4


def test_dask_does_not_lose_the_skipped_list():
    import dask

    from mediakit._dask import SkippedOnDask

    lazy = _dask_articles(["a", "b", "c", "d"], ["One story.", "Two story.", "Three story.",
                                                 "Four story."], npartitions=2)
    lazy = lazy.assign(text=lazy["text"].where(lazy["article_id"] != "c", "   "))
    with dask.config.set(scheduler="sync"), pytest.raises(SkippedOnDask, match="'c'"):
        mk.split_sentences(lazy).compute()  # was: "c" dropped, listed nowhere


def test_dask_article_split_across_partitions_gets_an_error_not_two_readability_values():
    dd = pytest.importorskip("dask.dataframe")
    sentences = mk.split_sentences(mk.load_example("seeds"))
    # rows of each article spread over partitions (as read from a file sorted by something else)
    spread = sentences.sort_values(["sentence_id", "article_id"]).reset_index(drop=True)
    lazy = dd.from_pandas(spread, npartitions=3, sort=False)
    with pytest.raises(ValueError, match="shuffle"):
        mk.score_readability(lazy)
    mk.score_readability(lazy, level="sentence")  # per sentence: any partitioning is fine


def test_mtld_does_not_depend_on_the_order_of_the_rows():
    sentences = mk.split_sentences(mk.load_example("seeds"))
    want = mk.score_readability(sentences, indices=["mtld"])
    shuffled = sentences.sample(frac=1, random_state=18)
    got = mk.score_readability(shuffled, indices=["mtld"]).loc[want.index]
    pd.testing.assert_series_equal(got["readability_mtld"], want["readability_mtld"])


# -- low items: ids and outlet names --------------------------------------------------------------

def test_numeric_ids_are_read_as_the_text_of_the_number(tmp_path):
    got = mk.read_articles([{"article_id": 1, "story_id": 7, "outlet": "A", "text": "One."},
                            {"article_id": None, "outlet": "A", "text": "Two."},
                            {"article_id": 3.0, "outlet": "A", "text": "Three."}])
    assert got["article_id"][[0, 2]].tolist() == ["1", "3"]  # was: "1.0", "3.0"
    assert got["story_id"][0] == "7"
    frame = pd.DataFrame({"article_id": [1.0, 2.0], "outlet": "A", "text": ["One.", "Two."]})
    frame.to_parquet(tmp_path / "a.parquet")
    assert mk.read_articles(tmp_path / "a.parquet")["article_id"].tolist() == ["1", "2"]


def test_look_alike_outlet_names_are_one_outlet_and_bidi_is_neutralised():
    names = ["BBC", "B\u200bBC", "BBC\u0000", "\ufeffBBC", "ＢＢＣ", "B\u00adBC",
             "\u202eCBB\u202c"]
    got = mk.read_articles([{"outlet": n, "text": f"Story {i} is here."}
                            for i, n in enumerate(names)])
    assert got["outlet"].tolist()[:6] == ["BBC"] * 6
    assert got["outlet"][6] == "CBB"  # the override is gone: drawn as stored
    assert got["text"][0] == "Story 0 is here."
    text = "He wrote \u202eevil\u202c and left."  # the article text itself is not touched
    assert mk.read_articles([{"outlet": "A", "text": text}])["text"][0] == text


# -- item 16: ambiguous day/month dates ---------------------------------------------------------------

def _dates(values):
    return mk.read_articles([{"outlet": "A", "text": f"Story {i} is here.", "published": v}
                             for i, v in enumerate(values)])["published"].dt.strftime(
        "%Y-%m-%d").tolist()


def test_one_date_convention_per_column(recwarn):
    # was: 10/04 and 10.04 read month-first while 13/04 in the same column read day-first
    assert _dates(["10/04/2025", "13/04/2025", "10.04.2025"]) == [
        "2025-04-10", "2025-04-13", "2025-04-10"]
    assert _dates(["04/10/2025", "04/13/2025"]) == ["2025-04-10", "2025-04-13"]
    assert not [w for w in recwarn if issubclass(w.category, mk.MediakitWarning)]


def test_ambiguous_or_mixed_date_conventions_warn():
    with pytest.warns(mk.MediakitWarning, match="can be read day/month or month/day"):
        assert _dates(["10/04/2025", "11/04/2025"]) == ["2025-10-04", "2025-11-04"]
    with pytest.warns(mk.MediakitWarning, match="mix conventions"):
        _dates(["13/04/2025", "04/13/2025", "10/04/2025"])
