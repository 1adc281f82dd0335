"""``explain_terms`` as ``analyze`` calls it (the report's examples), against reading every
sentence: the same rows, and the time of each.

    python benchmarks/kwic_speed.py [--n 10000] [--repeat 3] [--data FILE]

The straightforward way tokenises every content sentence and looks for the terms in each; the
function first finds the sentences where a token of a wanted term's first word occurs (one
pass over the joined texts) and reads only those, each term's in reading order, a group's
sentences only until it has its examples. Both run in this process, alternating, on
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


def straightforward(sentences: pd.DataFrame, terms: list[str], per_group: int = 2):
    """Every content sentence tokenised, every occurrence found, then each term's first
    ``per_group`` sentences per group kept (explain_terms before it chose what to read)."""
    chooser = kwic._candidates
    kwic._candidates = lambda texts, words, *a: {w: range(len(texts)) for w in words}
    try:
        every = mk.explain_terms(sentences, terms=terms, by="bias")
    finally:
        kwic._candidates = chooser
    every = every.drop_duplicates(["term", "bias", "article_id", "sentence_id"])
    return every.groupby(["term", "bias"], sort=False).head(per_group).reset_index(drop=True)


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
    times = {"straightforward": [], "explain_terms": []}
    outputs = {}
    for _ in range(args.repeat):
        for name, run in (("straightforward", lambda: straightforward(sentences, terms)),
                          ("explain_terms", lambda: mk.explain_terms(
                              sentences, terms=terms, by="bias", per_group=2))):
            start = time.perf_counter()
            outputs[name] = run()
            times[name].append(time.perf_counter() - start)
    outputs["explain_terms"].attrs = outputs["straightforward"].attrs = {}
    pd.testing.assert_frame_equal(outputs["explain_terms"], outputs["straightforward"])
    best = {k: min(v) for k, v in times.items()}
    print(json.dumps({"n_articles": len(articles), "n_sentences": len(sentences),
                      "terms": terms, "rows": len(outputs["explain_terms"]),
                      "best_seconds": best,
                      "median_seconds": {k: statistics.median(v) for k, v in times.items()},
                      "ratio_best": best["straightforward"] / best["explain_terms"]}, indent=1))


if __name__ == "__main__":
    main()
