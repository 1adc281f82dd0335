"""Facts from aligned sentences, and the presence, omission and number tables of a Coverage.

Private helpers of :func:`mediakit.compare_coverage`; ``sent`` is its internal sentence table
(one row per content sentence, sorted by story, outlet, article, sentence).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mediakit._normalize import may_hold_numbers
from mediakit.compare._numbers import extract_amounts

#: Counted nouns too generic to call two amounts a disagreement ("20 years", "5 percent").
GENERIC_COUNTS = frozenset({
    "percent", "year", "month", "week", "day", "hour", "minute", "second", "time", "",
})


#: other_amounts lists at most this many (outlet, amount) pairs, then "... (N more)": a story
#: of thousands of sentences each giving its own amount would otherwise list all in each row.
MAX_OTHER_AMOUNTS = 50


def fact_table(sent: pd.DataFrame, edges, *, by: str, story: str) -> pd.DataFrame:
    """Facts from the alignment edges: one row per (fact, carrying sentence).

    ``edges`` is ``(rows, cols, similarities)``: every shared or partial best match.
    """
    n = len(sent)
    cols = [story, "fact_id", "text", "n_outlets", by, "article_id", "sentence_id", "kind",
            "position", "rank", "sentence"]
    if n == 0:
        return _empty(sent, cols, by=by, story=story)
    src = np.asarray(edges[0], dtype=np.int64)
    dst = np.asarray(edges[1], dtype=np.int64)
    weight = np.asarray(edges[2], dtype=np.float64)
    labels = group_without_repeats(src, dst, weight, sent["article_id"].to_numpy(), n)

    # centrality of each sentence inside its fact: summed similarity of its alignment edges
    centrality = np.zeros(n)
    np.add.at(centrality, src, weight)
    np.add.at(centrality, dst, weight)
    # order facts by story, then by their most prominent place (position, then rank)
    rank = sent["rank"].to_numpy()
    first = (pd.DataFrame({"_label": labels, "_so": pd.factorize(sent[story])[0],
                           "_pos": sent["position"].to_numpy(), "_rank": rank})
             .groupby("_label", sort=False).agg(_so=("_so", "first"), _pos=("_pos", "min"),
                                                _rank=("_rank", "min")))
    first = first.sort_values(["_so", "_pos", "_rank"], kind="stable")
    fact_of_label = np.zeros(n, dtype=np.int64)
    fact_of_label[first.index.to_numpy()] = np.arange(len(first), dtype=np.int64)
    fact_id = fact_of_label[labels]
    # representative: the most central sentence (then the most prominent, then the first)
    by_central = np.lexsort((rank, -centrality))
    _, at = np.unique(fact_id[by_central], return_index=True)
    texts = sent["_text"].array  # taken from, not rebuilt from Python strings
    outlet = pd.factorize(sent[by])[0]  # each fact's outlets, once each
    fact_outlets = np.unique(fact_id * np.int64(outlet.max() + 1) + outlet) // (outlet.max() + 1)
    # sent is sorted by story, outlet, article, sentence, and a fact lies in one story
    order = np.argsort(fact_id, kind="stable")
    out = sent[[story, by, "article_id", "sentence_id", "kind", "position", "rank"]].take(order)
    out = out.assign(
        fact_id=fact_id[order],
        text=texts.take(by_central[at][fact_id[order]]),
        n_outlets=np.bincount(fact_outlets, minlength=len(first)).astype("int64")[fact_id[order]],
        sentence=texts.take(order))
    return out[cols].reset_index(drop=True)


def group_without_repeats(src, dst, weight, article, n) -> np.ndarray:
    """Union sentences along edges, strongest first, never two sentences of one article.

    A cannot-link constrained single pass (union-find): an edge whose two groups already hold
    a sentence of the same article is skipped. Returns a group label per sentence. The smaller
    group's articles are added to the larger's, so the work stays near-linear even when
    thousands of sentences make one fact.
    """
    if len(src) == 0:
        return np.arange(n)
    parent = list(range(n))
    members: dict[int, set] = {}

    def find(i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    for k in np.argsort(-weight, kind="stable"):
        a, b = find(int(src[k])), find(int(dst[k]))
        if a == b:
            continue
        arts_a = members.get(a) or {article[a]}
        arts_b = members.get(b) or {article[b]}
        if not arts_a.isdisjoint(arts_b):
            continue
        if len(arts_a) < len(arts_b):
            a, b, arts_a, arts_b = b, a, arts_b, arts_a
        parent[b] = a
        arts_a |= arts_b
        members[a] = arts_a
        members.pop(b, None)
    labels = np.arange(n)
    touched = np.unique(np.concatenate([src, dst]))
    labels[touched] = [find(int(i)) for i in touched]
    return labels


def _empty(sent, cols, *, by, story):
    dtypes = {"fact_id": "int64", "n_outlets": "int64", "position": "float64", "rank": "int64",
              "sentence_id": sent["sentence_id"].dtype, by: sent[by].dtype,
              story: sent[story].dtype}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in cols})


PRESENCE_STATUSES = ("carried", "related", "absent")


def presence_table(facts: pd.DataFrame, sent: pd.DataFrame, alignment: pd.DataFrame, *,
                   by: str, story: str) -> pd.DataFrame:
    """Every outlet of a story x every fact of that story: ``status`` and its evidence.

    ``carried``: a sentence of the outlet is part of the fact. ``related``: none is, but one of
    its sentences and one of the fact's are each other's closest match at the ``partial``
    level or above (a hint beside an omission, never counted as carrying). ``absent``: neither.
    ``similarity`` is that pair's (for ``carried``: the closest pair of its sentence in the fact
    and another outlet's sentence in it, NA when no other outlet carries the fact; NA when
    ``absent``); ``article_id, sentence_id`` name the outlet's sentence and
    ``fact_article_id, fact_sentence_id`` the fact's sentence it was compared with.
    """
    cols = [story, "fact_id", by, "status", "similarity", "n_sentences", "first_rank",
            "first_position", "article_id", "sentence_id", "fact_article_id",
            "fact_sentence_id"]
    dtypes = {"fact_id": "int64", "status": "str", "similarity": "float64",
              "n_sentences": "int64", "first_rank": "Int64", "first_position": "float64",
              "article_id": "str", "sentence_id": "Int64", "fact_article_id": "str",
              "fact_sentence_id": "Int64"}
    if facts.empty:
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "object")) for c in cols})
    key = ["article_id", "sentence_id"]
    fact_of = facts[[story, *key, "fact_id"]]
    hit = alignment[alignment["other_sentence_id"].notna()]
    one = pd.DataFrame({story: hit[story].to_numpy(), "o_by": hit[by].to_numpy(),
                        "o_art": hit["article_id"].to_numpy(),
                        "o_sent": hit["sentence_id"].to_numpy(),
                        "f_art": hit["other_article_id"].to_numpy(dtype=object),
                        "f_sent": hit["other_sentence_id"].astype("int64").to_numpy(),
                        "sim": hit["similarity"].to_numpy()})
    other = one.rename(columns={"o_art": "f_art", "o_sent": "f_sent", "f_art": "o_art",
                                "f_sent": "o_sent"})
    other["o_by"] = hit[f"other_{by}"].to_numpy()
    pairs = pd.concat([one, other], ignore_index=True)
    pairs = pairs.merge(fact_of.rename(columns={"article_id": "f_art", "sentence_id": "f_sent"}),
                        on=[story, "f_art", "f_sent"], how="inner")
    mine = fact_of.rename(columns={"article_id": "o_art", "sentence_id": "o_sent",
                                   "fact_id": "o_fact"})
    pairs = pairs.merge(mine, on=[story, "o_art", "o_sent"], how="left")
    # a carrier's evidence is a pair inside the fact; a non-carrier's, any pair to the fact.
    # Every (fact, outlet) is one integer, fact_id * width + the outlet's number in sorted
    # order, so those integers sort as (fact_id, outlet) do
    n_facts, n_pairs = len(facts), len(pairs)
    outlet, names = pd.factorize(pd.concat([facts[by], pairs["o_by"], sent[by]],
                                           ignore_index=True), sort=True)
    width = np.int64(max(len(names), 1))
    carrier = facts["fact_id"].to_numpy(dtype=np.int64) * width + outlet[:n_facts]
    pair_key = pairs["fact_id"].to_numpy(dtype=np.int64) * width + \
        outlet[n_facts:n_facts + n_pairs]
    carries = np.isin(pair_key, carrier)  # (fact, outlet) of a carrier
    inside = (pairs["o_fact"] == pairs["fact_id"]).to_numpy()
    pairs = pairs[inside | ~carries]
    best = pairs.assign(_key=pair_key[inside | ~carries]).sort_values(
        ["sim", "o_art", "o_sent"], ascending=[False, True, True], kind="stable"
    ).drop_duplicates("_key")
    # the grid: every fact x every outlet of its story (sorted by outlet)
    fact_ids, fact_rows = np.unique(facts["fact_id"].to_numpy(dtype=np.int64),
                                    return_index=True)
    story_code, _ = pd.factorize(pd.concat([facts[story], sent[story]], ignore_index=True))
    in_story = np.unique(story_code[n_facts:] * width + outlet[n_facts + n_pairs:])
    story_of, fact_story = in_story // width, story_code[:n_facts][fact_rows]
    starts = np.searchsorted(story_of, fact_story)
    n_per = np.searchsorted(story_of, fact_story, side="right") - starts
    at = np.repeat(starts - (np.cumsum(n_per) - n_per), n_per) + np.arange(n_per.sum())
    grid = np.repeat(fact_ids, n_per) * width + in_story[at] % width
    grid_fact = np.repeat(fact_rows, n_per)  # a row of the facts of each grid row's fact
    # each carrier (fact, outlet): its number of sentences, first rank and position, and the
    # first of its sentences by rank (the first in the facts' order among equal ranks)
    rank = facts["rank"].to_numpy(dtype=np.int64)
    order, heads = _runs(carrier, rank)
    first = order[heads]
    n_sentences = np.diff(np.r_[heads, n_facts])
    first_position = np.fmin.reduceat(facts["position"].to_numpy(dtype=np.float64)[order],
                                      heads)
    row_of = _lookup(carrier[first], grid)  # the grid row's carrier, -1 if none
    carried = row_of >= 0
    best_of = _lookup(best["_key"].to_numpy(dtype=np.int64), grid)  # its best pair
    has_best = best_of >= 0
    related = ~carried & has_best
    first_of = np.where(carried, first[row_of], -1)

    def taken(values, at):
        return values.take(at, allow_fill=True)  # -1: missing

    def picked(values: np.ndarray, at: np.ndarray, missing) -> np.ndarray:
        out = np.full(len(at), missing, dtype=np.result_type(values, type(missing)))
        out[at >= 0] = values[at[at >= 0]]
        return out

    # the outlet's sentence: its first in the fact when carried, else its best pair's
    article = pd.concat([facts["article_id"], best["o_art"]], ignore_index=True).array
    sentence = np.concatenate([facts["sentence_id"].to_numpy(dtype=np.int64),
                               best["o_sent"].to_numpy(dtype=np.int64)])
    mine = np.where(carried, first_of, np.where(has_best, n_facts + best_of, -1))
    return pd.DataFrame({
        story: taken(facts[story].array, grid_fact),
        "fact_id": grid // width,
        by: taken(pd.array(names), grid % width).astype(sent[by].dtype),
        "status": np.where(carried, "carried", np.where(related, "related", "absent")),
        "similarity": picked(best["sim"].to_numpy(dtype=np.float64), best_of, np.nan),
        "n_sentences": picked(n_sentences, row_of, 0),
        "first_rank": pd.arrays.IntegerArray(picked(rank, first_of, 0), first_of < 0),
        "first_position": picked(first_position, row_of, np.nan),
        "article_id": taken(article, mine),
        "sentence_id": pd.arrays.IntegerArray(picked(sentence, mine, 0), mine < 0),
        "fact_article_id": taken(best["f_art"].array, best_of),
        "fact_sentence_id": pd.arrays.IntegerArray(
            picked(best["f_sent"].to_numpy(dtype=np.int64), best_of, 0), best_of < 0),
    }).astype(dtypes)


def _runs(keys: np.ndarray, *ties: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows in order of ``keys``, then of ``ties`` (in turn), then of position, and where
    each run of equal keys starts in that order (``order[heads]``: each key's first row)."""
    order = np.lexsort((np.arange(len(keys)), *reversed(ties), keys))
    heads = np.flatnonzero(np.r_[True, keys[order][1:] != keys[order][:-1]])
    return order, heads


