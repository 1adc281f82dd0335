"""Attention over time: articles per group, story and period, and who broke each story."""

from __future__ import annotations

import pandas as pd

from mediakit._dask import is_dask_frame
from mediakit._params import Column, Frame, validate_params
from mediakit._validation import require_columns, resolve_kinds

ROLES = ("first", "followed", "undated", "never")
COLUMNS = ("period", "n_articles", "n_sentences", "first_report", "lag", "role")


@validate_params(
    data=[Frame()],
    sentences=[Frame(dask=True, hint="the frame from mk.split_sentences(articles)"), None],
    by=[Column()], story=[Column(), None], published=[Column()], freq=[str],
    kinds=[str, list, tuple, None], never=[bool],
)
def compare_attention(data: pd.DataFrame, *, sentences: pd.DataFrame | None = None,
                      by: str = "outlet", story: str | None = "story_id",
                      published: str = "published", freq: str = "D",
                      kinds=None, never: bool = True) -> pd.DataFrame:
    """Articles (and content sentences) per group, story and period, with each group's first
    report of each story: who broke it, who followed, who never covered it.

    Media Cloud's "attention over time" for a set of outlets, per story: how much each outlet
    wrote about each story in each period, and when it first did. Every article is counted once,
    in the period of its ``published`` time (UTC); an article without a date is counted with
    ``period`` NaT. A group that covered a story has ``role`` "first" (its first dated article
    is the story's earliest: it broke the story; ties share it), "followed" (``lag`` after the
    first report) or "undated" (only undated articles); a group of the data that never covered
    the story gets one row with ``role`` "never" and zero counts. So ``n_articles`` sums to the
    number of articles per group, and per story.

    Parameters
    ----------
    data : DataFrame
        Articles (one row per article: ``article_id``, ``by``, ``story``, ``published``), or
        sentences from :func:`mediakit.split_sentences` (their articles are counted, and their
        content sentences).
    sentences : DataFrame or dask DataFrame, optional
        Sentences of the articles, to count content sentences per article (``n_sentences``);
        not needed when ``data`` is sentences. A dask frame is counted on its workers. Without either, ``n_sentences`` is missing (NA).
    by : str
        Column naming the groups (outlets).
    story : str or None
        Column naming the story; None (or a missing column) = all articles one story "all".
    published : str
        Column with the publication time.
    freq : str
        Period length, a pandas frequency: ``"D"`` days (default), ``"h"``, ``"W"``, ``"M"``.
    kinds : str, sequence of str or None
        Sentence kinds counted in ``n_sentences``; None = content (headline, body, bullet).
    never : bool
        Add the "never" rows (one per group and story it did not cover: groups x stories rows
        at most); False leaves them out.

    Returns
    -------
    DataFrame
        One row per group, story and period with articles: ``<by>``, ``<story>``, ``period``
        (the period's start, UTC), ``n_articles``, ``n_sentences``, ``first_report`` (the
        group's first dated article in the story), ``lag`` (its delay after the story's first
        report, a Timedelta), ``role``; plus the "never" rows. Ordered by the story's first
        report, then role, then period. ``attrs["roles"]`` records ``by`` and ``story``
        (the story column of the result: ``"story_id"`` when there is none) and
        ``attrs["compare_attention"]`` the options.

    Examples
    --------
    >>> import mediakit as mk
    >>> attention = mk.compare_attention(mk.load_example("seeds"))
    >>> int(attention["n_articles"].sum())
    2
    """
    is_sentences = "sentence_id" in data.columns and "article_id" in data.columns
    require_columns(data, ["article_id", by, published], what="data")
    try:
        pd.Period("2020-01-01", freq=freq)
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"freq={freq!r} is not a pandas frequency; pass e.g. 'D', 'h', 'W' "
                         "or 'M'.") from None
    has_story = story is not None and story in data.columns
    story_col = story if has_story else (story or "story_id")
    cols = ["article_id", by, published] + ([story] if has_story else [])
    articles = data[cols].drop_duplicates("article_id") if is_sentences else data[cols]
    if not has_story:
        articles = articles.assign(**{story_col: "all"})
    n_sent = None
    source = data if is_sentences else sentences
    if source is not None:
        require_columns(source, ["article_id"], what="sentences")
        content = source
        if "kind" in content.columns:
            content = content[content["kind"].isin(resolve_kinds(kinds))]
        if is_dask_frame(content):  # per-article counts, added up on the workers
            n_sent = content.groupby("article_id").size().compute()
        else:
            n_sent = content.groupby("article_id", sort=False).size()

    stamp = pd.to_datetime(articles[published], errors="coerce", utc=True)
    frame = pd.DataFrame({by: articles[by].to_numpy(), story_col: articles[story_col].to_numpy(),
                          "article_id": articles["article_id"].to_numpy(),
                          "published": stamp.to_numpy()})
    frame["published"] = pd.to_datetime(frame["published"], utc=True)
    frame["period"] = _period_start(frame["published"], freq)
    frame["n_sentences"] = (frame["article_id"].map(n_sent).fillna(0).astype("int64")
                            if n_sent is not None else pd.NA)
    keys = [by, story_col]
    counts = frame.groupby([*keys, "period"], sort=False, dropna=False).agg(
        n_articles=("article_id", "size"),
        n_sentences=("n_sentences", "sum" if n_sent is not None else "first")).reset_index()
    first = frame.groupby(keys, sort=False)["published"].min().rename("first_report")
    story_first = frame.groupby(story_col, sort=False)["published"].min().rename("_story_first")
    counts = counts.merge(first.reset_index(), on=keys, how="left")
    # groups that never covered a story: one row each, zero counts
    groups = pd.unique(frame[by])
    stories = pd.unique(frame[story_col])
    every = pd.MultiIndex.from_product([groups, stories], names=keys).to_frame(index=False)
    covered = frame[keys].drop_duplicates()
    missing = every.merge(covered, on=keys, how="left", indicator=True)
    missing = missing[missing["_merge"] == "left_only"].drop(columns="_merge")
    missing = missing.assign(period=pd.NaT, n_articles=0,
                         n_sentences=0 if n_sent is not None else pd.NA, first_report=pd.NaT)
    missing["period"] = pd.to_datetime(missing["period"], utc=True)
    missing["first_report"] = pd.to_datetime(missing["first_report"], utc=True)
    out = pd.concat([counts, missing], ignore_index=True) if len(missing) and never else counts
    out = out.merge(story_first.reset_index(), on=story_col, how="left")
    out["lag"] = out["first_report"] - out["_story_first"]
    role = pd.Series("followed", index=out.index, dtype="str")
    role[out["lag"] == pd.Timedelta(0)] = "first"
    role[out["first_report"].isna()] = "undated"
    role[out["n_articles"].eq(0)] = "never"
    out["role"] = role.to_numpy()
    rank = {r: k for k, r in enumerate(ROLES)}
    out["_role"] = out["role"].map(rank)
    out = out.sort_values(["_story_first", story_col, "_role", "lag", by, "period"],
                          kind="stable", na_position="last")
    out = out.drop(columns=["_role", "_story_first"]).reset_index(drop=True)
    out["n_articles"] = out["n_articles"].astype("int64")
    if n_sent is not None:
        out["n_sentences"] = out["n_sentences"].astype("int64")
    else:
        out["n_sentences"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out = out[[by, story_col, *COLUMNS]]
    out.attrs["compare_attention"] = {"by": by, "story": story_col, "freq": freq,
                                      "roles": list(ROLES), "n_articles": int(len(frame)),
                                      "sentences_counted": n_sent is not None}
    out.attrs["roles"] = {"by": by, "story": story_col}
    return out


def _period_start(stamp: pd.Series, freq: str) -> pd.Series:
    """The start of the period (UTC) each time falls in; NaT stays NaT."""
    naive = stamp.dt.tz_convert("UTC").dt.tz_localize(None)
    start = naive.dt.to_period(freq).dt.start_time
    return start.dt.tz_localize("UTC")
