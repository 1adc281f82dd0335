"""The straightforward implementation a user would write with the same libraries.

This is the baseline of ``benchmarks/run.py``: pandas ``apply`` per row, one process, no caching
beyond what the libraries do themselves. Every stage that mediakit also has consumes the same
input as mediakit's stage (mediakit's sentences frame), so the outputs can be compared exactly:

- read: ``pd.read_json(lines=True)`` on the whole file;
- split: ``nupunkt.sent_tokenize`` per article text (no line handling, so its sentences differ
  from mediakit's: timed, counted, not compared);
- sentiment: ``SentimentIntensityAnalyzer().polarity_scores`` per content sentence;
- readability: textstat's counting functions per article (its content sentences joined), the
  sentence count taken from the sentences frame, the formulas written out;
- frames: one regular expression per term per sentence, leftmost-longest within a frame;
- compare_groups: article means with ``groupby``, outlet means of article means;
- compare_terms: plain ``collections.Counter`` per group and Dunning's G2 in Python;
- group_stories: a TF-IDF matrix of the articles and a dense cosine matrix;
- coverage: a plain TF-IDF cosine per story, best match per sentence and other outlet.

It is deliberately not clever; it is meant to be correct, so equal outputs can be asserted.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pandas as pd

CONTENT_KINDS = ("headline", "body", "bullet")
QUOTE_MAP = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


# ---------------------------------------------------------------- read and split
def read(path) -> pd.DataFrame:
    return pd.read_json(path, lines=True, dtype=False)


def split(articles: pd.DataFrame) -> pd.DataFrame:
    import nupunkt

    rows = articles.apply(
        lambda a: [(a["article_id"], i, s) for i, s in enumerate(nupunkt.sent_tokenize(a["text"]))],
        axis=1,
    )
    flat = [r for article in rows for r in article]
    return pd.DataFrame(flat, columns=["article_id", "sentence_id", "text"])


def _content(sentences: pd.DataFrame) -> pd.Series:
    return sentences["kind"].isin(CONTENT_KINDS)


# ---------------------------------------------------------------- sentiment
def sentiment(sentences: pd.DataFrame) -> pd.DataFrame:
    """VADER per content sentence (curly quotes mapped to ASCII first, as mediakit does)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    content = sentences[_content(sentences)]

    def score(text):
        if not isinstance(text, str) or not text.strip():
            return pd.Series({"neg": np.nan, "neu": np.nan, "pos": np.nan, "compound": np.nan})
        return pd.Series(analyzer.polarity_scores(text.translate(QUOTE_MAP)))

    scores = content["text"].apply(score)
    out = sentences[["article_id", "sentence_id"]].copy()
    for k in ("neg", "neu", "pos", "compound"):
        out[f"sentiment_{k}"] = scores[k].reindex(sentences.index)
    return out


# ---------------------------------------------------------------- readability
def _mtld_pass(tokens, threshold=0.72):
    factors, types, count = 0.0, set(), 0
    for token in tokens:
        count += 1
        types.add(token)
        if len(types) / count <= threshold:
            factors, types, count = factors + 1, set(), 0
    if count:
        factors += (1 - len(types) / count) / (1 - threshold)
    return len(tokens) / factors if factors > 0 else math.nan


def readability(sentences: pd.DataFrame) -> pd.DataFrame:
    """textstat counts per article (content sentences joined); mediakit's sentence counts."""
    import textstat
    from _textstat_reference import provision
    from textstat.backend.selections import list_words

    provision()  # textstat's dictionary, written to a temporary folder (never downloaded)
    content = sentences[_content(sentences)].copy()
    content["text"] = content["text"].map(lambda t: t.translate(QUOTE_MAP))
    content["has_words"] = content["text"].apply(textstat.lexicon_count) > 0

    def per_article(group):
        text = " ".join(group["text"])
        n_sent = int(group["has_words"].sum())
        words = textstat.lexicon_count(text)
        syllables = textstat.syllable_count(text)
        poly = textstat.polysyllabcount(text)
        fog_hard = textstat.difficult_words(text, syllable_threshold=3, unique=False)
        dc_hard = textstat.difficult_words(text, syllable_threshold=0, unique=False)
        chars = textstat.char_count(text)
        tokens = textstat.lexicon_count(text, removepunct=False)
        letters = textstat.letter_count(text)
        lower = list_words(text, lowercase=True)
        mtld = (_mtld_pass(lower) + _mtld_pass(lower[::-1])) / 2
        if words == 0 or n_sent == 0:
            return pd.Series(dtype=float)
        wps, spw = words / n_sent, syllables / words
        pct_dc = 100 * dc_hard / words
        return pd.Series({
            "flesch_reading_ease": 206.835 - 1.015 * wps - 84.6 * spw,
            "flesch_kincaid_grade": 0.39 * wps + 11.8 * spw - 15.59,
            "gunning_fog": 0.4 * (wps + 100 * fog_hard / words),
            "smog_index": 1.043 * math.sqrt(30 * poly / n_sent) + 3.1291,
            "coleman_liau_index": 0.058 * (100 * letters / words)
            - 0.296 * (100 * n_sent / words) - 15.8,
            "automated_readability_index": 4.71 * chars / tokens + 0.5 * wps - 21.43,
            "dale_chall": 0.1579 * pct_dc + 0.0496 * wps + (3.6365 if pct_dc > 5 else 0.0),
            "mean_sentence_length": wps,
            "mean_syllables_per_word": spw,
            "mtld": mtld,
        })

    per = content.groupby("article_id", sort=False)[["text", "has_words"]].apply(per_article)
    return per.add_prefix("readability_").reset_index()


