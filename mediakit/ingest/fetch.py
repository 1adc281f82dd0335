"""``fetch_articles``: download news pages over HTTP(S) and extract their articles.

The only place mediakit uses the network, and only when called.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from numbers import Integral, Real
from urllib.parse import urljoin, urlsplit

import pandas as pd

from mediakit._errors import SkippedInputWarning
from mediakit._params import Interval, Options, validate_params, warn
from mediakit._progress import progress as _progress
from mediakit.ingest._deadline import Deadline
from mediakit.ingest._deadline import handlers as deadline_handlers
from mediakit.ingest._html import extract_page
from mediakit.ingest._text import _CONTROL, TextProblem, decode_bytes
from mediakit.ingest.read import ON_ERROR, Skipped, read_articles

SCHEMES = ("http", "https")
DEFAULT_USER_AGENT = "mediakit (research; +https://pypi.org/project/mediakit/)"
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""",
                           re.IGNORECASE)


class FetchError(OSError):
    """A page could not be downloaded or holds no article; the message says which and why."""


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) URLs (never to file:, ftp: ...)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urljoin(req.full_url, newurl)
        if urlsplit(target).scheme.lower() not in SCHEMES:
            raise FetchError(f"redirects to {target!r}, which is not an http(s) URL; refused")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@validate_params(
    timeout=[Interval(Real, 0, None, closed="neither")], max_bytes=[Interval(Integral, 1, None)],
    user_agent=[str], on_error=[Options(*ON_ERROR)], progress=[bool, None],
)
def fetch_articles(
    urls: str | Iterable[str],
    *,
    timeout: float = 20.0,
    max_bytes: int = 5_000_000,
    user_agent: str = DEFAULT_USER_AGENT,
    on_error: str = "skip",
    progress: bool | None = None,
) -> pd.DataFrame:
    """Download news pages and return their articles as an articles frame.

    Each page is fetched once with ``urllib`` (no cookies, no JavaScript) and reduced to its
    main text with trafilatura: navigation, footers, cookie banners and related-link lists are
    left out. Nothing else in mediakit touches the network.

    Parameters
    ----------
    urls : str or iterable of str
        ``http://`` or ``https://`` URLs. Any other scheme (``file:``, ``ftp:``, ``data:``) or
        a URL without a host raises ``ValueError`` before anything is downloaded.
    timeout : float, default 20
        Seconds allowed per page for the whole request and the text extraction: connecting,
        redirects, the TLS handshake, the headers, the body and extracting its article
        together. A server still sending at the deadline (even one byte at a time) is cut off
        and the page is skipped ("took more than timeout=..."); so is a page whose extraction
        is still running then (it finishes in the background: its size is bounded, see
        ``max_bytes``). Only the host-name lookup is outside this bound.
    max_bytes : int, default 5_000_000
        Largest page accepted, in bytes; bigger ones are not read to the end.
    user_agent : str
        The ``User-Agent`` header sent.
    on_error : {"skip", "raise"}, default "skip"
        A page that fails (HTTP error, timeout, too big, cut off before its announced
        ``Content-Length``, not HTML, no article text) is skipped
        with a :class:`~mediakit.SkippedInputWarning` and listed in ``attrs["skipped"]``
        (``source`` = the URL, ``row`` = its position in ``urls``, ``reason``); the other pages
        are kept. ``"raise"`` stops at the first failure with an ``OSError`` naming the URL.
    progress : bool, optional
        Show a progress bar (default: only for long lists).

    Returns
    -------
    pandas.DataFrame
        The articles frame (see :func:`mediakit.read_articles`): ``url`` is the URL as given,
        ``source`` the URL finally served (after redirects), ``outlet`` the site name the page
        declares (``og:site_name`` and the like), else the host that served it (without
        ``www.``; never a host the page only names in a link, which any page could claim), ``title`` and ``published`` from the page's metadata (NaT when it declares
        no date; no date is guessed from copyright lines), ``article_id`` a hash of the URL,
        ``story_id`` ``"all"``.
    """
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, Iterable) or isinstance(urls, (bytes, dict)):
        raise TypeError(f"urls must be a URL or a list of URLs, got {type(urls).__name__}.")
    urls = list(urls)
    for url in urls:
        _check_url(url)

    # the extractor's imports and first-use loading take a second or more: done here, so they
    # are not charged to the first page's timeout
    extract_page("<html><body><p>mediakit warms up its extractor here.</p></body></html>")

    frames: list[pd.DataFrame] = []
    skipped: list[Skipped] = []
    seen: dict[str, int] = {}
    for i, url in _progress(list(enumerate(urls)), enabled=progress, desc="fetching pages"):
        try:
            if url in seen:
                raise FetchError(f"repeats the URL at position {seen[url]}; it is read once")
            seen[url] = i
            frames.append(_fetch_one(url, timeout=float(timeout), max_bytes=max_bytes,
                                     user_agent=user_agent))
        except (FetchError, TextProblem, ValueError) as exc:
            if on_error == "raise":
                raise FetchError(f"{url} (position {i}) {exc}") from exc
            skipped.append(Skipped(source=url, row=i, reason=str(exc)))
    out = pd.concat(frames, ignore_index=True) if frames else read_articles([])
    out.attrs["skipped"] = skipped
    if skipped:
        first = "; ".join(f"{s['source']} {s['reason']}" for s in skipped[:3])
        warn(f"skipped {len(skipped)} of {len(urls)} URL(s); the list with reasons is in "
             f"articles.attrs['skipped']. First: {first}", SkippedInputWarning)
    return out


