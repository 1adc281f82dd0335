"""Security against hostile articles, names and servers.

- Reports: every string from articles and metadata is escaped (a structural check of the page, and
  a headless browser for payloads in story ids, URLs and sources that tests/test_browser.py does
  not place); files named after outlets and stories stay inside the output folder.
- YAML (lexicons, front matter) is loaded safely; no user data is ever unpickled or evaluated.
- ``fetch_articles`` refuses non-http(s) schemes and bounds size and time against a local server
  that streams forever.
"""

from __future__ import annotations

import ast
import re
import socket
import subprocess
import threading
import time
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from test_browser import _Elements, _run, chromium  # noqa: F401 - chromium is a fixture

import mediakit as mk

PACKAGE = Path(mk.__file__).resolve().parent
PAYLOAD = ("<script>document.title='PWNED'</script>"
           "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">")
# Ways out of an attribute, a style or a comment, and a script URL.
BREAKOUTS = ('"><svg onload=alert(1)>', "'><iframe src=javascript:alert(1)>", "</style><script>x()"
             "</script>", "<!--", "]]>", "</title><script>y()</script>", "javascript:alert(1)")
# File names an outlet or story name must not turn into.
HOSTILE_NAMES = ["../../escape", "/tmp/absolute", "CON", "NUL.txt", "..", "C:\\Windows\\x",
                 "a/../../b", "\x00nul", "<script>alert(1)</script>", "com1"]


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


# -- the HTML report -------------------------------------------------------------------------


_SAFE_TAGS = {
    # the page
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "p", "ul", "ol",
    "li", "div", "span", "strong", "em", "table", "caption", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption", "blockquote", "details", "summary", "code", "br", "small",
    # inline SVG from matplotlib
    "svg", "g", "path", "defs", "clippath", "use", "rect", "line", "polyline", "polygon",
    "circle", "ellipse", "text", "tspan", "lineargradient", "stop", "pattern", "mask", "image",
}


class _Page(HTMLParser):
    """Every start tag and attribute of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _assert_inert(page: str) -> None:
    """No script, no event handler, no script or outside URL, only known elements."""
    parsed = _Page()
    parsed.feed(page)
    unknown = {t for t, _ in parsed.tags} - _SAFE_TAGS
    assert not unknown, f"unexpected elements {unknown}"
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            value = (value or "").strip().lower()
            if name.startswith("xmlns"):  # namespace names, never loaded
                continue
            assert not value.startswith(("javascript:", "http:", "https:", "//", "file:")), (
                tag, name, value)
            if name in ("href", "xlink:href"):
                assert value.startswith(("#", "data:image/")), (tag, name, value)


def _hostile_articles() -> list[dict]:
    """Three outlets and two stories named with path tricks and markup; payloads everywhere."""
    base = ("The minister said the plan would start on Monday after talks in Brussels.\n"
            "“We are ready,” Angela Merkel said, adding that troops would move next week.\n"
            "Aid will arrive by the end of the month, officials said.")
    rows = []
    outlets = ["../../escape " + PAYLOAD, "CON", "/tmp/absolute" + BREAKOUTS[0]]
    for i, outlet in enumerate(outlets):
        for j, story in enumerate(["../" + PAYLOAD, "NUL"]):
            rows.append({
                "article_id": f"art{i}{j}" + BREAKOUTS[1], "outlet": outlet, "story_id": story,
                "title": "Title " + PAYLOAD + BREAKOUTS[5],
                "url": "javascript:alert(1)//" + BREAKOUTS[0], "source": "file:///etc/passwd",
                # markup in the text is removed at ingest, and removing it can build new tags
                "text": f"Title {PAYLOAD}\n{base}\nOnly outlet {i} {BREAKOUTS[2]} {BREAKOUTS[3]} "
                        f"says {PAYLOAD} that {j} ships were {BREAKOUTS[4]} seen "
                        "<scr<script>ipt>alert(1)</scr</script>ipt> near the coast."})
    return rows


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    """``Analysis.report`` of the hostile articles: (folder it was given, files written)."""
    pytest.importorskip("spacy")  # actors figures are named after stories too
    analysis = _quiet(mk.analyze, _hostile_articles(), actors=True, n_boot=50, stories="given")
    tmp = tmp_path_factory.mktemp("hostile")
    written = _quiet(analysis.report, tmp / "report", formats=("svg",))
    return tmp, written


def test_report_files_named_after_outlets_and_stories_stay_inside(hostile_report):
    tmp_path, written = hostile_report
    root = (tmp_path / "report").resolve()
    names = [p.name for p in written]
    assert len(names) == len(set(p.resolve() for p in written))  # nothing overwritten
    for path in written:
        path = path.resolve()
        assert path.is_relative_to(root) and path.is_file(), path
        assert re.fullmatch(r"[A-Za-z0-9._-]+", path.name), path.name
        assert path.name.split(".")[0].upper() not in {"CON", "NUL", "COM1", "PRN", "AUX"}
    # every file under tmp_path is one of the written ones: nothing landed beside the folder
    on_disk = {p.resolve() for p in tmp_path.rglob("*") if p.is_file()}
    assert on_disk == {p.resolve() for p in written}
    # the figures named after outlets and stories are there
    figures = [n for n in names if n.endswith(".svg")]
    assert any(n.startswith("keyness_") for n in figures)
    assert sum(n.startswith("coverage_map_") for n in figures) == 2
    assert sum(n.startswith("actors_") for n in figures) == 2


def test_report_page_is_inert_and_shows_the_payloads_as_text(hostile_report):
    page = hostile_report[1][0].read_text(encoding="utf-8")
    _assert_inert(page)
    assert "<script" not in page.lower()
    escaped = "&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;/script&gt;"
    assert page.count(escaped) >= 5  # outlets, stories, titles, texts, facts
    # a fact quoted from a text whose markup removal built a script tag
    assert "ships were ]]&gt; seen &lt;script&gt;alert(1)&lt;/script&gt; near" in page
    assert "&quot;&gt;&lt;svg onload=alert(1)&gt;" in page  # the outlet name


@pytest.mark.parametrize("filename", HOSTILE_NAMES + ["", "."])
def test_write_report_filename_cannot_leave_the_folder(filename, tmp_path):
    articles = pd.DataFrame({"article_id": ["a"], "outlet": [PAYLOAD], "story_id": ["s"],
                             "text": ["Some text."]})
    out = tmp_path / "out"
    path = mk.write_report({"articles": articles}, out, filename=filename, title=PAYLOAD)
    assert path.parent == out.resolve() and path.is_file()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [path]
    _assert_inert(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_save_figure_writes_only_where_it_is_told(name, tmp_path):
    # hostile names in the data and the manifest do not reach a path; they are stored intact
    import json

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.bar([name], [1.0])
    ax.set_title(name)
    data = pd.DataFrame({"outlet": [name], "value": [1.0]})
    written = mk.save_figure(fig, tmp_path / "figs" / "bars", formats=("svg",), data=data,
                             manifest={"parameters": {"outlet": name}})
    assert [p.name for p in written] == ["bars.svg", "bars.data.csv", "bars.manifest.json"]
    assert {p.resolve() for p in tmp_path.rglob("*") if p.is_file()} == {
        p.resolve() for p in written}
    assert pd.read_csv(written[1], keep_default_na=False)["outlet"].tolist() == [name]
    manifest = json.loads(written[2].read_text(encoding="utf-8"))
    assert manifest["parameters"]["outlet"] == name


# -- the report in a headless browser -------------------------------------------------------


@pytest.mark.browser
def test_payloads_in_story_ids_urls_and_sources_do_not_run(chromium, hostile_report,  # noqa: F811
                                                         tmp_path):
    # test_browser.py puts payloads in outlets, titles and texts; here also in story ids, URLs,
    # sources, article ids, the actors table, and attribute, style and comment breakouts
    page = hostile_report[1][0]
    dom = _run(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout
    parsed = _Elements()
    parsed.feed(dom)
    assert parsed.title == "mediakit report"
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    assert not [a for _, a in parsed.tags if any(k.startswith("on") for k in a)]
    assert not [a for _, a in parsed.tags if "data-pwned" in a]
    assert "svg" in tags  # the figures are there (inline SVG), and no <svg onload>
    assert "&lt;svg onload=alert(1)&gt;" in dom


# -- YAML and code execution -----------------------------------------------------------------

_YAML_PAYLOADS = [
    "!!python/object/apply:os.system ['touch {canary}']",
    "!!python/object/new:subprocess.Popen [['touch', '{canary}']]",
    "!!python/name:os.system",
    "!!python/module:os",
]


@pytest.mark.parametrize("payload", _YAML_PAYLOADS)
def test_yaml_lexicon_with_python_tags_is_refused(payload, tmp_path):
    canary = tmp_path / "canary"
    path = tmp_path / "lexicon.yaml"
    path.write_text("name: evil\ncategories:\n  war:\n    terms: "
                    + payload.format(canary=canary) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="YAML"):
        mk.load_lexicon(path)
    assert not canary.exists()


@pytest.mark.parametrize("payload", _YAML_PAYLOADS)
def test_front_matter_with_python_tags_is_refused(payload, tmp_path):
    canary = tmp_path / "canary"
    path = tmp_path / "article.md"
    path.write_text("---\ntitle: " + payload.format(canary=canary)
                    + "\n---\nThe minister said so.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="article.md has front matter that is not valid YAML"):
        mk.read_articles(path)
    got = _quiet(mk.read_articles, path, on_error="skip")
    assert len(got) == 0 and len(got.attrs["skipped"]) == 1
    assert not canary.exists()


# Calls that run or unpickle what they are given. mediakit must not contain any of them (its
# inputs are user data); a safe YAML load names SafeLoader or uses safe_load.
_FORBIDDEN_CALLS = {
    "eval", "exec", "compile", "__import__", "pickle.load", "pickle.loads", "pickle.Unpickler",
    "cPickle.load", "cPickle.loads", "dill.load", "dill.loads", "cloudpickle.load",
    "cloudpickle.loads", "joblib.load", "pd.read_pickle", "pandas.read_pickle", "marshal.load",
    "marshal.loads", "shelve.open", "yaml.unsafe_load", "yaml.full_load", "yaml.load_all",
    "yaml.unsafe_load_all", "torch.load", "os.system", "os.popen", "subprocess.getoutput",
    "subprocess.getstatusoutput",
}
_FORBIDDEN_IMPORTS = {"pickle", "cPickle", "dill", "cloudpickle", "joblib", "marshal", "shelve"}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _unsafe_uses(source: str) -> list[str]:
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names
                      if a.name.split(".")[0] in _FORBIDDEN_IMPORTS]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in _FORBIDDEN_IMPORTS:
                found.append(f"from {node.module} import ...")
        elif isinstance(node, ast.Call):
            name = _dotted(node.func)
            keywords = {k.arg: k.value for k in node.keywords}
            if name in _FORBIDDEN_CALLS or name.endswith(".read_pickle"):
                found.append(name)
            elif name == "yaml.load":
                loader = keywords.get("Loader") or (node.args[1] if len(node.args) > 1 else None)
                if loader is None or "Safe" not in _dotted(loader):
                    found.append("yaml.load without SafeLoader")
            elif name.endswith(("np.load", "numpy.load")):
                allow = keywords.get("allow_pickle")
                if not (isinstance(allow, ast.Constant) and allow.value is False):
                    found.append(f"{name} without allow_pickle=False")
            elif name.startswith("subprocess.") and isinstance(keywords.get("shell"), ast.Constant) \
                    and keywords["shell"].value:
                found.append(f"{name}(shell=True)")
    return found


def test_the_scanner_finds_unsafe_calls():
    bad = ("import pickle\nfrom joblib import load\nx = eval(s)\ny = yaml.load(s)\n"
           "z = yaml.load(s, Loader=yaml.Loader)\nw = np.load(p)\nv = pd.read_pickle(p)\n"
           "subprocess.run(c, shell=True)\nexec(code)\n")
    assert len(_unsafe_uses(bad)) == 9
    good = "a = yaml.safe_load(s)\nb = yaml.load(s, Loader=yaml.SafeLoader)\nc = np.load(p, " \
           "allow_pickle=False)\nre.compile(p)\n"
    assert _unsafe_uses(good) == []


def test_package_never_unpickles_or_evaluates():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 30
    found = {str(f.relative_to(PACKAGE)): uses for f in files
             if (uses := _unsafe_uses(f.read_text(encoding="utf-8")))}
    assert found == {}


# -- fetch_articles against a hostile local server --------------------------------------------

_PAGE = (Path(__file__).parent / "data" / "ingest" / "article.html").read_bytes()


def _serve(conn: socket.socket, path: str) -> None:
    ok_headers = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
    if path == "/article":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                     + str(len(_PAGE)).encode() + b"\r\nConnection: close\r\n\r\n" + _PAGE)
    elif path == "/forever":  # no Content-Length, fast, never ends
        conn.sendall(ok_headers)
        chunk = b"<p>" + b"x" * 65_536 + b"</p>"
        while True:
            conn.sendall(chunk)
    elif path == "/drip-forever":  # a few bytes at a time, never ends
        conn.sendall(ok_headers)
        while True:
            conn.sendall(b"<p>a</p>")
            time.sleep(0.05)
    elif path == "/lying-length":  # announces a small page, sends an endless one
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n")
        while True:
            conn.sendall(b"x" * 65_536)
    elif path == "/header-flood":  # header lines without end
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        while True:
            conn.sendall(b"X-Padding: " + b"y" * 100 + b"\r\n")
    elif path == "/slow-headers":  # each header line within the timeout, never the body
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        for _ in range(15):  # 6 s in all
            conn.sendall(b"X-Slow: 1\r\n")
            time.sleep(0.4)
    elif path == "/redirect-gopher":
        conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: gopher://127.0.0.1:70/1\r\n"
                     b"Content-Length: 0\r\n\r\n")
    else:
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")


class _Server:
    """A raw socket server on 127.0.0.1; each connection handled in a daemon thread."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _loop(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket):
        try:
            conn.settimeout(30)
            request = conn.recv(65_536).decode("latin-1")
            path = request.split(" ")[1] if " " in request else "/"
            _serve(conn, path)
        except OSError:  # the client hung up: what the size and time limits do
            pass
        finally:
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture(scope="module")
def hostile_server():
    server = _Server()
    try:
        socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])),
                                 timeout=2).close()
    except OSError:
        # a fresh network namespace (unshare -rn) has its loopback down; bring it up there
        subprocess.run(["ip", "link", "set", "lo", "up"], capture_output=True, check=False)
    yield server.url
    server.close()


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("path", "reason"), [
    ("/forever", "more than max_bytes=200,000 bytes"),
    ("/lying-length", "no article text"),  # read to the announced length only
    ("/drip-forever", "took more than timeout=1 s"),
    ("/header-flood", "malformed HTTP response .*more than 100 headers"),
    ("/redirect-gopher", "not an http\\(s\\) URL; refused|gopher.* is not allowed"),
])
def test_fetch_is_cut_off_and_keeps_the_other_pages(path, reason, hostile_server):
    start = time.perf_counter()
    with pytest.warns(mk.SkippedInputWarning):
        got = mk.fetch_articles([f"{hostile_server}/article", f"{hostile_server}{path}"],
                                timeout=1, max_bytes=200_000)
    elapsed = time.perf_counter() - start
    assert len(got) == 1 and got["outlet"].tolist() == ["The Example Post"]
    (skipped,) = got.attrs["skipped"]
    assert skipped["row"] == 1 and re.search(reason, skipped["reason"]), skipped
    assert elapsed < 10


