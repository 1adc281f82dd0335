"""Sections of the HTML report. Every value from the data is escaped with ``esc``."""

from __future__ import annotations

import html
import numbers

import pandas as pd


def esc(value: object) -> str:
    """Escaped text of one value ('' for missing)."""
    if value is None:
        return ""
    if not isinstance(value, (str, list, tuple, dict, set)):
        try:
            if pd.isna(value):
                return ""
        except (TypeError, ValueError):
            pass
    return html.escape(str(value), quote=True)


def table_html(frame: pd.DataFrame, *, max_rows: int = 40, caption: str | None = None,
               digits: int = 3) -> str:
    """An escaped HTML table of the first ``max_rows`` rows (numbers rounded for display)."""
    if frame is None or not isinstance(frame, pd.DataFrame):
        return ""
    shown = frame.head(max_rows)
    head = "".join(f"<th>{esc(c)}</th>" for c in shown.columns)
    rows = []
    for record in shown.itertuples(index=False, name=None):
        cells = []
        for value in record:
            if isinstance(value, numbers.Real) and not isinstance(value, bool):
                text = "" if pd.isna(value) else (
                    f"{value:.{digits}g}" if isinstance(value, float) else str(value))
                cells.append(f'<td class="num">{esc(text)}</td>')
            else:
                cells.append(f"<td>{esc(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = (f'<p class="meta">Showing {len(shown)} of {len(frame)} rows.</p>'
            if len(frame) > len(shown) else "")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f'<div class="scroll"><table>{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>" + more)


def summary(tables: dict) -> str:
    """Articles compared: one row per article with outlet, story, title and sentence count."""
    articles = tables.get("articles")
    if not isinstance(articles, pd.DataFrame):
        return ""
    cols = [c for c in ("article_id", "outlet", "story_id", "title", "published", "source")
            if c in articles.columns]
    shown = articles[cols].copy()
    sentences = tables.get("sentences")
    if isinstance(sentences, pd.DataFrame) and {"article_id", "kind"} <= set(sentences.columns):
        counts = sentences.groupby("article_id", sort=False).size()
        shown["n_sentences"] = [int(counts.get(a, 0)) for a in shown["article_id"]]
    n_out = articles["outlet"].nunique() if "outlet" in articles.columns else 0
    n_story = articles["story_id"].nunique() if "story_id" in articles.columns else 0
    is_open = " open" if len(articles) <= 20 else ""
    return (f"<p>{len(articles)} articles from {n_out} outlets on {n_story} "
            f"{'story' if n_story == 1 else 'stories'}.</p>" + swatches(tables)
            + f"<details{is_open}><summary>Articles ({len(articles)})</summary>"
            + table_html(shown, max_rows=500) + "</details>")


def swatches(tables: dict) -> str:
    """The outlet colour key used by every figure."""
    palette = tables.get("palette") or {}
    if not palette:
        return ""
    items = "".join(
        f'<span style="margin-right:1rem"><span class="swatch" '
        f'style="background:{esc(color)}"></span>{esc(outlet)}</span>'
        for outlet, color in palette.items()
    )
    return f'<p class="meta">Outlet colours: {items}</p>'


def coverage_section(tables: dict, *, max_rows: int = 40, max_stories: int = 10) -> str:
    """Per story and outlet: facts only this outlet carries, facts others carry that it lacks.

    Every count and list is read from ``presence.status`` (through ``facts.n_outlets`` and
    ``omissions``, which are derived from it); two sentences shown as one fact or as related
    are both quoted, with their similarity and status.
    """
    coverage = tables.get("coverage")
    if coverage is None or not isinstance(getattr(coverage, "facts", None), pd.DataFrame):
        return ""
    params = getattr(coverage, "params", {}) or {}
    by, story_col = params.get("by", "outlet"), params.get("story", "story_id")
    stories = sorted({str(s) for s in coverage.facts[story_col].dropna()})
    shown = set(stories[:max_stories])

    blocks = ["<h2>What each outlet reported and left out</h2>",
              '<p class="meta">A fact is a group of sentences, at most one per article, that '
              "state the same thing (similarity: the calibrated probability that two sentences "
              "state the same fact). <em>Carried</em>: the outlet has a sentence in the fact; "
              "<em>related</em>: one of its sentences resembles the fact below the same-fact "
              "level, which does not count as carrying it.</p>"]
    if len(stories) > len(shown):
        blocks.append(f'<p class="meta">Showing the first {len(shown)} of {len(stories)} '
                      "stories; every story is in the coverage tables (CSV).</p>")
    presence = _in_stories(coverage.presence, story_col, shown)
    outlets_of = {str(k): sorted(str(o) for o in v.unique())
                  for k, v in presence.groupby(presence[story_col].astype(str))[by]}
    single = sorted(k for k, v in outlets_of.items() if len(v) == 1)
    for story_id in single:
        blocks.append(f"<h3>Story {esc(story_id)}</h3><p>Only one {esc(by)} "
                      f"({esc(outlets_of[story_id][0])}) covers this story: nothing to "
                      "compare.</p>")
    compared = shown - set(single)
    blocks += shared_facts(coverage, max_rows=max_rows, stories=compared)
    for story_id, outlet, unique, omitted in outlet_facts(coverage, stories=compared):
        blocks.append(f"<h3>{esc(outlet)} <span class=\"meta\">story {esc(story_id)}</span></h3>")
        blocks.append(_fact_list(f"Only {outlet} reported ({len(unique)})", unique, max_rows))
        blocks.append(_fact_list(f"Reported by others, not by {outlet} ({len(omitted)})",
                                 omitted, max_rows))
    return "\n".join(blocks) if len(blocks) > 2 else ""


