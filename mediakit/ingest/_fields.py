"""Fields of one article: text repair and checks, outlet, title, ids, dates."""

from __future__ import annotations

import hashlib
import unicodedata

import pandas as pd

from mediakit._errors import MediakitWarning, SchemaError
from mediakit._lines import looks_like_headline
from mediakit._params import warn
from mediakit.ingest._html import extract_page, looks_like_page
from mediakit.ingest._text import TextProblem, check_text, clean_text, decode_bytes

#: Story id given to articles whose input names none: a small set is one story.
DEFAULT_STORY = "all"
#: Metadata fields of the articles frame (``text`` aside).
META = ("article_id", "outlet", "story_id", "title", "published", "url", "source")


def missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def where(source: str | None, row: int | None) -> str:
    if row is None:
        return source or "input"
    return f"{source} row {row}" if source else f"row {row}"


def id_text(value: object) -> str:
    """An id as text: ``1`` and ``1.0`` (an integer column that went float through a missing
    value) are both ``"1"``."""
    if isinstance(value, float) or type(value).__module__ == "numpy":
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        if number is not None and number.is_integer() and not isinstance(value, bool):
            return str(int(number))
    return str(value).strip()


def outlet_name(value: object) -> str:
    """An outlet name as one identity: NFKC (full-width and compatibility forms folded),
    invisible format characters (zero-width spaces and joiners, soft hyphens, bidirectional
    overrides and isolates) and control characters (NUL) removed, white space collapsed.
    Look-alike names ("BBC" and "B\u200bBC") become one outlet, and a right-to-left override
    cannot reverse how a name is drawn. Article text is never changed this way."""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(" " if unicodedata.category(c) == "Cc" and c.isspace() else c
                   for c in text if unicodedata.category(c) not in ("Cf", "Cc") or c.isspace())
    return " ".join(text.split())


def hash_id(outlet: str, title: str | None, text: str) -> str:
    key = "\x1f".join((outlet, title or "", text)).encode("utf-8")
    return hashlib.sha1(key).hexdigest()[:16]


def detect_title(text: str, markdown: bool) -> str | None:
    first = text.split("\n", 1)[0].strip()
    if markdown and first.startswith("#"):
        return first.lstrip("#").strip() or None
    return first if looks_like_headline(first) else None


def finish_record(rec: dict, defaults: dict, *, has_title: bool, markdown: bool,
                  outlet_label: str, encoding: str | None, max_chars: int | None) -> dict:
    """One record (raw fields under the canonical names) to a row of the articles frame."""
    raw = rec.get("text")
    if isinstance(raw, bytes):
        raw = decode_bytes(raw, encoding)[0]
    if missing(raw):
        raise TextProblem("has no text (empty or missing)")
    if not isinstance(raw, str):
        raise TextProblem(f"has a text of type {type(raw).__name__}, not a string")
    rec = dict(rec)
    if looks_like_page(raw):
        page = extract_page(raw, url=None if missing(rec.get("url")) else str(rec["url"]))
        raw = page["text"]
        for key in ("title", "published", "outlet", "url"):
            if missing(rec.get(key)) and not missing(page[key]):
                rec[key] = page[key]
        has_title = has_title or page["title"] is not None
    body = clean_text(raw)
    check_text(body, max_chars=max_chars)

    if "outlet" in rec:
        if missing(rec["outlet"]):
            raise SchemaError(f"has no {outlet_label!r} value; give every article "
                              "its outlet")
        outlet = outlet_name(rec["outlet"])
    elif "outlet" in defaults:
        outlet = outlet_name(defaults["outlet"])
    else:  # in-memory data always has the column (checked up front)
        raise SchemaError(f"has no {outlet_label!r}; give every article its outlet")
    if not outlet:
        raise SchemaError(f"has an {outlet_label!r} of only invisible characters; give every "
                          "article its outlet")

    title = None
    if not missing(rec.get("title")):
        title = clean_text(str(rec["title"])).replace("\n", " ") or None
    elif not has_title:
        title = detect_title(body, markdown)

    if not missing(rec.get("article_id")):
        article_id = id_text(rec["article_id"])
    elif "article_id" in defaults:
        article_id = defaults["article_id"]
    else:
        article_id = hash_id(outlet, title, body)

    story = rec.get("story_id")
    return {
        "article_id": article_id,
        "outlet": outlet,
        "story_id": DEFAULT_STORY if missing(story) else id_text(story),
        "title": title,
        "published": None if missing(rec.get("published")) else rec["published"],
        "url": None if missing(rec.get("url")) else str(rec["url"]).strip(),
        "source": None if missing(rec.get("source")) else str(rec["source"]),
        "text": body,
    }


