"""Sentence boundaries on tricky news copy: a table of cases with at most 2 known failures."""

from __future__ import annotations

import pandas as pd
import pytest

import mediakit as mk

# (case id, text, expected sentences in order)
CASES = [
    ("mr", "Mr. Smith arrived late. He left early.", ["Mr. Smith arrived late.", "He left early."]),
    ("mrs-dr", "Mrs. Jones met Dr. Patel on Monday. They talked.",
     ["Mrs. Jones met Dr. Patel on Monday.", "They talked."]),
    ("us-mid", "Officials in the U.S. said talks would resume. Russia disagreed.",
     ["Officials in the U.S. said talks would resume.", "Russia disagreed."]),
    ("uk-mid", "The U.K. government denied it. A spokesman declined to comment.",
     ["The U.K. government denied it.", "A spokesman declined to comment."]),
    ("gen", "Gen. Mark Milley testified on Tuesday. Senators pressed him.",
     ["Gen. Mark Milley testified on Tuesday.", "Senators pressed him."]),
    ("lt-col", "Lt. Col. Anna Berg leads the unit. She joined in 2001.",
     ["Lt. Col. Anna Berg leads the unit.", "She joined in 2001."]),
    ("sen-rep", "Sen. Warren and Rep. Ocasio-Cortez wrote a letter. It was ignored.",
     ["Sen. Warren and Rep. Ocasio-Cortez wrote a letter.", "It was ignored."]),
    ("gov", "Gov. Newsom signed the bill. Critics objected.",
     ["Gov. Newsom signed the bill.", "Critics objected."]),
    ("am-mid", "The vote began at 9 a.m. on Friday. It ended at noon.",
     ["The vote began at 9 a.m. on Friday.", "It ended at noon."]),
    ("pm-end", "The blast happened at 4 p.m. Police arrived soon after.",
     ["The blast happened at 4 p.m.", "Police arrived soon after."]),
    ("initials", "The novel by J. K. Rowling sold well. Critics were kind.",
     ["The novel by J. K. Rowling sold well.", "Critics were kind."]),
    ("initial-middle", "George W. Bush spoke first. Obama followed.",
     ["George W. Bush spoke first.", "Obama followed."]),
    ("decimal", "Growth slowed to 2.5 per cent in March. Analysts were surprised.",
     ["Growth slowed to 2.5 per cent in March.", "Analysts were surprised."]),
    ("money", "The deal is worth $3.2 billion. Shares rose 4.1%.",
     ["The deal is worth $3.2 billion.", "Shares rose 4.1%."]),
    ("pounds", "Tickets cost £12.50 each. Demand was high.",
     ["Tickets cost £12.50 each.", "Demand was high."]),
    ("quote-period-straight", 'He said, "We will win." The crowd cheered.',
     ['He said, "We will win."', "The crowd cheered."]),
    ("quote-period-curly", "She said: “It is over.” Nobody replied.",
     ["She said: “It is over.”", "Nobody replied."]),
    ("question-she-asked", '"Why now?" she asked. He shrugged.',
     ['"Why now?" she asked.', "He shrugged."]),
    ("exclaim-he-said", "“Stop!” he shouted. The car kept going.",
     ["“Stop!” he shouted.", "The car kept going."]),
    ("ellipsis-continue", "He paused... then went on. It was late.",
     ["He paused... then went on.", "It was late."]),
    ("ellipsis-unicode", "We waited… Nothing happened.", ["We waited…", "Nothing happened."]),
    ("no-st", "They live on Main St. in Boston. Rents are high.",
     ["They live on Main St. in Boston.", "Rents are high."]),
    ("inc", "Apple Inc. reported profits. Its shares rose.",
     ["Apple Inc. reported profits.", "Its shares rose."]),
    ("jan", "The law takes effect on Jan. 1 next year. Few have noticed.",
     ["The law takes effect on Jan. 1 next year.", "Few have noticed."]),
    ("no-number", "Item No. 5 was withdrawn. The rest passed.",
     ["Item No. 5 was withdrawn.", "The rest passed."]),
    ("eg", "Some states, e.g. Texas, refused. Others agreed.",
     ["Some states, e.g. Texas, refused.", "Others agreed."]),
    ("website", "Details are on gov.uk today. Read them.",
     ["Details are on gov.uk today.", "Read them."]),
    ("bullet-two", "- Next Steps: Planning continues. A report is due next week.",
     ["- Next Steps: Planning continues.", "A report is due next week."]),
    ("bullet-dot", "• Turnout rose to 61%. It was a record.", ["• Turnout rose to 61%.", "It was a record."]),
    ("heading-line", "Key Points:\nThe summit ended early.", ["Key Points:", "The summit ended early."]),
    ("link-line", "Read more: Why the talks failed\nThe minister resigned on Monday.",
     ["Read more: Why the talks failed", "The minister resigned on Monday."]),
    ("headline-then-body", "Ministers Meet in Brussels Amid Doubts\nThe ministers met. They agreed.",
     ["Ministers Meet in Brussels Amid Doubts", "The ministers met.", "They agreed."]),
    ("year-end", "The treaty was signed in 1997. It still holds.",
     ["The treaty was signed in 1997.", "It still holds."]),
    ("quote-multi-sentence", "“We tried. We failed,” she said. Then she left.",
     ["“We tried.", "We failed,” she said.", "Then she left."]),
    # issue 14: news cases
    ("us-end-opener", "Prices rose 5% in the U.S. Analysts expect more.",
     ["Prices rose 5% in the U.S.", "Analysts expect more."]),
    ("pm-end-officials", "The talks ended at 6 p.m. Officials left the building.",
     ["The talks ended at 6 p.m.", "Officials left the building."]),
    ("then-gov", "The ban was lifted by then-Gov. Walter J. Hickel in 1992. Critics objected.",
     ["The ban was lifted by then-Gov. Walter J. Hickel in 1992.", "Critics objected."]),
    ("sens-plural", "Sens. John Kerry and John McCain wrote a letter. It was ignored.",
     ["Sens. John Kerry and John McCain wrote a letter.", "It was ignored."]),
    ("pfc", "Army Pfc. Jessica Lynch was rescued on April 1. She returned home.",
     ["Army Pfc. Jessica Lynch was rescued on April 1.", "She returned home."]),
    ("us-name", "U.S. Secretary of State Colin Powell spoke. The U.S. Senate voted.",
     ["U.S. Secretary of State Colin Powell spoke.", "The U.S. Senate voted."]),
    ("plain-word-stop", "The deal was struck two years ago. Joe Biden was vice president then.",
     ["The deal was struck two years ago.", "Joe Biden was vice president then."]),
    ("opener-am", "At 5 a.m. Mr. Smith went to the bank. He left at 6 P.M. Mr. Smith then went home.",
     ["At 5 a.m. Mr. Smith went to the bank.", "He left at 6 P.M.",
      "Mr. Smith then went home."]),
    ("exclaim-name", "She works at Yahoo! in the accounting department.",
     ["She works at Yahoo! in the accounting department."]),
]

