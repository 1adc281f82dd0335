"""Amounts and what they count, found with rules (no tagger): "about 30 countries", "27th meeting".

Private helper of :func:`mediakit.compare_coverage`. An amount is a run of digits or number words
(``"30"``, ``"1.5 million"``, ``"twenty-seven"``, ``"27th"``, ``"four"``), optionally preceded by
a qualifier (``"about"``, ``"more than"``) or a currency ($, US$, $US, USD, €, EUR, £, GBP; bn,
mn, m and k after it scale it), and followed by what it counts:
the first plural word among the next three words for cardinals ("four primary *objectives*"), the
next word for ordinals and singulars ("27th *meeting*"), ``percent`` for ``%``. Years
(1900-2100 written in digits with nothing counted after them), clock times and dates are skipped.
"""

from __future__ import annotations

import re

from mediakit._normalize import (
    NUMBER_WORDS,
    americanize,
    fold_accents,
    fold_punctuation,
    parse_number_run,
    word_alternation,
)

_QUALIFIERS = (
    "about", "approximately", "around", "roughly", "nearly", "almost", "some", "over", "under",
    "more than", "less than", "fewer than", "at least", "at most", "up to", "as many as",
    "as much as", "an estimated", "estimated", "just over", "just under", "close to",
)

_NUMWORD = word_alternation(NUMBER_WORDS - {"second"})
_NUM_TOKEN = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:st|nd|rd|th)?"
    rf"|(?:{_NUMWORD})(?:-(?:{_NUMWORD}))?"
)
#: Currency written before the amount ("US$", "$US", "USD ", "€"), and the unit it stands for.
_CUR_BEFORE = r"us\$|\$us|\busd\s?|\beur\s?|\bgbp\s?|[$£€]"
_UNITS = {"$": "USD", "us$": "USD", "$us": "USD", "usd": "USD", "€": "EUR", "eur": "EUR",
          "£": "GBP", "gbp": "GBP"}
#: Currency nouns after an amount ("5 million dollars"), as a unit.
_UNIT_NOUNS = {"dollar": "USD", "euro": "EUR", "pound": "GBP"}
_SCALE_OF = {"bn": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3}
_AMOUNT = re.compile(
    rf"(?P<qual>\b{word_alternation(_QUALIFIERS)}\s+)?"
    rf"(?P<cur>{_CUR_BEFORE})?"
    r"(?P<num>(?:\b|(?<=\$us)|(?<=usd)|(?<=eur)|(?<=gbp))"
    rf"(?:{_NUM_TOKEN})(?:\b|(?=(?:bn|mn|m|k)\b))(?:\s+(?:and\s+)?(?:{_NUMWORD})\b)*)"
    r"(?P<scale>\s?(?:bn|mn)\b|(?:m|k)\b)?"
    r"(?P<code>\s?(?:usd|eur|gbp)\b)?"
    r"(?P<pct>\s?%|\s+per\s?cent\b|\s+percent\b)?",
    re.IGNORECASE,
)
#: Where the number of an amount may start: every match of _AMOUNT holds one. (The digit
#: looked ahead for first rejects most positions before the four looks behind.)
_ANCHOR = re.compile(rf"\b(?:\d|{_NUMWORD})|(?=\d)(?:(?<=\$us)|(?<=usd)|(?<=eur)|(?<=gbp))\d",
                     re.IGNORECASE)
# for lower-case ASCII text (every literal above is lower case)
_AMOUNT_LOWER = re.compile(_AMOUNT.pattern)
_ANCHOR_LOWER = re.compile(_ANCHOR.pattern)
_BACK = re.compile(r"(?:\s*\S*){4}")  # four tokens back, on the reversed text
_QUAL_FIRST = frozenset("".join(q[0] + q[0].upper() for q in _QUALIFIERS) + "uUeEgG")
#: Where a match may start before its anchor: a letter that can open a qualifier (or a
#: currency code) at a word start, a dollar sign, or any non-ASCII character (``\w`` is
#: ``str.isalnum()`` or "_").
_MAY_START = re.compile(rf"(?<!\w)[{''.join(sorted(_QUAL_FIRST))}]|\$|[^\x00-\x7f]")
_WORD = re.compile(r"\s*([A-Za-z][A-Za-z'-]*)")
_SPACES = re.compile(r"\s+")
_TIME_BEFORE = re.compile(r"\d[:/.]$")
_PERCENT_OF = re.compile(r"\s+of\s+(?:the\s+)?([A-Za-z][A-Za-z'-]*)")
_STOP_AFTER = frozenset("""
a an the of in on at to for from by with and or but as is are was were be been will would
can could may might has have had do does did that which who whom this these those than then
it its their his her our your my per each every all both more most less other such not no
into onto over under about after before during since until while when where there here
""".split())
_MONTHS = frozenset("""january february march april may june july august september october
november december jan feb mar apr jun jul aug sep sept oct nov dec""".split())
_TIME_WORDS = frozenset({"am", "pm", "a.m", "p.m", "gmt", "utc", "bst", "est", "edt"})
_ADJ_SUFFIXES = ("al", "ic", "ive", "ous", "ful", "ary", "ern", "ual", "ish")
_IRREGULAR = {"people": "people", "children": "child", "men": "man", "women": "woman",
              "lives": "life", "wives": "wife", "police": "police", "news": "news",
              "series": "series", "species": "species", "percent": "percent"}