def _in_stories(frame: pd.DataFrame, column: str, stories) -> pd.DataFrame:
    if stories is None:
        return frame
    return frame[frame[column].astype(str).isin(set(stories))]


def _similarity(value) -> str:
    return "" if value is None or pd.isna(value) else f"similarity {float(value):.2f}"


def shared_facts(coverage, *, max_rows: int = 40, stories=None) -> list[str]:
    """Per story: facts several outlets carry, each quoted in every outlet's words, with the
    similarity of each outlet's sentence to the one it matched in the fact."""
    params = getattr(coverage, "params", {}) or {}
    by, story_col = params.get("by", "outlet"), params.get("story", "story_id")
    facts = _in_stories(coverage.facts, story_col, stories)
    facts = facts[facts["n_outlets"] > 1]
    pres = coverage.presence
    sim_of = {(f, str(o)): v for f, o, v in zip(pres["fact_id"], pres[by], pres["similarity"],
                                                 strict=True)}
    blocks = []
    for story, rows in sorted(facts.groupby(facts[story_col].astype(str), sort=False)):
        fact_ids = list(pd.unique(rows.sort_values("position", kind="stable")["fact_id"]))
        by_fact = dict(tuple(rows.groupby("fact_id", sort=False)))
        items = []
        for fact_id in fact_ids[:max_rows]:
            carriers = by_fact[fact_id].sort_values([by, "rank"])
            quotes = "".join(
                f"<blockquote>{esc(r.sentence)}<br><span class=\"meta\">"
                + esc(", ".join(filter(None, [
                    _where(r, with_outlet=True, by=by) + " — carried",
                    _similarity(sim_of.get((fact_id, str(getattr(r, by)))))])))
                + "</span></blockquote>"
                for r in carriers.itertuples())
            items.append(f"<li>{quotes}</li>")
        more = (f'<p class="meta">and {len(fact_ids) - max_rows} more (see the CSV tables).</p>'
                if len(fact_ids) > max_rows else "")
        blocks.append(f"<h3>Reported by several outlets <span class=\"meta\">story "
                      f"{esc(story)} ({len(fact_ids)} facts)</span></h3>"
                      + f"<ol>{''.join(items)}</ol>" + more)
    return blocks


