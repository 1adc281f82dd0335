"""Quote attribution within one article: quote spans, cue verbs, speakers, indirect speech.

The machinery behind :func:`mediakit.measures.quotes.extract_quotes`. One :class:`Article`
holds the article text, its sentences' offsets, the entity mentions (from ``extract_entities``)
and the parsed sentences; :meth:`Article.attribute` gives the quote rows.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mediakit._normalize import fold_accents, normalize_spelling
from mediakit._validation import require_columns
from mediakit.measures import _names
from mediakit.measures import _quotes_rules as rules

_QUOTE_MARKS = "\"“”„«»‟‘’"


def article_texts(sentences: pd.DataFrame, articles: pd.DataFrame | None) -> dict:
    """Article id -> text: the articles' own text, else rebuilt from the sentences' offsets."""
    given = {}
    if articles is not None:
        require_columns(articles, ["article_id", "text"], what="articles")
        given = dict(zip(articles["article_id"], articles["text"], strict=True))
    out = {}
    has_pid = "paragraph_id" in sentences.columns
    for aid, g in sentences.groupby("article_id", sort=False):
        if isinstance(given.get(aid), str):
            out[aid] = given[aid]
            continue
        g = g.sort_values("start")
        buf = [" "] * int(g["end"].max())
        prev_pid = None
        for s, t, pid in zip(g["start"], g["text"], g["paragraph_id"] if has_pid else [0] * len(g),
                             strict=True):
            s = int(s)
            buf[s:s + len(t)] = list(t)
            if prev_pid is not None and pid != prev_pid and s > 0:
                buf[s - 1] = "\n"
            prev_pid = pid
        out[aid] = "".join(buf)
    return out


def _inside(pos: int, starts: list[int], ends: list[int]) -> bool:
    """``rules._in_any`` over quote ranges in order (disjoint): one bisection."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


@dataclass
class Quote:
    mark_start: int
    mark_end: int
    start: int
    end: int
    n_paragraphs: int
    sent: int  # index into the article's sentence arrays


