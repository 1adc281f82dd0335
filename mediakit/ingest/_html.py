"""Main text and metadata of a full HTML page, with trafilatura."""

from __future__ import annotations

import re

_PAGE = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                   re.IGNORECASE | re.DOTALL)


#: A page whose main text has fewer words holds no article.
MIN_WORDS = 5

# the publication date (not the last modification), with its time when the page gives one
_DATE_PARAMS = {"extensive_search": False, "original_date": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


def looks_like_page(text: str) -> bool:
    """Whether ``text`` is a whole HTML document (doctype or ``<html>`` first)."""
    return bool(_PAGE.match(text[:4096]))


def extract_page(page: str | bytes, url: str | None = None) -> dict[str, object]:
    """Return the page's main text and metadata: ``text``, ``title``, ``published``, ``outlet``,
    ``url`` (the canonical URL the page declares) and ``hostname``.

    Navigation, footers, comments, cookie banners and link lists are left out by trafilatura.
    ``outlet`` is the page's declared site name (``og:site_name`` and the like), else None:
    the caller decides on a fallback. ``text`` is "" when the page holds no main text (fewer
    than ``MIN_WORDS`` words: trafilatura falls back to a lone menu entry such as "Home").
    """
    import trafilatura

    common = {"url": url, "with_metadata": True, "include_comments": False,
              "include_images": False, "include_links": False, "include_formatting": False,
              "date_extraction_params": _DATE_PARAMS}
    doc = trafilatura.bare_extraction(page, favor_precision=True, **common)
    if doc is None or not (doc.text or "").strip():
        doc = trafilatura.bare_extraction(page, favor_recall=True, **common)
    if doc is None or len((doc.text or "").split()) < MIN_WORDS:
        return {"text": "", "title": None, "published": None, "outlet": None, "url": None,
                "hostname": None}
    return {
        "text": doc.text or "",
        "title": doc.title or None,
        "published": doc.date or None,
        "outlet": doc.sitename or None,
        "url": doc.url or None,
        "hostname": doc.hostname or None,
    }
