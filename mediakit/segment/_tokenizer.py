"""The sentence tokenizer: a private nupunkt instance with news abbreviations added."""

from __future__ import annotations

import re
import sys
from functools import lru_cache

#: Abbreviations common in news copy that nupunkt's default (legal-domain) model may not know.
#: Lower case, without the final full stop, as nupunkt stores them.
NEWS_ABBREVIATIONS: tuple[str, ...] = (
    # titles and ranks
    "mr", "mrs", "ms", "dr", "prof", "rev", "fr", "hon", "gov", "sen", "rep", "pres", "supt",
    "insp", "det", "sgt", "cpl", "pvt", "lt", "col", "gen", "maj", "capt", "cmdr", "adm", "brig",
    "cdr", "lt. col", "lt. gen", "maj. gen", "brig. gen", "st", "jr", "sr", "messrs", "mme",
    # places and organisations
    "u.s", "u.k", "u.n", "e.u", "u.s.a", "d.c", "n.y", "l.a", "calif", "fla", "mass", "penn",
    "wash", "ariz", "colo", "conn", "ill", "mich", "minn", "tenn", "va", "wis", "inc", "corp",
    "ltd", "co", "bros", "dept", "univ", "assn", "govt", "natl",
    # time and counting
    "a.m", "p.m", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "mon",
    "tue", "tues", "wed", "thu", "thurs", "fri", "no", "nos", "n°", "nº", "vs", "approx", "est", "etc",
    "e.g", "i.e", "ft", "mph", "km", "oz", "lb", "lbs",
)


@lru_cache(maxsize=8)
def tokenizer(extra: tuple[str, ...] = ()):
    """A private nupunkt tokenizer (never the library's shared default) with news abbreviations."""
    import nupunkt

    tok = nupunkt.load_default_model()
    tok.add_abbreviations([a.lower().rstrip(".") for a in (*NEWS_ABBREVIATIONS, *extra)])
    # nupunkt memoizes its decision per candidate context ("Tuesday." + " He") and empties the
    # memo when it holds 32,768: a few thousand articles have more distinct contexts than that,
    # and each one decided again costs more than the entry (~150 bytes). A cache: no effect on
    # the cuts.
    tok._DECISION_MEMO_SIZE = _MEMO_SIZE
    # nupunkt finds the word holding each candidate full stop with ``re.match(r".*\s", text,
    # pos, endpos)``, which runs to the candidate and backtracks to the last white space: a
    # sentence's length of steps for every candidate, a fifth of nupunkt's time. The same
    # answer from ``str.rfind``; only when the pattern is the one replaced.
    last_ws = getattr(type(tok), "_RE_LAST_WS", None)
    if getattr(last_ws, "pattern", None) == r".*\s" and last_ws.flags & re.DOTALL:
        tok._RE_LAST_WS = _LastWhiteSpace()
    return tok


_MEMO_SIZE = 1 << 18


class _End:
    __slots__ = ("_end",)

    def __init__(self, end: int) -> None:
        self._end = end

    def end(self) -> int:
        return self._end


class _LastWhiteSpace:
    r"""``re.compile(r".*\s", re.DOTALL)``'s ``match``: up to and including the last white
    space character of ``text[pos:endpos]`` (only ``end()`` of the match), else None."""

    pattern = r".*\s"
    flags = re.DOTALL

    @staticmethod
    def match(text: str, pos: int = 0, endpos: int = sys.maxsize) -> _End | None:
        endpos = min(endpos, len(text))
        pos = max(pos, 0)
        i = text.rfind(" ", pos, endpos)  # the common white space; another may follow it
        tail = text[(i + 1 if i >= 0 else pos):endpos]
        if tail and tail.split(None, 1) != [tail]:  # white space other than " " in the tail
            j = len(tail)
            while not tail[j - 1].isspace():
                j -= 1
            i = endpos - len(tail) + j - 1
        return _End(i + 1) if i >= 0 else None
