"""Lines of an article: structural versus wrapped line breaks, and the kind of each line block."""

from __future__ import annotations

import re

from mediakit._lines import looks_like_headline
from mediakit.segment import _furniture

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
_PROMO_HEADS = frozenset("fmrwlscea")  # first letters of the words ``_PROMO`` opens with


_PROMO_WORDS = frozenset(  # the first word of each of ``_PROMO``'s labels
    "find more read also related see watch listen recommended most sign subscribe click"
    " explainer analysis live".split())
_ASCII_WORD = re.compile(r"[A-Za-z]+")


def _may_be_promo(line: str) -> bool:
    """Whether ``_PROMO`` can match: a line opening with ASCII letters opens with one of its
    labels' first words, whole (a label word is followed by a space, a colon or no letter).
    A non-ASCII letter may match an ASCII one without regard to case ("K", the Kelvin sign):
    the regex decides then."""
    head = line[:1]
    if not head.isascii() or head.isspace():
        return True
    if head.lower() not in _PROMO_HEADS:
        return False
    end = _ASCII_WORD.match(line).end()
    return not line[end:end + 1].isascii() or line[:end].lower() in _PROMO_WORDS


_BULLET_HEADS = frozenset("-•*·–—▪●◦‣►")


def _is_bullet(line: str) -> bool:
    """``_BULLET.match(line)``, tried only on lines that open with a mark, a digit or space."""
    head = line[:1]
    return ((head in _BULLET_HEADS or head.isdigit() or head.isspace())
            and _BULLET.match(line) is not None)


def _is_md_heading(line: str) -> bool:
    head = line[:1]
    return (head == "#" or head.isspace()) and _HEADING_MD.match(line) is not None


_PROMO_STRICT = re.compile(  # label words that are promo only with a colon or alone on the line
    r"^\s*(?:watch|listen|explainer|analysis|live updates|recommended|most read)\s*(?::|$)",
    re.IGNORECASE,
)
_HEADING_MD = re.compile(r"^\s*#{1,6}\s+\S")
_DATELINE = re.compile(
    r"^(?P<dl>[A-Z\u00C0-\u024F][\w\u00C0-\u024F.'’-]*(?:[ ,]+[A-Z\u00C0-\u024F][\w\u00C0-\u024F.'’-]*){0,3}"
    r"(?:\s*\([^()\n]{1,40}\))?\s*[–—-]{1,2})\s+(?=\S)"
)
_NOT_PLACE = frozenset(  # words that open a sentence, never a place name
    "the a an this that these those it he she they we i you his her its their our my but and or"
    " so if when while as in on at by for from with after before".split()
)
_ASIDE_DASH = re.compile(r"\s[–—]|\s-{1,2}\s")
_SPEECH = re.compile(  # a line ending in ":" with a verb of saying leads into a quote: body
    r"\b(?:said|says|say|told|tells|tell|added|adds|stated|states|warned|warns|explained|"
    r"explains|wrote|writes|asked|asks|declared|declares|insisted|insists|announced)\b",
    re.IGNORECASE,
)
_OPEN_END = re.compile(r"[\w,)\"'”’]\s*$")  # a line that leaves its sentence open
_TWEET_END = re.compile(r"\b(?:19|20)\d\d\s*$")  # "— Name (@handle) March 15, 2017"
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
_CLOSERS = "\"'”’»)]"


def _is_terminal(line: str) -> bool:
    """``_TERMINAL.search(line)`` without a search from every full stop of a long line: the line
    ends (before white space) with a sentence end and any closing quotes or brackets."""
    return line.rstrip().rstrip(_CLOSERS)[-1:] in _SENT_ENDS


_SENT_ENDS = frozenset(".!?…")
#: A word: letters and digits, joined by an apostrophe, a full stop or a hyphen ("don't", "U.S",
#: "co-op"). The possessive ``*+`` finds the same words (nothing follows the group to backtrack
#: for) without keeping backtracking state: counting words is a sizeable part of splitting.
WORDS = re.compile(r"\w+(?:[’'.-]\w+)*+")
_WORDS = WORDS

