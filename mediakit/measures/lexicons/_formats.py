"""Readers for the lexicon formats researchers already have; each returns plain Python data.

Every reader returns ``(metadata, categories)`` where ``categories`` is a list of
``(name, description, [terms])`` in file order. Validation happens in ``mediakit.measures.lexicons``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_META_KEYS = ("name", "version", "description", "citation", "licence", "license")


def _read_text(path: Path, encoding: str = "utf-8") -> str:
    try:
        return path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8 text ({exc}); re-save it as UTF-8.") from None


def _short(exc: BaseException, n: int = 300) -> str:
    text = str(exc)
    return text if len(text) <= n else text[:n] + " ..."


def read_yaml(path: Path) -> object:
    """Plain YAML only: no Python tags (``safe_load`` rules), no anchors or aliases (they expand
    without bound), at most ``MAX_DEPTH`` levels of nesting."""
    import yaml

    from mediakit.ingest._yaml import YAMLRefused, load

    try:
        return load(_read_text(path))
    except YAMLRefused as exc:
        raise ValueError(f"lexicon file {path} {exc}.") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"could not read {path} as YAML (only plain YAML is allowed): "
                         f"{_short(exc)}") from None


def read_json(path: Path) -> object:
    try:
        return json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise ValueError(f"could not read {path} as JSON: {_short(exc)}") from None
    except RecursionError:
        raise ValueError(f"lexicon file {path} nests lists or objects too deeply; flatten "
                         "it.") from None


def from_mapping(data: dict) -> tuple[dict, list[tuple[str, str, object]]]:
    """Split a dict into metadata and categories.

    A dict with a ``categories`` key is mediakit's own format: ``categories`` maps each name to
    a list of terms or to ``{"description": ..., "terms": [...]}``. Any other dict is a
    quanteda/Lexicoder-style dictionary: ``{category: [terms]}``, where a value may itself be a
    dict of sub-categories (nested groups), named ``group_sub`` once flattened.
    """
    if "categories" in data:
        meta = {k: data[k] for k in _META_KEYS if k in data}
        unknown = sorted(set(map(str, data)) - set(_META_KEYS) - {"categories"})
        if unknown:
            raise ValueError(
                f"lexicon has unknown top-level key(s) {unknown}; allowed: "
                f"{', '.join(_META_KEYS)}, categories."
            )
        cats = data["categories"]
        if not isinstance(cats, dict) or not cats:
            raise ValueError("lexicon 'categories' must be a non-empty mapping of name -> terms.")
        out = []
        for name, value in cats.items():
            if isinstance(value, dict):
                extra = sorted(set(map(str, value)) - {"description", "terms"})
                if extra:
                    raise ValueError(
                        f"category {name!r} has unknown key(s) {extra}; use 'description' and "
                        "'terms'."
                    )
                out.append((name, value.get("description") or "", value.get("terms")))
            else:
                out.append((name, "", value))
        return meta, out
    return {}, list(_flatten(data, prefix=""))


#: Deepest nesting of quanteda-style groups.
MAX_GROUP_DEPTH = 32


def _flatten(node: object, prefix: str, depth: int = 0):
    """Nested quanteda groups -> flat (name, "", terms); a list may mix terms and sub-groups."""
    if depth > MAX_GROUP_DEPTH:
        raise ValueError(f"lexicon groups nest more than {MAX_GROUP_DEPTH} levels deep (under "
                         f"{prefix[:80]!r}); flatten them.")
    if not isinstance(node, dict):
        raise ValueError(f"expected a mapping of category -> terms, got {type(node).__name__}.")
    for key, value in node.items():
        name = f"{prefix}_{key}" if prefix else str(key)
        if isinstance(value, dict):
            yield from _flatten(value, name, depth + 1)
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            terms = [v for v in value if not isinstance(v, dict)]
            if terms:
                yield name, "", terms
            for sub in value:
                if isinstance(sub, dict):
                    yield from _flatten(sub, name, depth + 1)
        else:
            yield name, "", value


_LIWC_CATEGORY = re.compile(r"^\s*(\d+)\s+(\S.*?)\s*$")


def read_dic(path: Path) -> tuple[dict, list[tuple[str, str, object]]]:
    """A LIWC-style ``.dic``: ``%``, ``id<TAB>name`` lines, ``%``, then ``term<TAB>id id ...``."""
    lines = _read_text(path, "utf-8-sig").splitlines()
    marks = [i for i, line in enumerate(lines) if line.strip() == "%"]
    if len(marks) < 2:
        raise ValueError(
            f"{path} is not a LIWC-style .dic file: it needs a header of category ids between two "
            "lines holding only '%'."
        )
    names: dict[str, str] = {}
    for line in lines[marks[0] + 1 : marks[1]]:
        if not line.strip():
            continue
        m = _LIWC_CATEGORY.match(line)
        if not m:
            raise ValueError(f"{path}: bad category line {line!r} (expected 'id<TAB>name').")
        if m.group(1) in names:
            raise ValueError(f"{path}: category id {m.group(1)} is defined twice.")
        names[m.group(1)] = m.group(2)
    terms: dict[str, list[str]] = {n: [] for n in names.values()}
    for number, line in enumerate(lines[marks[1] + 1 :], start=marks[1] + 2):
        if not line.strip():
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        parts = [p.strip() for p in parts if p.strip()]
        ids = []
        while len(parts) > 1 and parts[-1] in names:
            ids.insert(0, parts.pop())
        term = " ".join(parts)
        if not ids or any(c in term for c in "()/<>"):
            raise ValueError(
                f"{path}, line {number}: {line!r} is not 'term<TAB>category ids' with known ids "
                "(conditional LIWC entries are not supported)."
            )
        for cid in ids:
            terms[names[cid]].append(term)
    empty = [name for name, t in terms.items() if not t]
    if empty and len(empty) < len(terms):
        # LIWC dictionaries are often cut down to a few categories, leaving the others' header
        # lines: those categories are left out, not the whole dictionary
        from mediakit._errors import MediakitWarning
        from mediakit._params import warn

        shown = ", ".join(map(repr, empty[:5])) + (" ..." if len(empty) > 5 else "")
        warn(f"{path}: {len(empty)} categor{'y' if len(empty) == 1 else 'ies'} with no "
             f"terms left out ({shown}).", MediakitWarning)
    return {"name": path.stem}, [(name, "", t) for name, t in terms.items() if t or not empty
                                 or len(empty) == len(terms)]
