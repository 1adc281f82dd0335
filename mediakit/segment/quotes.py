"""Where the quotation marks in an article open and close.

Used for the sentences frame's ``in_quote`` and by quote extraction. Quotes are found per
paragraph (line block). Following journalistic convention, a quote whose paragraph ends without a
closing mark runs to the end of that paragraph, and when the next paragraph opens with a quote
mark the quote continues there (``continued`` is set on the later span).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# opening -> closing marks of double quotes; straight quotes toggle
_DOUBLE_OPEN = {"“": "”", "„": "”", "«": "»", "‟": "”"}
_DOUBLE_CLOSE = {"”", "»"}
#: Double quotation marks: single ones ("‘", "’") are apostrophes too often to open a quote,
#: so the scan never stops at them.
_QUOTE_CHARS = re.compile(r"[\"“”„«»‟]")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quoted stretch ``text[start:end]``, marks included.

    ``closed`` is False when the paragraph ended before a closing mark; ``continued`` is True
    when the span continues a quote left open in the previous paragraph.
    """

    start: int
    end: int
    closed: bool
    continued: bool = False


def _paragraph_spans(text: str, p_start: int, p_end: int) -> list[tuple[int, int, bool]]:
    """Double-quote spans within one paragraph: (start, end, closed)."""
    spans: list[tuple[int, int, bool]] = []
    open_at = -1
    expect = ""
    for m in _QUOTE_CHARS.finditer(text, p_start, p_end):
        ch = m.group()
        i = m.start()
        if open_at < 0:
            if ch in _DOUBLE_OPEN:
                open_at, expect = i, _DOUBLE_OPEN[ch]
            elif ch == '"':
                open_at, expect = i, '"'
            elif ch == "”":
                # a closing mark with no opening one: treat as the end of a quote that began at
                # the paragraph start (e.g. the last paragraph of a multi-paragraph quote whose
                # opening mark was dropped)
                if not spans:
                    spans.append((p_start, i + 1, True))
            continue
        if ch == expect or (expect != '"' and ch in _DOUBLE_CLOSE) or (expect == '"' and ch == "”"):
            spans.append((open_at, i + 1, True))
            open_at = -1
        elif ch == '"' and expect != '"':
            # straight quote inside a curly quote: a nested mark, ignore
            continue
    if open_at >= 0:
        end = p_end
        while end > open_at and text[end - 1].isspace():
            end -= 1
        spans.append((open_at, end, False))
    return spans


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line of ``text``, in order."""
    bounds = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        if text[pos:end].strip():
            bounds.append((pos, end))
        if nl < 0:
            break
        pos = nl + 1
    return bounds


def quote_spans(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[QuoteSpan]:
    """Find the quoted stretches of an article.

    Parameters
    ----------
    text : str
        The article text.
    paragraphs : list of (start, end), optional
        Paragraph bounds; by default every non-blank line is a paragraph.

    Returns
    -------
    list of QuoteSpan
        In reading order, non-overlapping, marks included.
    """
    if paragraphs is None:
        paragraphs = paragraph_bounds(text)
    out: list[QuoteSpan] = []
    carry = False  # previous paragraph ended inside a quote
    search = _QUOTE_CHARS.search
    pos, nxt = 0, -1  # ``nxt``: the first quote mark at or after ``pos`` (len(text): none)
    for p_start, p_end in paragraphs:
        if nxt < p_start or pos > p_start:
            mark = search(text, p_start)
            pos, nxt = p_start, (mark.start() if mark else len(text))
        if nxt >= p_end:  # no mark in the paragraph: no span, and no quote left open
            carry = False
            continue
        first = p_start
        while first < p_end and text[first].isspace():
            first += 1
        spans = _paragraph_spans(text, p_start, p_end)
        opens_with_quote = first < p_end and text[first] in "“\"„«"
        for k, (s, e, closed) in enumerate(spans):
            continued = carry and k == 0 and opens_with_quote and s == first
            out.append(QuoteSpan(s, e, closed, continued))
        carry = bool(spans) and not spans[-1][2]
    return out


def quoted_share(starts, ends, spans: list[QuoteSpan]) -> list[float]:
    """Share of each [start, end) range covered by ``spans`` (both sorted by start)."""
    if not spans:
        return [0.0] * len(starts)
    shares = []
    j = 0
    n = len(spans)
    for s, e in zip(starts, ends, strict=True):
        length = e - s
        if length <= 0:
            shares.append(0.0)
            continue
        while j < n and spans[j].end <= s:
            j += 1
        covered = 0
        k = j
        while k < n and spans[k].start < e:
            covered += min(e, spans[k].end) - max(s, spans[k].start)
            k += 1
        shares.append(min(1.0, covered / length))
    return shares
