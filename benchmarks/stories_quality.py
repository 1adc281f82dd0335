"""How well group_stories recovers known stories: adjusted Rand index on the AllSides triplets.

    python benchmarks/stories_quality.py [--data CORPORA_DIR] [--semantic]

Four set-ups, each with full text (title + text) and with the headline alone as the text:

- triplets, dated: the 92 story triplets (276 articles) with their own dates;
- triplets, undated: the same without dates;
- busy day: the triplets among the first 7,000 ``allsides_bench`` articles (those also in the
  triplets left out once), every article dated on one day, so the time window separates nothing;
  the index is computed on the triplets' articles.

``--semantic`` runs ``group_stories(semantic=True)`` (the ``semantic`` extra: headlines are
also compared by their sentence embeddings). Prints one JSON object (set-up -> index, stories
found, threshold used, the embeddings' share).
"""

from __future__ import annotations

import argparse
import json
import os
import warnings
from pathlib import Path

import pandas as pd
from sklearn.metrics import adjusted_rand_score

import mediakit as mk

ROOT = Path(__file__).resolve().parents[1]


def _setups(corpora: Path):
    triplets = pd.read_json(corpora / "allsides_triplets" / "articles.jsonl", lines=True,
                            dtype={"published": str})
    bench = pd.read_json(corpora / "allsides_bench" / "articles.jsonl.gz", lines=True,
                         dtype={"published": str}, nrows=7000)
    bench = bench[~bench["article_id"].isin(triplets["article_id"])]
    busy = pd.concat([bench.drop(columns="topic"), triplets.drop(columns="story_id")],
                     ignore_index=True).assign(published="2020-01-01")
    mixed = triplets.drop(columns="story_id")
    for name, data in (("triplets_dated", mixed), ("triplets_undated",
                                                   mixed.drop(columns="published")),
                       ("busy_day_7000", busy)):
        yield f"{name}_full_text", data
        yield f"{name}_headlines", data.assign(text=data["title"]).drop(columns="title")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=Path(os.environ.get(
        "MEDIAKIT_DATA", ROOT.parent / "shared" / "corpora")))
    p.add_argument("--semantic", action="store_true",
                   help="group_stories(semantic=True): headlines also compared by meaning")
    args = p.parse_args()
    corpora = args.data
    truth = pd.read_json(corpora / "allsides_triplets" / "articles.jsonl", lines=True,
                         dtype={"published": str}).set_index("article_id")["story_id"]
    out = {}
    warnings.simplefilter("ignore")
    for name, data in _setups(corpora):
        grouped = mk.group_stories(data, semantic=args.semantic, progress=False)
        found = grouped.set_index("article_id")["story_id"].loc[truth.index]
        info = grouped.attrs["group_stories"]
        out[name] = {"ari": round(adjusted_rand_score(truth, found), 4),
                     "n_articles": len(grouped), "n_stories": info["n_stories"],
                     "threshold": info["threshold"], "semantic_share": info["semantic_share"]}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