#: Each ASCII character's part in a word: "w" a word character, "j" a joiner, " " neither.
_SHAPE = {c: "w" if re.fullmatch(r"\w", chr(c)) else "j" if chr(c) in "'.-" else " "
          for c in range(128)}
#: Common non-ASCII characters of news text, as ASCII characters with the same part in a word.
_AS_ASCII = (("’", "'"), ("“", " "), ("”", " "), ("—", " "), ("–", " "), ("‘", " "), ("…", " "),
             ("\xa0", " "))


def count_words(line: str) -> int:
    """``len(WORDS.findall(line))`` with string methods running in C: about twice as fast,
    and counting words is a sizeable part of splitting.

    Each character becomes its part in a word ("w", joiner "j" or " "); a joiner between two
    word characters joins them ("wjw" -> "www", twice covers "U.S.A": the replacements do not
    overlap), and the words are the runs of "w". A line with other non-ASCII characters (whose
    part the table does not hold) is counted by the regex.
    """
    if not line.isascii():
        for char, same in _AS_ASCII:
            if char in line:
                line = line.replace(char, same)
        if not line.isascii():
            return len(WORDS.findall(line))
    shape = line.translate(_SHAPE)
    while "wjw" in shape:
        shape = shape.replace("wjw", "www")
    return shape.count(" w") + shape.count("jw") + (shape[:1] == "w")


#: Line breaks: "\n", "\r", and the other characters ``str.splitlines`` breaks at (a form feed
#: or a Unicode line separator between a headline and the story is a line break too).
BREAKS = re.compile(r"[\n\r\f\v\x1c-\x1e\x85\u2028\u2029]")
_BREAK_CHARS = "\n\r\f\v\x1c\x1d\x1e\x85\u2028\u2029"
_RARE_BREAK_CHARS = "\f\v\x1c\x1d\x1e\x85\u2028\u2029"


def _line_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line with content, trimmed of surrounding whitespace."""
    out = []
    pos = 0
    n = len(text)
    # rare line breaks other than "\n" ("\r\n" is found by "\n" and trimmed as white space)
    scan = any(c in text for c in _RARE_BREAK_CHARS) or (
        "\r" in text and text.count("\r") != text.count("\r\n"))
    while pos < n:
        if scan:
            m = BREAKS.search(text, pos)
            nl = m.start() if m else -1
        else:
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


def _n_breaks(text: str, a: int, b: int) -> int:
    """Line breaks between two lines ("\r\n" counts once)."""
    gap = text[a:b]
    return sum(gap.count(c) for c in _BREAK_CHARS) - gap.count("\r\n")


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
    if _n_breaks(text, cur[1], nxt[0]) != 1:
        return False  # a blank line between: a paragraph break
    nxt_line = text[nxt[0]:nxt[1]]
    if _BULLET.match(nxt_line) or _MARKUP.match(nxt_line):
        return False
    if nxt_line[:1].islower():
        return True
    first_word = nxt_line.split(None, 1)[0]
    if (cur[1] - cur[0]) + 1 + len(first_word) <= width - 2:
        return False
    # a capitalised line that is furniture on its own ("Enlarge this image ...") starts anew
    return _furniture.furniture_kind(nxt_line, count_words(nxt_line), False) is None


def _continues(text: str, prev: tuple[int, int], nxt: tuple[int, int]) -> bool:
    """Whether ``nxt`` continues the sentence ``prev`` leaves open (a stray line break).

    The line ends without closing punctuation, the next one starts with a lower-case letter
    after at most one blank line, and neither is structure or furniture (a bullet, a heading,
    markup, a caption, a promo, a link).
    """
    if not text[nxt[0]].islower() or _n_breaks(text, prev[1], nxt[0]) > 2:
        return False
    p_line, n_line = text[prev[0]:prev[1]], text[nxt[0]:nxt[1]]
    if _OPEN_END.search(p_line) is None or n_line.startswith(("http", "www.")):
        return False
    if (_BULLET.match(n_line) or _MARKUP.match(p_line) or _MARKUP.match(n_line)
            or _HEADING_MD.match(p_line) or _TWEET_END.search(p_line)):
        return False
    for line in (p_line, n_line):
        n_words = count_words(line)
        if (_furniture.furniture_kind(line, n_words, False) is not None
                or _furniture.byline_anywhere(line, n_words)):
            return False
    return True


def blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph bounds: lines, with hard-wrapped lines joined into one block, and a line that
    continues the sentence of the line before (a stray line break) joined to it."""
    lines = _line_bounds(text)
    width = _wrap_width(text, lines)
    if width is None:
        out = lines
    else:
        out = []
        cur_start, cur_end = lines[0]
        for prev, nxt in zip(lines, lines[1:], strict=False):
            if _is_wrap(text, prev, nxt, width):
                cur_end = nxt[1]
            else:
                out.append((cur_start, cur_end))
                cur_start, cur_end = nxt
        out.append((cur_start, cur_end))
    if len(out) < 2:
        return out
    joined = [out[0]]
    for prev, nxt in zip(out, out[1:], strict=False):  # the line before, not the joined block:
        if _continues(text, prev, nxt):                # linear however many lines join
            joined[-1] = (joined[-1][0], nxt[1])
        else:
            joined.append(nxt)
    return joined