def _check_url(url: object) -> None:
    if not isinstance(url, str):
        raise TypeError(f"urls must be strings, got {type(url).__name__}: {url!r}.")
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in SCHEMES:
        raise ValueError(f"{url!r} is not an http(s) URL; fetch_articles only downloads "
                         "http:// and https:// pages (read local files with read_articles).")
    if not parts.hostname:
        raise ValueError(f"{url!r} has no host name.")


def _fetch_one(url: str, *, timeout: float, max_bytes: int, user_agent: str) -> pd.DataFrame:
    started = time.monotonic()
    body, final_url, charset = _download(url, timeout=timeout, max_bytes=max_bytes,
                                         user_agent=user_agent)
    # no url: trafilatura would name the site after the serving host (with its port)
    page = _extract_within(_decode(body, charset), timeout - (time.monotonic() - started),
                           timeout)
    if not str(page["text"]).strip():
        raise FetchError("holds no article text that could be extracted")
    host = urlsplit(final_url).hostname or ""
    outlet = page["outlet"] or (host[4:] if host.startswith("www.") else host)
    record = {
        "article_id": hashlib.sha1(url.encode("utf-8")).hexdigest()[:16],
        "outlet": outlet, "title": page["title"], "published": page["published"],
        "url": url, "source": final_url, "text": page["text"],
    }
    try:
        return read_articles([record])
    except ValueError as exc:  # the extracted text fails read_articles' checks
        raise FetchError(str(exc).removeprefix("row 0 ").split(" (or pass on_error")[0]) from exc


def _extract_within(html: str, seconds: float, timeout: float) -> dict:
    """``extract_page(html)``, given up (skipped) when not done within ``seconds``."""
    box: dict = {}

    def work() -> None:
        try:
            box["page"] = extract_page(html)
        except Exception as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=work, name="mediakit-extract", daemon=True)
    worker.start()
    worker.join(max(seconds, 0.0))
    if worker.is_alive():
        raise FetchError(f"took more than timeout={timeout:g} s (downloading and extracting "
                         "the article together)")
    if "error" in box:
        raise box["error"]
    return box["page"]


def _download(url: str, *, timeout: float, max_bytes: int,
              user_agent: str) -> tuple[bytes, str, str | None]:
    request = urllib.request.Request(url, headers={
        "User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"})
    too_slow = f"took more than timeout={timeout:g} s (connecting, headers and body together)"
    with Deadline(timeout) as deadline:
        opener = urllib.request.build_opener(_RedirectHandler, *deadline_handlers(deadline))
        try:
            got = _read(opener, request, timeout=timeout, max_bytes=max_bytes)
        except (OSError, http.client.HTTPException) as exc:
            if deadline.expired and not isinstance(exc, FetchError):
                raise FetchError(too_slow) from exc
            raise _failure(exc, timeout) from exc
        if deadline.expired:  # the sockets were shut down: what was read may be cut short
            raise FetchError(too_slow)
        return got


