"""fetch_articles against a local HTTP server on 127.0.0.1 (no outside network).

Offline runs work: ``unshare -rn pytest tests/test_fetch.py`` (the fixture brings the new
namespace's loopback interface up, which ``unshare -rn`` leaves down).
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

import mediakit as mk
from mediakit._frames import ARTICLE_COLUMNS

PAGE = (Path(__file__).parent / "data" / "ingest" / "article.html").read_bytes()
NO_SITE = PAGE.replace(b'<meta property="og:site_name" content="The Example Post">\n', b"")
BARE = NO_SITE.replace(b'<link rel="canonical" href="https://news.example.org/world/a1">\n', b"")
BARE = BARE.replace(
    b'<meta property="article:published_time" content="2025-04-10T09:30:00+00:00">\n', b"")
CP1252 = ("<html><head><title>Prices Rise Again</title></head><body><article><p>"
          + "“Prices rose again,” the minister said on Friday, and we don’t expect a change. " * 8
          + "</p></article></body></html>").encode("cp1252")


class _Handler(BaseHTTPRequestHandler):
    requests: list[str] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, body: bytes, ctype: str = "text/html; charset=utf-8", code: int = 200):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # the client gave up (too big, timed out): expected here
            pass

    def do_GET(self):  # noqa: N802 - http.server's name
        _Handler.requests.append(self.path)
        path = self.path
        if path == "/article":
            self._send(PAGE)
        elif path == "/nosite":
            self._send(NO_SITE)
        elif path == "/bare":
            self._send(BARE)
        elif path == "/cp1252":
            self._send(CP1252, "text/html; charset=windows-1252")
        elif path == "/missing":
            self._send(b"<html><body>Not found</body></html>", code=404)
        elif path == "/big":
            self._send(PAGE + b"<!-- padding -->" * 20_000)
        elif path == "/big-unannounced":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"<p>" + b"x" * 10_000 + b"</p>")
            except OSError:
                pass
        elif path == "/slow":
            time.sleep(2)
            self._send(PAGE)
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(30):
                    self.wfile.write(b"<p>a</p>")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/pdf":
            self._send(b"%PDF-1.7", "application/pdf")
        elif path == "/empty":
            self._send(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
        elif path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
        elif path == "/redirect-ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/article.html")
            self.end_headers()
        elif path == "/redirect-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        else:
            self._send(b"", code=500)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        # a fresh network namespace (unshare -rn) has its loopback down; bring it up there
        subprocess.run(["ip", "link", "set", "lo", "up"], capture_output=True, check=False)
        try:
            socket.create_connection((host, port), timeout=2).close()
        except OSError as exc:
            httpd.shutdown()
            pytest.skip(f"loopback 127.0.0.1 unreachable ({exc}); bring the lo interface up")
    yield f"http://{host}:{port}"
    httpd.shutdown()
    httpd.server_close()


def test_article_page_body_without_page_furniture(server):
    got = mk.fetch_articles(f"{server}/article")
    assert tuple(got.columns) == ARTICLE_COLUMNS
    row = got.iloc[0]
    text = row["text"]
    assert "“We are ready to play our part,” the British defence secretary said" in text
    assert "pledged further aid" in text
    for furniture in ("cookie", "World news section", "Sport pages", "Related stories",
                      "Markets fall", "All rights reserved", "Privacy policy", "Contact us"):
        assert furniture not in text
    assert row["outlet"] == "The Example Post"
    assert row["title"] == "Ministers Meet in Brussels on Ukraine Plan"
    assert row["published"] == pd.Timestamp("2025-04-10 09:30", tz="UTC")
    assert row["url"] == f"{server}/article"
    assert row["story_id"] == "all"
    assert got.attrs["skipped"] == []


def test_outlet_falls_back_to_the_host_and_no_date_is_invented(server):
    got = mk.fetch_articles([f"{server}/nosite", f"{server}/bare"])
    # the served host, never the canonical link's: any page can name any host there
    assert got["outlet"].tolist() == ["127.0.0.1", "127.0.0.1"]
    assert pd.isna(got["published"][1])


def test_redirect_followed_and_charset_from_the_header(server):
    got = mk.fetch_articles([f"{server}/redirect", f"{server}/cp1252"])
    assert got["url"].tolist() == [f"{server}/redirect", f"{server}/cp1252"]
    assert got["source"][0] == f"{server}/article"
    assert "we don’t expect a change" in got["text"][1]
    assert got["article_id"].is_unique


def test_failures_are_listed_and_the_good_pages_kept(server):
    urls = [f"{server}/missing", f"{server}/article", f"{server}/big", f"{server}/slow",
            f"{server}/pdf", f"{server}/empty", f"{server}/redirect-file",
            f"{server}/big-unannounced", f"{server}/trickle", f"{server}/article"]
    start = time.perf_counter()
    with pytest.warns(mk.SkippedInputWarning, match="skipped 9 of 10"):
        got = mk.fetch_articles(urls, timeout=1.0, max_bytes=200_000)
    assert time.perf_counter() - start < 15
    assert got["url"].tolist() == [f"{server}/article"]
    reasons = {s["row"]: s["reason"] for s in got.attrs["skipped"]}
    assert [s["source"] for s in got.attrs["skipped"]] == [urls[i] for i in sorted(reasons)]
    assert "404" in reasons[0]
    assert "max_bytes" in reasons[2] and "max_bytes" in reasons[7]
    assert "timed out" in reasons[3] or "timeout" in reasons[3]
    assert "application/pdf" in reasons[4]
    assert "no article text" in reasons[5]
    assert "file:///etc/passwd" in reasons[6] and "not allowed" in reasons[6]
    assert "timeout" in reasons[8] or "timed out" in reasons[8]
    assert "repeats" in reasons[9]


def test_redirect_to_ftp_is_refused(server):
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.fetch_articles([f"{server}/redirect-ftp"])
    assert "not an http(s) URL; refused" in got.attrs["skipped"][0]["reason"]


def test_on_error_raise_names_the_url(server):
    with pytest.raises(OSError, match=r"/missing \(position 0\) answered HTTP 404"):
        mk.fetch_articles([f"{server}/missing"], on_error="raise")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.html",
                                 "data:text/html,<p>hi</p>", "javascript:alert(1)",
                                 "example.org/news", "http:///nohost"])
def test_only_http_urls_are_accepted(url, server):
    before = len(_Handler.requests)
    with pytest.raises(ValueError, match="http"):
        mk.fetch_articles([f"{server}/article", url])
    assert len(_Handler.requests) == before  # refused before any download


def test_bad_options():
    with pytest.raises(ValueError, match="max_bytes"):
        mk.fetch_articles("http://127.0.0.1:9/x", max_bytes=0)
    with pytest.raises(ValueError, match="timeout"):
        mk.fetch_articles("http://127.0.0.1:9/x", timeout=0)
    with pytest.raises(TypeError, match="strings"):
        mk.fetch_articles([42])


# -- issue 18: truncated, compressed, mislabelled and slow-to-extract pages ------------------------

_STORY = ("<!doctype html><html><head><title>Port Strike Talks Stall</title></head><body><article>"
          + "<p>The port strike entered its third day as talks stalled again on Tuesday.</p>" * 8
          + "</article></body></html>").encode()


class _Hostile(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        import gzip as gz

        self.send_response(200)
        if self.path == "/truncated":
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(_STORY) + 5_000))
            self.end_headers()
            self.wfile.write(_STORY)
            self.wfile.flush()
            self.close_connection = True
            return
        if self.path == "/gzipped":
            body = gz.compress(_STORY)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
        elif self.path == "/wrong-charset":
            body = _STORY
            self.send_header("Content-Type", "text/html; charset=utf-16")
        elif self.path == "/spans":
            body = (b"<!doctype html><html><body><article><p>"
                    + b"".join(b"<span>Word %d is here.</span> " % i for i in range(25_000))
                    + b"</p></article></body></html>")
            self.send_header("Content-Type", "text/html")
        else:
            body = b""
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def hostile(server):  # server: brings the loopback up when needed
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    host, port = httpd.server_address[:2]
    yield f"http://{host}:{port}"
    httpd.shutdown()
    httpd.server_close()


def test_page_cut_off_before_its_content_length_is_skipped(hostile):
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.fetch_articles([f"{hostile}/truncated"], timeout=5)
    assert len(got) == 0
    assert "cut off mid-transfer" in got.attrs["skipped"][0]["reason"]


def test_compressed_and_mislabelled_pages_are_read(hostile):
    got = mk.fetch_articles([f"{hostile}/gzipped", f"{hostile}/wrong-charset"])
    assert got["title"].tolist() == ["Port Strike Talks Stall"] * 2
    assert all("third day" in t for t in got["text"])


def test_timeout_bounds_the_extraction_too(hostile, monkeypatch):
    from mediakit.ingest import fetch

    def slow(html):
        if "warms up" not in html:  # the warm-up call before the first page is not timed
            time.sleep(3)
        return {}
    monkeypatch.setattr(fetch, "extract_page", slow)
    start = time.perf_counter()
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.fetch_articles([f"{hostile}/gzipped"], timeout=1)
    assert time.perf_counter() - start < 2.5
    assert "extracting" in got.attrs["skipped"][0]["reason"]


def test_page_of_many_inline_tags_extracts_in_linear_time(hostile):
    start = time.perf_counter()
    got = mk.fetch_articles([f"{hostile}/spans"], timeout=20)  # was: minutes
    assert time.perf_counter() - start < 20
    assert got["text"][0].startswith("Word 0 is here. Word 1 is here.")
    assert "Word 24999 is here." in got["text"][0]
