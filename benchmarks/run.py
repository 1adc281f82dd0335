"""Benchmark mediakit against the straightforward implementation, on real articles.

    python benchmarks/run.py                 # 10,000 articles: mediakit and naive, outputs compared
    python benchmarks/run.py --n 1000        # the first 1,000 articles
    python benchmarks/run.py --json          # the same figures as one JSON object
    python benchmarks/run.py --scaling       # mediakit at 1k, 2k, 5k, 10k: fitted exponent
    python benchmarks/run.py --pathological  # every stage on pathological input
    python benchmarks/run.py --entities 200  # spaCy entities throughput (separate)
    python benchmarks/run.py --repeat 4      # the corpus 4 times (new ids, dates + whole years)
    python benchmarks/run.py --dask --on-disk --repeat 4  # analyze(engine="dask", keep="disk")

Each side runs in its own fresh Python process (so memory and caches are its own): first
mediakit (read, split, sentiment, readability, frames, compare_groups, compare_terms,
group_stories as dated and all on one day, coverage within stories), then ``naive.py`` on the
same input. The naive scoring stages consume mediakit's sentences frame, so their outputs are
compared one to one, and the run fails if any shared output differs. Data:
``../shared/corpora/allsides_bench`` (or ``--data``, or ``$MEDIAKIT_DATA/allsides_bench``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STAGES = ("read", "split", "sentiment", "readability", "frames", "compare_groups",
          "compare_terms", "group_stories", "group_stories_one_window", "coverage")
#: Stages whose outputs are compared (the others are timed only, see compare.py).
SCALING_SIZES = (1000, 2000, 5000, 10000)
GROUP_BY = "bias"


def default_data() -> Path:
    base = os.environ.get("MEDIAKIT_DATA")
    root = Path(base) if base else ROOT.parent / "shared" / "corpora"
    return root / "allsides_bench" / "articles.jsonl.gz"


def subset(path: Path, n: int | None, workdir: Path) -> tuple[Path, int]:
    """The first ``n`` articles of the JSONL(.gz) file, written to ``workdir`` (or the file)."""
    opener = gzip.open if path.suffix == ".gz" else open
    lines = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if n is not None and len(lines) > n:
                break
            lines.append(line)
    if n is None or len(lines) <= n:
        return path, len(lines)
    out = workdir / "articles.jsonl"
    out.write_text("".join(lines[:n]), encoding="utf-8")
    return out, n


def repeat_corpus(path: Path, k: int, workdir: Path) -> tuple[Path, int]:
    """The articles of ``path`` ``k`` times, written to ``workdir/articles_x{k}.jsonl``.

    Copy ``c`` (0 to k-1) gives each article the id ``<id>~c`` (copy 0 keeps its ids) and moves
    its date ``c * span`` whole years later, where ``span`` is the number of calendar years the
    corpus covers, so two copies are always more than ``group_stories``' window apart and never
    join a story. An article without a date would be compared with every other (and join its
    own copies), so in every copy, including the first, it takes the date of the nearest dated
    article before it in the file (the first dated one for those at the start). The same rule
    applies with ``k=1``, so ``--repeat 1`` and ``--repeat K`` measure the same kind of corpus.
    """
    import pandas as pd

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    stamps = pd.to_datetime(pd.Series([r.get("published") for r in rows], dtype=object),
                            errors="coerce", format="mixed")
    filled = stamps.ffill().bfill()
    if filled.isna().all():
        raise SystemExit(f"--repeat needs dated articles; none in {path} has a date")
    span = int(filled.max().year - filled.min().year + 1)
    out = workdir / f"articles_x{k}.jsonl"
    with open(out, "w", encoding="utf-8") as fh:
        for copy in range(k):
            shifted = filled + pd.DateOffset(years=copy * span)
            for row, when in zip(rows, shifted, strict=True):
                new = dict(row)
                if copy:
                    new["article_id"] = f"{row['article_id']}~{copy}"
                new["published"] = when.strftime("%Y-%m-%d")
                fh.write(json.dumps(new, ensure_ascii=False) + "\n")
    return out, len(rows) * k


def _side(side: str, data: Path, out: Path, n_jobs: int, case: str | None = None,
          timeout: float | None = None) -> dict:
    cmd = [sys.executable, str(HERE / "_sides.py"), side, str(data), str(out), str(n_jobs)]
    cmd += [case] if case else []
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    if proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"the {side} side failed (exit {proc.returncode})")
    name = f"{side}_{case}" if case else side
    return json.loads((out / f"{name}.json").read_text())


def import_seconds(repeat: int = 5) -> float:
    """Best of ``repeat`` fresh interpreters timing ``import mediakit``."""
    code = "import time; t = time.perf_counter(); import mediakit; print(time.perf_counter() - t)"
    times = []
    for _ in range(repeat):
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)
        times.append(float(res.stdout.strip()))
    return min(times)


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as fh:
            names = [ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")]
        info["cpu"] = names[0] if names else platform.processor()
    except OSError:
        info["cpu"] = platform.processor()
    try:
        with open("/proc/meminfo") as fh:
            info["memory_gb"] = round(int(fh.readline().split()[1]) / 2**20, 1)
    except OSError:
        pass
    try:
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    from importlib.metadata import version

    info["versions"] = {p: version(p) for p in (
        "pandas", "numpy", "vaderSentiment", "textstat", "nupunkt", "scikit-learn", "scipy")}
    return info


def _reuse_naive(previous: Path, work: Path, mk: dict) -> dict:
    """The naive side of an earlier run, only if it consumed exactly the frames mediakit made now."""
    nv = json.loads((previous / "naive.json").read_text())
    if nv.get("input_hash") != mk["input_hash"]:
        raise SystemExit(f"--naive-from {previous}: its inputs differ from this run's "
                         "(mediakit's sentences or articles changed); run the naive side again.")
    for path in previous.glob("nv_*.parquet"):
        shutil.copy(path, work / path.name)
    nv["reused_from"] = str(previous)
    return nv


def compare_run(data: Path, n: int | None, n_jobs: int, naive: bool = True,
                keep: Path | None = None, naive_from: Path | None = None,
                repeat: int | None = None) -> dict:
    """Both sides on the same input; outputs compared; the figures as one dict.
    ``repeat``: the (first ``n``) articles that many times, see :func:`repeat_corpus`."""
    from compare import check_outputs

    with tempfile.TemporaryDirectory(prefix="mkbench-") as tmp:
        work = keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        source, n_articles = subset(data, n, work)
        if repeat:
            source, n_articles = repeat_corpus(source, repeat, work)
        mk = _side("mediakit", source, work, n_jobs)
        result = {"n_articles": n_articles, "n_jobs": n_jobs, "mediakit": mk}
        if naive:
            nv = (_reuse_naive(naive_from, work, mk) if naive_from
                  else _side("naive", source, work, 1))
            result["naive"] = nv
            result["checks"] = check_outputs(work)
    stages = {}
    for name in STAGES:
        m = result["mediakit"]["stages"].get(name, {})
        v = result.get("naive", {}).get("stages", {}).get(name, {})
        row = {"mediakit_seconds": m.get("seconds"), "naive_seconds": v.get("seconds"),
               "mediakit_cpu_seconds": m.get("cpu_seconds"),
               "naive_cpu_seconds": v.get("cpu_seconds"),
               "mediakit_peak_rss_mb": m.get("peak_rss_mb"),
               "naive_peak_rss_mb": v.get("peak_rss_mb"),
               "n_sentences": m.get("n_sentences")}
        if row["mediakit_seconds"] and row["naive_seconds"]:
            row["ratio"] = row["naive_seconds"] / row["mediakit_seconds"]
        if row["n_sentences"] and row["mediakit_seconds"]:
            row["sentences_per_second"] = row["n_sentences"] / row["mediakit_seconds"]
        stages[name] = row
    total_mk = sum(s["mediakit_seconds"] or 0 for s in stages.values())
    total_nv = sum(s["naive_seconds"] or 0 for s in stages.values()) if naive else None
    return {
        "n_articles": n_articles,
        "n_sentences": result["mediakit"].get("n_sentences"),
        "n_jobs": n_jobs,
        "repeat": repeat,
        "mediakit_seconds": total_mk,
        "naive_seconds": total_nv,
        "ratio": (total_nv / total_mk) if naive and total_mk else None,
        "peak_rss_mb": result["mediakit"]["peak_rss_mb"],
        "naive_peak_rss_mb": result.get("naive", {}).get("peak_rss_mb"),
        "stages": stages,
        "checks": result.get("checks"),
        "naive_reused_from": result.get("naive", {}).get("reused_from"),
    }


def dask_run(data: Path, n: int | None, n_jobs: int, repeat: int | None = None,
             keep: str = "memory") -> dict:
    """``analyze(path, engine="dask", keep=keep)`` on a LocalCluster of ``n_jobs`` worker
    processes, in a fresh process: total seconds (cluster start included) and peak memory of
    the process and every worker, with the seconds of each stage."""
    with tempfile.TemporaryDirectory(prefix="mkdask-") as tmp:
        work = Path(tmp)
        source, n_articles = subset(data, n, work)
        if repeat:
            source, n_articles = repeat_corpus(source, repeat, work)
        res = _side("dask", source, work, n_jobs, case=keep)
    return {"engine": "dask", "keep": keep, "n_articles": n_articles,
            "n_sentences": res["n_sentences"], "n_stories": res["n_stories"],
            "n_jobs": n_jobs, "repeat": repeat,
            "mediakit_seconds": sum(s["seconds"] for s in res["stages"].values()),
            "cluster_seconds": res["stages"]["cluster"]["seconds"],
            "peak_rss_mb": res["peak_rss_mb"], "dask_stages": res["dask_stages"],
            "p2p_comm_concurrency": res["p2p_comm_concurrency"]}


def scaling(data: Path, n_jobs: int, sizes=SCALING_SIZES) -> dict:
    points = []
    for size in sizes:
        run = compare_run(data, size, n_jobs, naive=False)
        points.append({"n_articles": run["n_articles"], "seconds": run["mediakit_seconds"],
                       "peak_rss_mb": run["peak_rss_mb"],
                       "stages": {k: v["mediakit_seconds"] for k, v in run["stages"].items()}})
    xs = [math.log(p["n_articles"]) for p in points]
    ys = [math.log(p["seconds"]) for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs)
    per_stage = {}
    for name in STAGES:
        sy = [math.log(max(p["stages"][name] or 1e-9, 1e-9)) for p in points]
        msy = sum(sy) / len(sy)
        per_stage[name] = sum((x - mx) * (y - msy) for x, y in zip(xs, sy, strict=True)) / sum(
            (x - mx) ** 2 for x in xs)
    return {"points": points, "exponent": slope, "stage_exponents": per_stage}


def pathological(data: Path, n_jobs: int, timeout: float = 600) -> dict:
    """split_sentences, score_sentiment, score_readability, score_frames and compare_coverage
    on each pathological input, each input in its own process, stopped after ``timeout``
    seconds (the stages finished by then are kept, with the one that was running)."""
    from _sides import PATHOLOGICAL_CASES

    cases = {}
    with tempfile.TemporaryDirectory(prefix="mkpath-") as tmp:
        for case in PATHOLOGICAL_CASES:
            try:
                cases[case] = _pathological_case(data, Path(tmp), n_jobs, case, timeout)
            except subprocess.TimeoutExpired:
                partial = Path(tmp) / f"pathological_{case}.json"
                cases[case] = {**(json.loads(partial.read_text()) if partial.is_file() else {}),
                               "timeout_seconds": timeout}
    return {"cases": cases, "timeout_seconds": timeout}


def _pathological_case(data: Path, out: Path, n_jobs: int, case: str, timeout: float) -> dict:
    """One case in its own process group: at the timeout the group is killed, the n_jobs
    workers with it (killing the side's process alone left its workers running)."""
    import signal

    cmd = [sys.executable, str(HERE / "_sides.py"), "pathological", str(data), str(out),
           str(n_jobs), case]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    if proc.returncode:
        sys.stderr.write(stdout + stderr)
        raise SystemExit(f"the pathological side failed on {case} (exit {proc.returncode})")
    return json.loads((out / f"pathological_{case}.json").read_text())


_PATH_STAGES = ("split", "sentiment", "readability", "frames", "coverage")


def _path_cells(r: dict) -> list[str]:
    """Seconds per stage of one pathological case; the stage stopped by the timeout says so."""
    cells = []
    for name in _PATH_STAGES:
        if f"{name}_seconds" in r:
            cells.append(f"{r[f'{name}_seconds']:.2f}")
        elif "timeout_seconds" in r and r.get("running", "split") == name:
            cells.append(f"> {r['timeout_seconds']:.0f} (stopped)")
        else:
            cells.append("-")
    return cells


def entities(data: Path, n: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="mkent-") as tmp:
        source, n_articles = subset(data, n, Path(tmp))
        return _side("entities", source, Path(tmp), 1)


def formats(data: Path, n: int | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="mkfmt-") as tmp:
        source, _ = subset(data, n, Path(tmp))
        if source.suffix != ".gz":  # the subset is plain JSONL: compress it like the original
            gz = Path(tmp) / "articles.jsonl.gz"
            gz.write_bytes(gzip.compress(source.read_bytes(), compresslevel=6))
            source = gz
        return _side("formats", source, Path(tmp), 1)


def _fmt(x, spec=".2f") -> str:
    return "-" if x is None else format(x, spec)


def print_report(res: dict) -> None:
    if res.get("engine") == "dask":
        print(f"analyze on dask (keep={res.get('keep', 'memory')}): "
              f"{res['n_articles']:,} articles, {res['n_sentences']:,} sentences, {res['n_stories']:,} stories, {res['n_jobs']} workers: "
              f"{res['mediakit_seconds']:.1f} s (cluster start {res['cluster_seconds']:.1f} s), "
              f"peak {res['peak_rss_mb']:.0f} MB (process and workers)")
        print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in res["dask_stages"].items()))
    if "stages" in res:
        print(f"{res['n_articles']:,} articles, {res['n_sentences']:,} sentences, "
              f"n_jobs={res['n_jobs']}")
        print(f"{'stage':<16}{'mediakit s':>11}{'naive s':>10}{'ratio':>8}{'sent/s':>11}"
              f"{'mk cpu s':>10}{'mk MB':>8}{'naive MB':>9}")
        for name, s in res["stages"].items():
            print(f"{name:<16}{_fmt(s['mediakit_seconds']):>11}{_fmt(s['naive_seconds']):>10}"
                  f"{_fmt(s.get('ratio'), '.1f'):>8}{_fmt(s.get('sentences_per_second'), ',.0f'):>11}"
                  f"{_fmt(s['mediakit_cpu_seconds']):>10}{_fmt(s['mediakit_peak_rss_mb'], '.0f'):>8}"
                  f"{_fmt(s['naive_peak_rss_mb'], '.0f'):>9}")
        print(f"{'total':<16}{_fmt(res['mediakit_seconds']):>11}{_fmt(res['naive_seconds']):>10}"
              f"{_fmt(res['ratio'], '.1f'):>8}")
        if res.get("naive_reused_from"):
            print(f"naive side reused from {res['naive_reused_from']} (same input frames)")
        print(f"peak memory: mediakit {res['peak_rss_mb']:.0f} MB, naive "
              f"{_fmt(res['naive_peak_rss_mb'], '.0f')} MB (process and its workers)")
        if res.get("checks"):
            for name, check in res["checks"].items():
                print(f"  {name}: {check['status']} - {check['detail']}")
    if "scaling" in res:
        sc = res["scaling"]
        print("scaling: " + ", ".join(f"{p['n_articles']:,} -> {p['seconds']:.1f} s"
                                      for p in sc["points"])
              + f"; fitted exponent {sc['exponent']:.2f}")
        print("  per stage: " + ", ".join(f"{k} {v:.2f}" for k, v in sc["stage_exponents"].items()))
    if res.get("pathological"):
        print(f"pathological input (seconds; hard timeout "
              f"{res['pathological'].get('timeout_seconds', 600):.0f} s per input):")
        print(f"{'input':<26}{'chars':>12}{'sentences':>11}"
              + "".join(f"{n:>13}" for n in _PATH_STAGES) + f"{'peak MB':>9}")
        for case, r in res["pathological"]["cases"].items():
            print(f"{case:<26}{r.get('n_chars', 0):>12,}{_fmt(r.get('n_sentences'), ','):>11}"
                  + "".join(f"{c:>13}" for c in _path_cells(r))
                  + f"{_fmt(r.get('peak_rss_mb'), '.0f'):>9}")
        for case, r in res["pathological"]["cases"].items():
            if r.get("coverage_input"):
                print(f"  coverage on {case}: {r['coverage_input']}")
    if res.get("entities"):
        e = res["entities"]
        print(f"entities (spaCy): {e['n_articles']} articles, {e['n_sentences']:,} sentences in "
              f"{e['seconds']:.1f} s = {e['sentences_per_second']:.0f} sentences/s, "
              f"{e['n_entities']:,} entities")
    for name, r in (res.get("formats") or {}).items():
        print(f"read_articles {name}: {r['n_articles']:,} articles, {r['file_mb']:.1f} MB file, "
              f"{r['seconds']:.2f} s, peak {r['peak_rss_mb']:.0f} MB")
    print(f"import mediakit: {res['import_seconds'] * 1000:.0f} ms")


