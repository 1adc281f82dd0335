"""Rules of quote attribution: cue verbs, role nouns, quote kinds, the speaker in a parse.

Pure functions over strings and spaCy ``Doc`` objects (tagger + parser); the orchestration over
frames is in :mod:`mediakit.measures.quotes`. Quote spans themselves come from
:func:`mediakit.segment.quotes.quote_spans` (the finder behind ``in_quote``).
"""

from __future__ import annotations

import re

from mediakit._normalize import fold_accents, normalize_spelling

#: Verbs of saying that attribute a quote (base forms; every inflection is matched), plus the
#: phrase "according to".
CUE_VERBS: tuple[str, ...] = (
    "say", "tell", "state", "add", "warn", "claim", "note", "explain", "insist", "argue",
    "declare", "announce", "clarify", "acknowledge", "admit", "ask", "reply", "respond", "write",
    "tweet", "comment", "suggest", "urge", "vow", "pledge", "promise", "predict", "recall",
    "remark", "observe", "concede", "confirm", "deny", "maintain", "assert", "contend", "allege",
    "complain", "mention", "report", "reiterate", "emphasize", "emphasise", "stress",
    "underline", "underscore", "highlight", "call", "testify", "boast", "caution", "counter",
    "retort", "quip", "lament", "continue", "conclude",
)

#: Verbs whose direct object is the reported content ("stressed the necessity of ...").
OBJECT_CUES: frozenset[str] = frozenset({
    "stress", "emphasize", "emphasise", "underline", "underscore", "reiterate", "acknowledge",
    "deny", "confirm", "admit", "highlight",
})

#: Head nouns of a role phrase that can stand for a named person ("the defence secretary").
ROLE_NOUNS: frozenset[str] = frozenset("""
secretary minister president chancellor spokesman spokeswoman spokesperson senator governor
mayor leader chief diplomat ambassador commissioner general premier envoy director chairman
chairwoman chair head king queen pope judge official counterpart lawmaker congressman
congresswoman representative prosecutor commander founder executive ceo pm mp attorney
candidate nominee justice professor economist analyst
""".split())

#: Abbreviated roles, spelled out to match the titles written before names.
_ROLE_SPELLED = {"pm": ["prime", "minister"], "ceo": ["chief", "executive"]}

PRONOUNS_PERSON: frozenset[str] = frozenset({"he", "she"})
PRONOUNS_ORG: frozenset[str] = frozenset({"it"})

_IRREGULAR = {
    "say": ("says", "said", "saying"), "tell": ("tells", "told", "telling"),
    "write": ("writes", "wrote", "written", "writing"),
}
_DOUBLING = {"admit", "quip", "regret"}


