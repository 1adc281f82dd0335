"""Frame dictionaries: per-sentence hit counts for each category of a lexicon, with explanations."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from numbers import Integral
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from mediakit._dask import dask_aware
from mediakit._frames import str_array
from mediakit._memory import releases_memory
from mediakit._parallel import map_chunks, worker_pool
from mediakit._params import Column, Frame, Interval, validate_params
from mediakit._validation import ALL_KINDS, require_columns, resolve_kinds
from mediakit.measures._matcher import compile_categories
from mediakit.measures._textcheck import KINDS_RULES, refuse_articles
from mediakit.measures.lexicons import Lexicon, load_lexicon

if TYPE_CHECKING:
    from collections.abc import Iterable

#: The explanation column written by :func:`score_frames`.
TERMS_COLUMN = "frame_terms"
_HIT = re.compile(r"^(?P<category>\w+):(?P<term>.+)@(?P<start>\d+)-(?P<end>\d+)$")


@validate_params(
    data=[Frame(dask=True)], lexicon=[str, Path, Mapping, Lexicon], text=[Column()],
    kinds=KINDS_RULES, n_jobs=[Interval(Integral, 1, None)], progress=[bool, None],
)
@dask_aware
@releases_memory
def score_frames(
    data: pd.DataFrame,
    *,
    lexicon: str | Path | Mapping | Lexicon = "policy_frames",
    text: str = "text",
    kinds: str | Iterable[str] | None = None,
    n_jobs: int = 1,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Count frame-term hits per sentence, and record which terms matched where.

    Parameters
    ----------
    data : pandas.DataFrame
        The sentences frame of :func:`mediakit.split_sentences` (any frame with a ``text``
        column works; ``kind`` is needed unless ``kinds="all"``, and ``start`` makes the
        explanation offsets point into ``articles.text``).
    lexicon : str, path, dict or Lexicon, default "policy_frames"
        Anything :func:`mediakit.load_lexicon` accepts: ``"policy_frames"`` (Boydstun et al.
        2014), ``"generic_frames"`` (Semetko & Valkenburg 2000), ``"gvfc_frames"`` (Liu et al.
        2019), a file or a dict of your own.
    text : str, default "text"
        Column holding the sentence text.
    kinds : str, sequence of str or None
        Which sentence kinds to score: None (default) = content sentences (headline, body,
        bullet); ``"all"``; or a list such as ``["body"]``. Other rows get NaN counts and an NA
        ``frame_terms`` (not scored, unlike 0 = scored and no hit).
    n_jobs : int, default 1
        Worker processes (1 = in this process). Results are identical for any value.
    progress : bool or None
        Show a progress bar (None: only for long input).

    Returns
    -------
    pandas.DataFrame
        A copy of ``sentences`` (same rows and order) with one ``frame_<category>`` column per
        lexicon category (float: number of hits in the sentence, >= 0; higher = more of the
        frame's vocabulary) and ``frame_terms``: every hit as ``category:term@start-end``,
        joined by ``"; "`` in order of position, where ``term`` is the lexicon pattern and
        ``start``/``end`` are character offsets into ``articles.text`` (the sentence's ``start``
        plus the offset in the sentence; offsets into the row's text when there is no ``start``
        column). ``""`` means scored without a hit. :func:`explain_frames` turns it into a table.
        ``attrs["frames"]`` records the lexicon's name, version, source and the kinds scored.

    Raises
    ------
    TypeError
        ``sentences`` is not a DataFrame.
    SchemaError
        A needed column is missing.
    ValueError
        Bad lexicon or kinds, or the frame already has ``frame_*`` columns.

    Notes
    -----
    Matching is case-insensitive, on whole words, with ``*``/``?`` wildcards and phrases
    (see :func:`mediakit.load_lexicon`). Within a category each word counts at most once
    (leftmost-longest); a word may count in several categories. The lexicon is compiled once
    into a word-level matcher (dict and prefix lookups, a phrase trie), so the time is linear in
    the text, whatever the lexicon's size. A hit is evidence of a frame's vocabulary, not a
    coder's judgement: read ``frame_terms``.

    References
    ----------
    Boydstun, A. E., Card, D., Gross, J. H., Resnik, P., & Smith, N. A. (2014). Tracking the
    development of media frames within and across policy issues. APSA 2014 Annual Meeting Paper.

    Semetko, H. A., & Valkenburg, P. M. (2000). Framing European politics: A content analysis of
    press and television news. Journal of Communication, 50(2), 93-109.

    Examples
    --------
    >>> import mediakit as mk
    >>> sentences = mk.split_sentences(mk.load_example("seeds"))
    >>> scored = mk.score_frames(sentences)
    >>> int(scored["frame_security_defense"].sum()) > int(scored["frame_economic"].sum())
    True
    """
    sentences = data
    refuse_articles(sentences, "score_frames", "sentences")
    lex = load_lexicon(lexicon)
    kinds_t = resolve_kinds(kinds)
    every_kind = set(kinds_t) >= set(ALL_KINDS)
    need = [text] if every_kind else [text, "kind"]
    require_columns(sentences, need, what="sentences",
                    hint="Build it with mk.split_sentences(articles).")
    existing = [c for c in sentences.columns if str(c).startswith("frame_")]
    if existing:
        raise ValueError(
            f"sentences already has frame columns ({', '.join(existing[:5])}); score a frame "
            "without them, e.g. sentences.drop(columns=[c for c in sentences if "
            "c.startswith('frame_')]), or join the results of two score_frames calls."
        )
    names = list(lex.categories)
    n = len(sentences)
    counts = np.full((n, len(names)), np.nan)
    terms = np.full(n, None, dtype=object)
    if not every_kind:
        selected = sentences["kind"].isin(kinds_t).to_numpy()
    else:
        selected = np.ones(n, dtype=bool)
    offsets = (pd.to_numeric(sentences["start"], errors="coerce").fillna(0).astype("int64")
               .to_numpy() if "start" in sentences.columns else np.zeros(n, dtype="int64"))
    texts = sentences[text].to_numpy(dtype=object)
    rows = np.flatnonzero(selected)
    if len(rows):
        with worker_pool(n_jobs if len(rows) > 1 else 1) as pool:
            categories = tuple((name, terms) for name, (_, terms) in lex.categories.items())
            work = functools.partial(_score_chunk, categories)
            items = list(zip(texts[rows].tolist(), offsets[rows].tolist(), strict=True))
            counts[rows], terms[rows] = map_chunks(work, items, n_jobs=n_jobs, pool=pool,
                                                   progress=progress, desc="score_frames",
                                                   serial_chunk=20_000)
    out = sentences.copy()
    for j, name in enumerate(names):
        out[f"frame_{name}"] = counts[:, j]
    out[TERMS_COLUMN] = pd.Series(str_array(terms), index=sentences.index)
    out.attrs["frames"] = {
        "lexicon": lex.name, "version": lex.version, "source": lex.source,
        "categories": names, "kinds": list(kinds_t),
    }
    return out