def markdown(res: dict) -> str:
    """The figures as Markdown tables (for BENCHMARKS.md)."""
    out = []
    m = res.get("machine", {})
    if m:
        out.append(f"Machine: {m.get('cpu')}, {m.get('cpus')} CPUs, {m.get('memory_gb')} GB RAM, "
                   f"{m.get('platform')}, Python {m.get('python')}; load average at start "
                   f"{m.get('load_average_at_start')}.")
    if "stages" in res:
        out.append(f"\n{res['n_articles']:,} articles, {res['n_sentences']:,} sentences, "
                   f"mediakit with n_jobs={res['n_jobs']}.\n")
        out.append("| stage | mediakit s | naive s | ratio | sentences/s | mediakit CPU s | "
                   "naive CPU s | mediakit peak MB | naive peak MB |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, s in res["stages"].items():
            out.append(f"| {name} | {_fmt(s['mediakit_seconds'])} | {_fmt(s['naive_seconds'])} "
                       f"| {_fmt(s.get('ratio'), '.1f')} "
                       f"| {_fmt(s.get('sentences_per_second'), ',.0f')} "
                       f"| {_fmt(s['mediakit_cpu_seconds'])} | {_fmt(s['naive_cpu_seconds'])} "
                       f"| {_fmt(s['mediakit_peak_rss_mb'], '.0f')} "
                       f"| {_fmt(s['naive_peak_rss_mb'], '.0f')} |")
        cpu_mk = sum(s["mediakit_cpu_seconds"] or 0 for s in res["stages"].values())
        cpu_nv = sum(s["naive_cpu_seconds"] or 0 for s in res["stages"].values())
        out.append(f"| **total** | **{_fmt(res['mediakit_seconds'])}** | "
                   f"**{_fmt(res['naive_seconds'])}** | **{_fmt(res['ratio'], '.1f')}** | | "
                   f"{cpu_mk:.2f} | {cpu_nv:.2f} | {_fmt(res['peak_rss_mb'], '.0f')} | "
                   f"{_fmt(res['naive_peak_rss_mb'], '.0f')} |")
        if res.get("checks"):
            out.append("\nOutputs compared:\n")
            out.extend(f"- {k}: **{c['status']}**, {c['detail']}" for k, c in res["checks"].items())
    if "scaling" in res:
        sc = res["scaling"]
        out.append("\n| articles | mediakit s | peak MB |\n|---:|---:|---:|")
        out.extend(f"| {p['n_articles']:,} | {p['seconds']:.2f} | {p['peak_rss_mb']:.0f} |"
                   for p in sc["points"])
        out.append(f"\nFitted exponent (log-log slope of seconds on articles): "
                   f"**{sc['exponent']:.2f}**; per stage: "
                   + ", ".join(f"{k} {v:.2f}" for k, v in sc["stage_exponents"].items()) + ".")
    if res.get("pathological"):
        out.append("\n| input | characters | sentences | "
                   + " | ".join(f"{n} s" for n in _PATH_STAGES) + " | peak MB |\n"
                   "|---|---:|---:|" + "---:|" * len(_PATH_STAGES) + "---:|")
        for case, r in res["pathological"]["cases"].items():
            out.append(f"| {case} | {r.get('n_chars', 0):,} | {_fmt(r.get('n_sentences'), ',')} | "
                       + " | ".join(_path_cells(r))
                       + f" | {_fmt(r.get('peak_rss_mb'), '.0f')} |")
        notes = [f"{case}: {r['coverage_input']}" for case, r in
                 res["pathological"]["cases"].items() if r.get("coverage_input")]
        if notes:
            out.append("\ncompare_coverage input: " + "; ".join(notes) + ".")
    if res.get("entities"):
        e = res["entities"]
        out.append(f"\nEntities (spaCy): {e['n_articles']} articles, {e['n_sentences']:,} content "
                   f"sentences in {e['seconds']:.1f} s ({e['sentences_per_second']:.0f} "
                   f"sentences/s; model load {e['model_load_seconds']:.1f} s), "
                   f"{e['n_entities']:,} entities.")
    if res.get("formats"):
        out.append("\n| read_articles from | file MB | seconds | peak MB |\n|---|---:|---:|---:|")
        out.extend(f"| {k} | {r['file_mb']:.1f} | {r['seconds']:.2f} | {r['peak_rss_mb']:.0f} |"
                   for k, r in res["formats"].items())
    if "import_seconds" in res:
        out.append(f"\n`import mediakit`: {res['import_seconds'] * 1000:.0f} ms (best of 5).")
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=None, help="articles.jsonl(.gz)")
    p.add_argument("--n", type=int, default=None, help="take the first N articles")
    p.add_argument("--n-jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--scaling", action="store_true", help="mediakit at 1k, 2k, 5k, 10k")
    p.add_argument("--pathological", action="store_true", help="pathological inputs")
    p.add_argument("--entities", type=int, default=0, metavar="N",
                   help="also time extract_entities on N articles")
    p.add_argument("--formats", action="store_true",
                   help="read_articles on the same articles as JSONL.gz, CSV and Parquet")
    p.add_argument("--no-naive", action="store_true", help="mediakit only")
    p.add_argument("--dask", action="store_true",
                   help="the whole pipeline as analyze(path, engine='dask') on a LocalCluster "
                        "of --n-jobs worker processes (mediakit only)")
    p.add_argument("--on-disk", action="store_true",
                   help="with --dask: analyze(..., keep='disk'), the articles, sentences and "
                        "coverage tables left in Parquet files")
    p.add_argument("--repeat", type=int, default=None, metavar="K",
                   help="the corpus K times: new article ids, dates shifted by whole years (so "
                        "copies never join a story); undated articles take the nearest earlier "
                        "date")
    p.add_argument("--keep", type=Path, default=None, help="keep the outputs in this folder")
    p.add_argument("--naive-from", type=Path, default=None, metavar="DIR",
                   help="reuse the naive side kept (--keep) by an earlier run on the same input; "
                        "refused unless mediakit's frames it consumed are identical")
    p.add_argument("--markdown", type=Path, default=None, metavar="JSON",
                   help="print the figures of a saved --json report as Markdown, and exit")
    args = p.parse_args(argv)
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text())))
        return 0
    data = args.data or default_data()
    if not data.is_file():
        raise SystemExit(f"no data at {data}; pass --data or set MEDIAKIT_DATA")
    sys.path.insert(0, str(HERE))
    res: dict = {"machine": machine()}
    if args.repeat is not None and args.repeat < 1:
        raise SystemExit("--repeat must be 1 or more")
    if args.on_disk and not args.dask:
        raise SystemExit("--on-disk is an option of --dask")
    if args.dask:
        res.update(dask_run(data, args.n, args.n_jobs, args.repeat,
                            keep="disk" if args.on_disk else "memory"))
    elif not (args.scaling or args.pathological or args.formats) or args.n is not None:
        res.update(compare_run(data, args.n, args.n_jobs, naive=not args.no_naive,
                               keep=args.keep, naive_from=args.naive_from,
                               repeat=args.repeat))
    if args.scaling:
        res["scaling"] = scaling(data, args.n_jobs)
    if args.pathological:
        res["pathological"] = pathological(data, args.n_jobs)
    if args.entities:
        res["entities"] = entities(data, args.entities)
    if args.formats:
        res["formats"] = formats(data, args.n)
    res["import_seconds"] = import_seconds()
    failed = [k for k, c in (res.get("checks") or {}).items() if c["status"] == "FAIL"]
    if args.json:
        print(json.dumps(res, indent=1, default=str))
    else:
        print_report(res)
    if failed:
        print(f"outputs differ: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