@pytest.mark.timeout(60)
def test_fetch_time_is_bounded_while_headers_arrive(hostile_server):
    # a header line every 0.4 s (each read within the 1 s socket timeout) for 6 s, then nothing:
    # the whole-request deadline cuts it off at 1 s and the page is skipped with the reason
    start = time.perf_counter()
    with pytest.warns(mk.SkippedInputWarning, match="took more than timeout=1 s"):
        got = mk.fetch_articles([f"{hostile_server}/article", f"{hostile_server}/slow-headers"],
                                timeout=1)
    elapsed = time.perf_counter() - start
    assert got["outlet"].tolist() == ["The Example Post"]
    (skipped,) = got.attrs["skipped"]
    assert skipped["row"] == 1
    assert skipped["reason"].startswith("took more than timeout=1 s (connecting, headers and body")
    assert elapsed < 2.5  # one deadline (1 s) plus slack; 6 s without the deadline

    with pytest.raises(OSError, match="slow-headers .*took more than timeout=1 s"):
        mk.fetch_articles(f"{hostile_server}/slow-headers", timeout=1, on_error="raise")


_SCHEMES = ["file:///etc/passwd", "FILE:///etc/passwd", "  file:///etc/passwd",
            "ftp://127.0.0.1/a.html", "data:text/html,<p>hi</p>", "javascript:alert(1)",
            "gopher://127.0.0.1:70/1", "ws://127.0.0.1/", "mailto:a@example.org",
            "//127.0.0.1/article", "127.0.0.1/article", "http:///nohost", "file://127.0.0.1/x"]


@pytest.mark.parametrize("url", _SCHEMES)
def test_fetch_refuses_other_schemes_before_downloading(url, hostile_server, monkeypatch):
    import urllib.request

    opened = []
    monkeypatch.setattr(urllib.request.OpenerDirector, "open",
                        lambda self, *a, **k: opened.append(a) or pytest.fail("opened"))
    with pytest.raises(ValueError, match="http"):
        mk.fetch_articles([f"{hostile_server}/article", url])
    assert opened == []