@dataclass
class Article:
    article_id: object
    text: str
    sids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    pids: np.ndarray
    content: np.ndarray  # bool per sentence
    lead_in: np.ndarray  # bool per sentence: a heading line, which may introduce a quote
    quotes: list[Quote]
    ents: list[tuple[int, int, str, str]] = field(default_factory=list)
    docs: dict[int, object] = field(default_factory=dict)
    # per sentence (and cue): its local entities and quotes, its cues, a cue's speaker. Every
    # quote of a sentence asks for them; computed once, a sentence of 2,000 quotes is linear
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, aid, text: str, g: pd.DataFrame, wanted) -> Article:
        from mediakit.segment.quotes import paragraph_bounds, quote_spans

        g = g.sort_values("start")
        starts = g["start"].to_numpy(dtype=np.int64)
        ends = g["end"].to_numpy(dtype=np.int64)
        pids = (g["paragraph_id"].to_numpy() if "paragraph_id" in g.columns
                else np.arange(len(g)))
        content = (g["kind"].isin(wanted).to_numpy() if "kind" in g.columns
                   else np.ones(len(g), dtype=bool))
        if "paragraph_id" in g.columns:
            bounds = g.groupby("paragraph_id", sort=False).agg(s=("start", "min"),
                                                                 e=("end", "max"))
            paragraphs = sorted(zip(bounds["s"].astype(int), bounds["e"].astype(int),
                                    strict=True))
        else:
            paragraphs = paragraph_bounds(text)
        lead_in = (g["kind"].eq("heading").to_numpy() if "kind" in g.columns
                   else np.zeros(len(g), dtype=bool))
        art = cls(aid, text, g["sentence_id"].to_numpy(dtype=np.int64), starts, ends, pids,
                  content, lead_in, [])
        merged: list[list[int]] = []
        for span in quote_spans(text, paragraphs):
            if span.continued and merged:
                merged[-1][1] = span.end
                merged[-1][2] += 1
            else:
                merged.append([span.start, span.end, 1])
        taken = [(a, b) for a, b, _ in merged]
        merged += [[a, b, 1] for a, b in rules.single_quote_spans(text, paragraphs, taken)]
        merged.sort()
        for ms, me, n in merged:
            s, e = ms, me
            while s < e and text[s].isspace():
                s += 1
            s += s < e and text[s] in _QUOTE_MARKS  # the opening mark only: keep nested ones
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            e -= e > s and text[e - 1] in _QUOTE_MARKS
            while e > s and text[e - 1].isspace():
                e -= 1
            k = art.sentence_at(s)
            if e > s and k is not None and content[k]:
                art.quotes.append(Quote(ms, me, s, e, n, k))
        return art

    def sentence_at(self, pos: int) -> int | None:
        k = bisect.bisect_right(self.starts, pos) - 1
        return k if k >= 0 and pos < self.ends[k] else None

    def sent_text(self, k: int) -> str:
        return self.text[self.starts[k]:self.ends[k]]

    def to_parse(self) -> list[int]:
        ks = {q.sent for q in self.quotes}
        for q in self.quotes:
            ks.update(self._context(q))
        ks.update(k for k in np.flatnonzero(self.content) if rules.may_have_cue(self.sent_text(k)))
        return sorted(int(k) for k in ks)

    def overlapping(self, s: int, e: int) -> list[int]:
        lo = max(bisect.bisect_right(self.starts, s) - 1, 0)
        hi = bisect.bisect_left(self.starts, e)
        return [k for k in range(lo, hi) if self.ends[k] > s and self.content[k]]

    def local(self, k: int):
        """Entities and quote ranges of sentence k, in sentence-local offsets."""
        key = ("local", k)
        if key not in self._memo:
            self._memo[key] = self._local(k)
        return self._memo[key]

    def _local(self, k: int):
        s0, e0 = int(self.starts[k]), int(self.ends[k])
        ents = [(s - s0, e - s0, lab, can) for s, e, lab, can in self.ents if s >= s0 and e <= e0]
        quotes = [(max(q.mark_start, s0) - s0, min(q.mark_end, e0) - s0) for q in self.quotes
                  if q.mark_start < e0 and q.mark_end > s0]
        return ents, quotes

    def _context(self, q: Quote) -> list[int]:
        """Sentences where the attribution of ``q`` can stand: those it overlaps, plus a
        sentence right after it in the same paragraph ("“Why?” Kallas asked.") or right
        before it ending with a colon (also at the end of the previous paragraph, where the
        segmenter may have called a line like "Healey told ministers:" a heading)."""
        ks = self.overlapping(q.mark_start, q.mark_end) or [q.sent]
        nxt, prv = ks[-1] + 1, ks[0] - 1
        if (nxt < len(self.starts) and self.content[nxt] and self.pids[nxt] == self.pids[ks[-1]]
                and not self.text[q.mark_end:self.starts[nxt]].strip()):
            ks = [*ks, nxt]
        if (prv >= 0 and (self.content[prv] or self.lead_in[prv])
                and self.pids[prv] >= self.pids[ks[0]] - 1
                and self.text[self.ends[prv]:q.mark_start].strip() == ""
                and self.text[self.starts[prv]:self.ends[prv]].rstrip().endswith(":")):
            ks = [prv, *ks]
        return ks

    def cues(self, k: int) -> list:
        key = ("cues", k)
        if key not in self._memo:
            doc = self.docs.get(k)
            if doc is None:
                return []
            _, quotes = self.local(k)
            starts = [s for s, _ in quotes]
            ends = [e for _, e in quotes]
            self._memo[key] = [t for t in doc if rules.is_cue(t)
                               and not _inside(t.idx, starts, ends)]
        return self._memo[key]

    # -- speakers -------------------------------------------------------------------------
    def speaker(self, k: int, cue) -> tuple[str | None, tuple[int, int] | None]:
        """Canonical speaker of ``cue`` in sentence k and the subject's local range."""
        key = ("speaker", k, cue.i)
        if key not in self._memo:
            self._memo[key] = self._speaker(k, cue)
        return self._memo[key]

    def _speaker(self, k: int, cue) -> tuple[str | None, tuple[int, int] | None]:
        ents, quotes = self.local(k)
        head = rules.subject_of(cue)
        found = rules.speaker_in_subject(head, ents, quotes) if head is not None else None
        rng = None
        if head is not None:
            rng = (head.left_edge.idx, head.right_edge.idx + len(head.right_edge))
        if found is None and head is None:
            found = rules.nearby_speaker(cue, ents, quotes)
        if found is None and head is not None and head.tag_ in ("NNP", "NNPS"):
            return self._known_name(head), rng
        if found is None:
            return None, rng
        how, what = found
        s0 = int(self.starts[k])
        if how == "name":
            return what, rng
        if how == "pronoun":
            labels = ("PERSON",) if what.lower_ in rules.PRONOUNS_PERSON else ("ORG",)
            same = rules.subject_before(what, ents, labels, quotes)
            return same or self._antecedent(s0, s0 + what.idx, labels), rng
        return self._role(k, rules.role_words(what)), rng

    def _known_name(self, head) -> str | None:
        """A proper-noun subject the recogniser missed ("Healey" on a line it did not read),
        matched to an actor of the article by full name or unique surname."""
        words = [t.text for t in head.lefts if t.dep_ == "compound"] + [head.text]
        return self._name_text(" ".join(words))

    def _name_text(self, name: str) -> str | None:
        """The article's actor named ``name`` (in full, or by a surname only one has)."""
        key = _names.name_key(_names.strip_titles(name))
        if not key:
            return None
        full = {c for _, _, lab, c in self.ents if _names.name_key(c) == key}
        if len(full) == 1:
            return full.pop()
        last = {c for _, _, lab, c in self.ents
                if lab == "PERSON" and " " in c and _names.name_key(c).split()[-1] == key}
        return last.pop() if len(last) == 1 else None

    def _outside_quotes(self, labels):
        return [e for e in self.ents if e[2] in labels
                and not any(q.mark_start <= e[0] < q.mark_end for q in self.quotes)]

    def _antecedent(self, sent_start: int, pos: int, labels) -> str | None:
        cands = self._outside_quotes(labels)
        before = [e for e in cands if e[1] <= sent_start] or [e for e in cands if e[1] <= pos]
        return before[-1][3] if before else None

    def _role(self, k: int, words: list[str]) -> str | None:
        if not words:
            return None
        s0 = int(self.starts[k])
        hits = []
        people = self._outside_quotes(("PERSON",))
        for n, e in enumerate(people):
            j = self.sentence_at(e[0])
            lo = int(self.starts[j]) if j is not None else 0
            hi = int(self.ends[j]) if j is not None else len(self.text)
            # the role words must stand next to this name, not beside a neighbouring one
            lo = max(lo, e[0] - 60, people[n - 1][1] if n else 0)
            hi = min(hi, e[1] + 50, people[n + 1][0] if n + 1 < len(people) else hi)
            window = self.text[lo:e[0]] + " " + self.text[e[1]:hi]
            folded = normalize_spelling(fold_accents(window).lower())
            if all(w in folded.split() or w in folded for w in words):
                hits.append(e)
        before = [e for e in hits if e[1] <= s0]
        if before:
            return before[-1][3]
        return hits[0][3] if hits else None

    # -- rows ------------------------------------------------------------------------------
    def attribute(self, include_scare: bool) -> list[tuple]:
        rows = []
        used: set[tuple[int, int]] = set()  # (sentence, cue token index) taken by a quote
        prev: tuple[int, str | None, str | None] | None = None  # paragraph, speaker, cue
        for q in self.quotes:
            ctx = self._context(q)
            ranked = []
            for k in ctx:
                for cue in self.cues(k):
                    pos = int(self.starts[k]) + cue.idx
                    dist = q.mark_start - pos if pos < q.mark_start else pos - q.mark_end
                    ranked.append((cue.tag_ == "VBG" and cue.lower_ != "according", dist, k, cue))
            ranked.sort(key=lambda r: (r[0], r[1]))
            speaker, cue_word, taken = None, None, None
            for _, _, k, cue in ranked:
                who, _ = self.speaker(k, cue)
                if cue_word is None:
                    cue_word, taken = rules.cue_text(cue), (k, cue.i)
                if who is not None:
                    speaker, cue_word, taken = who, rules.cue_text(cue), (k, cue.i)
                    break
            para = int(self.pids[q.sent])
            p_first = int(self.starts[np.flatnonzero(self.pids == para)[0]])
            before = self.text[p_first:q.mark_start]
            kind = rules.quote_kind(self.text[q.start:q.end], before,
                                    paragraphs=q.n_paragraphs, has_cue=bool(ranked))
            if not ranked and kind == "direct" and rules.headline_speaker(before):
                speaker = self._name_text(rules.headline_speaker(before))
            elif (not ranked and kind == "direct" and prev is not None and prev[1] is not None
                    and (prev[0] == para or prev[0] == para - 1 and not before.strip(" -•*"))):
                # the same speaker goes on: "“A,” he said. “B.”" or a new paragraph of quote
                speaker, cue_word = prev[1], prev[2]
            if kind == "scare" and not include_scare:
                continue
            if taken is not None:
                used.add(taken)
            if kind == "direct":
                last_para = int(self.pids[self.sentence_at(q.end - 1) or q.sent])
                prev = (last_para, speaker, cue_word)
            rows.append((self.article_id, int(self.sids[q.sent]), q.start, q.end,
                         self.text[q.start:q.end], speaker, cue_word, kind))
        quoted = {k for q in self.quotes for k in self.overlapping(q.mark_start, q.mark_end)}
        for k in sorted(self.docs):
            if k in quoted or not self.content[k]:
                continue
            rows.extend(self._indirect(k, used))
        rows.sort(key=lambda r: r[2])
        return rows

    def _indirect(self, k: int, used) -> list[tuple]:
        """Indirect quotes of sentence k: one per verb of saying with a named speaker and a
        reported clause that does not overlap an earlier one."""
        s0 = int(self.starts[k])
        out: list[tuple] = []
        for cue in self.cues(k):
            if (k, cue.i) in used:
                continue
            who, rng = self.speaker(k, cue)
            span = rules.reported_span(cue, rng) if who is not None else None
            if span is None:
                continue
            s, e = s0 + span[0], s0 + span[1]
            if any(r[2] < e and s < r[3] for r in out):
                continue
            out.append((self.article_id, int(self.sids[k]), s, e, self.text[s:e], who,
                        rules.cue_text(cue), "indirect"))
        return out


def attach_entities(arts: list[Article], entities: pd.DataFrame) -> None:
    by_article = {a.article_id: a for a in arts}
    ents = entities.sort_values(["article_id", "start"], kind="stable")
    for aid, g in ents.groupby("article_id", sort=False):
        art = by_article.get(aid)
        if art is not None:
            art.ents = list(zip(g["start"].astype(int), g["end"].astype(int),
                                g["label"].astype(str), g["canonical"].astype(str),
                                strict=True))
