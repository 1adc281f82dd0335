"""VADER's ``polarity_scores`` with the same rules and the same results, with less overhead.

vaderSentiment 3.3.2 (Hutto & Gilbert 2014, MIT licence) spends most of its time on bookkeeping,
not on its rules: it rebuilds the text character by character to replace emoji even when there
is none, and lower-cases the whole sentence again for every rule applied to every lexicon word
(the negation check three times per word), which makes a sentence cost grow with its length
times its number of sentiment words. :class:`FastAnalyzer` keeps vaderSentiment's rules, order
and arithmetic (copied below from ``vaderSentiment/vaderSentiment.py``), and changes only that:

- text without an emoji character is used as is (the rewrite returns it unchanged), and the
  rewrite of text with one joins its parts once instead of adding character by character;
- the lower-cased words are computed once per sentence and shared by every rule;
- ``negated`` of one word is a set lookup (vaderSentiment scans its 59-word list);
- the words (``SentiText``) are split with the same rule in one loop;
- only the words in the lexicon are visited (the others get vaderSentiment's 0), and a
  sentence without one returns at once what ``score_valence`` returns for all-zero valences
  (neg = pos = compound = 0, neu = 1; all 0 for no word at all).

The results are identical (every float equal): ``benchmarks/run.py`` compares them with
vaderSentiment's on every sentence of the benchmark corpus, and the tests on real corpora.
"""

from __future__ import annotations

import heapq
import string

from vaderSentiment import vaderSentiment as _v

_NEGATE = frozenset(_v.NEGATE)
_BOOST = _v.BOOSTER_DICT
_SPECIAL = _v.SPECIAL_CASES
_PUNCTUATION = string.punctuation


def _words_and_emoticons(text: str) -> list[str]:
    """``SentiText(text).words_and_emoticons``: split, punctuation stripped unless <= 2 left."""
    return [s if len(s := token.strip(_PUNCTUATION)) > 2 else token for token in text.split()]


def _is_cap_diff(words: list[str]) -> bool:
    """``allcap_differential``: some but not all words are ALL CAPS."""
    allcap = sum(map(str.isupper, words))
    return 0 < len(words) - allcap < len(words)


#: Above this many words, ``_but_check`` finds first occurrences with heaps (same result).
_LONG = 64


def _but_check(low, sentiments):
    """vaderSentiment's ``_but_check``, its quirks included, on the lower-cased words.

    vaderSentiment walks the list while rewriting it: at step ``k`` it takes the value ``v``
    now at ``k``, finds the *first* index ``si`` holding a value equal to ``v`` and scales that
    one (x0.5 before "but", x1.5 after), with a pop and an insert (quadratic on long text).
    Zeros stay zero, so only non-zero values are processed; on long sentences the first index
    of each value comes from a heap of its positions instead of a scan (same result).
    """
    if "but" not in low:
        return sentiments
    bi = low.index("but")
    if len(sentiments) <= _LONG:
        for sentiment in sentiments:
            si = sentiments.index(sentiment)
            if si < bi:
                sentiments.pop(si)
                sentiments.insert(si, sentiment * 0.5)
            elif si > bi:
                sentiments.pop(si)
                sentiments.insert(si, sentiment * 1.5)
        return sentiments
    positions: dict[float, list[int]] = {}
    for idx, value in enumerate(sentiments):
        if value != 0:
            positions.setdefault(value, []).append(idx)  # increasing: already a heap
    for k in range(len(sentiments)):
        value = sentiments[k]
        if value == 0:
            continue
        heap = positions[value]
        while sentiments[heap[0]] != value:  # stale: that position was rescaled since
            heapq.heappop(heap)
        si = heap[0]
        if si == bi:
            continue
        scaled = value * 0.5 if si < bi else value * 1.5
        sentiments[si] = scaled
        heapq.heappop(heap)
        heapq.heappush(positions.setdefault(scaled, []), si)
    return sentiments


def _negated(word_lower: str) -> bool:
    """``vaderSentiment.negated([word])`` for one lower-case word."""
    return word_lower in _NEGATE or "n't" in word_lower


def _negation_check(valence, low, start_i, i):
    """vaderSentiment's ``_negation_check`` on the already lower-cased words ``low``."""
    if start_i == 0:
        if _negated(low[i - (start_i + 1)]):
            valence = valence * _v.N_SCALAR
    if start_i == 1:
        if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
            valence = valence * 1.25
        elif low[i - 2] == "without" and low[i - 1] == "doubt":
            valence = valence
        elif _negated(low[i - (start_i + 1)]):
            valence = valence * _v.N_SCALAR
    if start_i == 2:
        if low[i - 3] == "never" and (low[i - 2] == "so" or low[i - 2] == "this") or \
                (low[i - 1] == "so" or low[i - 1] == "this"):
            valence = valence * 1.25
        elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
            valence = valence
        elif _negated(low[i - (start_i + 1)]):
            valence = valence * _v.N_SCALAR
    return valence


