"""Bytes to clean article text: decoding, Unicode repair, leftover tag fragments, sanity checks.

Every change made to the text is one of the documented repairs of :func:`clean_text`; nothing
else is touched (curly quotes stay curly, words and punctuation stay as they are).
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata

#: Byte order marks, longest first (UTF-32 LE starts with the UTF-16 LE mark).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Magic numbers of binary formats people put in text folders by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document; extract its text first (e.g. with pdftotext)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.epub file); extract its text first"),
    (b"\x1f\x8b", "gzip-compressed; name it with a .gz suffix (e.g. .jsonl.gz)"),
    (b"{\\rtf", "an RTF document; save it as plain text first"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document; save it as plain text first"),
)

#: What the start of a file may hold that :func:`decode_bytes` checks before UTF-8.
_MARKED = tuple(magic for magic, _ in _MAGIC) + tuple(bom for bom, _ in _BOMS)

# C0 controls other than tab, line feed, form feed and carriage return, plus C1 controls:
# text that still has them after decoding is not text in the guessed encoding.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

#: HTML element names; only these count as tags in leftover markup.
_TAG_NAMES = (
    "a abbr address article aside audio b bdi bdo blockquote body br button caption cite code "
    "col colgroup data dd del details dfn div dl dt em embed fieldset figcaption figure font "
    "footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label legend "
    "li link main mark meta meter nav noscript object ol option p picture pre q s samp script "
    "section select small source span strong style sub summary sup svg table tbody td template "
    "textarea tfoot th thead time title tr track u ul video wbr"
).split()

_NAME = r"(?:{})(?![\w-])".format("|".join(sorted(_TAG_NAMES, key=len, reverse=True)))
# Attribute values may be quoted with straight or curly quotes (the seed 000 has curly ones).
_VALUE = r"""(?:"[^"<>]*+"|'[^'<>]*+'|[“”][^“”<>]*+[“”]|[‘’][^‘’<>]*+[‘’]|[^\s"'<>“”‘’]++)"""
_ATTRS = rf"(?>(?:\s++[A-Za-z_:@][\w:.@-]*+(?:\s*+=\s*+{_VALUE})?)*+)\s*+/?>"
# A complete tag: "<" (optionally followed by a line break, as in the seed 000), the name,
# attributes, ">". Comments too. Atomic groups and possessive quantifiers keep it linear.
_TAG = re.compile(
    rf"<!--(?:[^<>-]++|-(?!->))*+-->|<(?:[ \t]*+\n[ \t]*+)?/?{_NAME}{_ATTRS}",
    re.IGNORECASE,
)
# A fragment that lost its "<": a whole line such as `div class="x">` or `/div>`.
_LINE_FRAGMENT = re.compile(
    rf"^[ \t]*+(?:/{_NAME}[ \t]*+>|{_NAME}(?>[ \t]++[A-Za-z_:@][\w:.@-]*+[ \t]*+=[ \t]*+{_VALUE})++[ \t]*+/?>)[ \t]*+$",
    re.IGNORECASE | re.MULTILINE,
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MARK = "\x00"  # stands in for a removed tag until empty lines are dropped

#: Sentence-ending punctuation (or a line break) must occur at least this often in prose.
MAX_RUN_WITHOUT_PUNCT = 20_000
_RUN = re.compile(r"[^.!?。！？\n]++")

_SURROGATE = re.compile("[\ud800-\udfff]")


def no_surrogates(record: dict) -> dict:
    """``record`` with UTF-16 surrogates in its string keys and values repaired by ftfy (a pair
    becomes its character, a lone one U+FFFD): JSON escapes such as ``\\ud83d`` cut in half
    produce them, and pandas cannot store them."""

    def bad(x: object) -> bool:
        return isinstance(x, str) and not x.isascii() and bool(_SURROGATE.search(x))

    if not any(bad(k) or bad(v) for k, v in record.items()):
        return record
    from ftfy.fixes import fix_surrogates

    return {(fix_surrogates(k) if bad(k) else k): (fix_surrogates(v) if bad(v) else v)
            for k, v in record.items()}


class TextProblem(ValueError):
    """One input cannot become article text; the message says why and what to do."""


def binary_kind(data: bytes) -> str | None:
    """Describe ``data`` if it is a binary file rather than text (None for text).

    Called after :func:`utf16_codec`: NUL bytes in text that is not UTF-16 mean binary data.
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    head = data[:8192]
    if head and head.count(0) > max(1, len(head) // 100):
        return "binary data (it holds NUL bytes and is not UTF-16 text)"
    return None


def utf16_codec(head: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` if ``head`` (a file's first bytes) looks like UTF-16
    text without a byte order mark, else None.

    UTF-16 text in a Latin script has a NUL byte in most code units, on one side: the odd bytes
    for little-endian, the even bytes for big-endian. A byte order is a candidate when at least
    a tenth of the bytes on its side are NUL and the bytes decode strictly to text without
    control characters or lone surrogates (random data, zero padding and numbers stored as
    integers do not); of two candidates, the one reading more ASCII characters wins.
    """
    head = head[:8192]
    head = head[: len(head) - len(head) % 2]
    if not head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    best: tuple[int, str] | None = None
    for side, codec in ((head[1::2].count(0), "utf-16-le"), (head[0::2].count(0), "utf-16-be")):
        if side < max(1, len(head) // 20):
            continue
        try:  # incremental, so a surrogate pair cut at the end of the head is not an error
            text = codecs.getincrementaldecoder(codec)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text) or _SURROGATE.search(text):
            continue
        n_ascii = sum(1 for c in text if c.isascii())
        if best is None or n_ascii > best[0]:
            best = (n_ascii, codec)
    return best[1] if best else None


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode file bytes; return ``(text, encoding)``.

    With ``encoding`` given, decode strictly with it. Otherwise: a byte order mark decides
    (UTF-8, UTF-16, UTF-32); then UTF-16 without a byte order mark, recognised by its NUL bytes
    (:func:`utf16_codec`; other data with NUL bytes is refused as binary); then strict UTF-8; then Windows-1252, which reads Latin-1 text
    too (the two agree on every printable Latin-1 character) and adds smart quotes and the euro
    sign; then charset-normalizer's guess (Cyrillic, Greek, CJK encodings). A guess is
    accepted only when it leaves no control characters (and, for Windows-1252, when the text
    is not mostly accented letters, the sign of another script), so bytes that are not text
    raise :class:`TextProblem` instead of becoming garbage.
    """
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise TextProblem(f"cannot be decoded as {encoding!r} ({exc}); check encoding=") from exc
    if not data.startswith(_MARKED) and b"\x00" not in data[:8192]:
        # no mark and no NUL byte: neither UTF-16 (utf16_codec needs NUL bytes) nor binary
        # (binary_kind), so strict UTF-8 is the first try (each line of a JSONL file)
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if codec := utf16_codec(data):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:  # e.g. an odd number of bytes: not UTF-16 after all
            text = ""
        if text and not _CONTROL.search(text):
            return text, codec
    what = binary_kind(data)
    if what:
        raise TextProblem(f"is {what}, not text")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise TextProblem(f"starts with a {codec} byte order mark but does not decode "
                                  f"({exc}); re-save it as UTF-8") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _CONTROL.search(text) and not _mostly_accented(text):
        return text, "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.chaos <= 0.1:
        guess = str(best)
        if not _CONTROL.search(guess):
            return guess, best.encoding
    raise TextProblem("is not text in UTF-8, UTF-16, Windows-1252 or Latin-1 and its encoding "
                      "could not be detected; pass encoding=... or re-save it as UTF-8")


def _mostly_accented(text: str) -> bool:
    """Whether most letters are Latin-1 accented letters: another script read as Windows-1252
    (Cyrillic in cp1251 reads as "Ïðàâèòåëüñòâî"), not a Western language."""
    letters = [c for c in text[:20_000] if c.isalpha()]
    accented = sum(1 for c in letters if not c.isascii())
    return len(letters) >= 8 and accented > 0.5 * len(letters)


def remove_tags(text: str) -> str:
    """Remove HTML tags and tag fragments left in text; drop lines that held only markup.

    A tag is ``<name attributes>`` for a known HTML element name (also ``</name>``, comments,
    and a ``<`` followed by a line break, as in a tag broken over two lines); a line that is
    only a tag that lost its ``<`` (``div class="x">``) is removed too. Text such as
    ``a < b`` or ``<Reuters>`` is not a tag and stays.
    """
    if "<" not in text and ">" not in text:
        return text
    marked = _TAG.sub(_MARK, text)
    marked = _LINE_FRAGMENT.sub(_MARK, marked)
    if _MARK not in marked:
        return text
    lines = marked.split("\n")
    kept = [line.replace(_MARK, "") for line in lines
            if not (_MARK in line and not line.replace(_MARK, "").strip())]
    return "\n".join(kept)


def _unescape(match: re.Match[str]) -> str:
    return html.unescape(match.group(0))


# UTF-8 read as Windows-1252 / Latin-1 (a lead byte 0xC2-0xF4 shown as Â-ô, then a continuation
# byte 0x80-0xBF shown as €‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ or NBSP-¿) or as Windows-1251 (Р/С then
# a Cyrillic-supplement or punctuation character): only then is ftfy's slower check needed.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac"
    "\u2122]|[\u0420\u0421][\u0400-\u040f\u0450-\u045f\u0490\u0491\u00a0-\u00bf"
    "\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2116\u2122]"
)
# the lead characters alone: a one-class pattern is scanned several times faster than the
# alternation above, and most non-ASCII news text has none of them
_MOJIBAKE_LEAD = re.compile("[\u00c2-\u00f4\u0420\u0421]")
_CONTROLS_RE: list[re.Pattern[str]] = []


def _may_be_mojibake(text: str) -> bool:
    lead = _MOJIBAKE_LEAD.search(text)
    return lead is not None and _MOJIBAKE.search(text, lead.start()) is not None


def _ftfy_is_bad(text: str) -> bool:
    from ftfy.badness import is_bad

    return is_bad(text)


def _ftfy_controls() -> re.Pattern[str]:
    """A search pattern for the characters ftfy's remove_control_chars deletes."""
    return _patterns()[0]


def _patterns() -> list[re.Pattern[str]]:
    """The characters ftfy's remove_control_chars deletes, and every character one of the
    repairs of :func:`repair_unicode` acts on (its first test: text holding none of them, in
    NFC, is returned as it is)."""
    if not _CONTROLS_RE:
        from ftfy.chardata import CONTROL_CHARS

        chars = "".join(re.escape(chr(c)) for c in sorted(CONTROL_CHARS))
        # line breaks (fix_line_breaks), C1 controls (fix_c1_controls; NEXT LINE is one),
        # surrogates, the terminal escape, control characters, the no-break spaces replaced,
        # and the lead characters of the mojibake searched for; set in one step (threads)
        _CONTROLS_RE[:] = [re.compile(f"[{chars}]"), re.compile(
            f"[\\r\\u2028\\u2029\\x80-\\x9f\\ud800-\\udfff\\x1b\\u00a0\\u202f"
            f"\\u00c2-\\u00f4\\u0420\\u0421{chars}]")]
    return _CONTROLS_RE


def repair_unicode(text: str) -> str:
    """Repair mojibake and invisible problems with ftfy, keeping curly quotes and ligatures.

    ftfy fixes text decoded with the wrong encoding ("donâ€™t" -> "don’t"), line breaks
    (CRLF, CR, U+2028 -> LF), removes control characters, terminal escapes and byte order
    marks, and normalises to NFC. It is told not to straighten quotes, not to expand
    ligatures, not to change character widths and not to unescape HTML (see below).
    """
    if _patterns()[1].search(text) is None and unicodedata.is_normalized("NFC", text):
        return text  # _repair would not change it (one scan: 94% of news articles)
    return _repair(text)


def _repair(text: str) -> str:
    """:func:`repair_unicode`'s repairs, every one tried."""
    import ftfy
    from ftfy import fixes

    # ftfy's cheap fixes first, on the whole text ...
    text = fixes.fix_line_breaks(text)
    if not text.isascii():
        text = fixes.fix_c1_controls(fixes.fix_surrogates(text))
    if "\x1b" in text:
        text = fixes.remove_terminal_escapes(text)
    if _ftfy_controls().search(text):
        text = fixes.remove_control_chars(text)
    text = unicodedata.normalize("NFC", text)  # composing can make a mojibake lead ("e\u0300")
    # ... then its line-by-line search for mojibake, only where mojibake can be: many times
    # faster on the clean text that most articles are. ftfy leaves no-break spaces alone (in
    # news text they are only spaces), and replacing them can reveal more mojibake: repeat
    # until nothing changes (at most three rounds, so time stays linear).
    for _ in range(3):
        before = text
        if not text.isascii() and _may_be_mojibake(text) and _ftfy_is_bad(text):
            text = ftfy.fix_text(
                text,
                uncurl_quotes=False,
                fix_latin_ligatures=False,
                fix_character_width=False,
                unescape_html=False,
                normalization="NFC",
                explain=False,
            )
        text = unicodedata.normalize("NFC", text.replace("\u00a0", " ").replace("\u202f", " "))
        if text == before:
            break
    return text


def clean_text(text: str) -> str:
    """The documented repairs, in order; the result is what ``articles.text`` holds.

    1. Unicode: mojibake, line breaks, control characters, BOM, NFC (:func:`repair_unicode`);
       no-break spaces become spaces.
    2. Leftover HTML tags and tag fragments are removed (:func:`remove_tags`).
    3. In text that held tags, HTML character references with a final semicolon (``&amp;``,
       ``&#8217;``) are decoded too; in plain text ``&amp;`` stays as written, so reading the
       result again changes nothing.
    4. Leading and trailing whitespace of the whole text is removed.
    """
    text = repair_unicode(text)
    untagged = remove_tags(text)
    if untagged != text and "&" in untagged:
        # the text was markup, so its character references are markup too
        untagged = _ENTITY.sub(_unescape, untagged).replace("\u00a0", " ")
    return untagged.strip()


def check_text(text: str, *, max_chars: int | None) -> None:
    """Raise :class:`TextProblem` for text that cannot be an article."""
    if not text.strip():
        raise TextProblem("has no text (empty or only whitespace/markup)")
    if max_chars is not None and len(text) > max_chars:
        raise TextProblem(
            f"is {len(text):,} characters long, more than max_chars={max_chars:,}; it is "
            "probably several articles or not an article. Split it, or pass max_chars=None")
    if len(text) > MAX_RUN_WITHOUT_PUNCT and any(
            m.end() - m.start() > MAX_RUN_WITHOUT_PUNCT for m in _RUN.finditer(text)):
        raise TextProblem(
            f"has a run of more than {MAX_RUN_WITHOUT_PUNCT:,} characters without a line break "
            "or sentence punctuation, so it is not prose (encoded data? minified markup?); "
            "remove it or fix the extraction")