def singular(word: str) -> str:
    """Crude singular of an English noun, American spelling: "countries" -> "country"."""
    w = americanize(word.lower())
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes", "zes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _is_plural(word: str) -> bool:
    w = word.lower()
    return w in ("people", "children", "men", "women", "police") or (
        len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")))


def _counted(after: str, *, ordinal: bool, amount: float) -> tuple[str, str]:
    """(counted noun, phrase after the amount) from the text following an amount."""
    words: list[str] = []
    pos = 0
    for _ in range(3):
        m = _WORD.match(after, pos)
        if not m or m.group(1).lower() in _STOP_AFTER:
            break
        words.append(m.group(1).strip("'-"))
        pos = m.end()
    if not words:
        return "", ""
    if ordinal or amount == 1:
        pick = 0
        if (len(words) > 1 and words[0].lower().endswith(_ADJ_SUFFIXES)
                and not words[1][0].isupper()):
            pick = 1
    else:
        pick = next((k for k, w in enumerate(words) if _is_plural(w)), 0)
    return singular(words[pick]), " ".join(words[: pick + 1])


def extract_amounts(text: str) -> list[dict]:
    """Every amount in one sentence, with what it counts and its offsets in ``text``.

    Returns dicts with ``start``, ``end`` (character offsets into ``text`` covering qualifier,
    amount and counted words), ``amount`` (float; "US$1.2bn" = 1.2e9), ``unit`` (``USD``,
    ``EUR``, ``GBP`` from $, US$, $US, USD, €, EUR, £, GBP or a currency noun; ``percent`` from
    %, per cent, percent; else ""), ``ordinal`` (bool), ``qualifier`` (str or ""),
    ``counted`` (singular, American spelling, lower case; "" when nothing follows) and ``phrase``
    (the text as written).
    """
    key = fold_accents(fold_punctuation(text))
    if len(key) != len(text):  # offsets must stay valid; only fold where lengths agree
        key = fold_punctuation(text)
    out = []
    for m in _amount_matches(key):
        parsed = parse_number_run(m.group("num"))
        if parsed is None:
            continue
        amount, ordinal = parsed
        before = key[max(0, m.start() - 12): m.start()].lower()
        after = key[m.end():]
        following = _WORD.match(after)
        next_word = following.group(1).lower() if following else ""
        if next_word in _TIME_WORDS or next_word in _MONTHS or _TIME_BEFORE.search(before):
            continue
        last = before.split()[-1:]
        if (last and last[0] in _MONTHS) or after[:1] in (":", "/"):
            continue
        cur = (m.group("cur") or m.group("code") or "").strip().lower()
        unit = _UNITS.get(cur, "")
        scale = (m.group("scale") or "").strip().lower()
        if scale in ("m", "k") and not unit:
            continue  # "100m" without a currency may be metres
        amount *= _SCALE_OF.get(scale, 1.0)
        if m.group("pct"):
            counted, phrase, unit = "percent", "", "percent"
            of = _PERCENT_OF.match(after)
            if of:
                counted = "percent of " + singular(of.group(1))
                phrase = after[: of.end()]
            end = m.end() + len(phrase)
        elif unit:
            counted, phrase, end = unit, "", m.end()
        else:
            counted, phrase = _counted(after, ordinal=ordinal, amount=amount)
            end = m.end() + (after.find(phrase) + len(phrase) if phrase else 0)
            unit = _UNIT_NOUNS.get(counted, "")
            counted = unit or counted
        is_year = (not ordinal and amount.is_integer() and 1900 <= amount <= 2100
                   and m.group("num").isdigit() and (not counted or not _is_plural(phrase)))
        if (is_year and not unit) or (not counted and not m.group("qual")):
            continue
        qual = _SPACES.sub(" ", (m.group("qual") or "").strip().lower())
        out.append({"start": m.start(), "end": end, "amount": amount, "ordinal": ordinal,
                    "qualifier": qual, "counted": counted, "unit": unit,
                    "phrase": text[m.start():end]})
    return out


def _amount_matches(key: str):
    """The matches of ``_AMOUNT.finditer(key)`` (of the lower-cased key if ASCII), faster.

    The slow pattern is only tried near an anchor (a digit or number word at a word start,
    found by a simple pattern): every match holds its number at an anchor, preceded at most by
    a qualifier of up to three words and a currency sign, so it starts within four
    whitespace-separated tokens before the anchor, at a word start that can open a qualifier,
    at a currency sign, or at the anchor; those positions are tried in order.
    """
    amount, anchors, text = _AMOUNT, _ANCHOR, key
    if key.isascii():  # the same matches on the lower-cased text, without slow IGNORECASE
        amount, anchors, text = _AMOUNT_LOWER, _ANCHOR_LOWER, key.lower()
    pos, n, back = 0, len(key), None
    while True:
        anchor = anchors.search(text, pos)
        if anchor is None:
            return
        at = anchor.start()
        if back is None:
            back = key[::-1]
        start = n - _BACK.match(back, n - at, n - pos).end()
        for may in _MAY_START.finditer(key, start, at):
            m = amount.match(text, may.start())
            if m:
                break
        else:
            m = amount.match(text, at)
        if m:
            yield m
            pos = m.end()
        else:
            pos = at + 1