def _special_idioms_check(valence, low, i):
    """vaderSentiment's ``_special_idioms_check`` on the already lower-cased words ``low``."""
    onezero = f"{low[i - 1]} {low[i]}"
    twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
    twoone = f"{low[i - 2]} {low[i - 1]}"
    threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
    threetwo = f"{low[i - 3]} {low[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in _SPECIAL:
            valence = _SPECIAL[seq]
            break
    if len(low) - 1 > i:
        zeroone = f"{low[i]} {low[i + 1]}"
        if zeroone in _SPECIAL:
            valence = _SPECIAL[zeroone]
    if len(low) - 1 > i + 1:
        zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
        if zeroonetwo in _SPECIAL:
            valence = _SPECIAL[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in _BOOST:
            valence = valence + _BOOST[n_gram]
    return valence


class FastAnalyzer(_v.SentimentIntensityAnalyzer):
    """``SentimentIntensityAnalyzer`` whose ``polarity_scores`` avoids redundant work."""

    def __init__(self):
        super().__init__()
        # only single characters can match: vaderSentiment tests ``chr in self.emojis``
        self._emoji_chars = frozenset(k for k in self.emojis if len(k) == 1)
        self._keys = frozenset(self.lexicon)

    def _describe_emoji(self, text: str) -> str:
        """vaderSentiment's emoji rewrite (each emoji replaced by its description), joined once."""
        parts = []
        prev_space = True
        for char in text:
            if char in self.emojis:
                if not prev_space:
                    parts.append(" ")
                parts.append(self.emojis[char])
                prev_space = False
            else:
                parts.append(char)
                prev_space = char == " "
        return "".join(parts)

    def polarity_scores(self, text):
        if not text.isascii() and not self._emoji_chars.isdisjoint(text):
            text = self._describe_emoji(text)
        text = text.strip()
        # ASCII lower-casing maps letter to letter, so the words of the lower-cased text are
        # the lower-cased words, as many (not so in general: final sigma depends on what
        # follows); the words as written are then needed only when a word is in the lexicon
        ascii_text = text.isascii()
        words = None if ascii_text else _words_and_emoticons(text)
        low = _words_and_emoticons(text.lower()) if ascii_text else [w.lower() for w in words]
        hits = self._keys.intersection(low)
        if not hits:
            # every valence is 0 (only lexicon words carry one): what score_valence returns
            return {"neg": 0.0, "neu": 1.0 if low else 0.0, "pos": 0.0, "compound": 0.0}
        if words is None:
            words = _words_and_emoticons(text)
        is_cap_diff = _is_cap_diff(words)
        last = len(words) - 1
        sentiments = [0] * len(words)
        for i, item_lower in enumerate(low):
            if item_lower not in hits or item_lower in _BOOST:
                continue
            if i < last and item_lower == "kind" and low[i + 1] == "of":
                continue
            sentiments[i] = self._valence(is_cap_diff, words, low, words[i], i)
        sentiments = _but_check(low, sentiments)
        return self.score_valence(sentiments, text)

    def _valence(self, is_cap_diff, words, low, item, i):
        """The lexicon branch of vaderSentiment's ``sentiment_valence``."""
        lexicon = self.lexicon
        item_lowercase = low[i]
        valence = lexicon[item_lowercase]
        if item_lowercase == "no" and i != len(words) - 1 and low[i + 1] in lexicon:
            valence = 0.0
        if (i > 0 and low[i - 1] == "no") \
                or (i > 1 and low[i - 2] == "no") \
                or (i > 2 and low[i - 3] == "no" and low[i - 1] in ["or", "nor"]):
            valence = lexicon[item_lowercase] * _v.N_SCALAR
        if item.isupper() and is_cap_diff:
            if valence > 0:
                valence += _v.C_INCR
            else:
                valence -= _v.C_INCR
        for start_i in range(0, 3):
            if i > start_i and low[i - (start_i + 1)] not in lexicon:
                s = _v.scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, low, start_i, i)
                if start_i == 2:
                    valence = _special_idioms_check(valence, low, i)
        return self._least_check(valence, words, i)
