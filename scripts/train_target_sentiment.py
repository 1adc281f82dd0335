"""Train the models of ``mk.score_target_sentiment`` on NewsMTSC's training split, and report CV.

Usage (from the repo root; deterministic, offline; the MiniLM features of 8,739 mentions take
about 4 CPU minutes, the cross-validation a few more; ``--cache`` keeps the features)::

    PYTHONPATH=$PWD nice -n 10 python scripts/train_target_sentiment.py \
        [--data ../shared/corpora/newsmtsc_train] [--out mediakit/measures/_target_model.npz]

Data: NewsMTSC (Hamborg & Donnay 2021, EACL; MIT licence), ``train.jsonl`` only: 7,758 news
sentences with 8,739 target mentions, each labelled with the sentiment the sentence expresses
toward the target (2 negative, 4 neutral, 6 positive). Each labelled target is one example (its
main span; ``further_mentions`` are not used).

Evaluation: 5-fold cross-validation grouped by article (``StratifiedGroupKFold``, fixed seed): an
article's sentences are never on both sides. Macro-F1 over the three classes is reported for
(a) VADER's sentence compound mapped to the target (>= 0.05 positive, <= -0.05 negative, else
neutral; no training), (b) the VADER fallback model and (c) the MiniLM model, on the same folds.
Then both models are fitted on all the data and written, as plain arrays (standardisation means
and scales, logistic-regression coefficients and intercepts) with the CV figures, to ``--out``.
No corpus text is stored.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mediakit.measures import _target_features as tf  # noqa: E402

LABELS = ("negative", "neutral", "positive")
POLARITY = {2.0: 0, 4.0: 1, 6.0: 2}
SEED = 0
#: Inverse regularisation strength of each model's logistic regression, chosen by CV macro-F1
#: (``--search``): MiniLM (3 layers) 0.718 at C=0.01, 0.708 at 0.02 (all 6 layers: 0.710 at
#: 0.01, 0.698 at 0.03); VADER 0.563 at 0.1 and at 1. Dynamic int8 quantisation of the 3 layers
#: (torch.ao.quantization.quantize_dynamic) ran about 1.6x faster but fell to 0.704 at C=0.01,
#: so the encoder runs in float32.
C = {"vader": 1.0, "minilm": 0.01}


def load(path: Path):
    """(texts, spans, labels, groups): one example per labelled target."""
    texts, spans, labels, groups = [], [], [], []
    with open(path / "train.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            text = row["sentence_normalized"]
            article = "_".join(row["primary_gid"].split("_")[:3])
            for t in row["targets"]:
                texts.append(text)
                spans.append((int(t["from"]), int(t["to"])))
                labels.append(POLARITY[float(t["polarity"])])
                groups.append(article)
    return texts, spans, np.array(labels), np.array(groups)


def fit(x: np.ndarray, y: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit((x - mean) / scale, y)
    return {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32),
            "coef": model.coef_.astype(np.float32), "intercept": model.intercept_.astype(np.float32)}


def predict(params, x: np.ndarray) -> np.ndarray:
    z = ((x - params["mean"]) / params["scale"]) @ params["coef"].T + params["intercept"]
    return z.argmax(axis=1)


def folds(y, groups):
    from sklearn.model_selection import StratifiedGroupKFold

    cv = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)
    return list(cv.split(np.zeros(len(y)), y, groups))


def cv_f1(x, y, splits, c):
    from sklearn.metrics import f1_score

    scores = []
    for train, test in splits:
        params = fit(x[train], y[train], c)
        scores.append(f1_score(y[test], predict(params, x[test]), average="macro"))
    return scores


def vader_baseline(x_vader, y, splits):
    from sklearn.metrics import f1_score

    compound = x_vader[:, 3]
    pred = np.where(compound >= 0.05, 2, np.where(compound <= -0.05, 0, 1))
    return [f1_score(y[test], pred[test], average="macro") for _, test in splits]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared/corpora/newsmtsc_train")
    parser.add_argument("--out", type=Path, default=REPO / "mediakit/measures/_target_model.npz")
    parser.add_argument("--cache", type=Path, default=None,
                        help="npz file caching the MiniLM features between runs")
    parser.add_argument("--search", action="store_true", help="print CV macro-F1 for several C")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--c-values", type=float, nargs="+", default=[0.01, 0.03, 0.1])
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    texts, spans, y, groups = load(args.data)
    print(f"{len(y)} targets, {len(set(groups))} articles, classes {np.bincount(y).tolist()}")
    splits = folds(y, groups)
    for _, test in splits:
        assert not set(groups[test]) & set(np.delete(groups, test))
    t0 = time.perf_counter()
    x_vader = tf.vader_features(texts, spans)
    if args.cache is not None and args.cache.exists():
        x_mini = np.load(args.cache)["x"]
    else:
        x_mini = tf.minilm_features(texts, spans)
        if args.cache is not None:
            np.savez(args.cache, x=x_mini)
    print(f"features in {time.perf_counter() - t0:.0f} s")
    if args.search:
        for name, x in (("vader", x_vader), ("minilm", x_mini)):
            for c in (args.c_values if name == "minilm" else (0.1, 1.0)):
                s = cv_f1(x, y, splits, c)
                print(f"  {name} C={c}: macro-F1 {np.mean(s):.3f} (folds {np.round(s, 3).tolist()})")
        return 0
    figures = {"baseline_vader_sentence": vader_baseline(x_vader, y, splits),
               "vader": cv_f1(x_vader, y, splits, C["vader"]),
               "minilm": cv_f1(x_mini, y, splits, C["minilm"])}
    for name, s in figures.items():
        print(f"{name}: macro-F1 {np.mean(s):.3f} +- {np.std(s):.3f} (folds {np.round(s, 3).tolist()})")
    arrays = {}
    for name, x in (("vader", x_vader), ("minilm", x_mini)):
        for key, value in fit(x, y, C[name]).items():
            arrays[f"{name}_{key}"] = value
    meta = {
        "labels": LABELS,
        "training_data": "NewsMTSC train.jsonl (Hamborg & Donnay 2021; fhamborg/NewsMTSC @ "
                         "b9d9b79; MIT licence): 7,758 sentences, 8,739 targets",
        "n_examples": int(len(y)),
        "cv": "5-fold StratifiedGroupKFold grouped by article (shuffle, random_state=0), "
              "macro-F1 over negative/neutral/positive",
        "cv_macro_f1": {k: [round(float(v), 4) for v in s] for k, s in figures.items()},
        "C": C,
        "window": tf.WINDOW,
        "vader_window": tf.VADER_WINDOW,
        "encoder": tf.encoder_version(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, meta=np.array(json.dumps(meta)), **arrays)
    print(f"wrote {args.out} ({os.path.getsize(args.out) / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
