"""Frame lexicons: versioned dictionaries of terms per category, loaded lazily and cached.

Built-in lexicons are YAML files shipped beside this module (see :data:`BUILTIN`). Users load
their own from a dict, a YAML or JSON file, a LIWC-style ``.dic`` or a quanteda/Lexicoder-style
YAML (``category: [terms]``, possibly nested). The pattern syntax is described in
``mediakit.measures._matcher``.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from mediakit._errors import InvalidParameterError
from mediakit._params import nearest, validate_params
from mediakit.measures._matcher import Matcher, compile_categories, parse_pattern
from mediakit.measures.lexicons import _formats

_HERE = Path(__file__).resolve().parent

#: Names of the lexicons shipped with mediakit.
BUILTIN: tuple[str, ...] = ("policy_frames", "generic_frames", "gvfc_frames")

_RESERVED = {"terms"}  # ``frame_terms`` is the explanation column


@dataclass(frozen=True)
class Lexicon:
    """A dictionary of terms per category.

    Attributes
    ----------
    name, version, description, citation, licence : str
        Identity and provenance, recorded with every result.
    categories : Mapping[str, tuple[str, tuple[str, ...]]]
        Category name -> (description, terms), in lexicon order. Names are lower-case identifiers
        (``frame_<name>`` becomes a column).
    source : str
        Where it came from: ``"builtin"``, a file path, or ``"dict"``.
    """

    name: str
    version: str
    description: str
    citation: str
    licence: str
    categories: Mapping[str, tuple[str, tuple[str, ...]]]
    source: str

    def __hash__(self) -> int:
        return hash((self.name, self.version, self.source, self._key()))

    def _key(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((name, terms) for name, (_, terms) in self.categories.items())

    def __repr__(self) -> str:
        return (
            f"Lexicon({self.name!r}, version={self.version!r}, "
            f"{len(self.categories)} categories, {self.n_terms} terms)"
        )

    @property
    def n_terms(self) -> int:
        """Number of terms over all categories."""
        return sum(len(terms) for _, terms in self.categories.values())

    def summary(self):
        """One row per category: ``category``, ``n_terms``, ``description``, ``examples``."""
        import pandas as pd

        return pd.DataFrame(
            [
                {"category": name, "n_terms": len(terms), "description": desc,
                 "examples": ", ".join(terms[:6])}
                for name, (desc, terms) in self.categories.items()
            ],
            columns=["category", "n_terms", "description", "examples"],
        )

    def to_dict(self) -> dict:
        """mediakit's own format (what :func:`load_lexicon` reads back)."""
        return {
            "name": self.name, "version": self.version, "description": self.description,
            "citation": self.citation, "licence": self.licence,
            "categories": {
                name: {"description": desc, "terms": list(terms)}
                for name, (desc, terms) in self.categories.items()
            },
        }

    def matcher(self) -> Matcher:
        """The compiled token-level matcher (built once per distinct lexicon and cached)."""
        return compile_categories(self._key())


