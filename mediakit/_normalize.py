"""Text normalisation for matching: accents, punctuation, British/American spelling, numbers.

These functions never touch ``articles.text``; they build *keys* used to compare two pieces of
text (sentence alignment, canonical names). All are pure functions of a string.

- :func:`fold_accents`: "Sébastien Häkkänen" -> "Sebastien Hakkanen" (also ø, ß, æ, œ, ł, đ).
- :func:`fold_punctuation`: curly quotes and apostrophes to ASCII, dashes to "-".
- :func:`normalize_spelling`: British to American spelling (defence -> defense, utilise ->
  utilize, colour -> color, centre -> center, travelled -> traveled, programme -> program).
  Applied to both sides of a comparison, so an over-eager rule is harmless; rules are kept
  conservative anyway.
- :func:`parse_number_word` / :func:`normalize_numbers`: "thirty" -> 30, "twenty-seven" -> 27,
  "27th" -> 27, "fourth" -> 4.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters NFKD does not decompose into base + combining mark.
_SPECIAL_LETTERS = str.maketrans({
    "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l",
    "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i",
})

_PUNCT = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"',
    "‟": '"', "″": '"', "«": '"', "»": '"', "–": "-", "—": "-", "‒": "-", "―": "-",
    "‐": "-", "‑": "-", "−": "-", "\u00a0": " ", "…": "...",
})
#: The characters :func:`fold_punctuation` maps (all to ASCII punctuation or space).
FOLDED_PUNCTUATION = "".join(map(chr, _PUNCT))
_PUNCT_PAIRS = tuple((chr(k), v) for k, v in _PUNCT.items())  # values are ASCII: no chains


def fold_accents(text: str) -> str:
    """Remove diacritics: ``"Sébastien Häkkänen"`` -> ``"Sebastien Hakkanen"``.

    NFKD decomposition with combining marks dropped, plus the letters that do not decompose
    (ø, ß, æ, œ, ł, đ, ð, þ, dotless i). Other characters are kept; the result is NFC.
    """
    if text.isascii():
        return text
    if _SPECIAL_RE.search(text):  # str.translate looks every character up in Python
        text = _SPECIAL_RE.sub(_special_letter, text)
    # most non-ASCII news text holds only punctuation (curly quotes, dashes) or letters of one
    # code point with no decomposition: then every step below leaves it as it is
    if (text.isascii() or unicodedata.is_normalized("NFKD", text)) and max(text) <= "\uffff" \
            and _bmp_marks().search(text) is None and unicodedata.is_normalized("NFC", text):
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    if max(decomposed) <= "\uffff":
        stripped = _bmp_marks().sub("", decomposed)
    else:  # marks beyond the BMP too (musical notation, some scripts)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


_SPECIAL_RE = re.compile("[" + "".join(map(chr, _SPECIAL_LETTERS)) + "]")


def _special_letter(match: re.Match[str]) -> str:
    return _SPECIAL_LETTERS[ord(match.group())]


@lru_cache(maxsize=1)
def _bmp_marks() -> re.Pattern[str]:
    """The characters of the Basic Multilingual Plane ``unicodedata.combining`` gives a class
    other than 0, as one character class (the regex engine tests a BMP class with a table)."""
    marks = [c for c in range(0x10000) if unicodedata.combining(chr(c))]
    ranges, start = [], marks[0]
    for prev, c in zip(marks, [*marks[1:], -1], strict=True):
        if c != prev + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
            start = c
    return re.compile(f"[{''.join(ranges)}]")


def fold_punctuation(text: str) -> str:
    """Map curly quotes and apostrophes to ASCII, every dash to ``-``, no-break space to space."""
    if text.isascii():  # nothing to map
        return text
    for char, ascii_ in _PUNCT_PAIRS:  # str.replace is many times faster than str.translate
        if char in text:
            text = text.replace(char, ascii_)
    return text


# --- British -> American spelling -----------------------------------------------------------

# Whole-word map (lower case), checked before the rules.
_WORDS = {
    "defence": "defense", "defences": "defenses", "offence": "offense", "offences": "offenses",
    "pretence": "pretense", "licence": "license", "licences": "licenses",
    "programme": "program", "programmes": "programs", "catalogue": "catalog",
    "catalogues": "catalogs", "analogue": "analog", "dialogue": "dialog", "dialogues": "dialogs",
    "grey": "gray", "greys": "grays", "tyre": "tire", "tyres": "tires", "aluminium": "aluminum",
    "jewellery": "jewelry", "plough": "plow", "ploughs": "plows", "mould": "mold",
    "moulds": "molds", "sceptic": "skeptic", "sceptics": "skeptics", "sceptical": "skeptical",
    "scepticism": "skepticism", "ageing": "aging", "judgement": "judgment",
    "judgements": "judgments", "acknowledgement": "acknowledgment", "enrol": "enroll",
    "enrols": "enrolls", "enrolment": "enrollment", "fulfil": "fulfill", "fulfils": "fulfills",
    "fulfilment": "fulfillment", "skilful": "skillful", "wilful": "willful", "instil": "instill",
    "whilst": "while", "amongst": "among", "cheque": "check", "cheques": "checks",
    "manoeuvre": "maneuver", "manoeuvres": "maneuvers", "manoeuvring": "maneuvering",
    "foetus": "fetus", "oestrogen": "estrogen", "diarrhoea": "diarrhea", "anaemia": "anemia",
    "haemorrhage": "hemorrhage", "paediatric": "pediatric", "encyclopaedia": "encyclopedia",
    "gaol": "jail", "draught": "draft", "kerb": "curb", "storey": "story", "storeys": "stories",
    "learnt": "learned", "spelt": "spelled", "burnt": "burned", "dreamt": "dreamed",
}

# -re -> -er (explicit: "more", "genre", "massacre" must not change)
_RE_STEMS = (
    "centre", "theatre", "metre", "kilometre", "centimetre", "millimetre", "litre", "fibre",
    "calibre", "sombre", "spectre", "meagre", "lustre", "sabre", "sceptre", "goitre", "mitre",
)
for _stem in _RE_STEMS:
    _WORDS[_stem] = _stem[:-2] + "er"
    _WORDS[_stem + "s"] = _stem[:-2] + "ers"
    _WORDS[_stem + "d"] = _stem[:-2] + "ered"

# -our -> -or, except these
_OUR_KEEP = frozenset({
    "devour", "contour", "detour", "troubadour", "paramour", "velour", "flour", "amour",
    "tambour", "glamour", "scour", "dour",
})
_OUR = re.compile(r"^([a-z]{3,})our(s|ed|ing|ite|ites|able|ably|ful|less|er|ers|ism|ist|ists)?$")
# -ise -> -ize (words of >= 5 letters before the suffix), except these stems
_ISE_KEEP = frozenset({
    "advertis", "advis", "appris", "compris", "compromis", "chastis", "circumcis", "concis",
    "demis", "despis", "devis", "disguis", "enterpris", "excis", "exercis", "expertis",
    "franchis", "improvis", "incis", "merchandis", "otherwis", "paradis", "precis", "premis",
    "promis", "revis", "supervis", "surpris", "televis", "treatis", "likewis", "clockwis",
    "porpois", "tortois", "turquois", "repris", "nois", "prais", "rais", "cruis", "bruis",
})
_ISE = re.compile(r"^([a-z]{3,}?)(is)(e|es|ed|ing|er|ers|ation|ations|ational)$")
_YSE = re.compile(r"^([a-z]*)(ys)(e|es|ed|ing|er|ers)$")
_YSE_STEMS = frozenset({"anal", "paral", "catal", "dial", "electrol", "hydrol", "psychoanal"})
_ELL_STEMS = frozenset({  # travelled -> traveled only where US English uses one l
    "travel", "cancel", "label", "model", "fuel", "level", "signal", "total", "dial", "equal",
    "counsel", "channel", "marshal", "tunnel", "funnel", "shovel", "jewel", "duel", "quarrel",
    "rival", "panel", "pedal", "libel", "marvel", "snorkel", "swivel", "grovel", "yodel",
    "tranquil", "dishevel", "bevel", "chisel", "gravel", "pummel", "revel", "unravel", "ravel",
    "initial", "spiral", "tassel", "barrel", "kennel", "bushel", "cudgel", "refuel",
})
_ALL = re.compile(r"^([a-z]+)ll(ed|ing|er|ers|ation)$")

_WORD_RE = re.compile(r"[A-Za-z]+")
_LONG_WORD_RE = re.compile(r"[A-Za-z]{4,}")  # the runs of _WORD_RE americanize may change
_CHANGES: dict[str, bool] = {}  # word as written -> americanize changes it


@lru_cache(maxsize=65536)
def americanize(word: str) -> str:
    """British -> American spelling of one lower-case word; other words unchanged."""
    if len(word) < 4 or not word.isascii():
        return word
    if word in _WORDS:
        return _WORDS[word]
    m = _OUR.match(word)
    if m and (m.group(1) + "our") not in _OUR_KEEP and not word.startswith(("four", "hour")):
        return m.group(1) + "or" + (m.group(2) or "")
    m = _ISE.match(word)
    if m and len(m.group(1)) >= 3:
        stem = m.group(1) + "is"
        if stem not in _ISE_KEEP and (m.group(1) + "ise") not in _ISE_KEEP and len(stem) >= 5:
            return m.group(1) + "iz" + m.group(3)
    m = _YSE.match(word)
    if m and m.group(1) in _YSE_STEMS:
        return m.group(1) + "yz" + m.group(3)
    m = _ALL.match(word)
    if m and (m.group(1) + "l") in _ELL_STEMS:
        return m.group(1) + "l" + m.group(2)
    return word


def normalize_spelling(text: str) -> str:
    """Rewrite British spellings as American, word by word, keeping the case of the first letter.

    ``"Ukraine Defence Contact Group"`` -> ``"Ukraine Defense Contact Group"``;
    ``"utilise the colour of the centre"`` -> ``"utilize the color of the center"``.
    """

    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        new = americanize(low)
        if new == low:
            return word
        if word.isupper() and len(word) > 1:
            return new.upper()
        if word[0].isupper():
            return new[0].upper() + new[1:]
        return new

    # most texts have no British spelling: look the words up before rewriting any
    for word in _LONG_WORD_RE.findall(text):
        changes = _CHANGES.get(word)
        if changes is None:
            if len(_CHANGES) > 500_000:
                _CHANGES.clear()
            low = word.lower()
            changes = _CHANGES[word] = americanize(low) != low
        if changes:
            return _WORD_RE.sub(repl, text)
    return text


# --- numbers --------------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "dozen": 12}
#: Every word that can be part of a spelled-out number.
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_ORDINALS) | frozenset(_SCALES)

_DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(st|nd|rd|th)?$")


def parse_number_word(token: str) -> tuple[float, bool] | None:
    """Value of one number token and whether it is an ordinal, or None.

    Accepts digits (``"30"``, ``"1,200"``, ``"2.5"``, ``"27th"``), number words (``"thirty"``,
    ``"fourth"``) and hyphenated compounds (``"twenty-seven"``, ``"twenty-first"``).
    """
    tok = fold_punctuation(token).lower().strip()
    m = _DIGITS.match(tok)
    if m:
        value = float(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
        return value, m.group(3) is not None
    if tok in _UNITS:
        return float(_UNITS[tok]), False
    if tok in _TENS:
        return float(_TENS[tok]), False
    if tok in _ORDINALS:
        return float(_ORDINALS[tok]), True
    if tok in _SCALES:
        return float(_SCALES[tok]), False
    parts = tok.split("-")
    if len(parts) == 2 and parts[0] in _TENS:
        if parts[1] in _UNITS and 0 < _UNITS[parts[1]] < 10:
            return float(_TENS[parts[0]] + _UNITS[parts[1]]), False
        if parts[1] in _ORDINALS and _ORDINALS[parts[1]] < 10:
            return float(_TENS[parts[0]] + _ORDINALS[parts[1]]), True
    return None


def parse_number_words(tokens: list[str]) -> tuple[float, bool] | None:
    """Value of a run of number tokens: ``["two", "hundred", "thousand"]`` -> 200000.

    Digits may be followed by scale words (``["1.5", "million"]``). Returns None if any token
    is not a number word.
    """
    total, current, ordinal = 0.0, 0.0, False
    for tok in tokens:
        low = tok.lower()
        if low == "and" and current:
            continue
        parsed = parse_number_word(tok)
        if parsed is None:
            return None
        value, is_ord = parsed
        ordinal = ordinal or is_ord
        if low in _SCALES and low != "dozen":
            current = (current or 1.0) * value
            if value >= 1000:
                total, current = total + current, 0.0
        elif low == "dozen":
            current = (current or 1.0) * 12
        else:
            current += value
    return total + current, ordinal


def format_number(value: float) -> str:
    """``30.0`` -> ``"30"``, ``2.5`` -> ``"2.5"``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def word_alternation(words) -> str:
    """A regex matching any of ``words``, written as a trie: ``"t(?:en|hree|wo)"``.

    A space in a word matches ``\\s+``. Same matches, in the same order of preference, as
    ``"|".join(sorted(words, key=len, reverse=True))`` (the words that match at one position
    are prefixes of each other, and the trie tries the longest first), but a position is
    rejected after one character instead of one attempt per word, which makes it several
    times faster.
    """
    node: dict = {}
    for word in words:
        cur = node
        for ch in word:
            cur = cur.setdefault(ch, {})
        cur[""] = {}

    def emit(cur: dict) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + emit(sub)
                for ch, sub in sorted(cur.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and "" not in cur else "(?:" + "|".join(alts) + ")"
        return body + ("?" if "" in cur else "")

    return emit(node)


_NUMBER_WORD_RE = word_alternation(NUMBER_WORDS - {"second"})
_NUM_RUN = re.compile(
    r"\b(?:(?:\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th)?|" + _NUMBER_WORD_RE
    + r")(?:-" + word_alternation(list(_UNITS) + list(_ORDINALS))
    + r")?)(?:\s+(?:and\s+)?" + _NUMBER_WORD_RE + r"\b(?:-\w+)?)*\b",
    re.IGNORECASE,
)
#: Matches in every text holding a number (a digit, or a number word starting a word).
MAY_HOLD_NUMBER = re.compile(r"\d|\b" + _NUMBER_WORD_RE, re.IGNORECASE)


def may_hold_numbers(texts) -> list[bool]:
    """For each text, False when neither it nor its folded form can match ``MAY_HOLD_NUMBER``.

    One vectorised pass (pyarrow's RE2) over all texts instead of a Python regex per text.
    Where a text is ASCII plus punctuation :func:`fold_punctuation` maps to ASCII punctuation,
    folding only swaps punctuation for punctuation, and RE2 (ASCII ``\\d``, ``\\b``) and ``re``
    agree on it; any other text is always True, left to the exact per-text test.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(texts, type=pa.string(), from_pandas=True)
    if len(arr) == 0:
        return []
    hit = pc.match_substring_regex(arr, r"[0-9]|\b" + _NUMBER_WORD_RE, ignore_case=True)
    other = pc.match_substring_regex(arr, r"[^\x00-\x7f" + FOLDED_PUNCTUATION + "]")
    return pc.or_(hit, other).fill_null(False).to_pylist()


def normalize_numbers(text: str) -> str:
    """Write spelled-out and ordinal numbers as plain digits.

    ``"about thirty ministers"`` -> ``"about 30 ministers"``; ``"the 27th meeting"`` ->
    ``"the 27 meeting"``; ``"four objectives"`` -> ``"4 objectives"``. ``"second"`` is left
    alone (it is usually the unit of time or "second place" is rare enough).
    """

    if not MAY_HOLD_NUMBER.search(text):  # a quick test: most sentences have no number
        return text
    return _NUM_RUN.sub(_number_as_digits, text)


def _number_as_digits(m: re.Match[str]) -> str:
    """:func:`normalize_numbers`' replacement of one run of number tokens."""
    run = m.group(0)
    parsed = parse_number_run(run)
    return run if parsed is None else format_number(parsed[0])


_RUNS: dict[str, tuple[float, bool] | None] = {}
_SPACE_RUN = re.compile(r"\s+")


def parse_number_run(run: str) -> tuple[float, bool] | None:
    """:func:`parse_number_words` of the white-space separated tokens of ``run`` (each
    distinct run parsed once: the same few recur in every corpus)."""
    parsed = _RUNS.get(run, _RUNS)
    if parsed is _RUNS:
        parsed = parse_number_words(_SPACE_RUN.split(run.strip()))
        if len(_RUNS) > 100_000:
            _RUNS.clear()
        _RUNS[run] = parsed
    return parsed
