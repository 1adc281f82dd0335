"""A quick run of ``benchmarks/run.py``: both sides on a few real articles, outputs equal.

The benchmark itself asserts that every output mediakit and the straightforward implementation
share is equal (VADER scores to 1e-12, readability, frame counts, group estimates, keyness G2,
story partition); this runs it end to end on 20 articles and checks its JSON report.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
STAGES = ("read", "split", "sentiment", "readability", "frames", "compare_groups",
          "compare_terms", "group_stories", "group_stories_one_window", "coverage")


@pytest.fixture(scope="module")
def report(corpora_dir):
    data = corpora_dir / "allsides_bench" / "articles.jsonl.gz"
    res = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--data", str(data), "--n", "20",
         "--n-jobs", "1", "--json"],
        capture_output=True, text=True, cwd=REPO, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout)


@pytest.mark.corpora
def test_shared_outputs_are_equal(report):
    checks = report["checks"]
    assert set(checks) >= {"sentiment", "readability", "frames", "compare_groups",
                           "compare_terms", "group_stories", "group_stories_one_window"}
    failed = {k: c["detail"] for k, c in checks.items() if c["status"] == "FAIL"}
    assert failed == {}
    assert checks["sentiment"]["status"] == "ok"


@pytest.mark.corpora
def test_report_has_the_figures(report):
    assert report["n_articles"] == 20
    for key in ("mediakit_seconds", "naive_seconds", "ratio", "peak_rss_mb"):
        assert report[key] > 0, key
    assert report["n_sentences"] > 20 * 5
    for stage in STAGES:
        row = report["stages"][stage]
        assert row["mediakit_seconds"] > 0 and row["naive_seconds"] > 0, stage
    assert report["stages"]["sentiment"]["sentences_per_second"] > 0
    assert 0 < report["import_seconds"] < 5
    assert report["machine"]["cpus"] >= 1


@pytest.mark.corpora
def test_the_dask_run_on_disk_repeats_the_corpus(corpora_dir):
    """``--dask --on-disk --repeat 2``: analyze(keep="disk") on a LocalCluster, the corpus
    twice; the JSON report counts both copies and keeps printing time and peak memory."""
    data = corpora_dir / "allsides_bench" / "articles.jsonl.gz"
    res = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--data", str(data), "--n", "40",
         "--n-jobs", "1", "--dask", "--on-disk", "--repeat", "2", "--json"],
        capture_output=True, text=True, cwd=REPO, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    report = json.loads(res.stdout)
    assert report["keep"] == "disk" and report["n_articles"] == 80
    assert report["n_sentences"] > 80 * 5 and report["n_stories"] >= 2
    assert report["mediakit_seconds"] > 0 and report["peak_rss_mb"] > 0
    assert {"group_stories", "compare_terms", "coverage"} <= set(report["dask_stages"])
    # the workers ran with the p2p setting the README's LocalCluster example gives them
    assert report["p2p_comm_concurrency"] == [2]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert '{"distributed.p2p.comm.concurrency": 2}' in readme
