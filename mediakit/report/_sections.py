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


def summary(tables: dict, focus=None) -> str:
    """What is compared, what the figures draw and leave out, and the articles."""
    articles = tables.get("articles")
    if not isinstance(articles, pd.DataFrame):
        return ""
    by = getattr(focus, "by", "outlet")
    cols = list(dict.fromkeys(c for c in ("article_id", "outlet", by, "story_id", "title",
                                          "published", "source") if c in articles.columns))
    shown = articles[cols].copy()
    sentences = tables.get("sentences")
    if isinstance(sentences, pd.DataFrame) and {"article_id", "kind"} <= set(sentences.columns):
        counts = sentences.groupby("article_id", sort=False).size()
        shown["n_sentences"] = [int(counts.get(a, 0)) for a in shown["article_id"]]
    n_out = articles["outlet"].nunique() if "outlet" in articles.columns else 0
    n_story = articles["story_id"].nunique() if "story_id" in articles.columns else 0
    is_open = " open" if len(articles) <= 20 else ""
    text = (f"<p>{len(articles)} articles from {n_out} outlets on {n_story} "
            f"{'story' if n_story == 1 else 'stories'}; compared by <code>{esc(by)}</code>"
            + (f" ({articles[by].nunique()} values)" if by in articles.columns else "")
            + ".</p>")
    if focus is not None:
        text += _focus_html(focus)
    return ("<h2>What is compared</h2>" + text + swatches(tables, focus)
            + f"<details{is_open}><summary>Articles ({len(articles)})</summary>"
            + table_html(shown, max_rows=500) + "</details>")


def _focus_html(focus) -> str:
    items = []
    if focus.stories:
        items.append(f"Stories drawn one by one ({len(focus.stories)}): "
                     f"{esc(', '.join(focus.stories))}.")
    if focus.stories_left:
        left = [s for s in focus.stories_left if s not in set(focus.single_outlet)]
        if left:
            items.append(f"Stories not drawn ({len(left)}): {esc(_names(left))}.")
    if focus.single_outlet:
        items.append(f"Stories covered by one outlet only, so no coverage map "
                     f"({len(focus.single_outlet)}): {esc(_names(focus.single_outlet))}.")
    if focus.groups:
        items.append(f"{_plural(focus.by).capitalize()} drawn in colour ({len(focus.groups)}): "
                     f"{esc(', '.join(focus.groups))}.")
    if focus.groups_left:
        items.append(f"{_plural(focus.by).capitalize()} not drawn in the per-group figures "
                     f"({len(focus.groups_left)}; in the estimate figures and the tables): "
                     f"{esc(_names(focus.groups_left))}.")
    if not items:
        return ""
    reason = f" Chosen: {esc(focus.reason)}." if focus.reason else ""
    return (f'<p class="meta">Figures show a focus.{reason}</p><ul class="meta">'
            + "".join(f"<li>{i}</li>" for i in items) + "</ul>")


def _plural(by: str) -> str:
    """``outlets`` for the outlet column, ``<by> values`` for any other (escaped)."""
    return "outlets" if by == "outlet" else f"{esc(by)} values"


def _names(values, n: int = 15) -> str:
    values = [str(v) for v in values]
    more = f" and {len(values) - n} more" if len(values) > n else ""
    return ", ".join(values[:n]) + more


def relative_paths(tables: dict) -> dict:
    """``tables`` with the articles' ``source`` paths and paths in notes, warnings and skipped
    inputs made relative to the inputs' common folder (no machine path on the page)."""
    import os

    from mediakit.report._paths import relative_sources

    out = dict(tables)
    articles = tables.get("articles")
    roots = []
    if isinstance(articles, pd.DataFrame) and "source" in articles.columns:
        paths = [p for p in articles["source"].dropna().astype(str).unique() if os.path.isabs(p)]
        if paths:
            try:
                roots.append(os.path.commonpath([os.path.dirname(p) for p in paths]))
            except ValueError:
                pass
        articles = articles.copy(deep=False)
        articles["source"] = relative_sources(articles["source"])
        out["articles"] = articles
    skipped = list(tables.get("skipped") or [])
    paths = [str(s.get("source")) for s in skipped if s.get("source")]
    paths = [p for p in paths if os.path.isabs(p)]
    if paths:
        try:
            roots.append(os.path.commonpath([os.path.dirname(p) for p in paths]))
        except ValueError:
            pass
    roots = sorted({r for r in roots if r and r != os.sep}, key=len, reverse=True)

    def scrub(text: object) -> str:
        text = str(text)
        for root in roots:
            text = text.replace(root + os.sep, "").replace(root, ".")
        return text

    out["notes"] = [scrub(n) for n in tables.get("notes") or []]
    out["warnings"] = [scrub(w) for w in tables.get("warnings") or []]
    out["skipped"] = [{k: (scrub(v) if isinstance(v, str) else v) for k, v in dict(s).items()}
                      for s in skipped]
    return out


