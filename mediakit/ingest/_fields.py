"""Fields of one article: text repair and checks, outlet, title, ids, dates."""

from __future__ import annotations

import hashlib
import warnings

import pandas as pd

from mediakit._errors import MediakitWarning, SchemaError
from mediakit._lines import looks_like_headline
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


def hash_id(outlet: str, title: str | None, text: str) -> str:
    key = "\x1f".join((outlet, title or "", text)).encode("utf-8")
    return hashlib.sha1(key).hexdigest()[:16]


def detect_title(text: str, markdown: bool) -> str | None:
    first = text.split("\n", 1)[0].strip()
    if markdown and first.startswith("#"):
        return first.lstrip("#").strip() or None
    return first if looks_like_headline(first) else None


def finish_record(rec: dict, defaults: dict, *, has_title: bool, markdown: bool,
                  outlet_name: str, encoding: str | None, max_chars: int | None) -> dict:
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
            raise SchemaError(f"has no {outlet_name!r} value; give every article "
                              "its outlet")
        outlet = " ".join(str(rec["outlet"]).split())
    elif "outlet" in defaults:
        outlet = defaults["outlet"]
    else:  # in-memory data always has the column (checked up front)
        raise SchemaError(f"has no {outlet_name!r}; give every article its outlet")

    title = None
    if not missing(rec.get("title")):
        title = clean_text(str(rec["title"])).replace("\n", " ") or None
    elif not has_title:
        title = detect_title(body, markdown)

    if not missing(rec.get("article_id")):
        article_id = str(rec["article_id"]).strip()
    elif "article_id" in defaults:
        article_id = defaults["article_id"]
    else:
        article_id = hash_id(outlet, title, body)

    story = rec.get("story_id")
    return {
        "article_id": article_id,
        "outlet": outlet,
        "story_id": DEFAULT_STORY if missing(story) else str(story).strip(),
        "title": title,
        "published": None if missing(rec.get("published")) else rec["published"],
        "url": None if missing(rec.get("url")) else str(rec["url"]).strip(),
        "source": None if missing(rec.get("source")) else str(rec["source"]),
        "text": body,
    }


def parse_published(values: list) -> pd.Series:
    texts = pd.Series([None if v is None else (v.isoformat() if hasattr(v, "isoformat") else
                                                str(v).strip()) for v in values], dtype="str")
    parsed = pd.to_datetime(texts, utc=True, format="ISO8601", errors="coerce")
    retry = parsed.isna() & texts.notna()
    if retry.any():
        parsed[retry] = pd.to_datetime(texts[retry], utc=True, format="mixed", errors="coerce")
    # dates outside the nanosecond range (1677-2262, e.g. the typo "0025-04-10") cannot be held
    lo, hi = pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC")
    parsed = parsed.where((parsed >= lo) & (parsed <= hi))
    bad = parsed.isna() & texts.notna()
    if bad.any():
        warnings.warn(
            f"{int(bad.sum())} published value(s) could not be read as dates between 1677 and "
            f"2262 and are NaT, e.g. "
            f"{texts[bad].iloc[0]!r}; use ISO 8601 (2025-04-10T14:30:00Z)",
            MediakitWarning, stacklevel=4)
    return parsed.astype("datetime64[ns, UTC]")
