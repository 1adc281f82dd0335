"""Imported once in the fork server of ``n_jobs`` (see ``_parallel``): what every worker would
otherwise load for itself, at each call: VADER's lexicon, the English hyphenation patterns, the
CMU syllable table and Dale-Chall's easy words."""

from mediakit.measures import frames, readability, sentiment  # noqa: F401

sentiment._analyzer()
readability._pyphen_counts(["warm"])
readability.syllable_table()
readability._easy_words()
