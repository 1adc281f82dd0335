"""Write the tutorial notebooks from the cells below, executed, with their outputs.

Run ``make notebooks`` (``python notebooks/_build.py``) after editing; commit the script and the
.ipynb files. Each notebook is executed in ``notebooks/`` (so relative paths work from there)
and saved with its outputs, so figures show when it is opened. ``--no-execute`` writes the cells
only. The notebooks use the public API only (``import mediakit as mk``) and run top to bottom.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str, *, tags: list[str] | None = None):
    cell = new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = tags
    return cell


QUICKSTART = [
    md("""
# mediakit quickstart: two outlets, one event

This tour runs on the bundled sample: two real articles about the meeting of about 30 defence
ministers of the "coalition of the willing" in Brussels in April 2025. No outlet names came with
them, so they are labelled `outlet A` and `outlet B`.

Each step is one function; every table is a pandas DataFrame you can inspect.
"""),
    code("""
import matplotlib.pyplot as plt

import mediakit as mk

articles = mk.load_example("seeds")
articles[["article_id", "outlet", "story_id", "title"]]
"""),
    md("""
## 1. Sentences

`split_sentences` keeps every line and labels its kind: headline, body, bullet, but also promo
lines ("Find out more: ...") and leftover markup. Measures and comparisons use the content
sentences (headline, body, bullet) by default. `start`/`end` point into `articles.text`, and
`position` runs from 0 (the lede) to 1 (the last content sentence).
"""),
    code("""
sentences = mk.split_sentences(articles)
sentences[["article_id", "sentence_id", "kind", "position", "text"]].head(12)
"""),
    code("""
sentences.groupby(["outlet", "kind"]).size().unstack(fill_value=0)
"""),
    md("""
## 2. Tone along the article

VADER scores each sentence from -1 (most negative) to +1 (most positive). The plot shows every
content sentence at its position in the article, one line per article.
"""),
    code("""
scored = mk.score_sentiment(sentences)
fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
mk.plot_sentiment_arc(scored, ax=ax);
"""),
    md("""
## 3. What each outlet reported, and left out

`compare_coverage` aligns the sentences of the two outlets and groups sentences that state the
same fact (at most one per article). `presence` says, for every fact and outlet, whether the
outlet *carries* it (one of its sentences is part of it), is *related* to it (a sentence resembles
it below the same-fact level: a hint, not carrying) or lacks it (*absent*); the summary, the
omissions, the figures and the report are all read from it. In the coverage map each column is an
outlet's article in reading order; filled boxes are facts no other outlet carries, solid lines
join sentences of one fact, dashed lines related ones, each labelled with its similarity (the
calibrated probability that the two state the same fact).
"""),
    code("""
coverage = mk.compare_coverage(sentences)
coverage.summary()
"""),
    code("""
fig, ax = plt.subplots(figsize=(8, 7), layout="constrained")
mk.plot_coverage_map(coverage, ax=ax);
"""),
    md("""
The omissions table lists, for each outlet, the facts another outlet carries and it does not;
when the outlet has a related sentence, both sentences are there with their similarity.
"""),
    code("""
coverage.omissions[["outlet", "status", "similarity", "fact_sentence", "related_sentence",
                    "carried_by"]]
"""),
    md("""
## 4. Words each outlet uses more

`compare_terms` tests every word of one outlet against the other (signed log-likelihood G²).
The bars show the statistic; the labels show the raw counts, so a large value resting on two or
three occurrences is visible as such.
"""),
    code("""
terms = mk.compare_terms(sentences)
fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
mk.plot_keyness(terms[terms["outlet"] == "outlet A"], ax=ax);
"""),
    md("""
## 5. Everything at once

`analyze` runs the whole pipeline (sentences, sentiment, frames, readability, comparisons, and
actors when the `nlp` extra is installed). With one article per outlet, `compare_groups` warns
that its intervals cannot be trusted: read those numbers as descriptions of two articles.
`plot_overview` draws the main figures; `result.report("report/")` writes the HTML report,
the figures and the tables.
"""),
    code("""
