"""Sentence boundaries nupunkt gets wrong in news copy, fixed on its cut positions.

nupunkt (its default model, trained on legal text) decides each full stop alone; these rules
move, add or drop cuts where news copy and the "Golden Rules" of sentence segmentation need it:

- an abbreviation that can end a sentence ("U.S.", "p.m.", "Inc.", "etc.") followed by a
  capitalised word that opens sentences ("Analysts", "Officials", "The", "He") is a boundary:
  "Prices rose 5% in the U.S. Analysts expect more"; but not after a bare opener
  ("At 5 a.m. Mr. Smith went ...");
- a title before a name is never a boundary, also in the plural or with a prefix ("Sens. John
  Kerry", "Pfc. Jessica Lynch", "then-Gov. Walter J. Hickel");
- "!" or "?" followed by a lower-case word is not a boundary ("Yahoo! in the accounting
  department"); a single capital letter ends a sentence before a word like "Did" or "The"
  ("you and I. Did you see ...");
- an inline list ("1.) The first item 2.) The second item", "a. ... b. ...") is cut before each
  marker, never after it;
- a four-dot ellipsis after a word ends the sentence at the first dot (". . . The practice").

Every rule works on offsets only; the text is never changed.
"""

from __future__ import annotations

import bisect
import re

#: Titles before a name: never the end of a sentence (singular and plural, as nupunkt stores
#: abbreviations: lower case, no final full stop).
TITLES: frozenset[str] = frozenset("""
    mr mrs ms messrs mmes dr drs prof profs rev revs fr hon gov govs sen sens rep reps pres supt
    insp det sgt sgts cpl pvt pfc spc lt lts col cols gen gens maj capt cmdr adm adms brig cdr
    ens amb atty attys sec secs asst assoc st ste msgr sr jr mme mlle
""".split())

#: Abbreviations that can end a sentence: a following sentence opener starts a new sentence.
_ENDING_ABBREV = re.compile(
    r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:a\.m|p\.m|A\.M|P\.M|Inc|Corp|Co|Ltd|Bros|etc|Jr|Sr|LLC|PLC)\.)$"
)
#: Words that open sentences: closed-class words, and the subjects that most often open a
#: news sentence. Capitalised after "U.S." or "p.m." they start a new sentence.
STARTERS: frozenset[str] = frozenset("""
    a an the this that these those it its he she they we i you his her their our my your there
    here but and or so yet however meanwhile still also then now today yesterday tomorrow
    tonight earlier later in on at by for from with after before when while if as although
    though because since during under over among about according last next some many most
    several few all both each every no not one two three four five what why how who where which
    such other others another nor instead indeed thus hence officials analysts experts police
    prices investors authorities residents witnesses critics lawmakers voters shares stocks
    markets economists researchers scientists doctors prosecutors officers troops soldiers
    protesters observers sources reporters people mr mrs ms dr did does do is are was were
    has have had will would can could should may might must
""".split())
_CLOSED_STARTERS = frozenset("""
    a an the this that these those it its he she they we i you his her their our my your there
    here but and or so yet however did does do is are was were has have had will would can
    could should may might must what why how who where which
""".split())
_OPENER_PREPS = frozenset("at by on in until from after before since around about near".split())
_STOP_BEFORE_CAPITAL = re.compile(
    r"\.[\"'”’)\]]*(?P<gap>\s+)[\"'“‘(]*(?P<next>[A-Z][\w'’]*)"
)
#: Abbreviations that never end a sentence before a capitalised word.
_NON_ENDING = frozenset("vs v e.g i.e cf viz approx ca incl et al fig figs vol vols pp p art sec ch".split())
_NUMBER_ABBREV = re.compile(r"(?i:\b(?:no|nos|n°|nº|art|vol|fig|pp?|ch|sec))\.\s*$")
_INITIALISM = re.compile(r"(?:^|[/(\"“-])(?:[A-Za-z]\.){2,}$")
_NEXT_WORD = re.compile(r"\s*[\"'“‘(]*([^\W\d_][\w'’]*)")
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.$")
_FOUR_DOTS = re.compile(r"(?<=\w\.)\s+(?=\.\s\.\s\.\s+[A-Z])")
_LIST_MARKER = re.compile(
    r"(?:(?<=\s)|^)(?P<bullet>[•⁃▪●◦‣►*·-]\s*)?"
    r"(?P<label>\d{1,3}|[a-z])(?P<close>\.\)|\.|\))(?=\s)"
)


def _next_word(chunk: str, pos: int) -> str:
    m = _NEXT_WORD.match(chunk, pos)
    return m.group(1) if m else ""


def _bare_opener(piece: str) -> bool:
    """A fragment like "At 5 a.m." that cannot be a sentence on its own."""
    words = piece.split()
    return len(words) <= 4 and words[0].lower().strip("\"'“(") in _OPENER_PREPS


def _list_cuts(chunk: str) -> list[int] | None:
    """Cut positions of an inline list ("1. a 2. b", "a. x b. y"), or None if it is not one."""
    first = _LIST_MARKER.match(chunk)
    if not first:
        return None
    style = (first.group("bullet") or "").strip(), first.group("close")
    label = first.group("label")
    if label.isdigit():
        want = int(label) + 1
        nxt = str
    elif label in "ab":  # letters: a, b, c ... only from "a" (or "b" after a cut-off "a")
        want = ord(label) + 1
        nxt = chr
    else:
        return None
    cuts = []
    for m in _LIST_MARKER.finditer(chunk, first.end()):
        if ((m.group("bullet") or "").strip(), m.group("close")) != style:
            continue
        if m.group("label") == nxt(want):
            cuts.append(m.start())
            want += 1
    return cuts or None


