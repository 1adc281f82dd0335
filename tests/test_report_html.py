"""write_report: one self-contained page; every text from the data escaped."""

from __future__ import annotations

import re

import pandas as pd
from test_plots_coverage import _coverage

import mediakit as mk

PAYLOAD = "<script>document.title='PWNED'</script><img src=x onerror=\"document.title='PWNED'\">"


def _tags(page: str) -> list[tuple[str, dict]]:
    from html.parser import HTMLParser

    found: list[tuple[str, dict]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Parser().feed(page)
    return found


def _tables():
    articles = pd.DataFrame({
        "article_id": ["a", "b"],
        "outlet": ["A", "B" + PAYLOAD],
        "story_id": ["s1", "s1"],
        "title": ["Title " + PAYLOAD, None],
        "published": pd.to_datetime([None, None], utc=True),
        "url": [None, None], "source": [None, None],
        "text": ["Text " + PAYLOAD, "Other text"],
    })
    cov = _coverage()
    bad = "B" + PAYLOAD
    for name in ("facts", "alignment", "presence", "omissions"):
        frame = getattr(cov, name)
        for col in ("outlet", "other_outlet", "carried_by"):
            if col in frame:
                frame[col] = frame[col].replace({"B": bad})
    cov.facts.loc[cov.facts.sentence == "Only A says", "sentence"] = "Only A says " + PAYLOAD
    groups = pd.DataFrame({"comparison": "group", "outlet": ["A", bad],
                           "measure": "sentiment_compound", "n": [1, 1],
                           "estimate": [0.1, -0.2], "ci_low": [float("nan")] * 2,
                           "ci_high": [float("nan")] * 2})
    return {"articles": articles, "coverage": cov, "groups": groups,
            "notes": ["note " + PAYLOAD]}


def test_report_is_self_contained_and_escapes_everything(tmp_path):
    path = mk.write_report(_tables(), tmp_path, title="Report " + PAYLOAD)
    assert path == tmp_path / "index.html"
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    tags = _tags(page)
    assert not [t for t, _ in tags if t in {"script", "img", "iframe", "object", "embed"}]
    assert not [a for _, attrs in tags for a in attrs if a.lower().startswith("on")]
    assert "&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;/script&gt;" in page
    # no external resource: no src/href pointing anywhere but the page itself
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", page, re.I)
    assert "Content-Security-Policy" in page
    # the figures are inline SVG, ids made unique per figure
    svgs = re.findall(r"<svg\b", page)
    assert len(svgs) >= 3  # coverage map, presence, estimates
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_report_quotes_unique_and_omitted_facts_per_outlet(tmp_path):
    page = mk.write_report(_tables(), tmp_path).read_text(encoding="utf-8")
    section = page[page.index("What each outlet reported and left out"):]
    a_part = section[:section.index("<h3>B&lt;script")]
    # A alone carries its headline and "Only A says"; it lacks "Only B says" and "Partly B",
    # to which its "Partly A" is related: both sentences shown, with the similarity
    assert "Only A says &lt;script&gt;" in a_part and "Head A &lt;b&gt;" in a_part
    assert "Reported by others, not by A (2)" in a_part and "Only B says" in a_part
    assert "Partly B" in a_part and "A: related, not the same fact — similarity 0.30" in a_part


def test_report_filename_cannot_escape(tmp_path):
    path = mk.write_report(_tables(), tmp_path / "out", filename="../../evil.html")
    assert path.parent == (tmp_path / "out").resolve()
    assert path.name == "evil.html"


def test_report_limits_quoted_stories(tmp_path):
    tables = _tables()
    import dataclasses

    cov = tables["coverage"]
    tables["coverage"] = dataclasses.replace(cov, **{
        name: pd.concat([getattr(cov, name), getattr(cov, name).assign(story_id="s2")],
                        ignore_index=True)
        for name in ("facts", "alignment", "presence", "omissions")})
    page = mk.write_report(tables, tmp_path, max_stories=1).read_text(encoding="utf-8")
    section = page[page.index("What each outlet reported and left out"):]
    assert "Showing 1 of 2 stories" in section
    assert "story s1" in section and "story s2" not in section