def warnings_box(tables: dict) -> str:
    """Every warning of the run, the notes, and every skipped input, in one box."""
    warn = list(dict.fromkeys(list(tables.get("warnings") or [])
                              + list(tables.get("extra_warnings") or [])))
    notes = list(tables.get("notes") or [])
    skipped = list(tables.get("skipped") or [])
    if not (warn or notes or skipped):
        return ""
    parts = ['<div class="note">']
    if warn:
        parts.append(f"<p><strong>Warnings ({len(warn)})</strong></p><ul>"
                     + "".join(f"<li>{esc(w)}</li>" for w in warn) + "</ul>")
    if notes:
        parts.append("<p><strong>Notes</strong></p><ul>"
                     + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    if skipped:
        rows = "".join(
            f"<li>{esc(s.get('source') or 'input')}"
            + (f", row {esc(s.get('row'))}" if s.get("row") is not None else "")
            + f": {esc(s.get('reason'))}</li>" for s in skipped[:200])
        more = (f"<li>and {len(skipped) - 200} more (manifest.json lists all)</li>"
                if len(skipped) > 200 else "")
        parts.append(f"<p><strong>Skipped inputs ({len(skipped)})</strong></p><ul>{rows}{more}"
                     "</ul>")
    return "\n".join(parts) + "</div>"


def key_differences(tables: dict, focus=None) -> str:
    """A plain-language summary of the key differences, with their uncertainty."""
    from mediakit.plots._style import display_label
    from mediakit.plots.overview import FIGURE_MEASURES

    groups = tables.get("groups")
    by = getattr(focus, "by", "outlet")
    if not isinstance(groups, pd.DataFrame) or groups.empty or by not in groups.columns:
        return ""
    rows = groups[groups["comparison"] == "group"] if "comparison" in groups else groups
    items = []
    for measure in FIGURE_MEASURES:
        mine = rows[rows["measure"].astype(str) == measure].dropna(subset=["estimate"])
        if len(mine) < 2:
            continue
        reliable = mine[mine["n"] >= 2] if "n" in mine else mine
        pool = reliable if len(reliable) >= 2 else mine
        hi = pool.loc[pool["estimate"].idxmax()]
        lo = pool.loc[pool["estimate"].idxmin()]
        label = display_label(measure)
        text = (f"<strong>{esc(label)}</strong>: highest for {esc(hi[by])} "
                f"({_est(hi)}), lowest for {esc(lo[by])} ({_est(lo)})")
        diff = _difference(groups, by, hi[by], lo[by], measure)
        if pool is mine and len(reliable) < 2:
            text += ("; one article each, so descriptive only"
                     if "n" in mine and (mine["n"] <= 1).all()
                     else "; too few articles per group for an interval, so descriptive only")
        elif diff is not None:
            text += "; " + diff
        if len(pool) < len(mine):
            text += (f" (among the {len(pool)} {_plural(by)} with at least 2 articles; "
                     f"{len(mine) - len(pool)} with one article are descriptive only)")
        items.append(f"<li>{text}.</li>")
    if not items:
        return ""
    return ("<h2>Key differences</h2><ul>" + "".join(items) + "</ul>"
            '<p class="meta">Estimates are means over content sentences with 95% bootstrap '
            "intervals clustered by article (compare_groups); n = articles. Differences whose "
            "interval includes 0 are not clear.</p>")


def _est(row) -> str:
    text = f"{float(row['estimate']):.2f}"
    lo, hi = row.get("ci_low"), row.get("ci_high")
    if lo is not None and hi is not None and pd.notna(lo) and pd.notna(hi):
        text += f", 95% CI {float(lo):.2f} to {float(hi):.2f}"
    n = row.get("n")
    if n is not None and pd.notna(n):
        text += f"; {int(n)} article{'s' if int(n) != 1 else ''}"
    return esc(text)


def _difference(groups, by, a, b, measure) -> str | None:
    if "comparison" not in groups.columns or f"other_{by}" not in groups.columns:
        return None
    diff = groups[(groups["comparison"] == "difference")
                  & (groups["measure"].astype(str) == measure)]
    pair = diff[(diff[by].astype(str) == str(a)) & (diff[f"other_{by}"].astype(str) == str(b))]
    sign = 1.0
    if pair.empty:
        pair = diff[(diff[by].astype(str) == str(b)) & (diff[f"other_{by}"].astype(str) == str(a))]
        sign = -1.0
    if pair.empty:
        return None
    row = pair.iloc[0]
    est = sign * float(row["estimate"])
    lo, hi = row.get("ci_low"), row.get("ci_high")
    if pd.isna(lo) or pd.isna(hi):
        return f"difference {est:.2f}, no interval (too few articles), so descriptive only"
    lo, hi = sorted((sign * float(lo), sign * float(hi)))
    clear = "clear" if lo > 0 or hi < 0 else "not clear: the interval includes 0"
    text = f"difference {est:.2f} (95% CI {lo:.2f} to {hi:.2f}; {clear})"
    return esc(text)


def swatches(tables: dict, focus=None) -> str:
    """The colour key used by every figure (the groups drawn, when a focus is given)."""
    palette = tables.get("palette") or {}
    if focus is not None and focus.groups:
        palette = {g: palette[g] for g in focus.groups if g in palette}
    if not palette:
        return ""
    items = "".join(
        f'<span style="margin-right:1rem"><span class="swatch" '
        f'style="background:{esc(color)}"></span>{esc(outlet)}</span>'
        for outlet, color in palette.items()
    )
    return f'<p class="meta">Colours: {items}</p>'


def coverage_section(tables: dict, *, max_rows: int = 40, max_stories: int = 10,
                     stories=None) -> str:
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
    chosen = stories
    # every story of the analysis (read from disk, the coverage may hold only those shown)
    stories = (coverage.stories() if callable(getattr(coverage, "stories", None))
               else sorted({str(s) for s in coverage.facts[story_col].dropna()}))
    shown = set(stories[:max_stories]) if chosen is None else set(chosen) & set(stories)

    blocks = ["<h2>What each outlet reported and left out</h2>",
              '<p class="meta">A fact is a group of sentences, at most one per article, that '
              "state the same thing (similarity: the calibrated probability that two sentences "
              "state the same fact). <em>Carried</em>: the outlet has a sentence in the fact; "
              "<em>related</em>: one of its sentences resembles the fact below the same-fact "
              "level, which does not count as carrying it.</p>"]
    if len(stories) > len(shown):
        blocks.append(f'<p class="meta">Showing {len(shown)} of {len(stories)} stories (those '
                      "drawn above); every story is in the coverage tables (CSV).</p>")
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
    # every omission is counted in the heading; _fact_list quotes the first max_rows
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


def term_examples_section(tables: dict, focus=None, *, n_terms: int = 5) -> str:
    """Two example sentences per group for each top keyness term, read from the
    ``term_examples`` table (``explain_terms(..., per_group=2)``), the rows the CSV holds.

    For each group drawn (``focus.groups``, else every target of the keyness table), its
    ``n_terms`` terms with the largest positive G2; under each term the example sentences of
    every group drawn that uses it (the word as written in bold), with the term's counts.
    """
    terms, examples = tables.get("terms"), tables.get("term_examples")
    if not isinstance(terms, pd.DataFrame) or not isinstance(examples, pd.DataFrame):
        return ""
    by = (examples.attrs.get("explain_terms") or {}).get("by") or getattr(focus, "by", "outlet")
    if examples.empty or not {"term", "g2", by} <= set(terms.columns) or by not in examples:
        return ""
    present = set(terms[by].dropna().astype(str))
    groups = [g for g in (focus.groups if focus is not None and focus.groups else
                          sorted(present)) if g in present]
    if len(present) == 2 and set(terms["reference"].astype(str)) == {"rest"}:
        groups = groups[:1]  # with two groups, A vs rest mirrors B vs rest
    shown = set(groups) if focus is not None and focus.groups else present
    by_term = {t: rows for t, rows in examples.groupby(examples["term"].astype(str), sort=False)}
    blocks = []
    for group in groups:
        rows = terms[(terms[by].astype(str) == group) & (terms["g2"] > 0)]
        rows = rows.sort_values("g2", ascending=False, kind="stable").head(n_terms)
        body = []
        for r in rows.itertuples():
            found = by_term.get(str(r.term))
            if found is None:
                continue
            found = found[found[by].astype(str).isin(shown)]
            order = [group] + sorted({str(g) for g in found[by]} - {group})
            cells = []
            for other in order:
                mine = found[found[by].astype(str) == other]
                for k, ex in enumerate(mine.itertuples()):
                    head = (f'<td rowspan="{len(mine)}">{esc(other)}</td>' if k == 0 else "")
                    cells.append(f"<tr>{head}<td>{_marked(ex.sentence, ex.match)}</td></tr>")
            counts = f"{int(r.n_target)} : {int(r.n_reference)}, G² {float(r.g2):.1f}"
            body.append(f'<h4>{esc(r.term)} <span class="meta">({esc(counts)})</span></h4>'
                        f"<table><tr><th>{esc(by)}</th><th>example sentence</th></tr>"
                        + "".join(cells) + "</table>")
        if body:
            blocks.append(f"<h3>Terms {esc(group)} uses more</h3>" + "".join(body))
    if not blocks:
        return ""
    left = len(present) - len(shown & present)
    note = (f" Sentences of {left} more {esc(by)} values are in tables/term_examples.csv."
            if left > 0 else "")
    return ("<h2>Keyness terms in context</h2>"
            '<p class="meta">For the terms each group uses most (compare_terms), up to two '
            "sentences per group that use the term (explain_terms; counts are target : "
            f"reference).{note}</p>" + "\n".join(blocks))


def _marked(sentence: object, match: object) -> str:
    """The sentence escaped, with the first occurrence of ``match`` in bold."""
    text, word = str(sentence), str(match)
    at = text.find(word) if word else -1
    if at < 0:
        return esc(text)
    return (esc(text[:at]) + "<strong>" + esc(word) + "</strong>"
            + esc(text[at + len(word):]))


_TABLE_TITLES = {
    "groups": "Estimates per group with intervals (compare_groups)",
    "frames": "Frame profile per group (compare_groups on frame measures)",
    "terms": "Distinctive terms per group (compare_terms)",
    "attention": "Articles per group, story and day; first reports (compare_attention)",
    "actors": "Actors mentioned and quoted (compare_actors)",
}

#: Columns shown first in the page's tables (``{by}`` is the grouping column).
_KEY_COLUMNS = {
    "groups": ("{by}", "measure", "estimate", "ci_low", "ci_high", "n", "n_sentences",
               "other_{by}", "p_value", "effect_size"),
    "frames": ("{by}", "measure", "estimate", "ci_low", "ci_high", "n", "n_sentences"),
    "terms": ("{by}", "term", "g2", "n_target", "n_reference", "reference"),
    "attention": ("story_id", "{by}", "period", "n_articles", "role", "lag"),
    "actors": ("story_id", "{by}", "canonical", "label", "n_mentions", "n_quotes"),
}


def key_first(frame: pd.DataFrame, key: str, by: str = "outlet") -> pd.DataFrame:
    """``frame`` with its key columns first (group rows only for comparison tables)."""
    if "comparison" in frame.columns:
        frame = frame[frame["comparison"] == "group"]
    first = [c.format(by=by) for c in _KEY_COLUMNS.get(key, ())]
    first = [c for c in dict.fromkeys(first) if c in frame.columns]
    return frame[first + [c for c in frame.columns if c not in first]]


def tables_section(tables: dict, *, max_rows: int = 40, by: str = "outlet") -> str:
    blocks = []
    for key, title in _TABLE_TITLES.items():
        frame = tables.get(key)
        if isinstance(frame, pd.DataFrame) and not frame.empty:
            shown = key_first(frame, key, by)
            if key == "groups" and "comparison" in frame.columns:
                title += "; pairwise differences are in tables/groups.csv"
            blocks.append(f"<h3>{esc(title)}</h3>" + table_html(shown, max_rows=max_rows))
    return ("<h2>Tables</h2>" + "\n".join(blocks)) if blocks else ""


def provenance(tables: dict) -> str:
    """Versions, parameters, lexicons and input hashes as a readable list."""
    from mediakit.report.figures import build_manifest

    articles = tables.get("articles")
    has_text = isinstance(articles, pd.DataFrame) and {"article_id", "text"} <= set(articles)
    record = build_manifest(tables.get("manifest"), articles=articles if has_text else None)
    libs = ", ".join(f"{k} {v}" for k, v in record["libraries"].items())
    items = [f"mediakit {esc(record['mediakit'])}, Python {esc(record['python'])}",
             f"Libraries: {esc(libs)}"]
    params = record.get("parameters") or {}
    if params:
        items.append("Parameters: " + esc(", ".join(
            f"{k} = {v}" for k, v in params.items() if v is not None)))
    for lex in record.get("lexicons") or []:
        if isinstance(lex, dict):
            items.append("Lexicon: " + esc(", ".join(f"{k}: {v}" for k, v in lex.items()
                                                     if k != "source" or not _is_path(v))))
    inputs = record.get("inputs") or {}
    hashes = "".join(f"<li><code>{esc(k)}</code> <code>{esc(v)}</code></li>"
                     for k, v in inputs.items())
    body = "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    if hashes:
        body += (f"<details><summary>SHA-256 of each input text ({len(inputs)} articles)"
                 f"</summary><ul class=\"meta\">{hashes}</ul></details>")
    return "<h2>Provenance</h2>" + body + (
        '<p class="meta">manifest.json holds the same record, the warnings, the skipped '
        "inputs and the list of files written.</p>")


def _is_path(value: object) -> bool:
    import os

    return isinstance(value, str) and os.path.isabs(value)
