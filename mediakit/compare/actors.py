"""``compare_actors``: per outlet, who is named and who gets a voice."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from mediakit._validation import check_frame, require_columns

#: Columns of the result, in order (``outlet`` is the ``by`` column's name).
ACTOR_COLUMNS: tuple[str, ...] = (
    "story_id", "outlet", "canonical", "label", "n_articles", "n_mentions", "first_position",
    "first_article_id", "first_sentence_id", "n_quotes", "n_direct", "n_partial", "n_indirect",
    "n_quote_words", "cue_verbs", "mean_sentiment", "n_outlets_mentioning", "n_outlets_quoting",
    "mentioned_not_quoted", "mentioned_only_here", "quoted_only_here",
)

_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")


def compare_actors(
    data: pd.DataFrame,
    *,
    entities: pd.DataFrame | None = None,
    quotes: pd.DataFrame | None = None,
    by: str = "outlet",
    labels: Iterable[str] | None = None,
    complete: bool = True,
    aliases: Mapping[str, str] | pd.DataFrame | None = None,
    kinds: str | Iterable[str] | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Who each outlet names, who it quotes, and in which words, story by story.

    Parameters
    ----------
    data : DataFrame
        The sentences frame (``mk.split_sentences``, optionally scored): needs ``article_id``,
        ``sentence_id``, ``story_id`` and the ``by`` column, plus ``text`` when ``entities`` or
        ``quotes`` must be computed here. ``position`` gives ``first_position`` and
        ``sentiment_compound`` (``mk.score_sentiment``) gives ``mean_sentiment`` when present.
    entities, quotes : DataFrame, optional
        ``mk.extract_entities`` / ``mk.extract_quotes`` output for these sentences; computed
        when omitted (spaCy, the ``nlp`` extra).
    by : str
        Column naming the outlet (the grouping compared within each story).
    labels : iterable of str, optional
        Entity labels counted as actors; default all of PERSON, ORG, GPE, LOC, NORP.
    complete : bool
        Give every outlet of a story a row for every actor of the story (default), so that
        "not named here" is a row of zeros; ``False`` keeps only the rows where the outlet
        names or quotes the actor (smaller for big stories; the flags are the same).
    aliases : dict or DataFrame, optional
        Name variants for ``extract_entities`` when run here.
    kinds : str or iterable of str, optional
        Sentence kinds read by the extraction; default the content kinds.
    progress : bool, optional
        Show progress bars during extraction.

    Returns
    -------
    DataFrame
        One row per story, outlet and actor of the story (with ``complete=True`` every outlet
        of the story gets a row for every actor any outlet names or quotes, so an outlet that
        ignores an actor has a row of zeros). Columns:

        - ``story_id``, the ``by`` column, ``canonical`` (the actor), ``label`` (its most
          frequent entity label in the story);
        - ``n_articles``: the outlet's articles in the story;
        - ``n_mentions``: entity mentions of the actor; ``first_position``: position (0 = lede,
          1 = last content sentence) of the earliest mention, the minimum over the outlet's
          articles (NaN when never mentioned or without a ``position`` column), and
          ``first_article_id`` / ``first_sentence_id`` of that sentence (the lowest
          ``sentence_id`` without ``position``);
        - ``n_quotes`` = ``n_direct + n_partial + n_indirect``: quotes with the actor as
          speaker; ``n_quote_words``: words inside the quote marks of its direct and partial
          quotes (its own words); ``cue_verbs``: the verbs introducing them, most frequent
          first ("said, stated");
        - ``mean_sentiment``: mean VADER compound (-1 to 1) of the distinct sentences mentioning
          the actor (NaN without ``sentiment_compound`` or without mentions);
        - ``n_outlets_mentioning`` / ``n_outlets_quoting``: outlets of the story that mention /
          quote the actor; ``mentioned_not_quoted``: this outlet names the actor but never
          quotes it; ``mentioned_only_here`` / ``quoted_only_here``: this outlet is the only
          one of the story that does.

        Sorted by story, outlet, then mentions and quotes (most first) and name.

    Raises
    ------
    SchemaError
        A required column is missing.

    Examples
    --------
    >>> import mediakit as mk
    >>> actors = mk.compare_actors(mk.split_sentences(mk.load_example("seeds")))
    >>> kallas = actors.loc[actors["canonical"] == "Kaja Kallas"]
    >>> print(kallas[["outlet", "n_mentions", "n_direct"]].to_string(index=False))
      outlet  n_mentions  n_direct
    outlet A           0         0
    outlet B           1         1
    """
    check_frame(data)
    need = ["article_id", "sentence_id", "story_id", by]
    if entities is None or quotes is None:
        need.append("text")
    require_columns(data, need, what="sentences",
                    hint="Build it with mk.split_sentences(articles).")
    if data.empty:
        return _empty(by)
    if entities is None:
        from mediakit.measures.entities import extract_entities

        entities = extract_entities(data, aliases=aliases, kinds=kinds, progress=progress)
    check_frame(entities, "entities")
    require_columns(entities, ["article_id", "sentence_id", "label", "canonical"],
                    what="entities")
    if quotes is None:
        from mediakit.measures.quotes import extract_quotes

        quotes = extract_quotes(data, entities=entities, kinds=kinds, progress=progress)
    check_frame(quotes, "quotes")
    require_columns(quotes, ["article_id", "quote", "speaker", "cue", "kind"], what="quotes")
    if not isinstance(complete, bool):
        raise TypeError(f"complete must be True or False, got {complete!r}.")
    if labels is not None:
        entities = entities.loc[entities["label"].isin(list(labels))]
        quotes = quotes.loc[quotes["speaker"].isin(set(entities["canonical"]))]
    out = _tables(data, entities, quotes, by)
    if not complete:
        out = out.loc[(out["n_mentions"] > 0) | (out["n_quotes"] > 0)].reset_index(drop=True)
    return out