# Known failures of nupunkt on this table (kept visible, not hidden): at most 2 allowed.
KNOWN_FAILURES: set[str] = set()


def _split(text: str) -> list[str]:
    articles = pd.DataFrame({"article_id": ["a"], "outlet": ["x"], "text": [text]})
    return mk.split_sentences(articles)["text"].tolist()


def test_boundary_table_has_at_most_two_errors():
    assert len(CASES) >= 30
    errors = {case_id for case_id, text, expected in CASES if _split(text) != expected}
    assert errors == KNOWN_FAILURES, f"unexpected boundary results: {sorted(errors)}"
    assert len(errors) <= 2


@pytest.mark.parametrize(("case_id", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_boundary_case(case_id, text, expected):
    if case_id in KNOWN_FAILURES:
        pytest.xfail("known nupunkt limitation, listed in KNOWN_FAILURES")
    assert _split(text) == expected


# -- Golden Rules, datelines, stray line breaks ------------------------------------------------


def _kinds(text: str, **cols) -> list[tuple[str, str]]:
    articles = pd.DataFrame({"article_id": ["a"], "outlet": ["x"], "text": [text], **cols})
    out = mk.split_sentences(articles)
    return list(zip(out["kind"], out["text"], strict=True))


@pytest.mark.corpora
def test_golden_rules(corpora_dir):
    """The English "Golden Rules" (48 cases; pySBD 47, plain nupunkt 35): at least 44 pass."""
    import json

    rules = [json.loads(line) for line in
             (corpora_dir / "sbd_golden_rules" / "golden_rules_en.jsonl").read_text().splitlines()]
    assert len(rules) == 48
    failed = [r["rule"] for r in rules
              if [" ".join(t.split()) for t in _split(r["text"])]
              != [" ".join(t.split()) for t in r["sentences"]]]
    assert len(rules) - len(failed) >= 44, failed


def test_true_dateline_stays_dateline():
    assert _kinds("WASHINGTON (AP) — The Senate voted on Tuesday. It passed.") == [
        ("dateline", "WASHINGTON (AP) —"), ("body", "The Senate voted on Tuesday."),
        ("body", "It passed.")]
    assert _kinds("ST. PAUL, Minn. (AP) — Lawmakers met. They agreed.")[0] == (
        "dateline", "ST. PAUL, Minn. (AP) —")
    assert _kinds("Kyiv, Ukraine — Shelling resumed overnight. Officials said so.")[0] == (
        "dateline", "Kyiv, Ukraine —")


def test_subject_between_dashes_is_no_dateline():
    text = ("The World Health Organization — another Lilly partner — has declared an emergency. "
            "Markets fell.")
    assert _kinds(text) == [
        ("body", "The World Health Organization — another Lilly partner — has declared an "
                 "emergency."), ("body", "Markets fell.")]
    assert _kinds("Joe Biden — the former vice president — spoke on Friday.")[0][0] == "body"


def test_stray_line_break_inside_a_sentence_is_joined():
    text = "The Senate said the bill would pass\nwithout changes, a spokesman said. It did."
    assert _kinds(text) == [
        ("body", "The Senate said the bill would pass\nwithout changes, a spokesman said."),
        ("body", "It did.")]
    # across one blank line (as scrapers write paragraphs), too
    assert _kinds("Voters in the state\n\nturned out in record numbers. Turnout was 71%.")[0] == (
        "body", "Voters in the state\n\nturned out in record numbers.")


def test_structure_lines_are_not_joined():
    text = "Key points\n- taxes rise\n- spending falls\nThe plan passed."
    kinds = [k for k, _ in _kinds(text)]
    assert kinds.count("bullet") == 2
    cap = "Lawmakers met on Monday\n\ntoggle caption Evan Vucci/AP"
    assert [k for k, _ in _kinds(cap)][-1] == "caption"


def test_form_feed_breaks_a_headline_from_the_body():
    text = "Senate Passes Budget Deal\fThe Senate passed the deal on Friday. It now goes to the House."
    assert _kinds(text) == [
        ("headline", "Senate Passes Budget Deal"), ("body", "The Senate passed the deal on Friday."),
        ("body", "It now goes to the House.")]
    for sep in ("\u2028", "\r", "\x1e"):
        assert _kinds(text.replace("\f", sep))[0] == ("headline", "Senate Passes Budget Deal")


def test_last_white_space_is_the_regex_it_replaces():
    """The tokenizer's faster ``.*\\s`` match gives the regex's end on every slice."""
    import re

    from mediakit.segment._tokenizer import _LastWhiteSpace, tokenizer

    assert isinstance(tokenizer()._RE_LAST_WS, _LastWhiteSpace)
    regex = re.compile(r".*\s", re.DOTALL)
    texts = ["Prices rose 5% in the U.S. Analysts expect more.", "a\tb c\u00a0d e\u2009f.",
             "no-space-at-all.", "", " lead", "trail ", "x\u3000y\u2028z", "\u00a0\u00a0x"]
    for text in texts:
        for pos in range(len(text) + 1):
            for end in (*range(pos, len(text) + 1), len(text) + 5):
                want = regex.match(text, pos, end)
                got = _LastWhiteSpace.match(text, pos, end)
                assert (want and want.end()) == (got and got.end()), (text, pos, end)
        want, got = regex.match(text), _LastWhiteSpace.match(text)
        assert (want and want.end()) == (got and got.end())


def test_count_words_is_the_word_regex():
    """The C-speed word count equals ``len(WORDS.findall(...))`` on every slice of tricky text."""
    from mediakit.segment._lines import WORDS, count_words

    texts = ["U.S.A. and the U.S.-China talks", "don't won’t rock'n'roll", "a..b a.-b -a- _x_ 3.5%",
             "“Quoted”—dash–en‘single’ … end", "naïve café 東京 ok", "wjw j w", "a.b.c.d.e.f.g",
             "x\xa0y\tz", "", "...", "'a' 'b'", "Zürich’s U.S.’ deal"]
    for text in texts:
        for a in range(len(text) + 1):
            for b in range(a, len(text) + 1):
                assert count_words(text[a:b]) == len(WORDS.findall(text, a, b)), (text, a, b)
