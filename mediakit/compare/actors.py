"""``compare_actors``: per outlet, who is named and who gets a voice."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from numbers import Integral

import numpy as np
import pandas as pd

from mediakit._params import Column, Frame, Interval, Sequence_, records_roles, validate_params
from mediakit._validation import require_columns

#: Columns of the result, in order (``story_id`` and ``outlet`` are the ``story`` and ``by``
#: columns' names).
ACTOR_COLUMNS: tuple[str, ...] = (
    "story_id", "outlet", "canonical", "label", "n_articles", "n_mentions", "first_position",
    "first_article_id", "first_sentence_id", "n_quotes", "n_direct", "n_partial", "n_indirect",
    "n_quote_words", "cue_verbs", "mean_sentiment",
    "negative_share", "negative_share_ci_low", "negative_share_ci_high",
    "neutral_share", "neutral_share_ci_low", "neutral_share_ci_high",
    "positive_share", "positive_share_ci_low", "positive_share_ci_high",
    "n_outlets_mentioning", "n_outlets_quoting",
    "mentioned_not_quoted", "mentioned_only_here", "quoted_only_here",
)
#: The tone columns: share of the actor's mentions per class of ``score_target_sentiment``.
TONE_SHARES: tuple[str, ...] = ("negative_share", "neutral_share", "positive_share")
#: Level of the tone shares' intervals (percentile bootstrap over articles).
CI_LEVEL = 0.95

_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")


@validate_params(
    data=[Frame()],
    entities=[Frame(hint="build one with mk.extract_entities(sentences)"), None],
    quotes=[Frame(hint="build one with mk.extract_quotes(sentences, entities=entities)"), None],
    by=[Column()], story=[Column()], labels=[Sequence_(str), set, frozenset, None],
    complete=[bool], tone=[bool, None], n_boot=[Interval(Integral, 1, None)],
    random_state=[Interval(Integral, None, None)],
)
@records_roles("by", "story")
def compare_actors(
    data: pd.DataFrame,
    *,
    entities: pd.DataFrame | None = None,
    quotes: pd.DataFrame | None = None,
    by: str = "outlet",
    story: str = "story_id",
    labels: Iterable[str] | None = None,
    complete: bool = True,
    tone: bool | None = None,
    n_boot: int = 1000,
    random_state: int = 0,
) -> pd.DataFrame:
    """Who each outlet names, who it quotes, and in which words, story by story.

    One stage: it counts the mentions of ``entities`` and the quotes of ``quotes``; it never
    runs spaCy. Build them first (or let :func:`mediakit.analyze` chain the stages)::

        entities = mk.extract_entities(sentences)
        quotes = mk.extract_quotes(sentences, entities=entities)
        actors = mk.compare_actors(sentences, entities=entities, quotes=quotes)

    Parameters
    ----------
    data : DataFrame
        The sentences frame (``mk.split_sentences``, optionally scored): needs ``article_id``,
        ``sentence_id``, ``story`` and the ``by`` column. ``position`` gives
        ``first_position`` and ``sentiment_compound`` (``mk.score_sentiment``) gives
        ``mean_sentiment`` when present.
    entities, quotes : DataFrame
        ``mk.extract_entities`` / ``mk.extract_quotes`` output for these sentences (required).
        An actor's ``label`` is the one ``extract_entities`` gave it. ``entities`` scored by
        ``mk.score_target_sentiment`` (a ``target_sentiment`` column) give the tone shares.
    by : str
        Column naming the outlet (the grouping compared within each story).
    story : str
        Column naming the story; actors are compared among the outlets of a story.
    labels : iterable of str, optional
        Entity labels counted as actors (e.g. ``["PERSON", "ORG"]``); default every label of
        ``entities``.
    complete : bool
        Give every outlet of a story a row for every actor of the story (default), so that
        "not named here" is a row of zeros; ``False`` keeps only the rows where the outlet
        names or quotes the actor (smaller for big stories; the flags are the same).
    tone : bool or None
        The tone shares from ``entities``' ``target_sentiment`` column: None (default) gives
        them when the column is there (``entities = mk.score_target_sentiment(entities,
        sentences=sentences)``) and NaN otherwise; True requires the column; False leaves them
        NaN. ``compare_actors`` scores nothing itself (``mk.analyze`` chains the stages).
    n_boot : int
        Bootstrap replicates of the tone shares' intervals.
    random_state : int
        Seed of the bootstrap (the same seed gives the same intervals).

    Returns
    -------
    DataFrame
        One row per story, outlet and actor of the story (with ``complete=True`` every outlet
        of the story gets a row for every actor any outlet names or quotes, so an outlet that
        ignores an actor has a row of zeros). ``attrs["roles"]`` records ``by`` and ``story``.
        Columns:

        - the ``story`` column, the ``by`` column, ``canonical`` (the actor), ``label`` (its
          label from ``extract_entities``; ``PERSON`` for a speaker never mentioned);
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
        - ``negative_share``, ``neutral_share``, ``positive_share``: the share of the actor's
          mentions whose sentence speaks of it negatively / neutrally / positively
          (``target_sentiment`` of :func:`mediakit.score_target_sentiment`; the three add up
          to 1), pooled over the outlet's articles, and each with ``_ci_low`` / ``_ci_high``:
          a 95% percentile bootstrap interval resampling the outlet's articles (mentions in
          one article are not independent), NaN with fewer than 2 articles mentioning the
          actor. NaN without mentions or with ``tone=False``;
        - ``n_outlets_mentioning`` / ``n_outlets_quoting``: outlets of the story that mention /
          quote the actor; ``mentioned_not_quoted``: this outlet names the actor but never
          quotes it; ``mentioned_only_here`` / ``quoted_only_here``: this outlet is the only
          one of the story that does.

        Sorted by story, outlet, then mentions and quotes (most first) and name.

    Raises
    ------
    SchemaError
        A required column is missing.
    ValueError
        ``entities`` or ``quotes`` is not given (the message says how to build them).

    Examples
    --------
    >>> import mediakit as mk
    >>> sentences = mk.split_sentences(mk.load_example("seeds"))
    >>> entities = mk.extract_entities(sentences)
    >>> quotes = mk.extract_quotes(sentences, entities=entities)
    >>> actors = mk.compare_actors(sentences, entities=entities, quotes=quotes)
    >>> kallas = actors.loc[actors["canonical"] == "Kaja Kallas"]
    >>> print(kallas[["outlet", "n_mentions", "n_direct"]].to_string(index=False))
      outlet  n_mentions  n_direct
    outlet A           0         0
    outlet B           1         1
    """
    missing = [name for name, given in (("entities", entities), ("quotes", quotes))
               if given is None]
    if missing:
        raise ValueError(
            f"compare_actors needs {' and '.join(f'{m}=' for m in missing)}: build them first, "
            "entities = mk.extract_entities(sentences) and quotes = "
            "mk.extract_quotes(sentences, entities=entities) (or run mk.analyze, which chains "
            "the stages).")
    need = list(dict.fromkeys(["article_id", "sentence_id", story, by]))
    require_columns(data, need, what="data",
                    hint="Build it with mk.split_sentences(articles).")
    require_columns(entities, ["article_id", "sentence_id", "label", "canonical"],
                    what="entities", hint="Build it with mk.extract_entities(sentences).")
    if tone is True:
        require_columns(entities, ["target_sentiment"], what="entities",
                        hint="tone=True reads the tone toward each mention: score it first, "
                        "entities = mk.score_target_sentiment(entities, sentences=sentences).")
    require_columns(quotes, ["article_id", "quote", "speaker", "cue", "kind"], what="quotes",
                    hint="Build it with mk.extract_quotes(sentences, entities=entities).")
    if data.empty:
        return _empty(by, story)
    if labels is not None:
        entities = entities.loc[entities["label"].isin(list(labels))]
        quotes = quotes.loc[quotes["speaker"].isin(set(entities["canonical"]))]
    method = None
    if tone is not False and "target_sentiment" in entities.columns:
        # scored by mk.score_target_sentiment: the model it recorded, if the attrs survived
        method = entities.attrs.get("target_sentiment", {}).get("model", "given")
    else:
        entities = entities.drop(columns=["target_sentiment"], errors="ignore")
    out = _tables(data, entities, quotes, by, story, n_boot=n_boot, random_state=random_state)
    if not complete:
        out = out.loc[(out["n_mentions"] > 0) | (out["n_quotes"] > 0)].reset_index(drop=True)
    out.attrs["compare_actors"] = {
        "by": by, "tone": method,
        "tone_interval": f"{CI_LEVEL:.0%} percentile bootstrap, the outlet's articles "
                         f"resampled ({n_boot} replicates, random_state={random_state})",
    }
    return out


def _empty(by: str, story: str = "story_id") -> pd.DataFrame:
    cols = _columns(by, story)
    frame = pd.DataFrame({c: pd.Series([], dtype="object") for c in cols})
    ints = ["n_articles", "n_mentions", "n_quotes", "n_direct", "n_partial", "n_indirect",
            "n_quote_words", "n_outlets_mentioning", "n_outlets_quoting", "first_sentence_id"]
    types = {c: "int64" for c in ints if c != "first_sentence_id"}
    types.update({c: "float64" for c in _tone_columns()})
    types.update({"first_position": "float64", "mean_sentiment": "float64",
                  "first_sentence_id": "Int64", "mentioned_not_quoted": "bool",
                  "mentioned_only_here": "bool", "quoted_only_here": "bool"})
    for c in (story, by, "canonical", "label", "cue_verbs", "first_article_id"):
        types[c] = "str"
    return frame.astype(types)


def _columns(by: str, story: str) -> list[str]:
    return [by if c == "outlet" else story if c == "story_id" else c for c in ACTOR_COLUMNS]


def _tone_columns() -> list[str]:
    return [f"{s}{e}" for s in TONE_SHARES for e in ("", "_ci_low", "_ci_high")]


def _seed(random_state: int, *labels: object) -> np.random.Generator:
    keys = [zlib.crc32(repr(label).encode("utf-8")) for label in labels]
    return np.random.default_rng([random_state, *keys])


def _tone(ments: pd.DataFrame, keys: list[str], n_boot: int, random_state: int) -> pd.DataFrame:
    """Tone shares per (story, outlet, actor), pooled over mentions, intervals over articles."""
    from mediakit.compare import _resample

    classes = ments["target_sentiment"].astype("str")
    counts = pd.DataFrame({
        "negative": (classes == "negative").to_numpy(dtype=float),
        "neutral": (classes == "neutral").to_numpy(dtype=float),
        "positive": (classes == "positive").to_numpy(dtype=float),
        "n": np.ones(len(ments))})
    per_article = counts.groupby([ments[k] for k in [*keys, "article_id"]], sort=True).sum()
    rows = []
    for cell, part in per_article.groupby(level=list(range(len(keys))), sort=False):
        num = part[["negative", "neutral", "positive"]].to_numpy()
        den = np.repeat(part[["n"]].to_numpy(), 3, axis=1)
        row = dict(zip(keys, cell, strict=True))
        share = num.sum(axis=0) / den[:, 0].sum()
        bounds = np.full((3, 2), np.nan)
        if len(part) >= 2:
            reps = _resample.bootstrap(num, den, "sentence", n_boot, _seed(random_state, *cell))
            bounds = np.array([_resample.percentile_interval(reps[:, j], CI_LEVEL)
                               for j in range(3)])
        for j, name in enumerate(TONE_SHARES):
            row[name] = share[j]
            row[f"{name}_ci_low"], row[f"{name}_ci_high"] = bounds[j]
        rows.append(row)
    return pd.DataFrame(rows, columns=[*keys, *_tone_columns()]).set_index(keys)


def _tables(data: pd.DataFrame, entities: pd.DataFrame, quotes: pd.DataFrame,
            by: str, story: str = "story_id", *, n_boot: int = 1000,
            random_state: int = 0) -> pd.DataFrame:
    art = data.drop_duplicates("article_id")[list(dict.fromkeys(["article_id", story, by]))]
    n_articles = art.groupby([story, by], sort=False).size().rename("n_articles")
    sent_cols = ["article_id", "sentence_id", story, by]
    sent_cols += [c for c in ("position", "sentiment_compound") if c in data.columns]
    sent_cols = list(dict.fromkeys(sent_cols))
    ent_cols = ["article_id", "sentence_id", "label", "canonical"]
    ent_cols += ["target_sentiment"] if "target_sentiment" in entities.columns else []
    ments = entities[ent_cols].merge(
        data[sent_cols], on=["article_id", "sentence_id"], how="inner")
    keys = [story, by, "canonical"]
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
    if "target_sentiment" in ments.columns and not ments.empty:
        mention = mention.join(_tone(ments, keys, n_boot, random_state))
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
    actors = pd.concat([ments[[story, "canonical"]], q[[story, "canonical"]]])
    actors = actors.drop_duplicates()
    if actors.empty:
        return _empty(by, story)
    grid = n_articles.reset_index().merge(actors, on=story, how="inner")
    out = grid.set_index(keys).join(mention)
    if not quoted.empty:  # pandas 3: join(None) raises
        out = out.join(quoted)
    out = out.reset_index()
    for c in ("n_mentions", "n_quotes", "n_direct", "n_partial", "n_indirect", "n_quote_words"):
        out[c] = out[c].fillna(0).astype("int64") if c in out.columns else 0
    for c in ("first_position", "mean_sentiment", *_tone_columns()):
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
    labels = _labels(entities, ments, q, story)
    out["label"] = out.set_index([story, "canonical"]).index.map(labels)
    out["n_outlets_mentioning"] = (out["n_mentions"] > 0).groupby(
        [out[story], out["canonical"]], sort=False).transform("sum")
    out["n_outlets_quoting"] = (out["n_quotes"] > 0).groupby(
        [out[story], out["canonical"]], sort=False).transform("sum")
    out["mentioned_not_quoted"] = (out["n_mentions"] > 0) & (out["n_quotes"] == 0)
    out["mentioned_only_here"] = (out["n_mentions"] > 0) & (out["n_outlets_mentioning"] == 1)
    out["quoted_only_here"] = (out["n_quotes"] > 0) & (out["n_outlets_quoting"] == 1)
    out = out.sort_values([story, by, "n_mentions", "n_quotes", "canonical"],
                          ascending=[True, True, False, False, True], kind="stable")
    cols = _columns(by, story)
    out = out[cols].reset_index(drop=True)
    for c in ("n_outlets_mentioning", "n_outlets_quoting", "n_articles"):
        out[c] = out[c].astype("int64")
    for c in (story, by, "canonical", "label"):
        out[c] = out[c].astype("str")
    return out


def _labels(entities: pd.DataFrame, ments: pd.DataFrame, quotes: pd.DataFrame,
            story: str) -> dict:
    """(story, canonical) -> the label ``extract_entities`` gave the actor (one per actor and
    story there: the first is taken); a speaker never mentioned in the story takes the actor's
    label in ``entities`` elsewhere, else ``PERSON`` (speakers are people)."""
    first = ments.drop_duplicates([story, "canonical"])
    out = {(s, c): lab for s, c, lab in zip(first[story], first["canonical"], first["label"],
                                            strict=True)}
    anywhere = entities.drop_duplicates("canonical").set_index("canonical")["label"]
    for s, c in zip(quotes[story], quotes["canonical"], strict=True):
        out.setdefault((s, c), anywhere.get(c, "PERSON"))
    return out