def _read(opener, request, *, timeout: float, max_bytes: int) -> tuple[bytes, str, str | None]:
    with opener.open(request, timeout=timeout) as response:
        ctype = response.headers.get_content_type()
        if ctype not in _HTML_TYPES:
            raise FetchError(f"is {ctype}, not an HTML page")
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(f"is {int(length):,} bytes, more than max_bytes={max_bytes:,}")
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(65536):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"is more than max_bytes={max_bytes:,} bytes")
            chunks.append(chunk)
        if length and length.isdigit() and size < int(length):
            raise FetchError(f"was cut off mid-transfer: {size:,} of the {int(length):,} bytes "
                             "its Content-Length announced arrived; try again later")
        body = b"".join(chunks)
        encoding = (response.headers.get("Content-Encoding") or "").strip().lower()
        if encoding in ("gzip", "x-gzip", "deflate") or body.startswith(b"\x1f\x8b"):
            body = _inflate(body, encoding, max_bytes)
        elif encoding not in ("", "identity"):
            raise FetchError(f"was sent with Content-Encoding {encoding!r}, which mediakit does "
                             "not decode (none was asked for)")
        return body, response.geturl(), response.headers.get_content_charset()


def _inflate(body: bytes, encoding: str, max_bytes: int) -> bytes:
    """A gzip- or deflate-compressed body (sent although not asked for), at most ``max_bytes``."""
    import zlib

    wbits = zlib.MAX_WBITS | 32 if encoding != "deflate" else zlib.MAX_WBITS  # 32: gzip or zlib
    try:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(body, max_bytes + 1)
    except zlib.error:
        try:  # "deflate" is often raw deflate data
            out = zlib.decompressobj(-zlib.MAX_WBITS).decompress(body, max_bytes + 1)
        except zlib.error as exc:
            raise FetchError(f"was sent compressed ({encoding or 'gzip'}) but does not "
                             f"decompress ({exc})") from exc
    if len(out) > max_bytes:
        raise FetchError(f"decompresses to more than max_bytes={max_bytes:,} bytes")
    return out


def _failure(exc: BaseException, timeout: float) -> FetchError:
    """The FetchError that says why a download failed (before its deadline)."""
    if isinstance(exc, FetchError):
        return exc
    if isinstance(exc, urllib.error.HTTPError):
        return FetchError(f"answered HTTP {exc.code} {exc.reason}")
    if isinstance(exc, urllib.error.URLError):
        if isinstance(exc.reason, FetchError):
            return exc.reason
        return FetchError(f"could not be reached ({exc.reason})")
    if isinstance(exc, TimeoutError):
        return FetchError(f"timed out after {timeout:g} s")
    if isinstance(exc, http.client.IncompleteRead):
        return FetchError(f"was cut off mid-transfer ({exc}); try again later")
    if isinstance(exc, http.client.HTTPException):  # e.g. more than 100 header lines
        return FetchError(f"sent a malformed HTTP response ({exc})")
    return FetchError(f"failed ({exc})")


def _decode(body: bytes, charset: str | None) -> str:
    """The page's text: the HTTP charset, else the page's ``<meta charset>``, else detection."""
    declared = charset
    if declared is None:
        match = _META_CHARSET.search(body[:4096])
        declared = match.group(1).decode("ascii") if match else None
    if declared:
        try:
            text = body.decode(declared)
        except (LookupError, UnicodeDecodeError):
            text = None
        # a wrong declaration (UTF-16 for UTF-8 bytes) decodes to garbage without markup
        if text is not None and "<" in text[:4096] and not _CONTROL.search(text[:65536]):
            return text
    try:
        return decode_bytes(body)[0]
    except TextProblem as exc:  # its advice is about files: say what the page is instead
        what = str(exc).split(";")[0].removeprefix("is ")
        raise FetchError(f"sent a body that is not readable text ({what}; declared charset: "
                         f"{declared or 'none'})") from exc
