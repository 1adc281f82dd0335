"""``explain_terms`` as ``analyze`` calls it (the report's examples), against reading every
sentence: the same rows, and the time of each.

    python benchmarks/kwic_speed.py [--n 10000] [--repeat 3] [--data FILE]

The straightforward way tokenises every content sentence and looks for the terms in each; the
function first finds the sentences where a token of a wanted term's first word occurs (one
pass over the joined texts) and reads only those. Both run in this process, alternating, on
the sentences of the first ``--n`` ``allsides_bench`` articles and the top keyness terms per
``bias`` group (:func:`mediakit.analysis.top_terms`, as the report picks them); the outputs
are asserted equal. Prints best and median seconds of each and the ratio of the best times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
import warnings
from pathlib import Path

import pandas as pd

import mediakit as mk
from mediakit.analysis import top_terms
from mediakit.compare import kwic

ROOT = Path(__file__).resolve().parents[1]


def _every_sentence(texts, *args):
    return range(len(texts))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=Path(os.environ.get(
        "MEDIAKIT_DATA", ROOT.parent / "shared" / "corpora")) / "allsides_bench"
        / "articles.jsonl.gz")
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    warnings.simplefilter("ignore")
    raw = pd.read_json(args.data, lines=True, dtype=False, nrows=args.n)
    articles = mk.read_articles(raw, progress=False)
    sentences = mk.split_sentences(articles, carry=("bias",), progress=False)
    terms = top_terms(mk.compare_terms(sentences, by="bias"), by="bias")
    filtered = kwic._candidates
    times = {"every sentence": [], "candidates": []}
    outputs = {}
    for _ in range(args.repeat):
        for name, chooser in (("every sentence", _every_sentence), ("candidates", filtered)):
            kwic._candidates = chooser
            start = time.perf_counter()
            outputs[name] = mk.explain_terms(sentences, terms=terms, by="bias", per_group=2)
            times[name].append(time.perf_counter() - start)
    kwic._candidates = filtered
    pd.testing.assert_frame_equal(outputs["candidates"], outputs["every sentence"])
    best = {k: min(v) for k, v in times.items()}
    print(json.dumps({"n_articles": len(articles), "n_sentences": len(sentences),
                      "terms": terms, "rows": len(outputs["candidates"]),
                      "best_seconds": best,
                      "median_seconds": {k: statistics.median(v) for k, v in times.items()},
                      "ratio_best": best["every sentence"] / best["candidates"]}, indent=1))


if __name__ == "__main__":
    main()