def _names_above_story(text: str, bounds: list[tuple[int, int]], i: int, line: str,
                       title_norm: str | None, outlet_norm: str | None) -> bool:
    """Whether a line of names above the story is its byline rather than a title-case headline
    ("Eliza Collins" over "USA TODAY", but not "Senate Passes Budget Deal" opening a text).

    The first line of a text without a title could be either: it is a byline only with two
    names ("X and Y"), a credit after a comma, or a credit line under it.
    """
    if i > 0 or title_norm is not None or " and " in line or "," in line:
        return True
    if i + 1 >= len(bounds):
        return False
    nxt = text[bounds[i + 1][0]:bounds[i + 1][1]]
    n_words = count_words(nxt)
    return (not _TERMINAL.search(nxt) and _furniture.is_affiliation(nxt, n_words)) or (
        outlet_norm is not None and " ".join(nxt.lower().split()) == outlet_norm)


def classify(text: str, bounds: list[tuple[int, int]], title: str | None,
             outlet: str | None = None, counts: list[int] | None = None) -> list[str]:
    """Provisional kind of each block, in reading order.

    ``markup`` (leftover tags); page furniture (``caption``, ``promo``, ``boilerplate``: see
    ``_furniture``); ``promo`` also for link lines and the link headlines after them;
    ``byline`` ("By X", "- Name", "X contributed to this report" anywhere; a line of names,
    the credit line under it, or the outlet's own name, above the story); ``bullet``, ``heading``, ``headline`` (the
    first content line when it is the title or reads as one) and ``body``. Datelines are split
    off body blocks later.
    """
    kinds: list[str] = []
    in_promo = False
    seen_content = False
    above_story = True  # no body or bullet line yet: where bylines sit
    link_label = False  # the line is a related-links label: link headlines may follow
    title_norm = " ".join(title.split()) if title else None
    outlet_norm = " ".join(outlet.lower().split()) if outlet and outlet.strip() else None
    for i, (s, e) in enumerate(bounds):
        line = text[s:e]
        # every rule below compares the word count with 60 or less: a long paragraph's spaces
        # tell enough without counting its words
        spaces = line.count(" ")
        n_words = spaces if spaces > 90 else count_words(line)
        if counts is not None:  # the exact word count, for the caller to reuse (-1: not counted)
            counts.append(-1 if spaces > 90 else n_words)
        terminal = line.rstrip().rstrip(_CLOSERS)[-1:] in _SENT_ENDS  # ``_is_terminal``
        markup = ("<" in line or ">" in line) and _MARKUP.match(line) is not None  # needs one
        furniture = None if markup else _furniture.furniture_kind(line, n_words, terminal)
        is_title = (not seen_content and title_norm is not None
                    and " ".join(line.split()) == title_norm)
        if markup:
            kind = "markup"
        elif furniture is not None:
            kind = furniture
            link_label = furniture == "promo" and _furniture.is_link_label(line)
        elif _furniture.byline_anywhere(line, n_words):
            kind = "byline"  # "Analysis by Jane Doe" credits, it does not link
        elif (_may_be_promo(line) and _PROMO.match(line)
              and (not _PROMO_STRICT.match(line) or ":" in line or n_words <= 3)):
            kind = "promo"
            link_label = True
        elif in_promo and not terminal and n_words <= 20 and not _is_bullet(line):
            kind = "promo"  # a related-article headline under a promo label
        elif (
            not is_title and n_words <= 16
            and _furniture.is_name_line(line, above_story=above_story)
            and (not above_story or _names_above_story(text, bounds, i, line, title_norm,
                                                        outlet_norm))
        ) or (above_story and not terminal and n_words <= 6 and (
            (kinds and kinds[-1] == "byline" and _furniture.is_affiliation(line, n_words))
            or (outlet_norm is not None and " ".join(line.lower().split()) == outlet_norm))
        ) or (
            n_words <= 16 and _furniture.is_signature(line)
            and not (kinds and kinds[-1] == "bullet")
            and not (i + 1 < len(bounds) and _is_bullet(text[bounds[i + 1][0]:bounds[i + 1][1]]))
        ):
            kind = "byline"
        elif _is_bullet(line):
            kind = "bullet"
        elif _is_md_heading(line) or (
            line.endswith(":") and n_words <= 8 and not _SPEECH.search(line)
        ):
            kind = "heading"
        elif not seen_content and i < len(bounds) - 1 and (is_title or looks_like_headline(line)):
            kind = "headline"
        elif (seen_content and not terminal and n_words <= 12 and not line.endswith(",")
              and not (line.endswith(":") and _SPEECH.search(line))):
            kind = "heading"
        else:
            kind = "body"
        in_promo = kind == "promo" and link_label
        link_label = False
        if kind in ("headline", "body", "bullet"):
            seen_content = True
        if kind in ("body", "bullet"):
            above_story = False
        kinds.append(kind)
    return kinds


def dateline_end(line: str) -> int:
    """Length of a leading dateline ("Brussels –", "WASHINGTON (Reuters) -") or 0.

    A dateline is a place (and agency) opening the first paragraph: a place in capitals
    ("ST. PAUL, Minn. (AP) —"), any place with an agency in brackets, or a short place name
    ("Brussels –", "Kyiv, Ukraine —") whose dash does not open an aside closed by a second dash
    ("The World Health Organization — another Lilly partner — has declared" is a sentence).
    """
    m = _DATELINE.match(line)
    if not m:
        return 0
    dl = m.group("dl")
    words = _WORDS.findall(dl)
    if not 1 <= len(words) <= 6 or words[0].lower() in _NOT_PLACE:
        return 0
    caps = sum(1 for c in words[0] if c.isupper()) >= 2 and words[0].upper() == words[0]
    agency = "(" in dl
    if not (caps or agency):
        place_words = [w for w in re.split(r"[ ,]+", dl.split("(")[0].rstrip(" –—-")) if w]
        first_sentence = re.split(r"(?<=[.!?])\s", line[m.end():m.end() + 300], maxsplit=1)[0]
        if len(place_words) > 3 or _ASIDE_DASH.search(first_sentence):
            return 0
    return len(dl)
