"""The command line: the README's main command on the bundled sample, and its exit codes."""

from __future__ import annotations

import html
import json
import subprocess
import sys

import pandas as pd
import pytest

import mediakit as mk
from mediakit.cli import main


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    code = main(["report", "--example", "seeds", "--out", str(out), "--quiet"])
    return code, out


def test_main_command_writes_report_figures_and_tables(seeds_report, seeds_sentences):
    code, out = seeds_report
    assert code == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    for stem in ("coverage_map_coalition-of-the-willing", "presence_coalition-of-the-willing",
                 "sentiment_arc", "estimates_sentiment_compound", "frames", "keyness_outlet_A"):
        for ext in ("png", "svg", "pdf", "data.csv", "manifest.json"):
            assert (out / "figures" / f"{stem}.{ext}").stat().st_size > 0, (stem, ext)
    for table in ("articles", "sentences", "groups", "terms", "coverage_facts",
                  "coverage_omissions"):
        assert (out / "tables" / f"{table}.csv").exists()
    assert (out / "manifest.json").exists()
    # every content sentence the seeds carry is quoted in the page, escaped
    content = seeds_sentences[seeds_sentences.kind.isin(["headline", "body", "bullet"])]
    missing = [t for t in content.text if html.escape(" ".join(t.split()), quote=True) not in page
               and html.escape(t, quote=True) not in page]
    assert not missing
    assert "&quot;At the moment there is no peace to keep,&quot;" in page  # Kallas, straight quotes
    assert "<script" not in page.lower()


def test_main_command_records_provenance(seeds_report, seeds_articles):
    import hashlib
    import json

    _, out = seeds_report
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["mediakit"] == mk.__version__
    text = seeds_articles.set_index("article_id")["text"]
    assert manifest["inputs"] == {
        a: hashlib.sha256(t.encode("utf-8")).hexdigest() for a, t in text.items()}
    assert manifest["lexicons"][0]["name"] == "policy_frames"


@pytest.mark.parametrize("argv", [
    [], ["report"], ["report", "--out", "x"], ["report", "src", "--example", "seeds", "--out", "x"],
    ["report", "--example", "nope", "--out", "x"], ["frobnicate"],
    ["report", "--example", "seeds", "--out", "x", "--formats", "gif"],
    ["report", "--example", "seeds", "--out", "x", "--jobs", "0"],
    ["report", "--example", "seeds", "--out", "x", "--engine", "spark"],
    ["report", "--example", "seeds", "--out", "x", "--engine", "pandas", "--scheduler", "tcp://h:1"],
])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err.strip()