def _lookup(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The position in ``keys`` (distinct integers) of each of ``wanted``; -1 where absent."""
    if not len(keys):
        return np.full(len(wanted), -1, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    at = np.minimum(np.searchsorted(keys[order], wanted), len(keys) - 1)
    return np.where(keys[order][at] == wanted, order[at], -1)


def omission_table(presence: pd.DataFrame, facts: pd.DataFrame, sent: pd.DataFrame, *,
                   by: str, story: str) -> pd.DataFrame:
    """The presence rows not ``carried`` (every fact has a carrier, so another outlet carries
    each), with the fact, who carries it and, when ``related``, both sentences."""
    cols = [story, by, "fact_id", "text", "n_outlets", "carried_by", "first_position",
            "status", "similarity", "related_article_id", "related_sentence_id",
            "related_sentence", "fact_sentence"]
    missing = presence.loc[presence["status"] != "carried"]
    if missing.empty:
        dtypes = {c: facts[c].dtype for c in cols if c in facts} | {
            "similarity": "float64", "related_sentence_id": "Int64", story: presence[story].dtype,
            by: presence[by].dtype}
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in cols})
    # per fact: its text and number of outlets (from its first row), its first position and
    # its carriers' names, sorted and joined
    fact_of = facts["fact_id"].to_numpy(dtype=np.int64)
    order, heads = _runs(fact_of)
    first = order[heads]
    first_position = np.fmin.reduceat(facts["position"].to_numpy(dtype=np.float64)[order],
                                      heads)
    row = _lookup(fact_of[first], missing["fact_id"].to_numpy(dtype=np.int64))
    # the carriers of the facts some outlet misses, each fact's in name order
    outlet, names = pd.factorize(facts[by], sort=True)
    width = np.int64(max(len(names), 1))
    wanted = np.isin(fact_of, fact_of[first[np.unique(row)]])
    pairs = np.unique(fact_of[wanted] * width + outlet[wanted])
    named = np.asarray(names, dtype=object).astype(str)[pairs % width]
    cut = np.flatnonzero(np.r_[True, pairs[1:] // width != pairs[:-1] // width, True])
    carried_by = np.full(len(first), None, dtype=object)
    carried_by[_lookup(fact_of[first], pairs[cut[:-1]] // width)] = [
        "; ".join(named[a:b]) for a, b in zip(cut[:-1], cut[1:], strict=True)]
    out = missing.drop(columns=["n_sentences", "first_rank", "first_position"]).rename(
        columns={"article_id": "related_article_id", "sentence_id": "related_sentence_id"})
    out["text"] = facts["text"].array.take(first[row])
    out["n_outlets"] = facts["n_outlets"].to_numpy()[first[row]]
    out["carried_by"] = pd.array(carried_by[row], dtype="str")
    out["first_position"] = first_position[row]
    out["related_sentence"] = _texts(sent, story, out[story], out["related_article_id"],
                                     out["related_sentence_id"])
    out["fact_sentence"] = _texts(sent, story, out[story], out["fact_article_id"],
                                  out["fact_sentence_id"])
    out = out.sort_values([by, story, "n_outlets", "first_position"],
                          ascending=[True, True, False, True], kind="stable")
    return out[cols].reset_index(drop=True)


def _texts(sent: pd.DataFrame, story: str, stories, articles, sentences):
    """``sent``'s ``_text`` of each (story, article, sentence); NA where the sentence is NA."""
    n = len(sent)
    names = pd.factorize(pd.concat([sent[story], pd.Series(stories)], ignore_index=True))[0]
    articles_ = pd.factorize(pd.concat([sent["article_id"], pd.Series(articles)],
                                       ignore_index=True))[0]
    ids = np.concatenate([sent["sentence_id"].to_numpy(dtype=np.int64),
                          pd.array(sentences, dtype="Int64").to_numpy(dtype=np.int64,
                                                                       na_value=-1)])
    which = pd.factorize(names * np.int64(articles_.max() + 1) + articles_)[0]
    key = which * np.int64(max(ids.max(), 0) + 2) + ids + 1  # an NA sentence id never matches
    at = _lookup(key[:n], key[n:])
    at[ids[n:] < 0] = -1
    return sent["_text"].array.take(at, allow_fill=True)


def number_table(sent: pd.DataFrame, facts: pd.DataFrame, *, by: str, story: str,
                 text: str) -> pd.DataFrame:
    """Amounts per sentence with what they count; flags amounts other outlets give differently
    (same story or fact, same unit and counted noun, same ordinal-ness)."""
    cols = [story, by, "article_id", "sentence_id", "start", "end", "phrase", "amount",
            "unit", "ordinal", "qualifier", "counted", "fact_id", "disagreement", "other_amounts",
            "fact_disagreement"]
    fact_of = (facts.set_index([story, "article_id", "sentence_id"])["fact_id"] if len(facts)
               else None)
    texts = sent["_text"]
    rows = [(k, a) for k, (t, maybe) in enumerate(zip(texts.to_numpy(), may_hold_numbers(texts),
                                                     strict=True))
            if maybe for a in extract_amounts(t)]
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols}).astype(
            {"amount": "float64", "ordinal": "bool", "disagreement": "bool",
             "start": "Int64", "end": "Int64", "fact_id": "Int64"})
    idx = np.array([k for k, _ in rows])
    # only the columns needed: taking the text columns once per amount copies a long
    # sentence as many times as it holds numbers (5 GB for a 1 MB line)
    base = sent[list(dict.fromkeys([story, by, "article_id", "sentence_id", "start"]))].iloc[idx]
    local_start = np.array([a["start"] for _, a in rows])
    local_end = np.array([a["end"] for _, a in rows])
    out = pd.DataFrame({
        story: base[story].to_numpy(), by: base[by].to_numpy(),
        "article_id": base["article_id"].to_numpy(),
        "sentence_id": base["sentence_id"].to_numpy(),
        "start": (base["start"].reset_index(drop=True) + local_start).astype("Int64"),
        "end": (base["start"].reset_index(drop=True) + local_end).astype("Int64"),
        "phrase": pd.array([a["phrase"] for _, a in rows], dtype="str"),
        "amount": np.array([a["amount"] for _, a in rows], dtype="float64"),
        "ordinal": np.array([a["ordinal"] for _, a in rows], dtype=bool),
        "qualifier": pd.array([a["qualifier"] for _, a in rows], dtype="str"),
        "unit": pd.array([a["unit"] for _, a in rows], dtype="str"),
        "counted": pd.array([a["counted"] for _, a in rows], dtype="str"),
    })
    keys = pd.MultiIndex.from_arrays([out[story], out["article_id"], out["sentence_id"]])
    out["fact_id"] = (pd.array(fact_of.reindex(keys).to_numpy(), dtype="Int64")
                      if fact_of is not None else pd.NA)
    flags, others = _disagreements(out, [story, "unit", "counted", "ordinal"], by=by)
    fact_flags, _ = _disagreements(out.dropna(subset=["fact_id"]),
                                   [story, "fact_id", "unit", "counted", "ordinal"], by=by,
                                   n=len(out))
    out["disagreement"] = flags
    out["other_amounts"] = pd.array(others, dtype="str")
    out["fact_disagreement"] = fact_flags
    return out[cols]