_NUMERIC_DATE = r"^\s*(\d{1,2})([/.\-])(\d{1,2})[/.\-](?:\d{4}|\d{2})(?!\d)"


def _day_first(texts: pd.Series) -> bool:
    """One convention for a column's numeric dates (``10/04/2025``): day first when some date
    can only be read day first (``13/04/2025``) and none only month first, month first in the
    opposite case. With no such evidence ambiguous dates follow their separator (dots: day
    first, as in "10.04.2025"; else month first), with a warning; with evidence both ways, a
    warning too (each unambiguous date is then read as it must be)."""
    parts = texts.str.extract(_NUMERIC_DATE).dropna()
    if parts.empty:
        return False
    a, b = parts[0].astype(int), parts[2].astype(int)
    day_only = ((a > 12) & (b <= 12)).sum()
    month_only = ((b > 12) & (a <= 12)).sum()
    ambiguous = (a <= 12) & (b <= 12) & (a != b)
    if day_only and month_only:
        warn(
            f"published dates mix conventions: {day_only} can only be day/month "
            f"({texts[parts.index[(a > 12) & (b <= 12)][0]]!r}), {month_only} only month/day "
            f"({texts[parts.index[(b > 12) & (a <= 12)][0]]!r}); {int(ambiguous.sum())} "
            "ambiguous ones are read month/day. Use ISO 8601 (2025-04-10)",
            MediakitWarning)
        return False
    if day_only or month_only:
        return bool(day_only)
    if not ambiguous.any():
        return False
    dots = bool((parts[1] == ".").all())
    warn(
        f"{int(ambiguous.sum())} published date(s) such as {texts[ambiguous.idxmax()]!r} can be "
        f"read day/month or month/day, and none of the column's dates decides; all are read "
        f"{'day/month (dots)' if dots else 'month/day'}. Use ISO 8601 (2025-04-10) to be sure",
        MediakitWarning)
    return dots


def parse_published(values: list) -> pd.Series:
    texts = pd.Series([None if v is None else (v.isoformat() if hasattr(v, "isoformat") else
                                                str(v).strip()) for v in values], dtype="str")
    parsed = pd.to_datetime(texts, utc=True, format="ISO8601", errors="coerce")
    retry = parsed.isna() & texts.notna()
    if retry.any():
        dayfirst = _day_first(texts[retry])
        parsed[retry] = pd.to_datetime(texts[retry], utc=True, format="mixed", dayfirst=dayfirst,
                                       errors="coerce")
    # dates outside the nanosecond range (1677-2262, e.g. the typo "0025-04-10") cannot be held
    lo, hi = pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC")
    parsed = parsed.where((parsed >= lo) & (parsed <= hi))
    bad = parsed.isna() & texts.notna()
    if bad.any():
        warn(
            f"{int(bad.sum())} published value(s) could not be read as dates between 1677 and "
            f"2262 and are NaT, e.g. "
            f"{texts[bad].iloc[0]!r}; use ISO 8601 (2025-04-10T14:30:00Z)",
            MediakitWarning)
    return parsed.astype("datetime64[ns, UTC]")
