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
