"""Canonical names for entity mentions: one name per actor within a story.

Rules, in order (each is a pure function of the mentions of one story):

1. the mention is cleaned: a leading "the", a trailing possessive ('s, ’s, ’) and, for people,
   leading titles and honorifics ("Mr", "Defence Secretary", "Secretary of State") are removed;
2. a matching *key* is built: accents folded (Sébastien = Sebastien), punctuation and case
   dropped (U.S. = US), British spelling made American (Defence = Defense), common transliteration endings unified (Zelenskyy = Zelensky =
   Zelenskiy, -ski = -sky) and doubled letters collapsed;
3. an alias table (the user's first, then a small built-in one for US / UK / EU / UN) maps keys
   to a fixed canonical name;
4. a name with a middle initial joins the same name without it (Donald J. Trump -> Donald Trump);
5. a surname-only mention joins the full name ending in that surname that the article used
   before it (the most mentioned one when several), else the one such name in the article, else
   in the story (left alone when two people share it equally);
6. the displayed name is the variant with diacritics when there is one, else the most frequent,
   else the longest.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

import pandas as pd

from mediakit._normalize import fold_accents, fold_punctuation, normalize_spelling

#: Words removed from the front of a person's name (lower case, without dots).
TITLE_WORDS: frozenset[str] = frozenset("""
mr mrs ms miss mx dr doctor prof professor sir dame lord lady rev reverend father
president vice prime minister ministers secretary chancellor senator sen rep representative
congressman congresswoman gov governor mayor gen general col colonel lt lieutenant maj major
capt captain cmdr commander adm admiral sgt sergeant judge justice chief king queen prince
princess pope sheikh ayatollah speaker ambassador commissioner chairman chairwoman chair
spokesman spokeswoman spokesperson premier foreign defence defense home interior finance health
state of the former deputy acting first top diplomat counterpart envoy
""".split())

#: Built-in aliases, applied after the user's. Keys are matched through :func:`name_key`.
DEFAULT_ALIASES: dict[str, str] = {
    "US": "United States", "USA": "United States", "United States of America": "United States",
    "UK": "United Kingdom", "Britain": "United Kingdom", "Great Britain": "United Kingdom",
    "EU": "European Union", "UN": "United Nations",
}

_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_TOKEN = re.compile(r"[a-z0-9]+")
_TRANSLIT_END = re.compile(r"(?:iy|yy|ij|yi)$")


def clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a leading "the", a trailing possessive and stray punctuation from ``text[start:end]``."""
    while start < end and not text[start].isalnum():
        start += 1
    if text[start:end].lower().startswith("the "):
        start += 4
    while True:
        m = _POSSESSIVE.search(text, start, end)
        if m is None or m.end() != end:
            break
        end = m.start()
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ".)"):
        end -= 1
    return start, end


def strip_titles(name: str) -> str:
    """Remove leading titles: "Defence Secretary John Healey" -> "John Healey"."""
    words = name.split()
    i = 0
    while i < len(words) - 1 and words[i].lower().strip(".’'") in TITLE_WORDS:
        i += 1
    return " ".join(words[i:])


def is_only_titles(name: str) -> bool:
    """True for names made only of title words ("State", "Defense Minister")."""
    words = [w.lower().strip(".’'") for w in name.split()]
    return bool(words) and all(w in TITLE_WORDS for w in words)


def _token_key(token: str) -> str:
    token = _TRANSLIT_END.sub("y", token)
    if token.endswith("ski"):
        token = token[:-1] + "y"
    return re.sub(r"(.)\1+", r"\1", token)


def name_key(name: str) -> str:
    """The matching key of a name: folded, lower case, transliteration-tolerant."""
    s = fold_punctuation(fold_accents(name)).lower().replace(".", "")
    s = normalize_spelling(re.sub(r"(?<=\w)-(?=\w)", "", s))
    s = _POSSESSIVE.sub("", s)
    return " ".join(_token_key(t) for t in _TOKEN.findall(s))


def alias_map(aliases: Mapping[str, str] | pd.DataFrame | None) -> dict[str, str]:
    """Key -> canonical name, from the user's table (which wins) and the built-in one."""
    table: dict[str, str] = {}
    for source in (DEFAULT_ALIASES, _alias_dict(aliases)):
        for alias, canonical in source.items():
            table[name_key(alias)] = canonical
            table[name_key(canonical)] = canonical
    table.pop("", None)
    return table


