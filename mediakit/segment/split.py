"""``split_sentences``: the sentences frame, one row per sentence in reading order."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from numbers import Integral

import numpy as np
import pandas as pd

from mediakit import _parallel
from mediakit._dask import dask_aware
from mediakit._errors import SkippedInputWarning
from mediakit._frames import SENTENCE_COLUMNS, str_array
from mediakit._memory import releases_memory
from mediakit._params import Column, Frame, Interval, Sequence_, validate_params, warn
from mediakit._progress import MIN_ITEMS_FOR_BAR
from mediakit._validation import CONTENT_KINDS, require_columns, text_column
from mediakit.segment import _boundaries, _lines
from mediakit.segment._tokenizer import tokenizer
from mediakit.segment.quotes import quote_spans, quoted_share

_count_words = _lines.count_words
#: A character nupunkt may end a sentence at (its ``_SENT_END_CHARS``).
_END_INSIDE = re.compile(r"[.!?\u2026]")
_SPLIT_KINDS = frozenset({"body", "bullet"})  # kinds whose blocks are split into sentences
_CONTENT = frozenset(CONTENT_KINDS)


def _sentence_cuts(text: str, start: int, end: int, tok) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``: every non-space character in exactly one span."""
    chunk = text[start:end]
    if "\n" in chunk or "\r" in chunk:  # a joined block: same length, no line breaks
        chunk = _lines.BREAKS.sub(" ", chunk)
    if _END_INSIDE.search(chunk, 0, len(chunk) - 1) is None:
        # no sentence-ending character before the last one: nupunkt finds no candidate (it
        # needs one followed by text or punctuation) and no correction applies but an inline
        # list's; a third of news paragraphs are one such sentence
        if not _boundaries.may_be_list(chunk):
            # one sentence: the block is trimmed (line bounds, and past a dateline)
            return [(start, end)] if start < end else []
        cuts = _boundaries.refine(chunk, [])
    else:
        spans = tok.span_tokenize(chunk)
        next(spans, None)  # the first sentence starts the block: no cut
        cuts = _boundaries.refine(chunk, [s for s, _ in spans])
    out = []
    prev = 0
    for cut in (*cuts, len(chunk)):
        a, b = prev, cut
        while a < b and chunk[a].isspace():
            a += 1
        while b > a and chunk[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((start + a, start + b))
        prev = max(prev, cut)
    return out


def _split_text(text: str, title: str | None, tok, bounds: list[tuple[int, int]],
                outlet: str | None = None) -> tuple[list, list, list, list, list]:
    """Rows of one article: (paragraph_ids, kinds, starts, ends, word counts or -1)."""
    counts: list[int] = []
    kinds = _lines.classify(text, bounds, title, outlet, counts)
    pids, out_kinds, starts, ends, known = [], [], [], [], []
    body_seen = False
    for pid, ((s, e), kind) in enumerate(zip(bounds, kinds, strict=True)):
        spans: list[tuple[int, int]]
        if kind == "body" and not body_seen:
            body_seen = True
            dl = _lines.dateline_end(text[s:min(e, s + 200)])
            if dl:
                pids.append(pid)
                out_kinds.append("dateline")
                starts.append(s)
                ends.append(s + dl)
                known.append(-1)
                s += dl
                while s < e and text[s].isspace():
                    s += 1
        if kind in _SPLIT_KINDS:
            spans = _sentence_cuts(text, s, e, tok)
        else:
            spans = [(s, e)]
        whole = bounds[pid]
        if len(spans) == 1:
            known.append(counts[pid] if spans[0] == whole else -1)  # the line's own count
        elif counts[pid] >= 0 and s == whole[0]:
            known.extend(_span_counts(text, spans, counts[pid]))
        else:
            known.extend([-1] * len(spans))
        for a, b in spans:
            pids.append(pid)
            out_kinds.append(kind)
            starts.append(a)
            ends.append(b)
    return pids, out_kinds, starts, ends, known


def _span_counts(text: str, spans: list[tuple[int, int]], total: int) -> list[int]:
    """Word counts of the sentences of one line whose count is ``total``.

    A word never holds white space, so with white space between every two sentences the
    line's words are the sentences' words: the longest sentence's count is the line's less the
    others' (one count fewer per line), else -1 (counted later).
    """
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        if end >= start:  # two sentences touching (a cut inside a run of letters)
            return [-1] * len(spans)
    longest = max(range(len(spans)), key=lambda i: spans[i][1] - spans[i][0])
    out = [0 if i == longest else _count_words(text[a:b]) for i, (a, b) in enumerate(spans)]
    out[longest] = total - sum(out)
    return out


def _split_many(texts: Sequence[str], titles: Sequence[str | None],
                abbreviations: tuple[str, ...],
                outlets: Sequence[str | None] | None = None) -> list[tuple]:
    """Split several articles; a top-level function so worker processes can run it."""
    tok = tokenizer(abbreviations)
    out = []
    if outlets is None:
        outlets = [None] * len(texts)
    for text, title, outlet in zip(texts, titles, outlets, strict=True):
        bounds = _lines.blocks(text)
        pids, kinds, starts, ends, known = _split_text(text, title, tok, bounds, outlet)
        in_quote = quoted_share(starts, ends, quote_spans(text, bounds))
        n_words = [k if k >= 0 else _count_words(text[a:b])
                   for a, b, k in zip(starts, ends, known, strict=True)]
        out.append((pids, kinds, starts, ends, in_quote, n_words))
    return out


def _split_chunk(job: tuple) -> dict:
    """The sentences' columns of a chunk of articles (:func:`_chunk_columns`); runs in the
    workers, so that the texts of the sentences are cut and stored there, not after the pool
    in this process."""
    return _chunk_columns(job[0], _split_many(*job))


def _chunk_columns(texts: Sequence[str], results: list[tuple]) -> dict:
    """Columns of the sentences of ``texts`` from their :func:`_split_many` rows: numpy
    arrays, ``kind`` and ``text`` as ``str`` arrays; ``counts`` (sentences per article), the
    positions of the ``empty`` articles (no sentence) and ``no_content`` (position, the kinds
    found) of those without a content sentence."""
    cols: dict[str, list] = {"paragraph_id": [], "kind": [], "start": [], "end": [],
                             "in_quote": [], "n_words": [], "position": [], "sentence_id": [],
                             "text": []}
    empty, no_content = [], []
    for i, (pids, kinds, starts, ends, in_quote, n_words) in enumerate(results):
        if not pids:
            empty.append(i)
            continue
        if not _CONTENT.intersection(kinds):
            no_content.append((i, ", ".join(sorted(set(kinds), key=kinds.index))))
        text = texts[i]
        cols["paragraph_id"].extend(pids)
        cols["kind"].extend(kinds)
        cols["start"].extend(starts)
        cols["end"].extend(ends)
        cols["in_quote"].extend(in_quote)
        cols["n_words"].extend(n_words)
        cols["position"].extend(_positions(kinds))
        cols["sentence_id"].extend(range(len(pids)))
        cols["text"].extend(text[a:b] for a, b in zip(starts, ends, strict=True))
    out = {name: np.asarray(cols[name], dtype=dtype) for name, dtype in (
        ("sentence_id", np.int64), ("paragraph_id", np.int64), ("start", np.int64),
        ("end", np.int64), ("position", np.float64), ("in_quote", np.float64),
        ("n_words", np.int64))}
    out["kind"] = str_array(cols["kind"])
    out["text"] = str_array(cols["text"])
    out["counts"] = np.fromiter((len(r[0]) for r in results), dtype=np.int64,
                                count=len(results))
    out["empty"], out["no_content"] = empty, no_content
    return out


def _positions(kinds: list[str]) -> list[float]:
    """0 (lede) to 1 (last) over content sentences; a headline sits at 0; NaN otherwise."""
    content = [i for i, k in enumerate(kinds) if k in _CONTENT and k != "headline"]
    pos = [0.0 if k == "headline" else np.nan for k in kinds]
    last = len(content) - 1
    for rank, i in enumerate(content):
        pos[i] = rank / last if last > 0 else 0.0
    return pos


@validate_params(
    data=[Frame(dask=True, hint="build one with mk.read_articles(...)")], text=[Column()],
    abbreviations=[str, Sequence_(str, words="a list of str")],
    carry=[str, Sequence_(str, words="a list of column names")],
    n_jobs=[Interval(Integral, 1, None)], progress=[bool, None],
)
@dask_aware(new_rows=True)
@releases_memory
def split_sentences(
    data: pd.DataFrame,
    *,
    text: str = "text",
    abbreviations: Iterable[str] = (),
    carry: Iterable[str] = (),
    n_jobs: int = 1,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Split articles into the sentences frame, one row per sentence in reading order.

    Lines come first: every line (paragraph) is a unit, and hard-wrapped text (wire copy or
    e-mail broken every ~70 characters) has its wrapped lines joined back first, so a sentence is
    never cut at a line break that only wraps it; a line that ends mid-sentence is joined to a
    next line that continues it in lower case ("would pass" / "without changes"), unless either
    is structure or furniture. A form feed or a Unicode line separator breaks lines like "\n".
    Each line block gets a ``kind``; ``body`` and ``bullet`` blocks are then split into sentences
    by nupunkt (a private tokenizer with news abbreviations such as ``Lt.``, ``Col.``, ``Gen.``
    added), with its cuts corrected for news copy: "in the U.S. Analysts expect" and "at 6 p.m.
    Officials left" are two sentences, "Sens. John Kerry", "Pfc. Jessica Lynch" and "then-Gov.
    Walter J. Hickel" one. A dateline is a place (and agency) opening the first paragraph
    ("WASHINGTON (AP) —", "Brussels –"), never a subject set off by dashes ("The World Health
    Organization — another Lilly partner — has declared ..."). Every non-space character of the
    text lies in exactly one row, and ``articles.text[start:end] == sentences.text``.

    Kinds (nothing is deleted: page furniture is a row with its kind):

    - ``headline``, ``body``, ``bullet``: the content; measures and comparisons use these.
    - ``dateline`` ("WASHINGTON (AP) —"), ``heading`` ("Key Points:").
    - ``byline``: "By Jane Doe", a line of names above the story ("Eliza Collins", "David
      Jackson and Deirdre Shesgreen") and the credit under it ("USA TODAY"), "Kyle Smith,
      National Review", "- Nicholas Wu" signing off an item, "The Associated Press contributed
      to this report."
    - ``caption``: photo captions and credits ("Enlarge this image toggle caption John
      Moore/Getty Images", "Hide Caption 3 of 47", "... in Beijing. (Photo: Andy Wong/AP)",
      "FILE PHOTO: ... REUTERS/Jim Bourg", "Image copyright Reuters").
    - ``promo``: video and gallery promos ("JUST WATCHED ... Replay More Videos ... MUST WATCH",
      "Slideshow (9 Images)"), newsletter, subscription and social prompts ("Sign up for Daily
      Newsletters", "Follow @politico"), "Story Continued Below", related links ("Read more:
      ...", "More On This...", and the linked headlines under such a label).
    - ``boilerplate``: copyright and rights lines ("Copyright 2019 The Associated Press. All
      rights reserved."), advertisement markers ("Advertisement"), publisher notices ("This is
      a rush transcript ...", "Updated at 5:02 p.m. ET") and separators ("___").
    - ``markup``: leftover tags.

    Parameters
    ----------
    data : DataFrame
        The articles frame (``article_id`` and ``text`` required; ``outlet``, ``story_id``,
        ``published`` and ``title`` are used when present).
    text : str
        Column holding the article text (default ``"text"``); the sentences' ``text`` and
        offsets come from it.
    abbreviations : str or list of str, optional
        Extra abbreviations that do not end a sentence (e.g. ``["Amb", "Cllr"]``).
    carry : str or list of str, optional
        Further article columns to copy onto each sentence (e.g. ``["bias", "topic"]``), after
        the contract columns; ``outlet``, ``story_id`` and ``published`` are always carried.
    n_jobs : int, default 1
        Worker processes. Results are identical to one process.
    progress : bool, optional
        Show a progress bar; by default only for long work.

    Returns
    -------
    DataFrame
        Columns ``article_id, sentence_id, outlet, story_id, published, paragraph_id, kind,
        start, end, position, in_quote, n_words, text``. ``kind`` is one of ``headline``,
        ``dateline``, ``body``, ``heading``, ``bullet``, ``promo``, ``caption``, ``byline``,
        ``boilerplate`` or ``markup`` (see above). ``position`` runs from 0 (lede) to 1 over content sentences (headline, body, bullet) and
        is NaN for the other kinds. ``in_quote`` is the share of the sentence's characters
        inside quotation marks (curly or straight; a quote left open at the end of a paragraph
        runs to its end, as in multi-paragraph quotes). Articles that yield no sentence (empty
        text) are listed in ``.attrs["skipped"]`` with the reason, and a
        ``SkippedInputWarning`` says how many. Articles whose rows hold no content sentence
        (all furniture: a page that failed to scrape, a byline alone) keep their rows and are
        listed in ``.attrs["no_content"]``, with a ``SkippedInputWarning``.

    Raises
    ------
    TypeError
        If ``data`` is not a DataFrame or a text is not a string.
    SchemaError
        If ``article_id`` or ``text`` is missing.
    ValueError
        If ``article_id`` values repeat.

    Examples
    --------
    >>> import mediakit as mk
    >>> sentences = mk.split_sentences(mk.load_example("seeds"))
    >>> bool((sentences["end"] > sentences["start"]).all())
    True
    >>> sentences.loc[sentences["kind"] == "headline", "text"].iloc[0][:27]
    'Allies Forge Ahead on Ukrai'
    """
    articles = text_column(data, text, what="articles")
    require_columns(articles, ["article_id", "text"], what="articles",
                    hint="Build the frame with mk.read_articles(...).")
    carry = [str(c) for c in ([carry] if isinstance(carry, str) else carry)]
    require_columns(articles, carry, what="articles", hint="carry= names article columns.")
    carry = [c for c in carry if c not in SENTENCE_COLUMNS]
    if isinstance(abbreviations, str):  # one abbreviation, not its letters
        abbreviations = [abbreviations]
    abbreviations = tuple(sorted({str(a) for a in abbreviations}))
    ids = articles["article_id"]
    if ids.isna().any():
        raise ValueError("articles.article_id has missing values; give every article an id.")
    ids = ids.astype(str)
    dup = ids[ids.duplicated()].unique()
    if len(dup):
        raise ValueError(
            f"articles.article_id must be unique; repeated: {', '.join(map(repr, dup[:5]))}"
            + (" ..." if len(dup) > 5 else "") + ". Give each article its own id."
        )
    texts = articles["text"].tolist()
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        shown = ", ".join(repr(ids.iloc[i]) for i in bad[:5])
        raise TypeError(
            f"articles.text must be strings; {len(bad)} article(s) have "
            f"{type(texts[bad[0]]).__name__} instead (article_id {shown}). "
            "Drop or fill them first, e.g. articles.dropna(subset=['text'])."
        )
    if "title" in articles.columns:
        titles = [t if isinstance(t, str) else None for t in articles["title"].tolist()]
    else:
        titles = [None] * len(texts)

    if "outlet" in articles.columns:  # the outlet's own name above the story is its credit line
        outlets = [o if isinstance(o, str) else None for o in articles["outlet"].tolist()]
    else:
        outlets = [None] * len(texts)
    jobs = [(texts[r.start:r.stop], titles[r.start:r.stop], abbreviations, outlets[r.start:r.stop])
            for r in _parallel.chunk(range(len(texts)), n_jobs)]
    if progress is None:  # a bar (over chunks) for long work
        progress = len(texts) >= MIN_ITEMS_FOR_BAR
    with _parallel.worker_pool(n_jobs if len(jobs) > 1 else 1) as pool:
        parts = _parallel.run(_split_chunk, jobs, pool, progress=progress, desc="split")
    return _assemble(articles, ids, parts, carry)


def _assemble(articles: pd.DataFrame, ids: pd.Series, parts: list[dict],
              carry: list[str]) -> pd.DataFrame:
    """The sentences frame from the chunks' columns (:func:`_chunk_columns`), in order."""
    parts = parts or [_chunk_columns([], [])]
    counts = np.concatenate([part["counts"] for part in parts])
    owner = np.repeat(np.arange(len(counts)), counts)
    skipped, no_content = [], []
    first = np.cumsum([0] + [len(part["counts"]) for part in parts])
    for part, offset in zip(parts, first, strict=False):
        skipped += [{"article_id": ids.iloc[offset + i],
                     "reason": "text is empty or whitespace"} for i in part["empty"]]
        no_content += [{"article_id": ids.iloc[offset + i],
                        "reason": f"no content sentence, only {found}"}
                       for i, found in part["no_content"]]

    def joined(name):
        values = [part[name] for part in parts]
        if isinstance(values[0], np.ndarray):
            return np.concatenate(values)
        return type(values[0])._concat_same_type(values)

    frame = {"article_id": str_array(ids.tolist()).take(owner)}
    frame["sentence_id"] = joined("sentence_id")
    for col in ("outlet", "story_id", "published"):
        if col in articles.columns:
            # take from the column itself: its dtype holds even with no rows (dask meta)
            frame[col] = articles[col].array.take(owner)
        elif col == "story_id":
            frame[col] = pd.array(np.full(len(owner), "all", dtype=object), dtype="str")
        elif col == "published":
            frame[col] = pd.Series(pd.NaT, index=range(len(owner)), dtype="datetime64[ns, UTC]")
        else:
            frame[col] = pd.Series(pd.NA, index=range(len(owner)), dtype="string")
    for col in ("paragraph_id", "kind", "start", "end", "position", "in_quote", "n_words",
                "text"):
        frame[col] = joined(col)
    out = pd.DataFrame(frame, columns=list(SENTENCE_COLUMNS))
    for col in carry:
        out[col] = articles[col].array.take(owner)
    out.attrs["skipped"] = skipped
    out.attrs["no_content"] = no_content
    if no_content:
        warn(
            f"{len(no_content)} article(s) have no content sentence (only page furniture or "
            "structure: captions, promos, bylines, headings ...; a page that failed to scrape "
            "looks like this): measures and comparisons leave them out. Their rows are kept; "
            "see sentences.attrs['no_content'].",
            SkippedInputWarning,
        )
    if skipped:
        warn(
            f"{len(skipped)} article(s) gave no sentences (empty text); "
            "see sentences.attrs['skipped'].",
            SkippedInputWarning,
        )
    return out