def _score_chunk(categories: tuple, items: list[tuple[object, int]]):
    """Hit counts (n x categories; NaN for missing text) and ``frame_terms`` of (text, start)
    pairs; runs in worker processes too (the lexicon is compiled once per process)."""
    matcher = compile_categories(categories)
    names = matcher.categories
    counts = np.full((len(items), len(names)), np.nan)
    terms = np.full(len(items), None, dtype=object)
    rows = [row for row, (value, _) in enumerate(items) if isinstance(value, str)]
    found = matcher.find_many([items[row][0] for row in rows])  # missing text stays NaN
    for row, hits in zip(rows, found, strict=True):
        if not hits:
            counts[row] = 0.0
            terms[row] = ""
            continue
        base = items[row][1]
        per_category = [0.0] * len(names)
        parts = []
        for hit in hits:
            per_category[hit.category] += 1
            parts.append(f"{names[hit.category]}:{hit.term}@{base + hit.start}-{base + hit.end}")
        counts[row] = per_category
        terms[row] = "; ".join(parts)
    return counts, terms


@validate_params(data=[Frame()], articles=[Frame(), None], terms=[Column()])
def explain_frames(data: pd.DataFrame, *, articles: pd.DataFrame | None = None,
                   terms: str = TERMS_COLUMN) -> pd.DataFrame:
    """One row per frame hit, from the ``frame_terms`` column of :func:`score_frames`.

    Parameters
    ----------
    data : pandas.DataFrame
        Output of :func:`score_frames`.
    articles : pandas.DataFrame, optional
        The articles frame; when given (with ``article_id`` and ``text``), a ``match`` column
        holds the text at each hit's offsets.
    terms : str, default "frame_terms"

    Returns
    -------
    pandas.DataFrame
        The identity columns of ``scored`` that exist (``article_id``, ``sentence_id``,
        ``outlet``), then ``category``, ``term`` (the lexicon pattern), ``start``, ``end``
        (offsets into ``articles.text``) and, with ``articles``, ``match``.
    """
    scored = data
    require_columns(scored, [terms], what="data", hint="Run mk.score_frames(sentences) first.")
    ids = [c for c in ("article_id", "sentence_id", "outlet") if c in scored.columns]
    records = []
    values = scored[terms].to_numpy(dtype=object)
    id_values = [scored[c].to_numpy(dtype=object) for c in ids]
    for i, value in enumerate(values):
        for hit in parse_frame_terms(value):
            records.append([col[i] for col in id_values] + list(hit.values()))
    table = pd.DataFrame(records, columns=[*ids, "category", "term", "start", "end"])
    table["start"] = table["start"].astype("int64")
    table["end"] = table["end"].astype("int64")
    if articles is not None:
        require_columns(articles, ["article_id", "text"], what="articles")
        if "article_id" not in table.columns:
            raise ValueError("scored has no article_id column to look the texts up with.")
        dup = articles.loc[articles["article_id"].duplicated(), "article_id"].unique()
        if len(dup):
            raise ValueError(
                f"articles.article_id must be unique to look texts up; repeated: "
                f"{', '.join(map(repr, dup[:5]))}{' ...' if len(dup) > 5 else ''}. "
                "Pass the articles frame the sentences were split from."
            )
        text_of = dict(zip(articles["article_id"], articles["text"], strict=True))
        table["match"] = [
            text_of[a][s:e] if a in text_of else None
            for a, s, e in zip(table["article_id"], table["start"], table["end"], strict=True)
        ]
    return table


def parse_frame_terms(value: object) -> list[dict]:
    """Parse one ``frame_terms`` value into ``[{category, term, start, end}, ...]``."""
    if not isinstance(value, str) or not value:
        return []
    out = []
    for part in value.split("; "):
        m = _HIT.match(part)
        if m is None:
            raise ValueError(f"{part!r} is not a frame hit of the form 'category:term@start-end'.")
        out.append({"category": m["category"], "term": m["term"],
                    "start": int(m["start"]), "end": int(m["end"])})
    return out