def test_input_error_exit_1_one_line(tmp_path, capsys):
    code = main(["report", str(tmp_path / "missing"), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("mediakit: error: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_help_and_module_entry_point():
    assert main(["--help"]) == 0
    done = subprocess.run([sys.executable, "-m", "mediakit", "report", "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "--example" in done.stdout and "exit codes" in done.stdout


def test_report_help_lists_the_options():
    done = subprocess.run([sys.executable, "-m", "mediakit", "report", "--help"],
                          capture_output=True, text=True, timeout=60)
    for flag in ("--by", "--outlets", "--story", "--text", "--outlet", "--title", "--id",
                 "--published", "--on-error", "--overwrite", "--report-title"):
        assert flag in done.stdout, flag


def _other_columns_csv(path, corpora_dir, n_stories=6):
    articles = pd.read_json(corpora_dir / "allsides_triplets" / "articles.jsonl", lines=True)
    keep = sorted(articles["story_id"].unique())[:n_stories]
    articles = articles[articles["story_id"].isin(keep)]
    frame = articles.rename(columns={"text": "body", "outlet": "source_name",
                                     "article_id": "doc"})
    frame.to_csv(path, index=False)
    return frame


@pytest.mark.corpora
@pytest.mark.timeout(300)
def test_csv_with_other_column_names_and_by_bias(tmp_path, corpora_dir, capsys):
    frame = _other_columns_csv(tmp_path / "articles.csv", corpora_dir)
    out = tmp_path / "out"
    code = main(["report", str(tmp_path / "articles.csv"), "--text", "body", "--outlet",
                 "source_name", "--id", "doc", "--by", "bias", "--out", str(out), "--no-actors",
                 "--formats", "svg", "--quiet"])
    assert code == 0, capsys.readouterr().err
    page = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert "compared by <code>bias</code> (3 values)" in page
    groups = pd.read_parquet(out / "tables" / "groups.parquet")
    assert set(groups["bias"].dropna()) == set(frame["bias"])
    articles = pd.read_parquet(out / "tables" / "articles.parquet")
    assert sorted(articles["article_id"]) == sorted(frame["doc"].astype(str))
    assert set(articles["outlet"]) == set(frame["source_name"])
    # a second run into the same folder needs --overwrite, and says so with the flag
    code = main(["report", str(tmp_path / "articles.csv"), "--text", "body", "--outlet",
                 "source_name", "--id", "doc", "--out", str(out), "--no-actors", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "--overwrite" in err and err.count("\n") == 1


@pytest.mark.corpora
@pytest.mark.timeout(300)
def test_errors_suggest_flags_not_python(tmp_path, corpora_dir, capsys):
    _other_columns_csv(tmp_path / "articles.csv", corpora_dir, n_stories=2)
    code = main(["report", str(tmp_path / "articles.csv"), "--out", str(tmp_path / "o"),
                 "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert "--text" in err and "text=" not in err
    code = main(["report", str(tmp_path / "articles.csv"), "--text", "body", "--outlet",
                 "source_name", "--id", "doc", "--by", "bais", "--out", str(tmp_path / "o"),
                 "--quiet", "--no-actors"])
    err = capsys.readouterr().err
    assert code == 1 and "--by" in err and "bias" in err and "by=" not in err


def test_outlets_and_story_choose_what_is_compared(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["report", "--example", "seeds", "--outlets", "outlet A,outlet B", "--story",
                 "coalition-of-the-willing", "--out", str(out), "--formats", "svg", "--quiet"])
    assert code == 0, capsys.readouterr().err
    code = main(["report", "--example", "seeds", "--outlets", "outlet Z", "--out",
                 str(tmp_path / "o2"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "outlet Z" in err and err.count("\n") == 1


def test_unexpected_errors_stay_one_line(tmp_path, capsys, monkeypatch):
    import mediakit.analysis

    def boom(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded\nwhile reading")

    monkeypatch.setattr(mediakit.analysis, "_analyze", boom)
    code = main(["report", "--example", "seeds", "--out", str(tmp_path / "o"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "RecursionError" in err


def test_engine_dask_on_a_scheduler_writes_the_pandas_tables(tmp_path, corpora_dir, capsys):
    """--scheduler runs analyze on that dask cluster (here a two-process LocalCluster), the
    frames kept on disk and the report written from them: its tables equal those of --engine
    pandas (the coverage tables part by part, so in another row order); an unreachable
    scheduler is one error."""
    distributed = pytest.importorskip("distributed")
    lines = (corpora_dir / "allsides_triplets" / "articles.jsonl").read_text().splitlines()[:30]
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    common = [str(source), "--no-actors", "--formats", "png", "--quiet"]
    assert main(["report", *common, "--engine", "pandas", "--out", str(tmp_path / "pd")]) == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        code = main(["report", *common, "--scheduler", cluster.scheduler_address,
                     "--out", str(tmp_path / "dask")])
    assert code == 0
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["keep"] == "disk"
    for name in ("articles", "groups", "terms", "coverage_facts", "coverage_presence"):
        got = pd.read_csv(tmp_path / "dask" / "tables" / f"{name}.csv")
        want = pd.read_csv(tmp_path / "pd" / "tables" / f"{name}.csv")
        assert len(want) > 0, name
        if name.startswith("coverage_"):
            got, want = (t.sort_values(["fact_id", "outlet"], kind="stable").reset_index(
                drop=True) for t in (got, want))
        pd.testing.assert_frame_equal(got, want, obj=name)
    capsys.readouterr()
    assert main(["report", *common, "--scheduler", "tcp://127.0.0.1:9",
                 "--out", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mediakit: error: --scheduler tcp://127.0.0.1:9: cannot connect")
    assert err.count("\n") == 1
