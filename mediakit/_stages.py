"""The public stage functions as one namespace, for the code that chains them (``analyze``).

Imported from the modules that define them, not through ``mediakit`` itself: the package maps its
names to these modules, so a module that imported the package back would close an import cycle.
"""

from __future__ import annotations

from types import SimpleNamespace


def stages() -> SimpleNamespace:
    """``read_articles``, ``split_sentences``, every ``score_*``, ``extract_*`` and ``compare_*``
    that ``analyze`` chains, loaded on first use (each brings its own heavy imports)."""
    from mediakit.compare.actors import compare_actors
    from mediakit.compare.attention import compare_attention
    from mediakit.compare.coverage import compare_coverage
    from mediakit.compare.groups import compare_groups
    from mediakit.compare.kwic import explain_terms
    from mediakit.compare.stories import group_stories
    from mediakit.compare.terms import compare_terms
    from mediakit.ingest.examples import load_example
    from mediakit.ingest.read import read_articles
    from mediakit.measures.entities import extract_entities
    from mediakit.measures.frames import score_frames
    from mediakit.measures.lexicons import load_lexicon
    from mediakit.measures.quotes import extract_quotes
    from mediakit.measures.readability import score_readability
    from mediakit.measures.sentiment import score_sentiment
    from mediakit.measures.target_sentiment import score_target_sentiment
    from mediakit.segment.split import split_sentences

    return SimpleNamespace(
        read_articles=read_articles, load_example=load_example, group_stories=group_stories,
        split_sentences=split_sentences, score_sentiment=score_sentiment,
        score_frames=score_frames, score_readability=score_readability,
        score_target_sentiment=score_target_sentiment, load_lexicon=load_lexicon, extract_entities=extract_entities,
        extract_quotes=extract_quotes, compare_groups=compare_groups,
        compare_terms=compare_terms, explain_terms=explain_terms,
        compare_coverage=compare_coverage, compare_attention=compare_attention,
        compare_actors=compare_actors)