result = mk.analyze(articles)
result
"""),
    code("""
fig = mk.plot_overview(result, max_panels=4)
"""),
    code("""
result.groups[result.groups["comparison"] == "group"][
    ["outlet", "measure", "n", "estimate", "ci_low", "ci_high"]].round(2)
"""),
    md("""
## What we can conclude

- **Coverage.** By the calibrated same-fact decision the two articles share no fact (`n_shared`
  is 0 in the coverage summary): the dashed lines in the map join *related* sentences, which
  share wording but each state something the other lacks (read both, with their similarity).
  The omissions table names what each left out, with the related sentence when there is one:
  read those rows before saying one outlet "ignored" a point.
- **Tone.** outlet B's sentences are more positive on average than outlet A's (VADER compound
  0.49 vs 0.21 in the table above), but each outlet is one article: there is no interval, so this
  describes two articles, not two outlets.
- **Reading level.** outlet A reads harder (Flesch-Kincaid grade 16.6 vs 15.1), again one
  article each.

With one article per outlet, every difference is descriptive. Notebook 02 shows the same
comparisons on a corpus with several articles per group, where intervals mean something.
"""),
]

COMPARISON = [
    md("""
# Comparing outlets on a corpus

Set `CORPUS` to a file or folder of articles (anything `mk.read_articles` reads: .jsonl, .csv,
a folder of .txt or .html files...). `None` uses the bundled sample. Relative paths are taken
from the folder the notebook runs in (`notebooks/`): the AllSides triplets of the development
data (the same story covered by a left-, a center- and a right-rated outlet on the same day) are
`"../../shared/corpora/allsides_triplets/articles.jsonl"` next to a checkout.
"""),
    code("""
CORPUS = None  # e.g. "../../shared/corpora/allsides_triplets/articles.jsonl"
""", tags=["parameters"]),
    code("""
import matplotlib.pyplot as plt

import mediakit as mk

articles = mk.load_example("seeds") if CORPUS is None else mk.read_articles(CORPUS)
print(len(articles), "articles,", articles["outlet"].nunique(), "outlets,",
      articles["story_id"].nunique(), "stories")
articles["outlet"].value_counts().head(10)
"""),
    md("""
## Which groups to compare

By default outlets are compared. When the corpus has another grouping column (the AllSides data
has `bias`, the outlet's rating), any column can be the group: `split_sentences(carry=...)`
carries it onto the sentences. Here we use `bias` when it exists and the outlet otherwise.
"""),
    code("""
GROUP = "bias" if "bias" in articles.columns else "outlet"
sentences = mk.split_sentences(articles, carry=[GROUP] if GROUP != "outlet" else ())
scored = mk.score_readability(mk.score_sentiment(sentences))
GROUP
"""),
    md("""
## Tone and reading level, with honest intervals

`compare_groups` rolls sentences up into articles, then compares groups with bootstrap intervals
that resample whole articles (sentences of one article are not independent). The points are the
estimates, the bars the 95% intervals. Few articles per group give wide or undefined intervals,
and mediakit warns about it.
"""),
    code("""
groups = mk.compare_groups(scored, by=GROUP,
                           measures=["sentiment_compound", "readability_flesch_kincaid_grade"])
groups[groups["comparison"] == "group"][
    [GROUP, "measure", "n", "estimate", "ci_low", "ci_high"]].round(3)
"""),
    code("""
fig, axes = plt.subplots(1, 2, figsize=(11, 3), layout="constrained")
# a plot draws what it is given: select the measure; the group column comes from groups' roles
mk.plot_estimates(groups[groups["measure"] == "sentiment_compound"], ax=axes[0])
mk.plot_estimates(groups[groups["measure"] == "readability_flesch_kincaid_grade"], ax=axes[1]);
"""),
    md("""
Each article's own reading level (one point per article):
"""),
    code("""
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
mk.plot_readability(scored, x=GROUP, ax=ax);
"""),
    md("""
## Words that set a group apart

One group against all the others (signed G², with counts).
"""),
    code("""
terms = mk.compare_terms(sentences, by=GROUP)
first = sorted(terms[GROUP].unique())[0]
fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
mk.plot_keyness(terms[terms[GROUP] == first], ax=ax);
"""),
    md("""
## Coverage of one story

Coverage is compared story by story, between the groups (here `GROUP`: any column works, and
the figures follow it). We draw the story whose articles share the
largest part of their facts (among articles short enough to read in one figure); the presence
matrix shows each outlet's status for every fact (filled: carried, outlined: related, grey:
absent).
"""),
    code("""