def _empty(by: str) -> pd.DataFrame:
    cols = [by if c == "outlet" else c for c in ACTOR_COLUMNS]
    frame = pd.DataFrame({c: pd.Series([], dtype="object") for c in cols})
    ints = ["n_articles", "n_mentions", "n_quotes", "n_direct", "n_partial", "n_indirect",
            "n_quote_words", "n_outlets_mentioning", "n_outlets_quoting", "first_sentence_id"]
    types = {c: "int64" for c in ints if c != "first_sentence_id"}
    types.update({"first_position": "float64", "mean_sentiment": "float64",
                  "first_sentence_id": "Int64", "mentioned_not_quoted": "bool",
                  "mentioned_only_here": "bool", "quoted_only_here": "bool"})
    for c in ("story_id", by, "canonical", "label", "cue_verbs", "first_article_id"):
        types[c] = "str"
    return frame.astype(types)


def _tables(data: pd.DataFrame, entities: pd.DataFrame, quotes: pd.DataFrame,
            by: str) -> pd.DataFrame:
    art = data.drop_duplicates("article_id")[list(dict.fromkeys(["article_id", "story_id", by]))]
    n_articles = art.groupby(["story_id", by], sort=False).size().rename("n_articles")
    sent_cols = ["article_id", "sentence_id", "story_id", by]
    sent_cols += [c for c in ("position", "sentiment_compound") if c in data.columns]
    sent_cols = list(dict.fromkeys(sent_cols))
    ments = entities[["article_id", "sentence_id", "label", "canonical"]].merge(
        data[sent_cols], on=["article_id", "sentence_id"], how="inner")
    keys = ["story_id", by, "canonical"]
    mention = ments.groupby(keys, sort=False).size().rename("n_mentions").to_frame()
    if not ments.empty:
        if "position" not in ments.columns:
            ments = ments.assign(position=np.nan)
        first = ments.sort_values(["position", "sentence_id"], kind="stable", na_position="last")
        first = first.drop_duplicates(keys)[[*keys, "position", "article_id", "sentence_id"]]
        first.columns = [*keys, "first_position", "first_article_id", "first_sentence_id"]
        mention = mention.join(first.set_index(keys))
    if "sentiment_compound" in ments.columns:
        distinct = ments.drop_duplicates([*keys, "article_id", "sentence_id"])
        mention = mention.join(distinct.groupby(keys)["sentiment_compound"].mean()
                               .rename("mean_sentiment"))
    q = quotes.loc[quotes["speaker"].notna(), ["article_id", "quote", "speaker", "cue", "kind"]]
    q = q.merge(art, on="article_id", how="inner")
    q = q.rename(columns={"speaker": "canonical"})
    q = q.assign(_words=[len(_WORD.findall(t)) if k in ("direct", "partial") else 0
                         for t, k in zip(q["quote"], q["kind"], strict=True)])
    quoted = pd.DataFrame()
    if not q.empty:
        q = q.assign(**{f"n_{k}": (q["kind"] == k).astype("int64")
                        for k in ("direct", "partial", "indirect")})
        quoted = q.groupby(keys, sort=False).agg(
            n_quotes=("kind", "size"), n_direct=("n_direct", "sum"),
            n_partial=("n_partial", "sum"), n_indirect=("n_indirect", "sum"),
            n_quote_words=("_words", "sum"))
        cues = (q.dropna(subset=["cue"]).groupby([*keys, "cue"], sort=False).size()
                .rename("n").reset_index().sort_values("n", ascending=False, kind="stable")
                .groupby(keys, sort=False)["cue"].agg(", ".join).rename("cue_verbs"))
        quoted = quoted.join(cues)
    # the grid: every outlet of a story x every actor of that story
    actors = pd.concat([ments[["story_id", "canonical"]], q[["story_id", "canonical"]]])
    actors = actors.drop_duplicates()
    if actors.empty:
        return _empty(by)
    grid = n_articles.reset_index().merge(actors, on="story_id", how="inner")
    out = grid.set_index(keys).join(mention)
    if not quoted.empty:  # pandas 3: join(None) raises
        out = out.join(quoted)
    out = out.reset_index()
    for c in ("n_mentions", "n_quotes", "n_direct", "n_partial", "n_indirect", "n_quote_words"):
        out[c] = out[c].fillna(0).astype("int64") if c in out.columns else 0
    for c in ("first_position", "mean_sentiment"):
        if c not in out.columns:
            out[c] = np.nan
        out[c] = out[c].astype("float64")
    if "first_article_id" not in out.columns:
        out["first_article_id"] = pd.NA
        out["first_sentence_id"] = pd.NA
    out["first_sentence_id"] = out["first_sentence_id"].astype("Int64")
    out["first_article_id"] = out["first_article_id"].astype("str")
    out["cue_verbs"] = (out["cue_verbs"] if "cue_verbs" in out.columns
                        else pd.Series("", index=out.index)).fillna("").astype("str")
    out["label"] = out.set_index(["story_id", "canonical"]).index.map(_labels(ments, q))
    out["n_outlets_mentioning"] = (out["n_mentions"] > 0).groupby(
        [out["story_id"], out["canonical"]], sort=False).transform("sum")
    out["n_outlets_quoting"] = (out["n_quotes"] > 0).groupby(
        [out["story_id"], out["canonical"]], sort=False).transform("sum")
    out["mentioned_not_quoted"] = (out["n_mentions"] > 0) & (out["n_quotes"] == 0)
    out["mentioned_only_here"] = (out["n_mentions"] > 0) & (out["n_outlets_mentioning"] == 1)
    out["quoted_only_here"] = (out["n_quotes"] > 0) & (out["n_outlets_quoting"] == 1)
    out = out.sort_values(["story_id", by, "n_mentions", "n_quotes", "canonical"],
                          ascending=[True, True, False, False, True], kind="stable")
    cols = [by if c == "outlet" else c for c in ACTOR_COLUMNS]
    out = out[cols].reset_index(drop=True)
    for c in ("n_outlets_mentioning", "n_outlets_quoting", "n_articles"):
        out[c] = out[c].astype("int64")
    for c in ("story_id", by, "canonical", "label"):
        out[c] = out[c].astype("str")
    return out


def _labels(ments: pd.DataFrame, quotes: pd.DataFrame) -> dict:
    """(story_id, canonical) -> most frequent label (ties: the label of the earliest mention)."""
    counts = (ments.assign(_i=np.arange(len(ments)))
              .groupby(["story_id", "canonical", "label"], sort=False)
              .agg(n=("_i", "size"), first=("_i", "min")).reset_index())
    counts = counts.sort_values(["n", "first"], ascending=[False, True], kind="stable")
    best = counts.drop_duplicates(["story_id", "canonical"])
    out = {(s, c): lab for s, c, lab in zip(best["story_id"], best["canonical"], best["label"],
                                            strict=True)}
    for s, c in zip(quotes["story_id"], quotes["canonical"], strict=True):
        out.setdefault((s, c), "PERSON")
    return out
