"""What each outlet reported, left out and put first: sentence alignment across outlets.

``compare_coverage`` aligns the content sentences of every outlet with those of every other
outlet covering the same story, groups aligned sentences into facts, and tabulates which outlet
carries which fact, where (prominence) and with which numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mediakit._progress import progress as _progress
from mediakit._validation import check_frame, require_columns, resolve_kinds
from mediakit.compare._align import (
    MIN_SHARED_WORDS,
    StorySimilarity,
    best_matches,
    compact,
    sentence_features,
    shared_word_counts,
)
from mediakit.compare._facts import fact_table, number_table, omission_table, presence_table

STATUSES = ("shared", "partial", "unique")


@dataclass(frozen=True, repr=False)
class Coverage:
    """Result of :func:`compare_coverage`: tidy tables of who reported what.

    The ``story_id`` and ``outlet`` columns below take the names given as ``story=`` and
    ``by=`` (``other_outlet`` becomes ``other_<by>``).

    Attributes
    ----------
    alignment : DataFrame
        One row per content sentence and other outlet of its story: ``story_id, outlet,
        article_id, sentence_id, other_outlet, other_article_id, other_sentence_id`` (NA when
        nothing matches), ``similarity`` (0-1, of the best candidate even when unique; 0
        when the sentence has no candidate in that outlet: it shares no content word with it),
        ``status`` (``shared``, ``partial``, ``unique``).
    facts : DataFrame
        One row per fact and carrying sentence: ``story_id, fact_id, text`` (representative
        sentence), ``n_outlets``, ``outlet, article_id, sentence_id, kind, position`` (0 = lede
        to 1 = last), ``rank`` (1 = first content sentence of its article), ``sentence`` (that
        sentence's own text).
    presence : DataFrame
        Tidy outlet x fact table, every outlet of the story x every fact of it: ``story_id,
        fact_id, outlet, present`` (the outlet carries the fact, or one of its sentences is a
        shared or partial match of a sentence of the fact), ``carried`` (one of its sentences
        belongs to the fact), ``n_sentences`` (how many), ``first_rank, first_position`` (the
        most prominent place it gives the fact; NA when absent). Wide form:
        :meth:`presence_matrix`.
    omissions : DataFrame
        Facts of a story an outlet does not have (not ``present``): ``story_id, outlet,
        fact_id, text, n_outlets, carried_by, first_position`` (the most prominent place the
        carrying outlets give it), most widely carried first.
    numbers : DataFrame
        Amounts and what they count: ``story_id, outlet, article_id, sentence_id, start, end``
        (offsets into the article text; NA without a ``start`` column), ``phrase, amount``
        (float), ``ordinal``, ``qualifier`` ("about", "more than", ...), ``counted`` (the noun
        counted, singular: "country"), ``fact_id``, ``disagreement`` (another outlet of the
        story counts the same noun and none gives this amount; never for bare percentages and
        units of time, which count different things too often), ``other_amounts`` (theirs, as
        "outlet: amount; ...", at most 50 and then "... (N more)"), ``fact_disagreement`` (the
        same within the fact: an aligned sentence of another outlet gives another amount; the
        stronger signal, since story-level matches can count different things, such as crowds
        on different days).
    params : dict
        The options used (thresholds, kinds, column roles).
    """

    alignment: pd.DataFrame
    facts: pd.DataFrame
    presence: pd.DataFrame
    omissions: pd.DataFrame
    numbers: pd.DataFrame
    params: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """Per outlet: content sentences by best status against the other outlets, and facts.

        A sentence counts as ``shared`` if it is shared with at least one other outlet,
        ``partial`` if its best status is partial, ``unique`` if it matches no other outlet.
        Columns: ``outlet, n_sentences, n_shared, n_partial, n_unique, n_facts, n_omitted``.
        """
        by = self.params.get("by", "outlet")
        keys = [by, "article_id", "sentence_id"]
        rank = {s: k for k, s in enumerate(STATUSES)}
        al = self.alignment
        best = (al.assign(_r=al["status"].map(rank)).groupby(keys, sort=False)["_r"].min()
                .map(dict(enumerate(STATUSES))).rename("status").reset_index())
        counts = best.groupby(by)["status"].value_counts().unstack(fill_value=0)
        counts = counts.reindex(columns=list(STATUSES), fill_value=0)
        counts.columns = [f"n_{c}" for c in counts.columns]
        sent = self.facts.groupby(by).size().rename("n_sentences")
        n_facts = self.facts.groupby(by)["fact_id"].nunique().rename("n_facts")
        n_omit = self.omissions.groupby(by).size().rename("n_omitted")
        out = pd.concat([sent, counts, n_facts, n_omit], axis=1).fillna(0).astype("int64")
        out.index.name = by
        cols = ["n_sentences", "n_shared", "n_partial", "n_unique", "n_facts", "n_omitted"]
        return out.reindex(columns=cols, fill_value=0).reset_index()

    def presence_matrix(self) -> pd.DataFrame:
        """Wide outlet x fact table of booleans: rows ``(story_id, fact_id)``, one column per outlet."""
        by = self.params.get("by", "outlet")
        story = self.params.get("story", "story_id")
        if self.presence.empty:
            return pd.DataFrame(columns=[story, "fact_id"])
        wide = self.presence.pivot(index=[story, "fact_id"], columns=by, values="present")
        wide.columns.name = None
        return wide.reset_index()

    def __repr__(self) -> str:
        by = self.params.get("by", "outlet")
        story = self.params.get("story", "story_id")
        n_out = self.facts[by].nunique() if len(self.facts) else 0
        n_story = self.facts[story].nunique() if len(self.facts) else 0
        n_facts = self.facts["fact_id"].nunique() if len(self.facts) else 0
        multi = (self.facts.drop_duplicates("fact_id")["n_outlets"] > 1).sum() if n_facts else 0
        return (f"Coverage({n_story} stor{'y' if n_story == 1 else 'ies'}, {n_out} outlets, {len(self.facts)} sentences, "
                f"{n_facts} facts of which {multi} carried by 2+ outlets; "
                f"tables: alignment, facts, presence, omissions, numbers; see .summary())")


def compare_coverage(sentences: pd.DataFrame, *, by: str = "outlet", story: str = "story_id",
                     text: str = "text", kinds=None, shared: float = 0.5,
                     partial: float = 0.22, word_weight: float = 0.5,
                     progress: bool | None = None) -> Coverage:
    """Align sentences across outlets per story: what each reported, left out and put first.

    Within each story, every content sentence of an outlet is compared with its candidates
    among the content sentences of each other outlet: the sentences sharing at least one content
    word with it, leaving out words found in more than 200 sentences of the story (too common
    to tell sentences apart), and of these at most the 10 with the highest word TF-IDF cosine
    per other outlet. A sentence is never compared with more, so the work grows linearly with
    the size of a story, even for a story of thousands of articles; a sentence sharing no
    content word with an outlet cannot match it anyway (a match needs two). Similarity is the
    mean of two TF-IDF cosines fitted on the story's sentences: words (stop words removed,
    names and numbers counted twice) and character 3-5-grams. Before that, texts are matched on
    a key with accents folded (Sébastien = Sebastien), British spellings made American (defence
    = defense, -ise = -ize, -our = -or), numbers written as digits (thirty = 30, 27th = 27) and
    U.S./US/United States made one token. Aligned sentences (shared or partial best matches)
    are grouped into facts, strongest match first, never putting two sentences of one article
    in the same fact (so a story's sentences cannot chain into one giant "fact"); an unaligned
    sentence is a fact of its own.

    Parameters
    ----------
    sentences : DataFrame
        From :func:`mediakit.split_sentences`. Needs ``article_id, sentence_id``, ``by``,
        ``story`` and ``text``; ``kind``, ``position`` and ``start`` are used when present
        (without ``kind`` every row counts as content).
    by : str
        Column naming the outlet (or any group to compare).
    story : str
        Column naming the story; sentences are only compared within a story. Without one, call
        :func:`mediakit.group_stories` on the articles first.
    text : str
        Column holding the sentence text.
    kinds : str, sequence of str or None
        Sentence kinds compared; None = content (headline, body, bullet).
    shared, partial : float
        Similarity thresholds (0-1): best match >= ``shared`` is ``shared`` (the same fact in
        close wording), >= ``partial`` is ``partial`` (overlapping content, paraphrase), below is
        ``unique``. A match also needs at least two content words in common (after
        normalisation), or it is ``unique`` whatever its similarity: one shared name or word is
        not a fact. The defaults were set on OneStopEnglish, the same articles rewritten at
        three reading levels: at 0.22 every published level-pair alignment is found, and about
        0.5% of the sentences of an unrelated article get a match.
    word_weight : float
        Weight of the word cosine against the character cosine, 0-1.
    progress : bool or None
        Progress bar over stories (None = only for long work).

    Returns
    -------
    Coverage
        Frozen holder of the ``alignment``, ``facts``, ``presence``, ``omissions`` and
        ``numbers`` tables, with :meth:`Coverage.summary`.

    Examples
    --------
    >>> import mediakit as mk
    >>> cov = mk.compare_coverage(mk.split_sentences(mk.load_example("seeds")))
    >>> sorted(cov.summary()["outlet"])
    ['outlet A', 'outlet B']
    >>> set(cov.alignment["status"]) <= {"shared", "partial", "unique"}
    True
    """
    check_frame(sentences, "sentences")
    require_columns(sentences, ["article_id", "sentence_id", by, story, text], what="sentences",
                    hint="Pass the frame from mk.split_sentences(articles).")
    kinds_t = resolve_kinds(kinds)
    for name, value in (("shared", shared), ("partial", partial), ("word_weight", word_weight)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ValueError(f"{name} must be a number between 0 and 1, got {value!r}.")
    if partial > shared:
        raise ValueError(f"partial={partial} must not exceed shared={shared}.")
    params = {"by": by, "story": story, "text": text, "kinds": kinds_t, "shared": shared,
              "partial": partial, "word_weight": word_weight}

    data = sentences
    if "kind" in data.columns:
        data = data[data["kind"].isin(kinds_t)]
    data = data[data[text].notna()]
    if data[by].isna().any():
        raise ValueError(f"{int(data[by].isna().sum())} sentences have no {by!r}; every "
                         "sentence needs its outlet.")
    if data[story].isna().any():
        raise ValueError(
            f"{int(data[story].isna().sum())} sentences have no {story!r}; set it for every "
            "article or call mk.group_stories(articles) before splitting.")
    sent = _sentence_table(data, by=by, story=story, text=text)

    # only stories with 2+ outlets are aligned, and only their sentences need features
    outlet_codes = pd.factorize(sent[by])[0]
    groups = [idx for idx in sent.groupby(story, sort=False).indices.values()
              if len(np.unique(outlet_codes[idx])) > 1]
    aligned = np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64)
    words, chars = sentence_features(sent["_text"].to_numpy()[aligned].tolist())
    al_parts, edges = [], []
    start = 0
    for idx in _progress(groups, enabled=progress, desc="aligning stories"):
        rows = slice(start, start + len(idx))
        start += len(idx)
        part, story_edges = _align_story(idx, pd.factorize(outlet_codes[idx])[0], words[rows],
                                         chars[rows], partial=partial, word_weight=word_weight)
        al_parts.append(part)
        edges.append(story_edges)
    alignment = _alignment_frame(sent, al_parts, by=by, story=story, shared=shared,
                                 partial=partial)
    edge_arrays = tuple(np.concatenate([e[k] for e in edges]) if edges else np.zeros(0)
                        for k in range(3))
    facts = fact_table(sent, edge_arrays, by=by, story=story)
    presence = presence_table(facts, sent, alignment, by=by, story=story)
    omissions = omission_table(presence, facts, by=by, story=story)
    numbers = number_table(sent, facts, by=by, story=story, text=text)
    return Coverage(alignment, facts, presence, omissions, numbers, params)


def _sentence_table(data: pd.DataFrame, *, by: str, story: str, text: str) -> pd.DataFrame:
    data = data.reset_index(drop=True)
    cols = ["article_id", "sentence_id", by, story, text]
    sent = data[cols].copy()
    sent["kind"] = data["kind"].astype("str") if "kind" in data else "body"
    sent = sent.sort_values([story, by, "article_id", "sentence_id"], kind="stable")
    sent["rank"] = sent.groupby([story, "article_id"], sort=False).cumcount() + 1
    n = sent.groupby([story, "article_id"], sort=False)["rank"].transform("size")
    fallback = ((sent["rank"] - 1) / (n - 1).where(n > 1, 1)).astype("float64")
    if "position" in data:
        sent["position"] = data.loc[sent.index, "position"].astype("float64").fillna(fallback)
    else:
        sent["position"] = fallback
    sent["start"] = (data.loc[sent.index, "start"].astype("Int64") if "start" in data
                     else pd.array([pd.NA] * len(sent), dtype="Int64"))
    sent = sent.reset_index(drop=True)
    sent["_text"] = sent[text].astype("str")
    return sent


def _align_story(idx, codes, words, chars, *, partial, word_weight):
    """Best match per (sentence, other outlet) in one story, and the fact edges.

    ``idx`` are the story's rows of the sentence table, ``codes`` their outlets (0..g-1),
    ``words`` and ``chars`` their rows of :func:`sentence_features`.
    """
    words = compact(words)
    sim = StorySimilarity(words, chars, word_weight=word_weight)
    rows, others, cols, sims = best_matches(sim, codes)
    has = cols >= 0
    overlap = np.zeros(len(rows), dtype=np.int64)
    overlap[has] = shared_word_counts(words, rows[has], cols[has])
    sims_kept = np.where(overlap >= MIN_SHARED_WORDS, sims, np.minimum(sims, partial - 1e-9))
    keep = sims_kept >= partial
    story_edges = (idx[rows[keep]], idx[cols[keep]], sims[keep])
    # without a candidate, any sentence of the other outlet names it (the match itself is NA)
    first_of = np.unique(codes, return_index=True)[1]
    cols = np.where(has, cols, first_of[others])
    return (idx[rows], idx[cols], sims, sims_kept), story_edges


def _alignment_frame(sent, parts, *, by, story, shared, partial):
    if parts:
        rows = np.concatenate([p[0] for p in parts])
        cols = np.concatenate([p[1] for p in parts])
        sims = np.concatenate([p[2] for p in parts])
        graded = np.concatenate([p[3] for p in parts])
    else:
        rows = cols = np.zeros(0, dtype=np.int64)
        sims = graded = np.zeros(0)
    status = np.where(graded >= shared, "shared",
                      np.where(graded >= partial, "partial", "unique"))
    matched = status != "unique"
    other_article = sent["article_id"].to_numpy()[cols]
    other_sentence = sent["sentence_id"].to_numpy()[cols]
    out = pd.DataFrame({
        story: sent[story].to_numpy()[rows],
        by: sent[by].to_numpy()[rows],
        "article_id": sent["article_id"].to_numpy()[rows],
        "sentence_id": sent["sentence_id"].to_numpy()[rows],
        f"other_{by}": sent[by].to_numpy()[cols],
        "other_article_id": pd.array(np.where(matched, other_article, None), dtype="str"),
        "other_sentence_id": pd.array(np.where(matched, other_sentence, None), dtype="Int64"),
        "similarity": sims.astype("float64"),
        "status": pd.array(status, dtype="str"),
    })
    return out
