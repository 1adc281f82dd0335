"""mediakit: compare how news outlets cover the same event.

The public API is flat (``import mediakit as mk``) and follows the pipeline::

    read_articles -> split_sentences -> score_* / extract_* -> compare_* -> plot_* -> save_* / write_*

Names are resolved lazily so that ``import mediakit`` stays fast: heavy libraries (textstat,
scikit-learn, spaCy, Dask, matplotlib) are imported only by the function that needs them.
"""

from __future__ import annotations

import importlib

from mediakit._errors import InvalidParameterError as InvalidParameterError
from mediakit._errors import LanguageWarning as LanguageWarning
from mediakit._errors import MediakitWarning as MediakitWarning
from mediakit._errors import NotFittedError as NotFittedError
from mediakit._errors import ResourceMissingError as ResourceMissingError
from mediakit._errors import SchemaError as SchemaError
from mediakit._errors import SkippedInputWarning as SkippedInputWarning
from mediakit._errors import StoryTooLargeError as StoryTooLargeError
from mediakit._errors import TruncatedInputWarning as TruncatedInputWarning
from mediakit._errors import WideIntervalWarning as WideIntervalWarning
from mediakit._version import __version__ as __version__

# public name -> module that defines it
_PUBLIC = {
    # ingest
    "read_articles": "mediakit.ingest.read",
    "fetch_articles": "mediakit.ingest.fetch",
    "load_example": "mediakit.ingest.examples",
    "Skipped": "mediakit.ingest.read",
    # segment
    "split_sentences": "mediakit.segment.split",
    # measures
    "score_sentiment": "mediakit.measures.sentiment",
    "score_readability": "mediakit.measures.readability",
    "score_frames": "mediakit.measures.frames",
    "explain_frames": "mediakit.measures.frames",
    "load_lexicon": "mediakit.measures.lexicons",
    "Lexicon": "mediakit.measures.lexicons",
    "FrameClassifier": "mediakit.measures.classifier",
    "extract_entities": "mediakit.measures.entities",
    "extract_quotes": "mediakit.measures.quotes",
    "score_target_sentiment": "mediakit.measures.target_sentiment",
    # compare
    "compare_groups": "mediakit.compare.groups",
    "frame_profile": "mediakit.compare.frames",
    "compare_terms": "mediakit.compare.terms",
    "explain_terms": "mediakit.compare.kwic",
    "compare_attention": "mediakit.compare.attention",
    "compare_coverage": "mediakit.compare.coverage",
    "Coverage": "mediakit.compare.coverage",
    "compare_actors": "mediakit.compare.actors",
    "group_stories": "mediakit.compare.stories",
    # plots (each defined in its own module; mediakit.plots re-exports them)
    "outlet_colors": "mediakit.plots._style",
    "plot_actor_tone": "mediakit.plots.actor_tone",
    "plot_actors": "mediakit.plots.actors",
    "plot_attention": "mediakit.plots.attention",
    "plot_coverage_map": "mediakit.plots.coverage",
    "plot_estimates": "mediakit.plots.estimates",
    "plot_frames": "mediakit.plots.frames",
    "plot_keyness": "mediakit.plots.terms",
    "plot_overview": "mediakit.plots.overview",
    "plot_presence": "mediakit.plots.coverage",
    "plot_readability": "mediakit.plots.estimates",
    "plot_sentiment_arc": "mediakit.plots.sentiment",
    # report
    "save_figure": "mediakit.report.figures",
    "write_report": "mediakit.report.html",
    # all at once
    "analyze": "mediakit.analysis",
    "Analysis": "mediakit._analysis_result",
}

__all__ = sorted(
    [*_PUBLIC, "InvalidParameterError", "LanguageWarning", "MediakitWarning", "NotFittedError",
     "ResourceMissingError", "SchemaError", "SkippedInputWarning", "StoryTooLargeError",
     "TruncatedInputWarning",
     "WideIntervalWarning", "__version__"]
)


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'mediakit' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
