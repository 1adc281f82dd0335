"""Throughput of ``score_target_sentiment``: mentions per second, on real articles.

    python benchmarks/target_sentiment.py             # 300 articles of allsides_bench, 2 threads
    python benchmarks/target_sentiment.py --n 100 --threads 1 --json

Splits the first ``--n`` articles of ``../shared/corpora/allsides_bench`` (or ``--data``, or
``$MEDIAKIT_DATA/allsides_bench``), extracts their entities (spaCy; not timed), then times
``score_target_sentiment`` on every mention with each model: loading (the encoder and the shipped
coefficients, once per process) and scoring are reported apart. Wall and CPU seconds are both reported (on a shared machine wall time depends on the
load). Torch is limited to
``--threads`` threads (the target: >= 200 mentions per second on 2 cores). Both models must
give every mention a class and probabilities that sum to 1, or the run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    from run import default_data, machine

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=None, help="articles.jsonl(.gz)")
    p.add_argument("--n", type=int, default=300, help="take the first N articles")
    p.add_argument("--threads", type=int, default=2, help="torch threads")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import pandas as pd
    import torch

    import mediakit as mk
    from mediakit.measures import _target_features

    torch.set_num_threads(args.threads)
    data = args.data or default_data()
    articles = pd.read_json(data, lines=True, nrows=args.n, dtype={"article_id": str})
    articles = mk.read_articles(articles[["article_id", "outlet", "title", "text"]])
    sentences = mk.split_sentences(articles)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mentions = mk.extract_entities(sentences)
    res = {"machine": machine(), "torch_threads": args.threads, "n_articles": len(articles),
           "n_sentences": int(sentences["kind"].isin(["headline", "body", "bullet"]).sum()),
           "n_mentions": len(mentions), "models": {}}
    ok = True
    for model in ("minilm", "vader"):
        t0 = time.perf_counter()
        if model == "minilm":
            _target_features.load_encoder()
        mk.score_target_sentiment(mentions.iloc[:1], sentences=sentences, model=model)  # coefficients
        loaded = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()
        scored = mk.score_target_sentiment(mentions, sentences=sentences, model=model, progress=False)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        probs = scored[["target_neg", "target_neu", "target_pos"]].sum(axis=1)
        ok &= bool(scored["target_sentiment"].notna().all() and (probs - 1).abs().max() < 1e-6)
        res["models"][model] = {
            "load_seconds": round(loaded, 2), "score_seconds": round(seconds, 2),
            "mentions_per_second": round(len(mentions) / seconds, 1),
            # on a shared machine wall time depends on the load: CPU seconds do not (much)
            "cpu_seconds": round(cpu, 2),
            "mentions_per_cpu_second": round(len(mentions) / cpu, 1),
            "shares": scored["target_sentiment"].value_counts(normalize=True).round(3).to_dict()}
    if args.json:
        print(json.dumps(res, indent=1, default=str))
    else:
        print(f"{res['n_articles']} articles, {res['n_sentences']} content sentences, "
              f"{res['n_mentions']} mentions; torch threads {args.threads}; "
              f"{res['machine'].get('cpu', '')}")
        for model, r in res["models"].items():
            print(f"  {model:<7} load {r['load_seconds']:6.2f} s   score {r['score_seconds']:6.2f} s"
                  f"   {r['mentions_per_second']:8.1f} mentions/s   (CPU {r['cpu_seconds']:.2f} s,"
                  f" {r['mentions_per_cpu_second']:.1f} mentions per CPU second)   {r['shares']}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