@validate_params(name_or_path=[str, os.PathLike, Mapping, Lexicon])
def load_lexicon(name_or_path: str | Path | Mapping | Lexicon) -> Lexicon:
    """Load a frame lexicon: a built-in name, a file, or a dict.

    Parameters
    ----------
    name_or_path : str, Path, dict or Lexicon
        - a built-in name: ``"policy_frames"`` (the 14 substantive frames of the Policy Frames
          Codebook, Boydstun et al. 2014), ``"generic_frames"`` (the five news frames of Semetko
          & Valkenburg 2000) or ``"gvfc_frames"`` (the nine frames of the Gun Violence Frame
          Corpus, Liu et al. 2019);
        - a ``.yaml``/``.yml`` or ``.json`` file in mediakit's format (``name``, ``version``,
          ``description``, ``citation``, ``licence``, ``categories: {name: {description, terms}}``)
          or in the quanteda/Lexicoder style (``category: [terms]``, groups may nest and are
          flattened to ``group_sub``);
        - a LIWC-style ``.dic`` file (``%`` header of ``id name`` lines, then ``term id ...``);
        - a dict in either YAML layout; a :class:`Lexicon` is returned as it is.

    Returns
    -------
    Lexicon
        Built-ins are read once and cached.

    Raises
    ------
    ValueError
        Unknown name or format, a category without terms (in a LIWC ``.dic`` such a category is
        left out with a warning instead), an invalid pattern, two categories with the same
        name, or a YAML file with anything but plain data: Python tags, anchors and aliases
        (they expand without bound), nesting deeper than 64 levels. The message is short and
        names the file.
    FileNotFoundError
        A path that does not exist.

    Notes
    -----
    Category names are lower-cased, and runs of other characters than letters and digits become
    ``_`` (``"Law & Order"`` -> ``law_order``). Terms are matched case-insensitively on whole
    words; ``*`` and ``?`` are wildcards within a word; a term of several words is a phrase whose
    words may be separated by spaces, hyphens, apostrophes or full stops. Duplicate terms within
    a category are kept once.

    Examples
    --------
    >>> import mediakit as mk
    >>> lex = mk.load_lexicon("policy_frames")
    >>> len(lex.categories)
    14
    >>> "security_defense" in lex.categories
    True
    """
    if isinstance(name_or_path, Lexicon):
        return name_or_path
    if isinstance(name_or_path, Mapping):
        meta, cats = _formats.from_mapping(dict(name_or_path))
        return _build(meta, cats, source="dict", default_name="custom")
    if isinstance(name_or_path, str) and name_or_path in BUILTIN:
        return _builtin(name_or_path)
    path = Path(name_or_path)
    suffix = path.suffix.lower()
    if isinstance(name_or_path, str) and not suffix and not path.exists():
        raise InvalidParameterError(
            f"load_lexicon(name_or_path=...): name_or_path must be one of "
            f"{', '.join(map(repr, BUILTIN))} or a lexicon file; got {name_or_path!r} (str), "
            "neither a built-in lexicon nor a file." + nearest(name_or_path, BUILTIN),
            param="name_or_path")
    if not path.is_file():
        raise FileNotFoundError(f"lexicon file {str(path)!r} does not exist.")
    if suffix == ".dic":
        meta, cats = _formats.read_dic(path)
    elif suffix in (".yaml", ".yml", ".json"):
        data = _formats.read_yaml(path) if suffix != ".json" else _formats.read_json(path)
        if not isinstance(data, dict):
            raise ValueError(f"{path} does not hold a mapping of categories (got "
                             f"{type(data).__name__}).")
        meta, cats = _formats.from_mapping(data)
    else:
        raise ValueError(
            f"unknown lexicon format {suffix or '(no extension)'!r} for {str(path)!r}; use .yaml, "
            ".yml, .json or .dic."
        )
    return _build(meta, cats, source=str(path), default_name=path.stem)


@functools.cache
def _builtin(name: str) -> Lexicon:
    path = _HERE / f"{name}.yaml"
    meta, cats = _formats.from_mapping(_formats.read_yaml(path))
    return _build(meta, cats, source="builtin", default_name=name)


def _category_name(raw: object) -> str:
    name = re.sub(r"[^0-9a-z]+", "_", str(raw).strip().lower()).strip("_")
    if not name:
        raise ValueError(f"category name {raw!r} has no letters or digits.")
    if name in _RESERVED:
        raise ValueError(f"category name {raw!r} is reserved (frame_{name} is the explanation "
                         "column); rename it.")
    return name


def _build(meta: dict, cats: list, *, source: str, default_name: str) -> Lexicon:
    categories: dict[str, tuple[str, tuple[str, ...]]] = {}
    for raw_name, desc, terms in cats:
        name = _category_name(raw_name)
        if name in categories:
            raise ValueError(f"category {raw_name!r} appears twice (as {name!r}); merge them.")
        if isinstance(terms, str):
            terms = [terms]
        if not isinstance(terms, (list, tuple)) or not terms:
            raise ValueError(f"category {raw_name!r} has no terms; give it a list of terms.")
        clean: dict[str, None] = {}  # ordered, and a set: duplicates dropped in linear time
        for term in terms:
            try:
                parse_pattern(term)
            except ValueError as exc:
                raise ValueError(f"category {raw_name!r}: {exc}") from None
            clean.setdefault(" ".join(str(term).split()))
        categories[name] = (str(desc or "").strip(), tuple(clean))
    if not categories:
        raise ValueError("the lexicon has no categories.")
    licence = meta.get("licence", meta.get("license", ""))
    return Lexicon(
        name=str(meta.get("name") or default_name),
        version=str(meta.get("version") or ""),
        description=str(meta.get("description") or "").strip(),
        citation=str(meta.get("citation") or "").strip(),
        licence=str(licence or "").strip(),
        categories=MappingProxyType(categories),
        source=source,
    )


__all__ = ["BUILTIN", "Lexicon", "load_lexicon"]
