"""``split_sentences`` alone: this checkout against another one, runs alternating.

    python benchmarks/split_speed.py --baseline DIR            # 10,000 articles, n_jobs 1 and 2
    python benchmarks/split_speed.py --baseline DIR --n 3000 --n-jobs 1 --repeat 5 --json

``DIR`` is another mediakit source tree, e.g. an older commit exported with
``git archive COMMIT | tar -x -C DIR``. Every timing is one fresh process (its own imports and
nupunkt caches): it reads the articles (not timed), splits 20 of them to load nupunkt (not
timed), then times ``split_sentences`` on all of them. Baseline and current runs alternate, so
load from other work on a shared machine falls on both; the figure is best of ``--repeat`` runs
and their median (on a shared virtual machine single runs vary by 25%; wall seconds; CPU seconds at ``n_jobs=1`` only, as worker processes are not reaped
when the child measures) and the ratio current / baseline of the
best wall times, from the same run. The run also reports the number of sentences on each side
(they differ when the two trees split differently).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_CHILD = """
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
import mediakit as mk

def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

if __name__ == "__main__":
    path, n, n_jobs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    articles = mk.read_articles(path).iloc[:n]
    mk.split_sentences(articles.iloc[:20], progress=False)
    c0, t0 = cpu(), time.perf_counter()
    out = mk.split_sentences(articles, n_jobs=n_jobs, progress=False)
    wall = time.perf_counter() - t0
    print(json.dumps({"wall": wall, "cpu": cpu() - c0, "sentences": len(out)}))
"""


def default_data() -> Path:
    base = os.environ.get("MEDIAKIT_DATA")
    root = Path(base) if base else ROOT.parent / "shared" / "corpora"
    return root / "allsides_bench" / "articles.jsonl.gz"


def one_run(tree: Path, data: Path, n: int, n_jobs: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "OMP_NUM_THREADS": "1"}
    res = subprocess.run([sys.executable, "-c", _CHILD, str(data), str(n), str(n_jobs)],
                         env=env, capture_output=True, text=True, check=True, cwd=tree)
    return json.loads(res.stdout.strip().splitlines()[-1])


def compare(baseline: Path, data: Path, n: int, n_jobs: int, repeat: int) -> dict:
    runs: dict[str, list[dict]] = {"baseline": [], "current": []}
    for _ in range(repeat):
        for side, tree in (("baseline", baseline), ("current", ROOT)):
            runs[side].append(one_run(tree, data, n, n_jobs))
    best = {side: min(r, key=lambda x: x["wall"]) for side, r in runs.items()}
    middle = {side: statistics.median(x["wall"] for x in r) for side, r in runs.items()}
    if n_jobs > 1:  # the pool's workers are not reaped when the child measures: CPU unknown
        for r in (*runs["baseline"], *runs["current"]):
            r["cpu"] = math.nan
    return {
        "n_articles": n, "n_jobs": n_jobs, "repeat": repeat,
        "baseline_wall": [round(r["wall"], 3) for r in runs["baseline"]],
        "current_wall": [round(r["wall"], 3) for r in runs["current"]],
        "baseline_best_wall": round(best["baseline"]["wall"], 3),
        "current_best_wall": round(best["current"]["wall"], 3),
        "baseline_best_cpu": round(min(r["cpu"] for r in runs["baseline"]), 3),
        "current_best_cpu": round(min(r["cpu"] for r in runs["current"]), 3),
        "ratio_wall": round(best["current"]["wall"] / best["baseline"]["wall"], 3),
        "baseline_median_wall": round(middle["baseline"], 3),
        "current_median_wall": round(middle["current"], 3),
        "ratio_median_wall": round(middle["current"] / middle["baseline"], 3),
        "ratio_cpu": round(min(r["cpu"] for r in runs["current"])
                           / min(r["cpu"] for r in runs["baseline"]), 3),
        "sentences": {side: r[0]["sentences"] for side, r in runs.items()},
        "load_average": os.getloadavg()[0],
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", type=Path, required=True, help="another mediakit source tree")
    ap.add_argument("--data", type=Path, default=default_data())
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--n-jobs", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not (args.baseline / "mediakit" / "__init__.py").exists():
        ap.error(f"{args.baseline} holds no mediakit package")
    results = [compare(args.baseline.resolve(), args.data, args.n, j, args.repeat)
               for j in args.n_jobs]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for r in results:
        print(f"n={r['n_articles']} n_jobs={r['n_jobs']} (best of {r['repeat']}, alternating; "
              f"load average {r['load_average']:.1f})")
        print(f"  baseline: wall {r['baseline_best_wall']:.2f} s, CPU {r['baseline_best_cpu']:.2f} s"
              f"  runs {r['baseline_wall']}")
        print(f"  current:  wall {r['current_best_wall']:.2f} s, CPU {r['current_best_cpu']:.2f} s"
              f"  runs {r['current_wall']}")
        print(f"  ratio current/baseline: wall {r['ratio_wall']:.3f}, CPU {r['ratio_cpu']:.3f};"
              f" sentences {r['sentences']['baseline']:,} vs {r['sentences']['current']:,}")
        print(f"  medians: baseline {r['baseline_median_wall']:.2f} s, current "
              f"{r['current_median_wall']:.2f} s, ratio {r['ratio_median_wall']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
