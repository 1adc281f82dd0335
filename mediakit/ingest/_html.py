"""Main text and metadata of a full HTML page, with trafilatura.

Before trafilatura sees a page it is made safe to extract in linear time (:func:`prepare`):

- inline formatting tags (``<span>``, ``<b>``, ``<em>`` ...) are removed from the markup, their
  text kept. trafilatura drops them anyway, but stripping them inside its tree leaves one text
  node per tag, and reading those back (lxml joins each text node with all the adjacent ones) is
  quadratic: a 0.7 MB paragraph of ``<span>`` words took minutes;
- an element holding more than :data:`MAX_LINKS` links directly (a tag cloud, a link farm) is
  dropped when most of its text is link text, else its links become plain text, for the same
  reason;
- elements nested deeper than :data:`MAX_DEPTH` are merged into their ancestor at that depth:
  the HTML parser silently drops everything under 256 levels of nesting ("no text");
- a page of more than :data:`MAX_PAGE_CHARS` characters, or of more than :data:`MAX_ELEMENTS`
  elements once inline formatting is removed, is refused (:class:`TextProblem`): extraction
  time stays bounded (about 10 s at most).
"""

from __future__ import annotations

import re

from mediakit.ingest._text import TextProblem

_PAGE = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                   re.IGNORECASE | re.DOTALL)


#: A page whose main text has fewer words holds no article.
MIN_WORDS = 5
#: Longest page (characters of HTML) extracted.
MAX_PAGE_CHARS = 6_000_000
#: Most elements in a page (after inline formatting is removed) handed to trafilatura: its
#: XPath searches (libxml2 merging node sets) are quadratic in the paragraphs of a page, about
#: 10 s at this size; a news article page has a few thousand.
MAX_ELEMENTS = 30_000
#: Links directly under one element beyond which it is treated as a link list.
MAX_LINKS = 200
#: Deepest element nesting kept as it is (the HTML parser drops content below 255 levels).
MAX_DEPTH = 200

_INLINE = ("b", "i", "em", "strong", "u", "span", "font", "small", "big", "mark", "abbr",
           "cite", "s", "strike", "tt", "sub", "sup", "ins", "del", "bdi", "bdo", "dfn", "kbd",
           "samp", "var", "data", "nobr")
_INLINE_TAG = re.compile(r"</?(?:{})\b[^<>]*+>".format("|".join(_INLINE)), re.IGNORECASE)
_FLAT = "mediakit-flat"

# the publication date (not the last modification), with its time when the page gives one
_DATE_PARAMS = {"extensive_search": False, "original_date": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


def looks_like_page(text: str) -> bool:
    """Whether ``text`` is a whole HTML document (doctype or ``<html>`` first)."""
    return bool(_PAGE.match(text[:4096]))


def _declared_site(doc) -> str | None:
    """The site name the page declares, or None when trafilatura took it from a URL's host."""
    from trafilatura.metadata import META_URL

    name = (doc.sitename or "").strip()
    if not name:
        return None
    for url in (doc.url,):
        found = META_URL.match(url or "")
        if found and found[1].lower() in (name.lower(), "www." + name.lower()):
            return None
    return name


def prepare(page: str) -> str:
    """The page with inline formatting removed, link lists and deep nesting made flat (see the
    module's docstring); raise :class:`TextProblem` for a page too big to extract."""
    if len(page) > MAX_PAGE_CHARS:
        raise TextProblem(f"is an HTML page of {len(page):,} characters, more than the "
                          f"{MAX_PAGE_CHARS:,} extracted; save the article's own part of it")
    page = _INLINE_TAG.sub("", page)
    import lxml.etree as etree
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(page, parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError):
        return page
    # no Python reference to the elements is kept: lxml frees a proxy of a node in a dropped
    # subtree by walking that subtree, so holding one per element would be quadratic again
    changed = False
    level = count = 0
    for event, el in etree.iterwalk(doc, events=("start", "end")):
        if event == "end":
            level -= 1
            continue
        level += 1
        count += 1
        if level > MAX_DEPTH and isinstance(el.tag, str):
            el.tag = _FLAT
            changed = True
    if count > MAX_ELEMENTS:
        raise TextProblem(f"is an HTML page of {count:,} elements (without inline formatting), "
                          f"more than the {MAX_ELEMENTS:,} extracted in bounded time; a news "
                          "page has a few thousand: save the article's own part of it")
    farms = [el for el in doc.iter() if isinstance(el.tag, str)
             and sum(1 for c in el if c.tag == "a") > MAX_LINKS]
    for el in farms:
        changed = True
        link_chars = sum(len(a.text_content()) for a in el if a.tag == "a")
        if link_chars > 0.5 * len(el.text_content()) and el.getparent() is not None:
            el.drop_tree()
        else:
            for a in el:
                if a.tag == "a":
                    a.tag = _FLAT
    del farms
    if not changed:
        return page
    etree.strip_tags(doc, _FLAT)
    return lxml.html.tostring(doc, encoding="unicode")


def _unreadable(page: str) -> bool:
    """Whether the HTML parser reads no text from a page that has words between its tags (it
    gives up on nesting deeper than it supports)."""
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(page, parser=lxml.html.HTMLParser(huge_tree=True))
        if doc.text_content().strip():
            return False
    except Exception:  # noqa: BLE001 - lxml's own errors: the parser read nothing either
        pass
    return len(re.sub(r"<[^<>]*>", " ", page).split()) >= MIN_WORDS


def extract_page(page: str | bytes, url: str | None = None) -> dict[str, object]:
    """Return the page's main text and metadata: ``text``, ``title``, ``published``, ``outlet``,
    ``url`` (the canonical URL the page declares) and ``hostname``.

    Navigation, footers, comments, cookie banners and link lists are left out by trafilatura.
    ``outlet`` is the page's declared site name (``og:site_name`` and the like), else None:
    the caller decides on a fallback. A name trafilatura derives from a URL the page gives
    (``<base href>``, the canonical link, ``og:url``) is not declared and not used: any page
    can name any host there, and it would override the outlet's folder. ``text`` is "" when
    the page holds no main text (fewer than ``MIN_WORDS`` words: trafilatura falls back to a
    lone menu entry such as "Home"). The page is first made safe to extract in linear time
    (:func:`prepare`).
    """
    import trafilatura

    if isinstance(page, bytes):
        from mediakit.ingest._text import decode_bytes

        page = decode_bytes(page)[0]
    original, page = page, prepare(page)
    common = {"url": url, "with_metadata": True, "include_comments": False,
              "include_images": False, "include_links": False, "include_formatting": False,
              "date_extraction_params": _DATE_PARAMS}
    doc = trafilatura.bare_extraction(page, favor_precision=True, **common)
    if doc is None or not (doc.text or "").strip():
        doc = trafilatura.bare_extraction(page, favor_recall=True, **common)
    if doc is None or len((doc.text or "").split()) < MIN_WORDS:
        if _unreadable(original):
            raise TextProblem("is HTML nested too deeply for the HTML parser to read any of it "
                              "(hundreds of levels); flatten the markup, or save its text")
        return {"text": "", "title": None, "published": None, "outlet": None, "url": None,
                "hostname": None}
    return {
        "text": doc.text or "",
        "title": doc.title or None,
        "published": doc.date or None,
        "outlet": _declared_site(doc),
        "url": doc.url or None,
        "hostname": doc.hostname or None,
    }
