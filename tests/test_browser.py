"""The HTML report in a real headless browser (Debian's chromium): it renders, and text from the
articles cannot run as script or create elements.

Runs wherever /usr/bin/chromium (or ``chromium`` on PATH) exists; in CI (``CI`` set) a missing
browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest

import mediakit as mk

pytestmark = pytest.mark.browser

PAYLOAD = ("<script>document.title='PWNED'</script>"
           "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">")


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                        else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium not found; CI must install it (apt-get install chromium)")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return path


def _run(chromium: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def _analysis(source):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mk.MediakitWarning)
        return mk.analyze(source, actors=False, n_boot=100)


def test_report_renders_in_chromium(chromium, tmp_path):
    from PIL import Image

    page = mk.write_report(_analysis(mk.load_example("seeds")), tmp_path)
    shot = tmp_path / "shot.png"
    _run(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1200,2000",
         page.as_uri())
    with Image.open(shot) as image:
        gray = image.convert("L")
        pixels = gray.width * gray.height
        dark = sum(gray.histogram()[:200])  # clearly not white
    assert gray.size == (1200, 2000)
    assert dark / pixels > 0.03, f"only {dark / pixels:.2%} non-white pixels"


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def test_script_in_article_text_does_not_run(chromium, tmp_path):
    source = [
        {"article_id": "x1", "outlet": "Outlet " + PAYLOAD, "story_id": "s",
         "title": "Title " + PAYLOAD,
         "text": "Title " + PAYLOAD + "\nThe minister said the plan " + PAYLOAD
                 + " would start on Monday.\nTroops will move to the border next week."},
        {"article_id": "x2", "outlet": "Plain outlet", "story_id": "s", "title": "Other title",
         "text": "Other title\nThe minister said the plan would start on Monday.\n"
                 "Aid will arrive by the end of the month."},
    ]
    page = mk.write_report(_analysis(source), tmp_path)
    dom = _run(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout
    parsed = _Elements()
    parsed.feed(dom)
    assert parsed.title == "mediakit report"  # the script did not set it
    assert not [t for t, _ in parsed.tags if t == "script"]
    assert not [a for t, a in parsed.tags if t == "img"]
    assert not [a for _, a in parsed.tags if "data-pwned" in a or "onerror" in a]
    # the payload is on the page as text
    assert dom.count("&lt;script&gt;document.title='PWNED'&lt;/script&gt;") >= 3


def test_full_report_page_renders_summary_warnings_and_figures(chromium, tmp_path):
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = mk.analyze(mk.load_example("seeds"), actors=False, n_boot=100)
        written = result.report(tmp_path / "out", formats=("svg",))
    page = written[0]
    dom = _run(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout
    parser = _Elements()
    parser.feed(dom)
    tags = [t for t, _ in parser.tags]
    assert tags.count("svg") >= 6  # the figures, inline
    for heading in ("Key differences", "Warnings (1)", "What is compared", "Provenance"):
        assert heading in dom, heading
    assert "descriptive only" in dom and "WideIntervalWarning" in dom
    shot = tmp_path / "top.png"
    _run(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1200,900", page.as_uri())
    with Image.open(shot) as image:
        gray = image.convert("L")
        dark = sum(gray.histogram()[:200]) / (gray.width * gray.height)
    assert dark > 0.02
