"""Imported once in the fork server of ``n_jobs`` (see ``_parallel``): what every worker would
otherwise load for itself, at each call: VADER's lexicon and the English hyphenation patterns."""

from mediakit.measures import frames, readability, sentiment  # noqa: F401

sentiment._analyzer()
readability._pyphen_counts(["warm"])
