"""Facts from aligned sentences, and the presence, omission and number tables of a Coverage.

Private helpers of :func:`mediakit.compare_coverage`; ``sent`` is its internal sentence table
(one row per content sentence, sorted by story, outlet, article, sentence).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mediakit.compare._numbers import extract_amounts


def fact_table(sent: pd.DataFrame, edges, *, by: str, story: str) -> pd.DataFrame:
    """Connected components of the alignment edges: one row per (fact, carrying sentence).

    ``edges`` is ``(rows, cols, similarities)``: every shared or partial best match.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(sent)
    cols = [story, "fact_id", "text", "n_outlets", by, "article_id", "sentence_id", "kind",
            "position", "rank", "sentence"]
    if n == 0:
        return _empty(sent, cols, by=by, story=story)
    src = np.asarray(edges[0], dtype=np.int64)
    dst = np.asarray(edges[1], dtype=np.int64)
    weight = np.asarray(edges[2], dtype=np.float64)
    graph = coo_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)

    # centrality of each sentence inside its fact: summed similarity of its alignment edges
    centrality = np.zeros(n)
    np.add.at(centrality, src, weight)
    np.add.at(centrality, dst, weight)
    frame = sent.assign(_label=labels, _central=centrality)
    # order facts by story, then by their most prominent place (position, then rank)
    first = (frame.groupby("_label", sort=False)
             .agg(_story=(story, "first"), _pos=("position", "min"), _rank=("rank", "min")))
    story_order = {s: k for k, s in enumerate(pd.unique(sent[story]))}
    first["_so"] = first["_story"].map(story_order)
    first = first.sort_values(["_so", "_pos", "_rank"], kind="stable")
    fact_id = pd.Series(np.arange(len(first), dtype=np.int64), index=first.index)
    frame["fact_id"] = frame["_label"].map(fact_id)
    rep = (frame.sort_values(["_central", "rank"], ascending=[False, True], kind="stable")
           .drop_duplicates("fact_id").set_index("fact_id")["_text"])
    frame["text"] = frame["fact_id"].map(rep).astype("str")
    frame["n_outlets"] = frame.groupby("fact_id")[by].transform("nunique").astype("int64")
    frame["sentence"] = frame["_text"]
    frame = frame.sort_values(["fact_id", by, "article_id", "sentence_id"], kind="stable")
    return frame[cols].reset_index(drop=True)


def _empty(sent, cols, *, by, story):
    dtypes = {"fact_id": "int64", "n_outlets": "int64", "position": "float64", "rank": "int64",
              "sentence_id": sent["sentence_id"].dtype, by: sent[by].dtype,
              story: sent[story].dtype}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in cols})


def presence_table(facts: pd.DataFrame, sent: pd.DataFrame, *, by: str,
                   story: str) -> pd.DataFrame:
    """Every outlet of a story x every fact of that story: present, how often, how prominently."""
    cols = [story, "fact_id", by, "present", "n_sentences", "first_rank", "first_position"]
    if facts.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols}).astype(
            {"fact_id": "int64", "present": "bool", "n_sentences": "int64",
             "first_rank": "Int64", "first_position": "float64"})
    outlets = sent[[story, by]].drop_duplicates()
    fact_ids = facts[[story, "fact_id"]].drop_duplicates()
    grid = fact_ids.merge(outlets, on=story, how="inner")
    carried = (facts.groupby(["fact_id", by], sort=False)
               .agg(n_sentences=("sentence_id", "size"), first_rank=("rank", "min"),
                    first_position=("position", "min")).reset_index())
    out = grid.merge(carried, on=["fact_id", by], how="left")
    out["present"] = out["n_sentences"].notna()
    out["n_sentences"] = out["n_sentences"].fillna(0).astype("int64")
    out["first_rank"] = out["first_rank"].astype("Int64")
    out = out.sort_values(["fact_id", by], kind="stable")
    return out[cols].reset_index(drop=True)


def omission_table(presence: pd.DataFrame, facts: pd.DataFrame, *, by: str,
                   story: str) -> pd.DataFrame:
    """Per outlet, the facts of its stories that other outlets carry and it does not."""
    cols = [story, by, "fact_id", "text", "n_outlets", "carried_by", "first_position"]
    missing = presence.loc[~presence["present"].astype(bool), [story, by, "fact_id"]]
    if missing.empty:
        return pd.DataFrame({c: pd.Series(dtype=facts[c].dtype if c in facts else "str")
                             for c in cols})
    per_fact = (facts.groupby("fact_id", sort=False)
                .agg(text=("text", "first"), n_outlets=("n_outlets", "first"),
                     carried_by=(by, lambda s: "; ".join(sorted(map(str, pd.unique(s))))),
                     first_position=("position", "min")).reset_index())
    out = missing.merge(per_fact, on="fact_id", how="left")
    out = out.sort_values([by, story, "n_outlets", "first_position"],
                          ascending=[True, True, False, True], kind="stable")
    return out[cols].reset_index(drop=True)


def number_table(sent: pd.DataFrame, facts: pd.DataFrame, *, by: str, story: str,
                 text: str) -> pd.DataFrame:
    """Amounts per sentence with what they count; flags amounts other outlets give differently."""
    cols = [story, by, "article_id", "sentence_id", "start", "end", "phrase", "amount",
            "ordinal", "qualifier", "counted", "fact_id", "disagreement", "other_amounts"]
    fact_of = (facts.set_index([story, "article_id", "sentence_id"])["fact_id"] if len(facts)
               else None)
    rows = []
    for k, t in enumerate(sent["_text"].to_numpy()):
        for a in extract_amounts(t):
            rows.append((k, a))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols}).astype(
            {"amount": "float64", "ordinal": "bool", "disagreement": "bool",
             "start": "Int64", "end": "Int64", "fact_id": "Int64"})
    idx = np.array([k for k, _ in rows])
    base = sent.iloc[idx]
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
        "counted": pd.array([a["counted"] for _, a in rows], dtype="str"),
    })
    keys = pd.MultiIndex.from_arrays([out[story], out["article_id"], out["sentence_id"]])
    out["fact_id"] = (pd.array(fact_of.reindex(keys).to_numpy(), dtype="Int64")
                      if fact_of is not None else pd.NA)
    flags, others = _disagreements(out, by=by, story=story)
    out["disagreement"] = flags
    out["other_amounts"] = pd.array(others, dtype="str")
    return out[cols]


def _disagreements(out: pd.DataFrame, *, by: str, story: str) -> tuple[np.ndarray, list[str]]:
    """A row disagrees when other outlets count the same thing and none gives its amount."""
    n = len(out)
    flags = np.zeros(n, dtype=bool)
    others = [""] * n
    counted = out["counted"].to_numpy()
    cand = out[counted != ""]
    # only groups (story, counted, ordinal) reported by 2+ outlets can disagree
    n_out = cand.groupby([story, "counted", "ordinal"])[by].transform("nunique")
    cand = cand[n_out.to_numpy() > 1]
    for _, grp in cand.groupby([story, "counted", "ordinal"], sort=False):
        outlets = grp[by].to_numpy()
        amounts = grp["amount"].to_numpy()
        for pos, outlet, amount in zip(grp.index, outlets, amounts, strict=True):
            other = outlets != outlet
            if (amounts[other] == amount).any():
                continue
            flags[pos] = True
            differ = dict.fromkeys(zip(outlets[other], amounts[other], strict=True))
            others[pos] = "; ".join(f"{o}: {_fmt(v)}" for o, v in differ)
    return flags, others


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
