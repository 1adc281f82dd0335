"""Time the report: ``mediakit report`` on allsides_triplets (actors off) and on one long article.

    python benchmarks/report.py             # both cases, one fresh process each
    python benchmarks/report.py --json

Targets (issue 16, issue 18): the AllSides triplets report (276 articles, 40 outlets, 92
stories) <= 60 s with actors off; the report of one 4,000-sentence article <= 90 s and <= 3 GB.
Each case runs in its own process; wall time, CPU time (user + system) and peak memory (max RSS
of the child) are reported. On a shared machine wall time includes waiting for the CPU: compare
CPU time too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

LONG = """
import sys, warnings
import mediakit as mk
text = "\\n".join(f"Line {i}: the council met on Monday and agreed the budget of item {i}."
                  for i in range(4000))
warnings.simplefilter("ignore")
r = mk.analyze([{"article_id": "long", "outlet": "X", "story_id": "s", "text": text}],
               actors=False, progress=False)
r.report(sys.argv[1])
"""


def _run(cmd: list[str]) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(cmd[:4])}")
    return {"wall_s": round(wall, 1),
            "cpu_s": round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 1),
            "max_rss_gb": round(after.ru_maxrss / 1024 ** 2, 2)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=None, help="allsides_triplets articles.jsonl")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    base = os.environ.get("MEDIAKIT_DATA")
    root = Path(base) if base else ROOT.parent / "shared" / "corpora"
    data = args.data or root / "allsides_triplets" / "articles.jsonl"
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        res["allsides_triplets"] = _run([sys.executable, "-m", "mediakit", "report", str(data),
                                         "--out", str(Path(tmp) / "a"), "--no-actors", "-q"])
        res["long_article_4000"] = _run([sys.executable, "-c", LONG, str(Path(tmp) / "b")])
    res["allsides_triplets"]["target_s"] = 60
    res["long_article_4000"].update(target_s=90, target_gb=3)
    if args.json:
        print(json.dumps(res, indent=1))
    else:
        for name, r in res.items():
            print(f"{name}: {r['wall_s']} s wall, {r['cpu_s']} s CPU, {r['max_rss_gb']} GB "
                  f"(target {r['target_s']} s" + (f", {r['target_gb']} GB)" if "target_gb" in r
                                                   else ")"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
