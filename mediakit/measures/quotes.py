"""``extract_quotes``: who is quoted, directly or in reported speech, and with which words."""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Integral

import pandas as pd

from mediakit._memory import releases_memory
from mediakit._params import Column, Frame, Interval, validate_params
from mediakit._validation import require_columns, resolve_kinds, text_column
from mediakit.measures._attribution import Article, article_texts, attach_entities
from mediakit.measures._textcheck import KINDS_RULES, refuse_articles

#: Columns of the quotes table, in order.
QUOTE_COLUMNS: tuple[str, ...] = (
    "article_id", "sentence_id", "start", "end", "quote", "speaker", "cue", "kind",
)

#: Values of ``kind`` (``scare`` only with ``include_scare=True``).
QUOTE_KINDS: tuple[str, ...] = ("direct", "partial", "indirect", "scare")



def empty_quotes(article_dtype=None) -> pd.DataFrame:
    """The quotes table with no rows and the contract's columns."""
    frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in QUOTE_COLUMNS})
    for c in ("sentence_id", "start", "end"):
        frame[c] = frame[c].astype("int64")
    if article_dtype is not None:
        frame["article_id"] = frame["article_id"].astype(article_dtype)
    return frame


@validate_params(
    data=[Frame()], text=[Column()], entities=[Frame(hint="build it with mk.extract_entities(sentences)")],
    articles=[Frame(), None], include_scare=[bool], kinds=KINDS_RULES,
    batch_size=[Interval(Integral, 1, None)], progress=[bool, None],
)
@releases_memory
def extract_quotes(
    data: pd.DataFrame,
    *,
    text: str = "text",
    entities: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    include_scare: bool = False,
    kinds: str | Iterable[str] | None = None,
    batch_size: int = 256,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Find direct, partial and indirect quotes and who said them.

    Direct quotes are the stretches between quotation marks (straight ``"`` and curly ``“ ”``),
    found per paragraph by the same finder as the sentences' ``in_quote``; following
    journalistic convention, a paragraph that opens a quote without closing it continues into
    the next paragraph when that one opens with a quote mark (one row for the whole quote).
    Quotes inside bullets count. A short quoted fragment inside reported speech (Rubio said the
    US will not “fall into the trap of endless negotiations”) is a *partial* quote. Reported
    speech without marks ("Healey clarified that ...", "according to X, ...") is an *indirect*
    quote. A quoted fragment with no verb of saying in its sentence (the “reassurance force”,
    the "coalition of the willing") is a scare quote or a name, not speech: it is left out
    unless ``include_scare=True``.

    The speaker is found through a verb of saying (see ``CUE_VERBS`` in
    ``mediakit.measures._quotes_rules``: said, told, stated, emphasized, stressed, added, warned,
    claimed, ... and "according to") in the quote's sentence(s), outside the quote: its subject
    in spaCy's dependency parse (walking up "is expected to tell" and "..., highlighting"), the
    name right after an inverted cue ("said Healey"), or the nearest name before it. A pronoun
    subject (he, she) is resolved to the last person named before the sentence; a role noun
    ("the defence secretary") to the person named with that role elsewhere in the article. A
    whole-paragraph quote without a cue continues the speaker of the previous paragraph's
    quote. Otherwise the speaker is missing (NA) and the quote stays.

    Parameters
    ----------
    data : DataFrame
        The sentences frame (``mk.split_sentences``). An articles frame is refused: split it
        first (one stage per function).
    entities : DataFrame
        ``mk.extract_entities(data)``: the named people and groups the speakers are resolved
        to (pass ``aliases=`` there to merge name variants).
    articles : DataFrame, optional
        The articles, for their exact text; without it the text is rebuilt from the sentences'
        offsets (same offsets; paragraphs from ``paragraph_id``).
    include_scare : bool
        Keep scare quotes as rows with ``kind="scare"``.
    text : str
        Column holding the text of the sentences (and of ``articles``) (default ``"text"``).
    kinds : str or iterable of str, optional
        Sentence kinds to read; default the content kinds (headline, body, bullet).
    batch_size : int
        Sentences per spaCy batch.
    progress : bool, optional
        Show progress bars (default: only for 200 sentences or more).

    Returns
    -------
    DataFrame
        One row per quote: ``article_id, sentence_id`` (the sentence where it starts),
        ``start, end`` (offsets into the article text; ``articles.text[start:end] == quote``,
        marks excluded; a multi-paragraph quote includes the paragraph break and the reopening
        mark), ``quote``, ``speaker`` (the ``canonical`` name of ``extract_entities``, or NA),
        ``cue`` (the verb as written, lower case, or "according to"; NA when none), ``kind``
        (``direct``, ``partial``, ``indirect``; ``scare`` on request). In reading order.

    Raises
    ------
    SchemaError
        A required column is missing, or ``data`` is an articles frame (the message names
        ``mk.split_sentences``).
    InvalidParameterError
        An option has the wrong type or value (a ``TypeError`` and a ``ValueError``).
    ImportError
        spaCy or its English model is not installed (``pip install 'mediakit[nlp]'``).

    Examples
    --------
    >>> import mediakit as mk
    >>> sentences = mk.split_sentences(mk.load_example("seeds"))
    >>> quotes = mk.extract_quotes(sentences, entities=mk.extract_entities(sentences))
    >>> "Kaja Kallas" in set(quotes["speaker"].dropna())
    True
    """
    data = text_column(data, text, what="sentences")
    if articles is not None:
        articles = text_column(articles, text, what="articles")
    refuse_articles(data, "extract_quotes")
    require_columns(data, ["article_id", "sentence_id", "start", "end", "text"],
                    what="sentences", hint="Build it with mk.split_sentences(articles).")
    require_columns(entities, ["article_id", "start", "end", "label", "canonical"],
                    what="entities", hint="Build it with mk.extract_entities(sentences).")
    wanted = resolve_kinds(kinds)
    content = data if "kind" not in data.columns else data.loc[data["kind"].isin(wanted)]
    if content.empty:
        return empty_quotes(data["article_id"].dtype)
    texts = article_texts(data, articles)
    arts = [Article.build(aid, texts[aid], group, wanted)
            for aid, group in data.groupby("article_id", sort=False)]
    attach_entities(arts, entities)

    from mediakit.measures import _spacy

    jobs = [(a, k) for a in arts for k in a.to_parse()]
    docs = _spacy.pipe((a.sent_text(k) for a, k in jobs), task="parse", batch_size=batch_size,
                       progress=progress, total=len(jobs), desc="quotes")
    for (a, k), doc in zip(jobs, docs, strict=True):
        a.docs[k] = doc
    rows = []
    for a in arts:
        rows.extend(a.attribute(include_scare))
    if not rows:
        return empty_quotes(data["article_id"].dtype)
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    for c in ("sentence_id", "start", "end"):
        out[c] = out[c].astype("int64")
    for c in ("quote", "speaker", "cue", "kind"):
        out[c] = out[c].astype("str")
    out["article_id"] = out["article_id"].astype(data["article_id"].dtype)
    return out
