"""Lines of an article: structural versus wrapped line breaks, and the kind of each line block."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mediakit._lines import looks_like_headline

_BULLET = re.compile(r"^\s*(?:[-•*·–—▪●◦‣►]|\d{1,3}[.)])\s+(?=\S)")
_MARKUP = re.compile(
    r"^\s*(?:<\s*/?[a-zA-Z!][^<>]{0,500}>?|<|[a-zA-Z][\w:-]*(?:\s+[\w:.-]+\s*=\s*[\"“”'][^\"“”']*[\"“”'])+\s*/?>"
    r"|</?[a-zA-Z][\w:-]*\s*/?>(?:\s*</?[a-zA-Z][\w:-]*\s*/?>)*)\s*$"
)
_PROMO = re.compile(
    r"^\s*(?:find out more|more on this|read more|read also|also read|related(?: articles?| stories| coverage)?"
    r"|see also|more from|watch|listen|recommended|most read|sign up|subscribe|click here|more:"
    r"|explainer|analysis|live updates)\b\s*[:|–—-]?",
    re.IGNORECASE,
)
_PROMO_STRICT = re.compile(  # label words that are promo only with a colon or alone on the line
    r"^\s*(?:watch|listen|explainer|analysis|live updates|recommended|most read)\s*(?::|$)",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\s*(?i:by|written by|reporting by|words by|additional reporting by)\s+[A-Z\u00C0-\u024F][^\n]{0,80}$"
)
_HEADING_MD = re.compile(r"^\s*#{1,6}\s+\S")
_DATELINE = re.compile(
    r"^(?P<dl>[A-Z\u00C0-\u024F][\w\u00C0-\u024F.'’-]*(?:[ ,]+[A-Z\u00C0-\u024F][\w\u00C0-\u024F.'’-]*){0,3}"
    r"(?:\s*\([^()\n]{1,40}\))?\s*[–—-]{1,2})\s+(?=\S)"
)
_SPEECH = re.compile(  # a line ending in ":" with a verb of saying leads into a quote: body
    r"\b(?:said|says|say|told|tells|tell|added|adds|stated|states|warned|warns|explained|"
    r"explains|wrote|writes|asked|asks|declared|declares|insisted|insists|announced)\b",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
_WORDS = re.compile(r"\w+(?:[’'.-]\w+)*")


@dataclass(slots=True)
class Block:
    """A paragraph: one line, or several hard-wrapped lines joined."""

    start: int
    end: int
    kind: str  # provisional kind of the whole block


def _line_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line with content, trimmed of surrounding whitespace."""
    out = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        s, e = pos, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
        if nl < 0:
            break
        pos = nl + 1
    return out


def _wrap_width(text: str, lines: list[tuple[int, int]]) -> int | None:
    """The column width a hard-wrapped text was wrapped at, or None if it is not wrapped.

    Wrapped text (wire copy, e-mail) has many lines close to one width and almost none longer.
    """
    if len(lines) < 4:
        return None
    lengths = sorted(e - s for s, e in lines)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 30 <= width <= 110:
        return None
    too_long = sum(1 for n in lengths if n > width + 12)
    near = sum(1 for n in lengths if n >= width - 20)
    if too_long > 0.05 * len(lengths) or near < 0.4 * len(lengths):
        return None
    return lengths[-1] if lengths[-1] <= width + 12 else width


def _is_wrap(text: str, cur: tuple[int, int], nxt: tuple[int, int], width: int) -> bool:
    """Whether the break between two lines is a wrap: the next word would not have fitted."""
    if text.count("\n", cur[1], nxt[0]) != 1:
        return False  # a blank line between: a paragraph break
    nxt_line = text[nxt[0]:nxt[1]]
    if _BULLET.match(nxt_line) or _MARKUP.match(nxt_line):
        return False
    first_word = nxt_line.split(None, 1)[0]
    return (cur[1] - cur[0]) + 1 + len(first_word) > width - 2 or nxt_line[:1].islower()


def blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph bounds: lines, with hard-wrapped lines joined into one block."""
    lines = _line_bounds(text)
    width = _wrap_width(text, lines)
    if width is None:
        return lines
    out = []
    cur_start, cur_end = lines[0]
    for prev, nxt in zip(lines, lines[1:], strict=False):
        if _is_wrap(text, prev, nxt, width):
            cur_end = nxt[1]
        else:
            out.append((cur_start, cur_end))
            cur_start, cur_end = nxt
    out.append((cur_start, cur_end))
    return out


def classify(text: str, bounds: list[tuple[int, int]], title: str | None) -> list[str]:
    """Provisional kind of each block, in reading order.

    ``markup`` (leftover tags), ``promo`` (link lines and the link headlines after them),
    ``bullet``, ``heading``, ``byline``, ``headline`` (the first content line when it is the
    title or reads as one) and ``body``. Datelines are split off body blocks later.
    """
    kinds: list[str] = []
    in_promo = False
    seen_content = False
    title_norm = " ".join(title.split()) if title else None
    for i, (s, e) in enumerate(bounds):
        line = text[s:e]
        n_words = len(_WORDS.findall(line))
        terminal = bool(_TERMINAL.search(line))
        if _MARKUP.match(line):
            kind = "markup"
        elif _PROMO.match(line) and (not _PROMO_STRICT.match(line) or ":" in line or n_words <= 3):
            kind = "promo"
            in_promo = True
        elif in_promo and not terminal and n_words <= 20 and not _BULLET.match(line):
            kind = "promo"  # a related-article headline under a promo label
        elif _BULLET.match(line):
            kind = "bullet"
        elif _HEADING_MD.match(line) or (
            line.endswith(":") and n_words <= 8 and not _SPEECH.search(line)
        ):
            kind = "heading"
        elif _BYLINE.match(line) and n_words <= 12 and not terminal:
            kind = "byline"
        elif not seen_content and i < len(bounds) - 1 and (
            (title_norm and " ".join(line.split()) == title_norm) or looks_like_headline(line)
        ):
            kind = "headline"
        elif (seen_content and not terminal and n_words <= 12 and not line.endswith(",")
              and not (line.endswith(":") and _SPEECH.search(line))):
            kind = "heading"
        else:
            kind = "body"
        if kind != "promo":
            in_promo = False
        if kind in ("headline", "body", "bullet"):
            seen_content = True
        kinds.append(kind)
    return kinds


def dateline_end(line: str) -> int:
    """Length of a leading dateline ("Brussels –", "WASHINGTON (Reuters) -") or 0."""
    m = _DATELINE.match(line)
    if not m:
        return 0
    words = _WORDS.findall(m.group("dl"))
    if not 1 <= len(words) <= 6:
        return 0
    return len(m.group("dl"))


def strip_bullet(line: str) -> int:
    """Length of a leading bullet marker, or 0."""
    m = _BULLET.match(line)
    return m.end() if m else 0