def _disagreements(out: pd.DataFrame, keys: list[str], *, by: str,
                   n: int | None = None) -> tuple[np.ndarray, list[str]]:
    """A row disagrees when other outlets count the same thing and none gives its amount.

    Rows are compared within groups of ``keys`` (the story, or the fact); ``out`` must have a
    range index (positions in the result of length ``n``). Linear in the rows: a row
    disagrees when its amount is given by one outlet only (its own) in its group, and the
    other outlets' amounts are listed once per group and outlet.
    """
    n = len(out) if n is None else n
    flags = np.zeros(n, dtype=bool)
    others = [""] * n
    counted = out["counted"].to_numpy()
    cand = out[(counted != "") & ~np.isin(counted, list(GENERIC_COUNTS))]
    # only groups reported by 2+ outlets can disagree
    n_out = cand.groupby(keys)[by].transform("nunique")
    cand = cand[n_out.to_numpy() > 1]
    if cand.empty:
        return flags, others
    group = cand.groupby(keys, sort=False).ngroup().to_numpy()
    cand = cand.assign(_group=group)
    alone = cand.groupby(["_group", "amount"], sort=False)[by].transform("nunique") == 1
    flagged = cand[alone.to_numpy()]
    flags[flagged.index.to_numpy()] = True
    # each group's distinct (outlet, amount), in the order they first appear
    given: dict[int, list[tuple]] = {}
    firsts = cand.drop_duplicates(["_group", by, "amount"])
    for g, outlet, amount in zip(firsts["_group"].to_numpy(), firsts[by].to_numpy(),
                                 firsts["amount"].to_numpy(), strict=True):
        given.setdefault(g, []).append((outlet, _fmt(amount)))
    listed: dict[tuple, str] = {}
    for pos, g, outlet in zip(flagged.index.to_numpy(), flagged["_group"].to_numpy(),
                              flagged[by].to_numpy(), strict=True):
        text = listed.get((g, outlet))
        if text is None:
            theirs = [f"{o}: {v}" for o, v in given[g] if o != outlet]
            if len(theirs) > MAX_OTHER_AMOUNTS:
                more = len(theirs) - MAX_OTHER_AMOUNTS
                theirs = [*theirs[:MAX_OTHER_AMOUNTS], f"... ({more} more)"]
            text = listed[(g, outlet)] = "; ".join(theirs)
        others[pos] = text
    return flags, others


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