def may_be_list(chunk: str) -> bool:
    """Whether the block opens with an inline-list marker (the only cuts ``refine`` makes in a
    block without a full stop before its end)."""
    return _LIST_MARKER.match(chunk) is not None


def _keeps_together(chunk: str, cut: int, piece: str) -> bool:
    """Whether a cut before a capitalised word after ``piece`` (the text before the cut, with a
    full stop in its last characters) is no boundary: a title before a name ("Sens. John
    Kerry") or an initialism before a word that does not open sentences ("U.S. Secretary")."""
    token = piece[piece.rfind(" ") + 1:].rstrip("\"'”’)").lstrip("\"'“‘([")
    return token.endswith(".") and (
        token[:-1].lower().rsplit("-", 1)[-1] in TITLES
        or (token.count(".") >= 2 and _INITIALISM.search(token) is not None
            and _next_word(chunk[cut:cut + 48].lstrip(), 0).lower() not in STARTERS))


def refine(chunk: str, cuts: list[int]) -> list[int]:
    """Corrected cut positions (sentence starts after the first) for one block of text."""
    listed = _list_cuts(chunk)
    if listed is not None:
        # an inline list: cut before every marker, never right after one ("2.)" is no sentence)
        starts = {0, *listed}
        ends = [m.end() for m in _LIST_MARKER.finditer(chunk) if m.start() in starts]
        cuts = sorted({c for c in cuts if not any(e <= c <= e + 2 for e in ends)} | set(listed))
    # every test below looks at the few characters around a cut only: linear in the text
    out: list[int] = []
    prev = 0  # the last cut kept
    digit = False  # a kept cut before a digit: checked for "No. 5" below
    for cut in cuts:
        at = chunk[cut:cut + 1]
        if at.isupper():  # most cuts: a capital opening the next word (the branch below)
            piece = chunk[cut - 48 if cut - 48 > prev else prev:cut].rstrip()
            if "." in piece[-4:] and _keeps_together(chunk, cut, piece):
                continue
            out.append(cut)
            prev = cut
            continue
        if at and not at.isspace():  # nupunkt's cuts start at the next word: no strip needed
            first = at
            if first in ",;:)]" or (first == "'" and chunk.startswith("''", cut)):
                continue  # a cut before closing punctuation ("InternationalCo.'', includes")
        else:
            nxt = chunk[cut:cut + 48].lstrip()
            first = nxt[:1]
            if first in ",;:)]" or nxt.startswith("''"):
                continue
        if first.islower():
            piece = chunk[max(prev, cut - 48):cut].rstrip()
            if piece[-1:] in "!?\"”" and piece.rstrip("\"”")[-1:] in ("!", "?"):
                continue  # "Yahoo! in the ..."
        elif first.isupper():
            piece = chunk[max(prev, cut - 48):cut].rstrip()
            if "." in piece[-4:] and _keeps_together(chunk, cut, piece):
                continue
        elif at.isdigit():
            digit = True
        out.append(cut)
        prev = cut
    # add cuts nupunkt missed: a full stop before a capitalised word that opens sentences
    # ("U.S. Analysts"), and one after a plain lower-case word before any capitalised word
    # ("ago. Joe"): nupunkt's default model counts many plain words as abbreviations
    seen = set(cuts)
    extra = []
    for m in _STOP_BEFORE_CAPITAL.finditer(chunk):
        start = m.end(1)  # the end of "gap": the next word's opening
        if start in seen:
            continue  # nupunkt's own cut, kept or dropped above
        dot = m.start()
        tok_start = chunk.rfind(" ", 0, dot) + 1
        token = chunk[tok_start:dot].lstrip("\"'“‘([")
        lw = m.group("next").lower()
        low_tok = token.lower()
        if not token or low_tok.rsplit("-", 1)[-1] in TITLES or low_tok in _NON_ENDING:
            continue
        if len(token) == 1 and token.isalpha():  # an initial: only "I" before "Did", "The"
            if token != "I" or lw not in _CLOSED_STARTERS:
                continue
        elif token[-1].isdigit() and "." not in token:
            continue  # a number ("No. 5. The") is nupunkt's call
        elif lw not in STARTERS and not (token.isalpha() and token.islower() and len(token) > 1):
            continue
        i = bisect.bisect_left(out, start)
        piece_start = out[i - 1] if i else 0
        if dot + 1 - piece_start < 48 and _bare_opener(chunk[piece_start:dot + 1]):
            continue
        extra.append(start)
    # a number abbreviation before a number is no boundary ("N°. 1026", "No. 5")
    if digit:
        out = [c for c in out if not (chunk[c:c + 1].isdigit() and _NUMBER_ABBREV.search(
            chunk, max(0, c - 8), c))]
    # four dots: the sentence ends at the first one
    for m in (_FOUR_DOTS.finditer(chunk) if ". . ." in chunk else ()):
        ell = m.end()
        after = ell + 5  # ". . ." then the next word
        out = [c for c in out if not ell < c <= after + 2]
        extra.append(ell)
    return sorted(set(out) | set(extra)) if extra else out  # ``out`` is in order, no repeats
