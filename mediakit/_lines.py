"""Line-level rules shared by ingest (title detection) and segment (kind of each line)."""

from __future__ import annotations

import re

_END_PUNCT = re.compile(r"[.!?…:;,][\"'”’»)\]]*\s*$")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)


def looks_like_headline(line: str, *, max_words: int = 25) -> bool:
    """Whether a first line reads as a headline rather than a sentence of the story.

    A headline has no final punctuation, 3 to ``max_words`` words, starts with a capital letter
    or digit, and most of its longer words are capitalised or it is short. Conservative: a body
    sentence that ends with a full stop is never a headline.
    """
    stripped = line.strip()
    if not stripped or len(stripped) > 300 or _END_PUNCT.search(stripped):
        return False
    if not (stripped[0].isupper() or stripped[0].isdigit() or stripped[0] in "\"'“‘"):
        return False
    words = _WORD.findall(stripped)
    if not 3 <= len(words) <= max_words:
        return False
    if stripped.lstrip("-•*–—·").strip() != stripped:  # a bullet, not a headline
        return False
    return True
