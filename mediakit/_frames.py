"""The frame contracts of DESIGN.md: column names and order, shared by every layer."""

from __future__ import annotations

#: Columns of the articles frame, in order (user columns follow).
ARTICLE_COLUMNS: tuple[str, ...] = (
    "article_id", "outlet", "story_id", "title", "published", "url", "source", "text",
)

#: Columns of the sentences frame, in order.
SENTENCE_COLUMNS: tuple[str, ...] = (
    "article_id", "sentence_id", "outlet", "story_id", "published", "paragraph_id", "kind",
    "start", "end", "position", "in_quote", "n_words", "text",
)

#: Columns carried from the article onto each of its sentences.
CARRIED_COLUMNS: tuple[str, ...] = ("outlet", "story_id", "published")