# ---------------------------------------------------------------- frames
def _term_regex(term: str) -> str:
    words = re.findall(r"[\w*?]+", term.strip().casefold())
    parts = ["".join(r"\w*" if c == "*" else r"\w" if c == "?" else re.escape(c) for c in w)
             for w in words]
    return r"(?<!\w)" + r"[\s\-\u2010\u2011'\u2019.]+".join(parts) + r"(?!\w)"


def frames(sentences: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    """Hits per frame per content sentence: one regex per term, leftmost-longest per frame."""
    compiled = {name: [re.compile(_term_regex(t), re.IGNORECASE) for t in terms]
                for name, terms in categories.items()}
    content = _content(sentences)

    def count(text, patterns):
        spans = []
        for pattern in patterns:
            spans.extend((m.start(), -m.end()) for m in pattern.finditer(text) if m.end() > m.start())
        hits, reach = 0, -1
        for start, neg_end in sorted(spans):
            if start >= reach:
                hits += 1
                reach = -neg_end
        return hits

    out = sentences[["article_id", "sentence_id"]].copy()
    for name, patterns in compiled.items():
        values = sentences.loc[content, "text"].apply(lambda t, p=patterns: count(t, p))
        out[f"frame_{name}"] = values.reindex(sentences.index).astype(float)
    return out


# ---------------------------------------------------------------- compare_groups
def compare_groups(scored: pd.DataFrame, measures: list[str], by: str = "bias",
                   n_boot: int = 2000, n_perm: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Outlet mean of article means, a bootstrap over articles and a permutation test per pair."""
    rng = np.random.default_rng(seed)
    content = scored[_content(scored)]
    rows = []
    for m in measures:
        per_article = content.groupby([by, "article_id"], sort=False)[m].mean().dropna()
        values = {g: v.to_numpy() for g, v in per_article.groupby(level=0)}
        for g, v in sorted(values.items()):
            boot = [rng.choice(v, size=len(v), replace=True).mean() for _ in range(n_boot)]
            low, high = np.percentile(boot, [2.5, 97.5])
            rows.append({by: g, "measure": m, "n": len(v), "estimate": v.mean(),
                         "ci_low": low, "ci_high": high})
        groups = sorted(values)
        for i, g1 in enumerate(groups):
            for g2 in groups[i + 1:]:
                v1, v2 = values[g1], values[g2]
                observed = v1.mean() - v2.mean()
                pooled = np.concatenate([v1, v2])
                hits = 0
                for _ in range(n_perm):
                    perm = rng.permutation(pooled)
                    hits += abs(perm[:len(v1)].mean() - perm[len(v1):].mean()) >= abs(observed)
                rows.append({by: g1, "other": g2, "measure": m, "estimate": observed,
                             "p_value": (hits + 1) / (n_perm + 1)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- compare_terms
def _g2(a: int, b: int, c: int, d: int) -> float:
    """Signed log-likelihood G2 of the 2 x 2 table [[a, b], [c - a, d - b]] (Dunning 1993)."""
    n = c + d
    g2 = 0.0
    for observed, row, col in ((a, a + b, c), (b, a + b, d), (c - a, n - a - b, c),
                               (d - b, n - a - b, d)):
        expected = row * col / n
        if observed > 0:
            g2 += observed * math.log(observed / expected)
    g2 = max(2 * g2, 0.0)
    return g2 if a / c >= b / d else -g2


def compare_terms(sentences: pd.DataFrame, by: str = "bias", min_count: int = 2) -> pd.DataFrame:
    """G2 keyness of every term, each group against the rest, from plain Counters.

    Tokens follow mediakit's rule (its preprocessing, token pattern, each token mapped to its
    term: acronyms kept, British spellings made American; then scikit-learn's English stop
    words), so the counts are the same; the counting and the statistic are plain Python. The
    comparison is the pooled one (``compare_terms(stratify=False)``; the benchmark's sentences
    carry no story).
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from mediakit.compare.terms import _TOKEN_PATTERN, _preprocess, normalize_term

    token = re.compile(_TOKEN_PATTERN)
    content = sentences[_content(sentences) & sentences["text"].notna() & sentences[by].notna()]
    counters: dict[str, Counter] = {}
    for group, text in zip(content[by], content["text"], strict=True):
        words = [normalize_term(w) for w in token.findall(_preprocess(text))]
        counters.setdefault(group, Counter()).update(
            w for w in words if w not in ENGLISH_STOP_WORDS)
    rows = []
    for target, a_counts in counters.items():
        b_counts = Counter()
        for group, counts in counters.items():
            if group != target:
                b_counts.update(counts)
        c, d = sum(a_counts.values()), sum(b_counts.values())
        for term in set(a_counts) | set(b_counts):
            a, b = a_counts[term], b_counts[term]
            if a + b >= min_count:
                rows.append((target, term, a, b, _g2(a, b, c, d)))
    return pd.DataFrame(rows, columns=[by, "term", "n_target", "n_reference", "g2"])


# ---------------------------------------------------------------- stories and coverage
def group_stories(articles: pd.DataFrame) -> np.ndarray:
    """Average linkage on the dense n x n locally scaled cosine distance of every pair.

    The same TF-IDF vectors (mediakit's own, so the partitions can be compared), the same
    local scaling (each article's scale from the mean cosine of its nearest articles in the
    window) and the same options (mediakit's defaults: time window, lead, and the threshold its
    rule picks from the texts' median length), but the straightforward exact way: one dense
    matrix and one linkage over the whole corpus, without mediakit's sparse neighbour graph.
    """
    import inspect

    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    import mediakit as mk
    from mediakit.compare.stories import (
        _K,
        _SCALE_HI,
        _SCALE_LO,
        _length_share,
        _vectors,
        default_threshold,
    )

    defaults = {k: p.default for k, p in inspect.signature(mk.group_stories).parameters.items()}
    lead_chars = defaults["lead_chars"]
    docs = (articles["title"].fillna("").astype(str) + "\n"
            + articles["text"].fillna("").astype(str).str.slice(0, lead_chars))
    median_words = float(docs.str.count(r"\S+").median())
    threshold, _ = default_threshold(median_words)
    x = _vectors(docs.tolist(), _length_share(median_words))
    sim = (x @ x.T).toarray()
    stamp = pd.to_datetime(articles["published"], errors="coerce", utc=True)
    t = stamp.to_numpy(dtype="datetime64[ns]").astype("int64")
    known = stamp.notna().to_numpy()
    far = (np.abs(t[:, None] - t[None, :]) > pd.Timedelta(defaults["window"]).value)
    far &= known[:, None] & known[None, :]
    near = np.where(far, 0, sim)
    np.fill_diagonal(near, 0)
    top = -np.sort(-near, axis=1)[:, :_K].astype(np.float64)
    top = np.pad(top, ((0, 0), (0, _K - top.shape[1])))
    scale = np.clip(1.0 - top.mean(axis=1), _SCALE_LO, _SCALE_HI) / _SCALE_HI
    del near
    dist = 1.0 - sim.astype(np.float64)
    dist[far] = 1.0
    np.fill_diagonal(dist, 0.0)
    dist = np.clip((dist + dist.T) / 2, 0.0, 1.0) / np.sqrt(scale[:, None] * scale[None, :])
    tree = linkage(squareform(dist, checks=False), method="average")
    return fcluster(tree, t=threshold, criterion="distance")


def coverage(sentences: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    """Best match (plain TF-IDF cosine) of every content sentence in each other outlet."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    content = sentences[_content(sentences)]
    rows = []
    for _, story in content.groupby("story_id"):
        if story[by].nunique() < 2:
            continue
        try:
            x = TfidfVectorizer().fit_transform(story["text"])
        except ValueError:
            continue
        sim = (x @ x.T).toarray()
        outlets = story[by].to_numpy()
        ids = story[["article_id", "sentence_id"]].to_numpy()
        for i in range(len(story)):
            for other in np.unique(outlets):
                if other == outlets[i]:
                    continue
                cand = np.flatnonzero(outlets == other)
                j = cand[sim[i, cand].argmax()]
                rows.append((*ids[i], other, *ids[j], sim[i, j]))
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "other_outlet",
                                       "other_article_id", "other_sentence_id", "similarity"])