coverage = mk.compare_coverage(sentences, by=GROUP)
facts = coverage.facts
per_story = facts.groupby("story_id").agg(shared=("n_outlets", lambda n: (n > 1).mean()),
                                          longest=("rank", "max"))
readable = per_story[per_story["longest"] <= 40]
story = (readable if len(readable) else per_story)["shared"].idxmax()
coverage.summary().head(10)
"""),
    code("""
one = coverage.story(story)  # the Coverage of that story alone
n_rows = one.facts.groupby(GROUP).size().max()
fig, ax = plt.subplots(figsize=(11, 1.5 + 0.3 * n_rows), layout="constrained")
mk.plot_coverage_map(one, max_chars=40, ax=ax);
"""),
    code("""
fig, ax = plt.subplots(figsize=(9, 6), layout="constrained")
mk.plot_presence(one, ax=ax);
"""),
    md("""
## What we can conclude

Read the estimates table with its intervals: a difference counts only when the intervals of two
groups do not overlap (or `compare_groups`' pairwise difference excludes 0). On the bundled
sample every group is one article, so nothing here goes beyond describing two articles. On the
AllSides triplets (`CORPUS` above; 92 stories, each rating 92 articles) the mean tone is
-0.008 (left), -0.021 (center) and -0.027 (right) on VADER's -1 to 1 scale, with overlapping
95% intervals: no clear difference in tone between left-, center- and right-rated outlets
covering the same stories. Center-rated articles read slightly harder (Flesch-Kincaid grade 13.3
vs 12.6 for left); that difference's interval only just excludes 0 (permutation p = 0.048), one
of six comparisons, so read it as a hint, not a finding. The keyness bars and the coverage of
one story show *what* differs; check the raw counts on each bar before reading much into a
word, and the presence matrix before calling a fact an omission.

For the whole set of figures and tables at once: `mk.analyze(CORPUS, by=GROUP).report(...)`
or `mediakit report CORPUS --by bias --out report/`.
"""),
]

CUSTOM_FRAMES = [
    md("""
# Your own frames: a lexicon, and a classifier trained on your coding

mediakit ships three frame lexicons (`policy_frames`, `generic_frames`, `gvfc_frames`). This
notebook shows how to use your own word list, read why a sentence scored, and train a classifier
on texts you have coded yourself. Nothing is uploaded or downloaded.
"""),
    code("""
import matplotlib.pyplot as plt
import pandas as pd

import mediakit as mk

sentences = mk.split_sentences(mk.load_example("seeds"))
"""),
    md("""
## A lexicon of your own

A dict (or a YAML/JSON file) with a name, a version and categories of terms. `*` is a wildcard
within a word; several words make a phrase. The name and version are recorded with every result.
"""),
    code("""
my_lexicon = mk.load_lexicon({
    "name": "war_and_peace",
    "version": "0.1",
    "description": "A toy lexicon for this notebook",
    "categories": {
        "military": ["military", "troop*", "force*", "defen?e", "deploy*", "weapon*"],
        "diplomacy": ["negotiat*", "peace", "ceasefire", "talks", "agreement", "diplomat*"],
        "pressure": ["pressure", "sanction*", "deter*", "aggression"],
    },
})
my_lexicon
"""),
    code("""
framed = mk.score_frames(sentences, lexicon=my_lexicon)
framed[["outlet", "text", "frame_military", "frame_diplomacy", "frame_pressure",
        "frame_terms"]].head(8)
"""),
    md("""
`frame_terms` says which term matched where (offsets into the article text), so every count can
be checked against the sentence. Compare the outlets with `compare_groups` (mean hits per
sentence, per article, then per outlet) and draw the profile:
"""),
    code("""
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", mk.MediakitWarning)  # one article per outlet
    profile = mk.compare_groups(framed, measures=["frame_military", "frame_diplomacy",
                                                  "frame_pressure"])
fig, ax = plt.subplots(figsize=(6, 2.5), layout="constrained")
mk.plot_frames(profile, ax=ax);
"""),
    md("""
## A classifier trained on your own coding

When you have coded some texts by hand, `FrameClassifier` learns your categories (TF-IDF
features and a linear SVM) and codes the rest the same way. Here a handful of made-up coded
headlines stand in for your data; with real data use a few hundred examples per frame and
check `cross_validate` before trusting the labels.
"""),
    code("""
coded = pd.DataFrame({
    "text": [
        "Ministers discuss troops for a peacekeeping force", "Army deploys air defence units",
        "Navy to patrol the Black Sea", "Allies send more weapons to the front",
        "Generals plan a multinational force", "Drones and missiles strike the front line",
        "Talks on a ceasefire stall again", "Envoys meet for peace negotiations",
        "Diplomats push for a peace agreement", "Foreign ministers agree on next talks",
        "Summit ends without a deal", "Negotiators exchange proposals for a truce",
        "Defence budget rises to 3% of GDP", "Sanctions hit the economy hard",
        "Energy prices climb as exports fall", "Arms makers report record sales",
        "Aid package worth billions approved", "Markets fall on fears of a longer war",
    ],
    "frame": ["military"] * 6 + ["diplomacy"] * 6 + ["economic"] * 6,
})
clf = mk.FrameClassifier().fit(coded["text"], coded["frame"])
clf.top_terms(5)
"""),
    code("""
coded_sentences = clf.score_frames(sentences, output="label")
coded_sentences.loc[coded_sentences["frame_predicted"].notna(),
                    ["outlet", "frame_predicted", "text"]].head(10)
"""),
    code("""
coded_sentences.groupby(["outlet", "frame_predicted"]).size().unstack(fill_value=0)
"""),
    md("""
## What we can conclude

- A lexicon is a transparent instrument: every hit is listed in `frame_terms` with its
  offsets, so a count can always be checked against the sentence, and the lexicon's name and
  version travel with the result. Its weakness is recall: a sentence about troops that uses
  none of the listed words scores 0.
- The classifier codes sentences the way *you* coded the training texts, but 18 made-up
  headlines are far too few: the table of predictions above is a demonstration, not a finding.
  With a few hundred coded examples per frame, check `cross_validate` before comparing outlets
  on its labels.
"""),
]

REPORT_FIGURES = [
    md("""
# Figures and a report you can publish

`save_figure` writes a figure as a 300 dpi PNG, an SVG and a PDF (the vector files are
byte-identical when re-run), the plotted data as CSV, and a manifest: mediakit and library
versions, the lexicon, the parameters and the SHA-256 of every input text. `OUT` is where the
files go; a temporary folder by default.
"""),
    code("""
OUT = None  # a folder path, e.g. "figures_for_my_report"
""", tags=["parameters"]),
    code("""
import json
import tempfile
import warnings
from pathlib import Path

import matplotlib.pyplot as plt

import mediakit as mk

out = Path(OUT) if OUT is not None else Path(tempfile.mkdtemp(prefix="mediakit-"))
with warnings.catch_warnings():
    warnings.simplefilter("ignore", mk.MediakitWarning)  # one article per outlet
    result = mk.analyze(mk.load_example("seeds"))
result
"""),
    md("""
## One figure, with its data and provenance

Outlets keep the same colour in every figure: `outlet_colors` assigns Okabe-Ito (colour-blind
safe) up to 8 outlets and matplotlib's `tab20` and its companions beyond, most articles first.
"""),
    code("""
fig, ax = plt.subplots(figsize=(8, 7), layout="constrained")
mk.plot_coverage_map(result.coverage, ax=ax)
paths = mk.save_figure(fig, out / "coverage_map", data=result.coverage.facts,
                       manifest=result.manifest, articles=result.articles)
[p.name for p in paths]
"""),
    code("""
manifest = json.loads((out / "coverage_map.manifest.json").read_text(encoding="utf-8"))
{key: manifest[key] for key in ("mediakit", "lexicons", "inputs")}
"""),
    md("""
## Several panels in one figure

Every `plot_*` draws on the Axes you give it, so panels combine freely.
"""),
    code("""
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
mk.plot_sentiment_arc(result.sentences, ax=left)
groups = result.groups
mk.plot_estimates(groups[groups["measure"] == "readability_flesch_kincaid_grade"], ax=right)
paths = mk.save_figure(fig, out / "tone_and_readability", formats=("svg", "pdf"),
                       data=result.groups, manifest=result.manifest, articles=result.articles)
[p.name for p in paths]
"""),
    md("""
## The whole report

`write_report` writes one self-contained HTML page (figures inline, no external resources, all
article text escaped). `result.report()` writes that page plus every figure and table.
"""),
    code("""
written = result.report(out / "report", formats=("svg",), overwrite=True)
print(written[0].name)
sorted(p.name for p in (out / "report" / "figures").glob("*.svg"))
"""),
    md("""
The folder now holds `index.html`, `figures/` and `tables/` (each table as CSV and Parquet) and
`manifest.json`, which lists every file. Running the report again into the same folder replaces
it wholly (`overwrite=True`), so no figure of an earlier corpus survives; a folder holding
anything else is refused.

## What we can conclude

Every figure here can go into a paper as it is: the SVG and PDF keep text as text, the data CSV
holds exactly the numbers drawn, and the manifest ties the figure to the input texts by their
SHA-256. The tone and reading-level differences drawn are those of notebook 01, one article per
outlet, so the report's summary calls them descriptive.
"""),
]

NOTEBOOKS = {
    "01_quickstart.ipynb": QUICKSTART,
    "02_outlet_comparison.ipynb": COMPARISON,
    "03_custom_frames.ipynb": CUSTOM_FRAMES,
    "04_report_figures.ipynb": REPORT_FIGURES,
}


def notebook(name: str):
    """The notebook ``name`` as built from its cells (no outputs)."""
    nb = new_notebook(cells=[nbformat.from_dict(dict(c)) for c in NOTEBOOKS[name]])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"{name[:2]}-{k:02d}"  # stable ids: no diff noise on rebuild
    return nb


def execute(nb, *, timeout: int = 600):
    """Run ``nb`` top to bottom in ``notebooks/`` (relative paths work from there)."""
    import os

    from nbclient import NotebookClient

    # a fixed hash seed: ties in sets of words (e.g. equal classifier weights) keep their order
    env = dict(os.environ, PYTHONHASHSEED="0")
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(HERE)}}).execute(env=env)
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)  # timestamps: no diff noise
    return nb


def build(folder: Path = HERE, *, run: bool = True, names=None) -> list[Path]:
    written = []
    for name in names or NOTEBOOKS:
        nb = notebook(name)
        if run:
            execute(nb)
        path = folder / name
        nbformat.write(nb, path)
        written.append(path)
    return written


if __name__ == "__main__":
    import sys

    args = sys.argv[1:]
    chosen = [a for a in args if a.endswith(".ipynb")] or None
    for path in build(run="--no-execute" not in args, names=chosen):
        print(path)
