"""Frame profiles: how much of each frame an article (or outlet) uses, and which one dominates.

For intervals and tests between outlets use ``mk.compare_groups(scored, measures=[frame
columns], stat="share_nonzero" or "per_1000_words", weights=...)``; these helpers give the plain
descriptive table and the dominant frame per article.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mediakit._params import Column, Columns, Frame, records_roles, validate_params
from mediakit._validation import ALL_KINDS, check_frame, require_columns, resolve_kinds

_NOT_FRAMES = ("frame_terms", "frame_predicted")
PROFILE_COLUMNS = ("frame", "n_sentences", "n_words", "hits", "share", "per_1000_words", "rank",
                   "dominant")


def frame_columns(data: pd.DataFrame) -> list[str]:
    """The numeric ``frame_<category>`` columns of a scored frame, in order."""
    return [c for c in data.columns if isinstance(c, str) and c.startswith("frame_")
            and c not in _NOT_FRAMES and pd.api.types.is_numeric_dtype(data[c])]


def add_lead_weights(sentences: pd.DataFrame, *, headline: float = 2.0, lede: float = 2.0,
                     column: str = "weight") -> pd.DataFrame:
    """Copy of ``sentences`` with a weight column: ``headline`` for headlines, ``lede`` for the
    first content sentence after the headline, 1 for everything else.

    Pass the column as ``weights=`` to :func:`frame_profile` or ``mk.compare_groups`` to let
    frames in the headline and lede count more (readers see them first).
    """
    check_frame(sentences, "sentences")
    require_columns(sentences, ["article_id", "kind"], what="sentences")
    for name, value in (("headline", headline), ("lede", lede)):
        if not isinstance(value, int | float) or value < 0:
            raise ValueError(f"{name} must be a number >= 0, got {value!r}.")
    kind = sentences["kind"].to_numpy(dtype=object)
    w = np.ones(len(sentences))
    w[kind == "headline"] = float(headline)
    body = pd.Series(np.isin(kind, ("body", "bullet")), index=sentences.index)
    order = sentences["sentence_id"] if "sentence_id" in sentences.columns else \
        pd.Series(np.arange(len(sentences)), index=sentences.index)
    candidates = order[body.to_numpy()]
    if len(candidates):
        first = candidates.groupby(sentences.loc[candidates.index, "article_id"]).idxmin()
        w[sentences.index.get_indexer(first.to_numpy())] = float(lede)
    out = sentences.copy()
    out[column] = w
    return out


@validate_params(data=[Frame()], by=[Columns()], weights=[Column(), None],
                 kinds=[str, list, tuple, None])
@records_roles("by")
def frame_profile(data: pd.DataFrame, *, by: str | list[str] = "article_id",
                  weights: str | None = None, kinds=None) -> pd.DataFrame:
    """Descriptive frame profile per article (or any grouping), as a tidy table.

    Parameters
    ----------
    data : pandas.DataFrame
        Output of ``mk.score_frames`` (hit counts) or ``FrameClassifier.score_frames(...,
        output="label")`` (0/1 columns).
    by : str or list of str, default "article_id"
        Grouping columns, e.g. ``["outlet", "article_id"]`` or ``"outlet"`` (pooled over the
        outlet's sentences; for intervals use ``mk.compare_groups``).
    weights : str, optional
        Column of row weights, e.g. from :func:`add_lead_weights`.
    kinds : sentence kinds used (default content: headline, body, bullet).

    Returns
    -------
    pandas.DataFrame
        One row per group and frame: the ``by`` columns, ``frame`` (category name without the
        prefix), ``n_sentences`` (scored rows), ``n_words`` (their words, when ``n_words`` is
        present), ``hits`` (weighted sum of hits), ``share`` (weighted share of sentences with at
        least one hit, 0 to 1), ``per_1000_words`` (weighted hits per 1,000 weighted words),
        ``rank`` (1 = most hits, ties broken by share, then lexicon order) and ``dominant``
        (rank 1 and at least one hit).
    """
    scored = data
    by = [by] if isinstance(by, str) else list(by)
    require_columns(scored, [*by] + ([weights] if weights else []), what="scored")
    cols = frame_columns(scored)
    if not cols:
        require_columns(scored, ["frame_<category>"], what="scored",
                        hint="Run mk.score_frames(sentences) first.")
    kinds_t = resolve_kinds(kinds)
    rows = scored
    if "kind" in scored.columns and set(kinds_t) < set(ALL_KINDS):
        rows = scored[scored["kind"].isin(kinds_t)]
    rows = rows[rows[cols].notna().all(axis=1)] if cols else rows
    w = rows[weights].astype(float).fillna(0.0) if weights else pd.Series(1.0, index=rows.index)
    words = rows["n_words"].astype(float) if "n_words" in rows.columns else None
    keys = [rows[b] for b in by]
    parts = {"n_sentences": pd.Series(1, index=rows.index)}
    if words is not None:
        parts["n_words"] = words
        parts["_wwords"] = words * w
    parts["_w"] = w
    for c in cols:
        x = rows[c].astype(float)
        parts[f"hits:{c}"] = x * w
        parts[f"any:{c}"] = (x != 0).astype(float) * w
    frame = pd.DataFrame(parts)
    sums = frame.groupby(keys, sort=True, dropna=False).sum()
    records = []
    for group, row in sums.iterrows():
        group = group if isinstance(group, tuple) else (group,)
        for c in cols:
            hits, wsum = row[f"hits:{c}"], row["_w"]
            wwords = row.get("_wwords", np.nan)
            records.append({
                **dict(zip(by, group, strict=True)), "frame": c.removeprefix("frame_"),
                "n_sentences": int(row["n_sentences"]),
                "n_words": row.get("n_words", np.nan),
                "hits": hits, "share": row[f"any:{c}"] / wsum if wsum > 0 else np.nan,
                "per_1000_words": 1000 * hits / wwords if wwords > 0 else np.nan,
            })
    table = pd.DataFrame(records, columns=[*by, *PROFILE_COLUMNS[:-2]])
    order = {c.removeprefix("frame_"): i for i, c in enumerate(cols)}
    table["_order"] = table["frame"].map(order)
    table = table.sort_values([*by, "hits", "share", "_order"],
                              ascending=[True] * len(by) + [False, False, True], kind="stable")
    table["rank"] = table.groupby(by, dropna=False).cumcount() + 1
    table["dominant"] = (table["rank"] == 1) & (table["hits"] > 0)
    return table.drop(columns="_order").reset_index(drop=True)


def dominant_frames(scored: pd.DataFrame, *, by: str | list[str] = "article_id",
                    weights: str | None = None, kinds=None) -> pd.DataFrame:
    """One row per group: ``dominant_frame`` (NA when no frame hits), its ``hits`` and ``share``,
    the ``runner_up`` frame and its hits (see :func:`frame_profile` for the definitions)."""
    profile = frame_profile(scored, by=by, weights=weights, kinds=kinds)
    by = [by] if isinstance(by, str) else list(by)
    first = profile[profile["rank"] == 1].set_index(by)
    second = profile[profile["rank"] == 2].set_index(by)
    out = pd.DataFrame({
        "dominant_frame": first["frame"].where(first["hits"] > 0),
        "hits": first["hits"], "share": first["share"],
        "runner_up": second["frame"].where(second["hits"] > 0).reindex(first.index),
        "runner_up_hits": second["hits"].reindex(first.index),
    })
    out["dominant_frame"] = out["dominant_frame"].astype("str")
    out["runner_up"] = out["runner_up"].astype("str")
    return out.reset_index()