def _forms(base: str) -> set[str]:
    if base in _IRREGULAR:
        return {base, *_IRREGULAR[base]}
    third = base + ("es" if base.endswith(("s", "sh", "ch", "x", "z")) else "s")
    if base.endswith("y") and base[-2] not in "aeiou":
        return {base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    if base in _DOUBLING:
        return {base, third, base + base[-1] + "ed", base + base[-1] + "ing"}
    if base.endswith("e"):
        return {base, third, base + "d", base[:-1] + "ing"}
    return {base, third, base + "ed", base + "ing"}


#: Every inflected form -> base verb.
CUE_FORMS: dict[str, str] = {f: b for b in CUE_VERBS for f in _forms(b)}

_CUE_PREFILTER = re.compile(
    r"\b(?:according to|" + "|".join(sorted(map(re.escape, CUE_FORMS), key=len, reverse=True))
    + r")\b", re.IGNORECASE,
)
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis"})
_SO_CALLED = re.compile(r"so[- ]called\s*$", re.IGNORECASE)
_FULL_END = tuple(".!?,;:…—–-")


def may_have_cue(text: str) -> bool:
    """Cheap check before parsing: does ``text`` contain a cue word at all?"""
    return _CUE_PREFILTER.search(text) is not None


def is_cue(token) -> bool:
    """A verb of saying (by tag), or the "according" of "according to"."""
    low = token.lower_
    if low == "according":
        nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
        return nxt is not None and nxt.lower_ == "to"
    return low in CUE_FORMS and token.tag_.startswith("VB")


def cue_text(token) -> str:
    return "according to" if token.lower_ == "according" else token.lower_


def quote_kind(content: str, before: str, *, paragraphs: int, has_cue: bool) -> str:
    """``direct``, ``partial`` or ``scare`` for the text inside one pair of quote marks.

    A quote is a full utterance (direct) when it spans paragraphs, ends with punctuation inside
    the marks, follows a colon, or has six words or more and starts with a capital letter. A
    fragment (anything else) is a partial quote when a verb of saying stands in its sentence,
    otherwise a scare quote or a name (the "coalition of the willing"). A fragment right after
    "so-called" is always a scare quote.
    """
    c = content.strip()
    lead = before.rstrip()
    if _SO_CALLED.search(lead):
        return "scare"
    full = (
        paragraphs > 1
        or c.endswith(_FULL_END)
        or lead.endswith(":")
        or (c[:1].isupper() and len(c.split()) >= 6)
    )
    if full:
        return "direct"
    return "partial" if has_cue else "scare"


def role_words(span) -> list[str]:
    """Content words of a role phrase, folded: "the Defence Secretary" -> [defense, secretary]."""
    skip = {"DT", "PRP$", "POS", "CC", "IN"}
    words = [t.lower_ for t in span if t.tag_ not in skip and t.is_alpha
             and t.lower_ not in {"former", "top", "then", "new", "current", "outgoing"}]
    words = [x for w in words for x in _ROLE_SPELLED.get(w, [w])]
    return [normalize_spelling(fold_accents(w)) for w in words]


def _in_any(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in ranges)


def subject_of(cue) -> object | None:
    """The subject token of a cue verb, walking up xcomp/advcl/conj chains ("is expected to
    tell", "..., highlighting"), or the object of "according to"."""
    if cue.lower_ == "according":
        to = cue.nbor(1)
        objs = [c for c in to.children if c.dep_ == "pobj"]
        if not objs:
            objs = [c for c in cue.children if c.dep_ == "pobj"]
        return objs[0] if objs else (to.nbor(1) if to.i + 1 < len(cue.doc) else None)
    verb = cue
    for _ in range(4):
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return subj[0]
        if verb.dep_ == "relcl":
            return verb.head
        if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp", "acl") and verb.head.i != verb.i:
            verb = verb.head
            continue
        break
    return None


def speaker_in_subject(head, ents: list[tuple[int, int, str, str]],
                       quotes: list[tuple[int, int]]) -> tuple[str, object] | None:
    """Who the subject ``head`` names, from sentence-local entity spans.

    ``ents`` holds (start, end, label, canonical) in sentence-local offsets; ``quotes`` the
    quoted ranges (local). Returns ("name", canonical), ("pronoun", token), ("role", span) or
    None.
    """
    lo = head.left_edge.idx
    hi = head.right_edge.idx + len(head.right_edge)
    inside = [e for e in ents if e[0] < hi and e[1] > lo and not _in_any(e[0], quotes)]
    for e in inside:
        if e[0] <= head.idx < e[1]:
            return "name", e[3]
    doc = head.doc

    def possessive(e) -> bool:
        tok = doc.char_span(e[0], e[1], alignment_mode="expand")
        return tok is not None and (tok.root.dep_ == "poss" or (
            tok.end < len(doc) and doc[tok.end].tag_ == "POS"))

    def embedded(e) -> bool:
        # inside a relative or other clause hanging off the subject ("the woman, who The New
        # York Times is not identifying"), so not the subject itself
        tok = doc.char_span(e[0], e[1], alignment_mode="expand")
        node = tok.root if tok is not None else head
        while node.i != head.i and node.head.i != node.i:
            if node.dep_ in _CLAUSE_DEPS:
                return True
            node = node.head
        return False

    def modifier(e) -> bool:
        # "the British minister": a nationality describing the head is not who speaks
        tok = doc.char_span(e[0], e[1], alignment_mode="expand")
        return e[2] == "NORP" or (tok is not None and tok.root.dep_ == "amod")

    plain = [e for e in inside if not possessive(e) and not embedded(e) and not modifier(e)]
    for wanted in ("PERSON", None):
        for e in sorted(plain, key=lambda e: abs(e[0] - head.idx)):
            if wanted is None or e[2] == wanted:
                return "name", e[3]
    low = head.lower_
    if low in PRONOUNS_PERSON or low in PRONOUNS_ORG:
        return "pronoun", head
    if low in ROLE_NOUNS and any(t.lower_ in {"the", "his", "her", "its", "their"}
                                 for t in head.lefts):
        return "role", doc[head.left_edge.i: head.i + 1]
    return None


def subject_before(pronoun, ents, labels, quotes) -> str | None:
    """A name of the same sentence, before ``pronoun``, that is a clause subject ("Collins said
    she believed ..."): the pronoun's likeliest antecedent."""
    doc = pronoun.doc
    found = None
    for e in ents:
        if e[1] > pronoun.idx or e[2] not in labels or _in_any(e[0], quotes):
            continue
        span = doc.char_span(e[0], e[1], alignment_mode="expand")
        if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
            found = e[3]
    return found


def nearby_speaker(cue, ents, quotes) -> tuple[str, object] | None:
    """Fallback when the parse gives no subject: a name or pronoun just after the cue
    ("said Healey") or the nearest name before it in the same clause."""
    doc = cue.doc
    inverted = cue.i > 0 and (doc[cue.i - 1].is_punct or doc[cue.i - 1].is_quote)
    for tok in doc[cue.i + 1: cue.i + 5] if inverted else ():
        if tok.is_punct:
            break
        for e in ents:
            if e[0] <= tok.idx < e[1] and not _in_any(e[0], quotes):
                return "name", e[3]
        if tok.lower_ in PRONOUNS_PERSON:
            return "pronoun", tok
    before = [e for e in ents if e[1] <= cue.idx and not _in_any(e[0], quotes)]
    between = doc.text[before[-1][1]: cue.idx] if before else ""
    if before and not any(ch in between for ch in "“”\".;"):
        people = [e for e in before if e[2] == "PERSON"]
        return "name", (people or before)[-1][3]
    if cue.i > 0 and doc[cue.i - 1].lower_ in PRONOUNS_PERSON:
        return "pronoun", doc[cue.i - 1]
    return None


def reported_span(cue, speaker_range: tuple[int, int] | None) -> tuple[int, int] | None:
    """Sentence-local span of what an indirect quote reports, or None.

    "X said (that) <clause>" -> the clause; "<clause>, X said" -> the clause; "stressed <object>"
    -> the object; "according to X, <clause>" -> the rest of the sentence. The clause stops
    where another verb of saying takes over ("X said <clause>, while Y warned that ...").
    """
    doc = cue.doc
    if cue.lower_ == "according":
        to = cue.nbor(1)
        phrase_end = max(t.idx + len(t) for t in [to, *to.subtree])
        left = doc.text[: cue.idx].rstrip(" ,")
        right = doc.text[phrase_end:].lstrip(" ,")
        if right.strip() and len(right.split()) >= len(left.split()):
            start = len(doc.text) - len(right)
            end = _trim_end(doc.text, len(doc.text))
            return (start, end) if start < end else None
        start = len(doc.text) - len(doc.text.lstrip())
        return (start, len(left)) if left.strip() and start < len(left) else None
    base = CUE_FORMS.get(cue.lower_, "")
    comp = [c for c in cue.children if c.dep_ == "ccomp"]
    if not comp and base in OBJECT_CUES:
        comp = [c for c in cue.children if c.dep_ == "dobj"]
    if not comp:
        return None
    node = comp[0]
    toks = [t for t in node.subtree]
    for k, t in enumerate(toks):
        if k and t.i != node.i and is_cue(t):
            inner = {x.i for x in t.subtree}
            toks = [x for x in toks[:k] if x.i not in inner]
            while toks and (toks[-1].is_punct or toks[-1].dep_ in ("cc", "mark")):
                toks.pop()
            break
    while toks and (toks[0].lower_ == "that" and toks[0].dep_ == "mark" or toks[0].is_punct):
        toks.pop(0)
    while toks and toks[-1].is_punct:
        toks.pop()
    if len(toks) < 3:
        return None
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
    if speaker_range and start < speaker_range[1] and speaker_range[0] < end:
        return None
    return start, end


def _trim_end(text: str, end: int) -> int:
    while end > 0 and (text[end - 1].isspace() or text[end - 1] in ".!?;,"):
        end -= 1
    return end


_SINGLE_OPEN_AFTER = set(" \t([{—–-:“\"")


def single_quote_spans(text: str, paragraphs: list[tuple[int, int]],
                       taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Top-level quotes in curly single marks (British style: Healey said: ‘We are ready.’).

    The double-quote finder skips single marks because ’ is also the apostrophe. Here a quote
    opens with ‘ at a word start (not before a digit: ‘90s) outside any double-quote span
    ``taken``, and closes at the first ’ of the paragraph that is not followed by a letter or
    digit (so don’t and Ukraine’s do not close it). An unclosed ‘ gives nothing. Returns
    (start, end) spans, marks included.
    """
    out = []
    for p_start, p_end in paragraphs:
        i = text.find("‘", p_start, p_end)
        while i >= 0:
            nested = any(a <= i < b for a, b in taken)
            opens = (i == p_start or text[i - 1] in _SINGLE_OPEN_AFTER) and i + 1 < p_end \
                and not text[i + 1].isspace() and not text[i + 1].isdigit()
            j = -1
            if opens and not nested:
                k = text.find("’", i + 1, p_end)
                while k >= 0:
                    after = text[k + 1] if k + 1 < p_end else " "
                    if not after.isalnum() and not text[k - 1].isspace():
                        j = k
                        break
                    k = text.find("’", k + 1, p_end)
            if j > i + 1:
                out.append((i, j + 1))
                i = text.find("‘", j + 1, p_end)
            else:
                i = text.find("‘", i + 1, p_end)
    return out


_HEADLINE_SPEAKER = re.compile(r"^[\s\-•*–—]*([^\W\d_][\w.’' -]{1,60}?)\s*:\s*$")


def headline_speaker(before: str) -> str | None:
    """The name in a "Name: ‘quote’" line (headline style), or None."""
    m = _HEADLINE_SPEAKER.match(before)
    return m.group(1) if m else None

