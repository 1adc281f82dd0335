"""``extract_entities``: people, organisations, places and groups named in each sentence."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from numbers import Integral

import numpy as np
import pandas as pd

from mediakit._memory import releases_memory
from mediakit._params import Column, Frame, Interval, Options, Subset, validate_params
from mediakit._validation import require_columns, resolve_kinds, text_column
from mediakit.measures import _names
from mediakit.measures._textcheck import KINDS_RULES

#: Columns of the entities table, in order.
ENTITY_COLUMNS: tuple[str, ...] = (
    "article_id", "sentence_id", "start", "end", "text", "label", "canonical",
)

#: spaCy labels kept by default: people, organisations, countries/cities, other places, groups.
ENTITY_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC", "NORP")

_ALL_LABELS = (*ENTITY_LABELS, "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE")


def empty_entities(article_dtype=None) -> pd.DataFrame:
    """The entities table with no rows and the contract's columns."""
    frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in ENTITY_COLUMNS})
    for c in ("sentence_id", "start", "end"):
        frame[c] = frame[c].astype("int64")
    if article_dtype is not None:
        frame["article_id"] = frame["article_id"].astype(article_dtype)
    return frame


@validate_params(
    data=[Frame()], text=[Column()], labels=[Options(*_ALL_LABELS), Subset(*_ALL_LABELS)], aliases=[Mapping, pd.DataFrame, None],
    kinds=KINDS_RULES, batch_size=[Interval(Integral, 1, None)], progress=[bool, None],
)
@releases_memory
def extract_entities(
    data: pd.DataFrame,
    *,
    text: str = "text",
    labels: Iterable[str] = ENTITY_LABELS,
    aliases: Mapping[str, str] | pd.DataFrame | None = None,
    kinds: str | Iterable[str] | None = None,
    batch_size: int = 256,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Find the people, organisations, places and groups named in each sentence.

    Runs spaCy's English named-entity recogniser (``en_core_web_sm`` 3.8 weights; only the
    ``ner`` component, batched, the model loaded once per process) over each content sentence,
    and gives every mention a ``canonical`` name shared by all its variants within a story,
    across outlets.

    Parameters
    ----------
    data : DataFrame
        The sentences frame (``mk.split_sentences``); needs ``article_id``, ``sentence_id``,
        ``start`` and ``text``. ``kind`` selects the sentences when present; ``story_id`` sets
        the scope of name merging (without it, the whole frame is one story).
    labels : str or list of str
        spaCy label(s) to keep: ``PERSON``, ``ORG`` (organisations), ``GPE`` (countries, cities),
        ``LOC`` (other places), ``NORP`` (nationalities, religious and political groups).
    aliases : dict or DataFrame, optional
        Extra name variants, ``{"Zelenskiy": "Volodymyr Zelenskyy"}`` or a frame with columns
        ``alias`` and ``canonical``. They win over the built-in ones (US, U.S., USA ->
        "United States"; UK, Britain -> "United Kingdom"; EU -> "European Union"; UN ->
        "United Nations").
    text : str
        Column holding the text of the sentences (default ``"text"``).
    kinds : str or iterable of str, optional
        Sentence kinds to read; default the content kinds (headline, body, bullet).
    batch_size : int
        Sentences per spaCy batch.
    progress : bool, optional
        Show a progress bar (default: only for 200 sentences or more).

    Returns
    -------
    DataFrame
        One row per mention, columns ``article_id, sentence_id, start, end, text, label,
        canonical``. ``start`` and ``end`` are offsets into the ARTICLE text
        (``articles.text[start:end] == text``); a leading "the" and a trailing possessive are
        not part of the mention. ``label`` is the actor's most frequent label in the story
        (ties: the earliest), so one actor has one label. ``canonical`` merges variants
        within the story: titles and
        honorifics dropped ("Mr Healey", "Defence Secretary John Healey" -> "John Healey"),
        accents folded for matching but shown when any variant has them ("Sebastien Lecornu"
        and "Sébastien Lecornu" -> "Sébastien Lecornu"), surname-only mentions resolved to the
        full name used elsewhere in the story, transliteration variants joined ("Zelensky",
        "Zelenskyy"), and the alias tables applied.

    Raises
    ------
    SchemaError
        A required column is missing.
    ImportError
        spaCy or its English model is not installed (``pip install 'mediakit[nlp]'``).

    Notes
    -----
    The recogniser is statistical: expect some wrong labels (a city tagged as a person) and
    misses, more in headlines and bullets than in running text. Model: spaCy ``en_core_web_sm``
    3.8.0, trained on OntoNotes 5 (Weischedel et al. 2013).

    Examples
    --------
    >>> import mediakit as mk
    >>> sentences = mk.split_sentences(mk.load_example("seeds"))
    >>> ents = mk.extract_entities(sentences)
    >>> "Sébastien Lecornu" in set(ents["canonical"])
    True
    """
    data = text_column(data, text, what="sentences")
    require_columns(data, ["article_id", "sentence_id", "start", "text"], what="sentences",
                    hint="Build it with mk.split_sentences(articles).")
    labels = (labels,) if isinstance(labels, str) else tuple(labels)
    alias_table = _names.alias_map(aliases)
    rows = data
    if "kind" in data.columns:
        rows = data.loc[data["kind"].isin(resolve_kinds(kinds))]
    if rows.empty:
        return empty_entities(data["article_id"].dtype)

    from mediakit.measures import _spacy

    texts = rows["text"].astype(str).tolist()
    sent_starts = rows["start"].to_numpy(dtype=np.int64)
    row_pos, starts, ends, found, labs = [], [], [], [], []
    docs = _spacy.pipe(texts, task="ner", batch_size=batch_size, progress=progress,
                       desc="entities")
    for i, doc in enumerate(docs):
        text = texts[i]
        for ent in doc.ents:
            if ent.label_ not in labels:
                continue
            s, e = _names.clean_span(text, ent.start_char, ent.end_char)
            mention = text[s:e]
            if not any(ch.isalpha() for ch in mention) or _names.is_only_titles(mention):
                continue
            row_pos.append(i)
            starts.append(s)
            ends.append(e)
            found.append(mention)
            labs.append(ent.label_)
    if not row_pos:
        return empty_entities(data["article_id"].dtype)
    idx = np.asarray(row_pos)
    out = pd.DataFrame({
        "article_id": rows["article_id"].to_numpy()[idx],
        "sentence_id": rows["sentence_id"].to_numpy(dtype=np.int64)[idx],
        "start": sent_starts[idx] + np.asarray(starts, dtype=np.int64),
        "end": sent_starts[idx] + np.asarray(ends, dtype=np.int64),
        "text": pd.array(found, dtype="str"),
        "label": pd.array(labs, dtype="str"),
    })
    story = (rows["story_id"].to_numpy()[idx] if "story_id" in rows.columns
             else np.zeros(len(idx), dtype=np.int64))
    out["canonical"] = pd.array(_canonical(out, story, alias_table), dtype="str")
    sent_story = (rows["story_id"].to_numpy() if "story_id" in rows.columns
                  else np.zeros(len(rows), dtype=np.int64))
    out = _missed_surnames(out, story, rows, sent_story)
    out["label"] = _harmonized_labels(out, rows)
    out["article_id"] = out["article_id"].astype(data["article_id"].dtype)
    return out


def _harmonized_labels(out: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """One label per actor of a story: the most frequent label of its mentions in full (as
    the canonical name reads; all mentions when none is), ties to the earliest mention. A
    surname tagged ORG does not outvote the full name tagged PERSON, and "Kyiv" tagged GPE
    once and PERSON once stays GPE, as first seen."""
    story_of = (dict(zip(rows["article_id"], rows["story_id"], strict=True))
                if "story_id" in rows.columns else {})
    full = [_names.name_key(_names.strip_titles(t)) == _names.name_key(c)
            for t, c in zip(out["text"], out["canonical"], strict=True)]
    frame = pd.DataFrame({"story": out["article_id"].map(story_of).fillna("").astype(str),
                          "canonical": out["canonical"], "label": out["label"],
                          "i": np.arange(len(out)), "full": full})
    has_full = frame.groupby(["story", "canonical"])["full"].transform("any")
    voters = frame.loc[frame["full"] | ~has_full]
    votes = (voters.groupby(["story", "canonical", "label"], sort=False)
             .agg(n=("i", "size"), first=("i", "min")).reset_index()
             .sort_values(["n", "first"], ascending=[False, True], kind="stable")
             .drop_duplicates(["story", "canonical"]))
    best = dict(zip(zip(votes["story"], votes["canonical"], strict=True), votes["label"],
                    strict=True))
    keys = zip(frame["story"], frame["canonical"], strict=True)
    return pd.Series([best[k] for k in keys], index=out.index, dtype="str")


def _canonical(out: pd.DataFrame, story: np.ndarray, alias_table: dict[str, str]) -> list[str]:
    names = [
        _names.strip_titles(t) if lab == "PERSON" else t
        for t, lab in zip(out["text"], out["label"], strict=True)
    ]
    result: list[str] = list(names)
    groups = pd.Series(np.arange(len(out))).groupby(pd.Series(story).fillna("").astype(str),
                                                    sort=False)
    for _, positions in groups:
        pos = positions.to_numpy()
        canon = _names.canonical_names(
            [names[p] for p in pos], out["label"].to_numpy()[pos].tolist(),
            out["article_id"].to_numpy()[pos].tolist(), alias_table,
        )
        for p, c in zip(pos, canon, strict=True):
            result[p] = c
    return result


def _missed_surnames(out: pd.DataFrame, story: np.ndarray, rows: pd.DataFrame,
                     sent_story: np.ndarray) -> pd.DataFrame:
    """Add the mentions the recogniser missed of people it found elsewhere in the story.

    A person named in full somewhere in a story ("John Healey") is also found where only the
    surname, capitalised, stands ("Healey clarified that ..."), when no other person of the
    story has that surname.
    """
    person = (out["label"] == "PERSON").to_numpy()
    canon = out["canonical"].to_numpy()
    texts = out["text"].to_numpy()
    surnames: dict[object, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for st, c, t, p in zip(story, canon, texts, person, strict=True):
        if p and " " in c:
            last = _names.strip_titles(str(t)).split()[-1]
            surnames[st][last].add(c)
    taken: dict[tuple[object, int], list[tuple[int, int]]] = defaultdict(list)
    for a, sid, s0, e0 in zip(out["article_id"], out["sentence_id"], out["start"], out["end"],
                              strict=True):
        taken[(a, int(sid))].append((int(s0), int(e0)))
    new = []
    sent_text = rows["text"].astype(str).to_numpy()
    for st in surnames:
        unique = {n: next(iter(cs)) for n, cs in surnames[st].items() if len(cs) == 1}
        if not unique:
            continue
        pattern = re.compile(r"(?<![\w’'-])(" + "|".join(
            map(re.escape, sorted(unique, key=len, reverse=True))) + r")(?![\w-])")
        for i in np.flatnonzero(sent_story == st):
            aid, sid = rows["article_id"].iat[i], int(rows["sentence_id"].iat[i])
            s0 = int(rows["start"].iat[i])
            for m in pattern.finditer(sent_text[i]):
                a, b = s0 + m.start(), s0 + m.end()
                if any(x < b and a < y for x, y in taken[(aid, sid)]):
                    continue
                new.append((aid, sid, a, b, m.group(), "PERSON", unique[m.group()]))
    if not new:
        return out
    extra = pd.DataFrame(new, columns=list(ENTITY_COLUMNS)).astype(
        {"sentence_id": "int64", "start": "int64", "end": "int64", "text": "str", "label": "str",
         "canonical": "str"})
    order = {a: k for k, a in enumerate(pd.unique(rows["article_id"]))}
    both = pd.concat([out, extra], ignore_index=True)
    both["_order"] = both["article_id"].map(order)
    both = both.sort_values(["_order", "start"], kind="stable").drop(columns="_order")
    return both.reset_index(drop=True)