def _alias_dict(aliases) -> dict[str, str]:
    if aliases is None:
        return {}
    if isinstance(aliases, pd.DataFrame):
        cols = [c for c in ("alias", "canonical") if c in aliases.columns]
        if len(cols) != 2:
            from mediakit._validation import require_columns

            require_columns(aliases, ["alias", "canonical"], what="aliases")
        return {str(a): str(c) for a, c in zip(aliases["alias"], aliases["canonical"],
                                               strict=True)}
    if isinstance(aliases, Mapping):
        return {str(a): str(c) for a, c in aliases.items()}
    raise TypeError(
        "aliases must be a dict {alias: canonical} or a DataFrame with columns 'alias' and "
        f"'canonical', got {type(aliases).__name__}."
    )


def canonical_names(names: Sequence[str], labels: Sequence[str], articles: Sequence[object],
                    aliases: dict[str, str]) -> list[str]:
    """Canonical name of each mention of ONE story (see the module docstring for the rules)."""
    keys = [name_key(n) for n in names]
    forced: dict[str, str] = {}
    for i, k in enumerate(keys):
        if k in aliases:
            forced_key = name_key(aliases[k])
            forced[forced_key] = aliases[k]
            keys[i] = forced_key
    # groups by key; person-like keys are multi-token keys mostly labelled PERSON
    label_votes: dict[str, Counter] = defaultdict(Counter)
    for k, lab in zip(keys, labels, strict=True):
        label_votes[k][lab] += 1
    parent = {k: k for k in keys}

    def person(k: str) -> bool:
        return label_votes[k].most_common(1)[0][0] == "PERSON"

    full = [k for k in parent if " " in k and person(k)]
    by_first_last = {(k.split()[0], k.split()[-1]): k for k in full if len(k.split()) == 2}
    for k in full:
        parts = k.split()
        if len(parts) > 2 and (parts[0], parts[-1]) in by_first_last:
            parent[k] = by_first_last[(parts[0], parts[-1])]
    # surname-only mentions: the unique full name with that last word, in the article, else story
    by_surname_article: dict[tuple[object, str], set[str]] = defaultdict(set)
    by_surname_story: dict[str, set[str]] = defaultdict(set)
    for k, art in zip(keys, articles, strict=True):
        if " " in k and person(k):
            root = parent[k]
            by_surname_article[(art, k.split()[-1])].add(root)
            by_surname_story[k.split()[-1]].add(root)
    resolved = list(keys)
    seen: dict[tuple[object, str], Counter] = defaultdict(Counter)  # full names so far
    for i, (k, art) in enumerate(zip(keys, articles, strict=True)):
        if " " in k or k in forced and k not in by_surname_story:
            resolved[i] = parent[k]
            if " " in k and person(k):
                seen[(art, k.split()[-1])][parent[k]] += 1
            continue
        prior = seen.get((art, k))
        if prior:  # news style: the full name comes first, the surname after it
            top = prior.most_common(2)
            clear = len(top) == 1 or top[0][1] > top[1][1]
            resolved[i] = top[0][0] if clear else parent[k]
            continue
        cands = by_surname_article.get((art, k)) or by_surname_story.get(k) or set()
        resolved[i] = next(iter(cands)) if len(cands) == 1 else parent[k]
    # display name per resolved key: chosen among the variants of the longest keys
    variants: dict[str, Counter] = defaultdict(Counter)
    first_seen: dict[str, int] = {}
    for i, (name, k, r) in enumerate(zip(names, keys, resolved, strict=True)):
        if k == r or parent[k] == r:
            variants[r][name] += 1
            first_seen.setdefault(name, i)
    display: dict[str, str] = {}
    for r, counts in variants.items():
        if r in forced:
            display[r] = forced[r]
            continue
        exact = Counter({n: c for n, c in counts.items() if name_key(n) == r})
        counts = exact or counts
        display[r] = max(counts, key=lambda n: (not n.isascii(), counts[n], len(n),
                                                -first_seen[n]))
    out = []
    for name, r in zip(names, resolved, strict=True):
        out.append(display.get(r, forced.get(r, name)))
    return out
