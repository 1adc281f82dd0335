"""The specification of a lexicon glob word, as a regular expression (tests only).

``mediakit.measures._matcher._Glob`` implements it in linear time; this regex backtracks
exponentially (``\\w*a\\w*a...``) and is never used to match text in mediakit.
"""

from __future__ import annotations

import re


def glob_regex(word: str) -> re.Pattern[str]:
    """``*`` any run of word characters, ``?`` one word character, anything else itself."""
    body = "".join(r"\w*" if c == "*" else r"\w" if c == "?" else re.escape(c) for c in word)
    return re.compile(body)