def outlet_facts(coverage, *, stories=None, max_facts: int | None = None):
    """Yield ``(story, outlet, unique, omitted)``; each a list of facts, a fact being a list of
    ``(sentence, where)`` pairs (the first is the fact, the others its evidence).

    ``unique``: facts whose only carrier is the outlet (``presence``), in reading order, each
    with the related sentences of other outlets. ``omitted``: its rows of ``omissions`` (at
    most ``max_facts``), each quoted with the carrying sentences and, when ``related``, the
    outlet's related sentence with its similarity.
    """
    params = getattr(coverage, "params", {}) or {}
    by, story_col = params.get("by", "outlet"), params.get("story", "story_id")
    facts = _in_stories(coverage.facts, story_col, stories)
    omissions = _in_stories(coverage.omissions, story_col, stories)
    pres = _in_stories(coverage.presence, story_col, stories)
    related = pres[pres["status"] == "related"]
    lacking = {key: rows for key, rows in omissions.groupby(
        [omissions[story_col].astype(str), omissions[by].astype(str)], sort=False)}
    for story, in_story in sorted(facts.groupby(facts[story_col].astype(str), sort=False)):
        by_fact = dict(tuple(in_story.groupby("fact_id", sort=False)))
        near_of = dict(tuple(related[related[story_col].astype(str) == story]
                             .groupby("fact_id", sort=False)))
        text_of = in_story.set_index(["article_id", "sentence_id"])["sentence"]
        for outlet, mine in sorted(in_story.groupby(in_story[by].astype(str), sort=False)):
            mine = mine[mine["n_outlets"] == 1].sort_values(["article_id", "rank"])
            unique = []
            for r in mine.itertuples():
                item = [(r.sentence, _where(r, with_outlet=False))]
                near = near_of.get(r.fact_id)
                if near is not None:
                    item += [(_text(text_of, n.article_id, n.sentence_id),
                              f"{getattr(n, by)}: related, not the same fact — "
                              f"{_similarity(n.similarity)}")
                             for n in near.sort_values("similarity", ascending=False)
                             .itertuples()]
                unique.append(item)
            lacks = lacking.get((story, outlet))
            omitted = []
            rows = [] if lacks is None else list(lacks.itertuples())[:max_facts]
            for om in rows:
                carriers = by_fact.get(om.fact_id)
                item = [] if carriers is None else [
                    (r.sentence, _where(r, with_outlet=True, by=by) + " — carried")
                    for r in carriers.sort_values([by, "rank"]).itertuples()]
                if om.status == "related":
                    item.append((om.related_sentence,
                                 f"{outlet}: related, not the same fact — "
                                 f"{_similarity(om.similarity)}"))
                omitted.append(item)
            yield story, outlet, unique, omitted


def _text(text_of: pd.Series, article_id, sentence_id) -> str:
    try:
        return str(text_of.loc[(article_id, int(sentence_id))])
    except (KeyError, TypeError, ValueError):
        return ""


def _where(rec, *, with_outlet: bool, by: str = "outlet") -> str:
    parts = [str(getattr(rec, by))] if with_outlet else []
    parts.append(f"article {rec.article_id}, sentence {rec.sentence_id} ({rec.kind}")
    pos = getattr(rec, "position", None)
    if pos is not None and not pd.isna(pos):
        parts[-1] += f", position {float(pos):.2f}"
    parts[-1] += ")"
    return " — ".join(parts)


def _fact_list(heading: str, items: list[list[tuple[str, str]]], max_rows: int) -> str:
    if not items:
        return f"<h4>{esc(heading)}</h4><p class=\"meta\">None.</p>"
    facts = "".join(
        "<li>" + "".join(f"<blockquote>{esc(text)}<br><span class=\"meta\">{esc(where)}"
                         "</span></blockquote>" for text, where in item) + "</li>"
        for item in items[:max_rows]
    )
    more = (f'<p class="meta">and {len(items) - max_rows} more (see the CSV tables).</p>'
            if len(items) > max_rows else "")
    return f"<h4>{esc(heading)}</h4><ol>{facts}</ol>{more}"


_TABLE_TITLES = {
    "groups": "Outlet estimates with intervals (compare_groups)",
    "frames": "Frame profile per outlet (compare_groups on frame measures)",
    "terms": "Distinctive terms per outlet (compare_terms)",
    "actors": "Actors mentioned and quoted (compare_actors)",
}


def tables_section(tables: dict, *, max_rows: int = 40) -> str:
    blocks = []
    for key, title in _TABLE_TITLES.items():
        frame = tables.get(key)
        if isinstance(frame, pd.DataFrame) and not frame.empty:
            blocks.append(f"<h3>{esc(title)}</h3>" + table_html(frame, max_rows=max_rows))
    return ("<h2>Tables</h2>" + "\n".join(blocks)) if blocks else ""


def provenance(tables: dict) -> str:
    """Versions and input hashes, so the page can be traced to its inputs."""
    from mediakit.report.figures import build_manifest

    articles = tables.get("articles")
    has_text = isinstance(articles, pd.DataFrame) and {"article_id", "text"} <= set(articles)
    record = build_manifest(tables.get("manifest"), articles=articles if has_text else None)
    rows = [("mediakit", record["mediakit"]), ("python", record["python"])]
    rows += [(k, v) for k, v in record["libraries"].items()]
    versions = "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in rows)
    extra = "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in record.items()
                    if k not in {"mediakit", "python", "libraries", "inputs"})
    inputs = "".join(f"<tr><td>{esc(k)}</td><td><code>{esc(v)}</code></td></tr>"
                     for k, v in (record.get("inputs") or {}).items())
    return ("<h2>Provenance</h2><table><thead><tr><th>package</th><th>version</th></tr></thead>"
            f"<tbody>{versions}{extra}</tbody></table>"
            + (f"<table><thead><tr><th>article_id</th><th>SHA-256 of text</th></tr></thead>"
               f"<tbody>{inputs}</tbody></table>" if inputs else ""))
