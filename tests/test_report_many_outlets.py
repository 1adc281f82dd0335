"""The report on a real corpus of 40 outlets and 92 stories (allsides_triplets): legible figures,
every warning on the page, no machine path, a folder replaced wholly, and the hostile-input cases
of the report (``$`` in text, suffix-colliding names, planted links, huge labels, long articles).
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from _legibility import problems
from test_report_examples import _check_examples

import mediakit as mk
from mediakit.plots.overview import standard_figures
from mediakit.report._build import figure_stems
from mediakit.report._output import OutputFolderError

matplotlib.use("Agg")
REPO = Path(__file__).resolve().parents[1]


def _analyze(source, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = mk.analyze(source, actors=False, n_boot=200, progress=False, **kwargs)
    return result, caught


@pytest.fixture(scope="module")
def allsides(corpora_dir, tmp_path_factory):
    source = corpora_dir / "allsides_triplets" / "articles.jsonl"
    result, caught = _analyze(source)
    out = tmp_path_factory.mktemp("allsides") / "report"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        written = result.report(out)
    return result, caught, out, written, source


def _page(out: Path) -> str:
    return (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.corpora
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_every_saved_figure_is_legible(allsides):
    result, _caught, out, written, _ = allsides
    items = standard_figures(result)
    stems = figure_stems([i.name for i in items])
    saved = {p.name.removesuffix(".png") for p in written if p.suffix == ".png"}
    assert saved == set(stems.values())  # the figures checked are the figures saved
    assert len(items) >= 10
    for item in items:
        assert problems(item.figure) == [], item.name
        width, height = item.figure.get_size_inches()
        assert width <= 30 and height <= 30, (item.name, width, height)
    names = [i.name for i in items]
    # a story covered by one outlet has no coverage map; the chosen stories have 3 outlets
    single = set(result.articles.groupby("story_id")["outlet"].nunique().loc[lambda s: s < 2]
                 .index)
    assert not any(n.removeprefix("coverage_map_") in single for n in names)
    # the sentiment arc of 276 articles is a mean arc with bands, one line per group drawn
    arc = next(i for i in items if i.name == "sentiment_arc")
    ax = arc.figure.axes[0]
    assert len(ax.lines) == 8 + 1 and len(ax.collections) == 8  # 8 groups + the zero line
    # estimates: the axis spans VADER's natural range
    est = next(i for i in items if i.name == "estimates_sentiment_compound").figure.axes[0]
    lo, hi = est.get_xlim()
    assert lo <= -1 and hi >= 1


@pytest.mark.corpora
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_example_sentences_and_attention_on_the_page(allsides):
    result, _caught, out, written, _ = allsides
    page = _page(out)
    _check_examples(result, written, page)
    attention = result.attention
    per_outlet = attention.groupby("outlet")["n_articles"].sum()
    assert per_outlet.to_dict() == result.articles["outlet"].value_counts().to_dict()
    assert (out / "figures" / "attention.png").exists()
    assert "Attention over time" in page
    # the keyness section draws the 8 outlets with the most articles and says where the rest are
    assert "32 more outlet values are in tables/term_examples.csv" in page


@pytest.mark.corpora
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_outlets_keep_one_distinct_colour_in_every_figure(allsides):
    result, *_ = allsides
    from mediakit.plots.overview import tables_of

    palette = tables_of(result)["palette"]
    outlets = result.articles["outlet"].unique()
    assert len({palette[o] for o in outlets}) == len(outlets) == 40  # no colour cycled
    for item in standard_figures(result):
        for ax in item.figure.axes:
            legend = ax.get_legend()
            if legend is None:
                continue
            for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True):
                name = text.get_text().replace("\\$", "$")
                if name in palette and hasattr(handle, "get_color"):
                    color = handle.get_color()
                    color = color if isinstance(color, str) else matplotlib.colors.to_hex(
                        color[0] if getattr(color, "ndim", 1) == 2 else color)
                    assert matplotlib.colors.to_hex(color) == palette[name].lower()


@pytest.mark.corpora
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_every_warning_and_what_was_left_out_is_on_the_page(allsides):
    result, caught, out, *_ = allsides
    page = html.unescape(_page(out))
    flat = " ".join(page.split())
    ours = [w for w in caught if issubclass(w.category, mk.MediakitWarning)]
    assert ours, "analyze raised no mediakit warning on allsides_triplets"
    for w in ours:
        assert " ".join(str(w.message).split()) in flat, str(w.message)[:80]
    assert "Key differences" in page and "95% CI" in page
    assert "Stories not drawn (" in page and "Outlets not drawn in the per-group figures" in page


@pytest.mark.corpora
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_no_machine_path_on_the_page_or_in_the_tables(allsides):
    _result, _caught, out, _written, source = allsides
    page = _page(out)
    for path in {str(source.parent), str(REPO), str(out), sys.prefix, str(Path.home())}:
        assert path not in page, path
    articles = pd.read_parquet(out / "tables" / "articles.parquet")
    assert set(articles["source"]) == {"articles.jsonl"}


@pytest.mark.corpora
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_second_smaller_report_replaces_the_first_wholly(allsides):
    _result, _caught, out, written, _ = allsides
    before = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert before == {p.relative_to(out).as_posix() for p in written}
    seeds, _ = _analyze(mk.load_example("seeds"))
    with pytest.raises(OutputFolderError, match="overwrite=True"):
        seeds.report(out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        second = seeds.report(out, formats=("svg",), overwrite=True)
    after = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert after == {p.relative_to(out).as_posix() for p in second}
    listed = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["report_files"]
    assert set(listed) == after
    assert len(after) < len(before) and not any("abortion" in name for name in after)
    # tables: Parquet beside CSV, exact; the keyness CSV is compact, the Parquet full
    terms = pd.read_parquet(out / "tables" / "terms.parquet")
    assert len(pd.read_csv(out / "tables" / "terms.csv")) <= 2 * 25 * terms["outlet"].nunique()
    pd.testing.assert_frame_equal(pd.read_parquet(out / "tables" / "sentences.parquet"),
                                  seeds.sentences.reset_index(drop=True), check_dtype=False)


def test_output_folder_refuses_foreign_files_and_planted_links(tmp_path):
    seeds, _ = _analyze(mk.load_example("seeds"))
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("mine")
    with pytest.raises(OutputFolderError, match="not empty"):
        seeds.report(foreign, formats=("svg",))
    assert [p.name for p in foreign.iterdir()] == ["thesis.docx"]
    # a manifest.json planted as a link is not a report and is never written through
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / "manifest.json").symlink_to(victim)
    with pytest.raises(OutputFolderError):
        seeds.report(planted, formats=("svg",), overwrite=True)
    assert victim.read_text() == "keep"
    # a previous report whose figures/ was swapped for a link to elsewhere
    out = tmp_path / "report"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seeds.report(out, formats=("svg",))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    import shutil

    shutil.rmtree(out / "figures")
    (out / "figures").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputFolderError):
        seeds.report(out, formats=("svg",), overwrite=True)
    assert list(elsewhere.iterdir()) == []
    # save_figure refuses to write through a link in a file's place
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    target = tmp_path / "figs"
    target.mkdir()
    (target / "x.svg").symlink_to(victim)
    with pytest.raises(OutputFolderError):
        mk.save_figure(fig, target / "x", formats=("svg",))
    assert victim.read_text() == "keep"


def _dollar_rows():
    base = ("Fees: $10 for the #1 account, $20 otherwise, the council said on Monday.\n"
            "The plan costs $5 and $6 a month in Brussels, officials said.\n"
            "Aid will arrive by the end of the month, the minister said.\n")
    outlets = ["$Money$ Daily", "Cost $ Times", "x" * 20_000]
    rows = []
    for i, outlet in enumerate(outlets):
        for story in ("s", "s.svg"):
            rows.append({"article_id": f"{story}-{i}", "outlet": outlet, "story_id": story,
                         "title": f"$1 and $2 deal {i}", "text": base + f"Only {i} saw $9 here."})
    return rows


def test_dollars_long_names_and_suffix_colliding_stories(tmp_path):
    result, _ = _analyze(_dollar_rows(), stories="given")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        written = result.report(tmp_path / "out", formats=("svg", "png"))
    names = sorted(p.name for p in written if p.suffix == ".svg")
    assert "coverage_map_s.svg" in names and "coverage_map_s_svg.svg" in names
    assert len(names) == len(set(names))
    items = standard_figures(result)
    for item in items:
        for text in item.figure.findobj(matplotlib.text.Text):
            label = text.get_text()
            assert text._preprocess_math(label)[1] is False, label  # nothing drawn as math
            assert len(label) <= 200  # the 20,000-character outlet is clipped
        assert problems(item.figure) == [], item.name
    page = _page(tmp_path / "out")
    assert "Fees: $10 for the #1 account, $20 otherwise" in html.unescape(page)
    assert "\\$" not in page.replace("\\\\$", "")  # escapes never reach the page's own text


def _bounded(code: str, *, seconds: int, gigabytes: float) -> subprocess.CompletedProcess:
    """Run ``code`` in its own process with a wall-time and an address-space limit."""
    limit = int(gigabytes * 1024 ** 3)
    prelude = ("import resource\n"
               f"resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))\n")
    env = dict(os.environ, PYTHONPATH=str(REPO), OMP_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=seconds, cwd=REPO)


@pytest.mark.slow
@pytest.mark.timeout(200)
def test_report_of_a_4000_sentence_article_is_bounded(tmp_path):
    done = _bounded(f"""
        import warnings
        import mediakit as mk
        text = "\\n".join(f"Line {{i}}: the council met on Monday and agreed item {{i}}."
                          for i in range(4000))
        warnings.simplefilter("ignore")
        r = mk.analyze([{{"article_id": "long", "outlet": "X $1", "story_id": "s",
                         "text": text}}], actors=False, n_boot=200, progress=False)
        paths = r.report({str(tmp_path / "out")!r})
        print(len(r.sentences), len(paths))
    """, seconds=90, gigabytes=3)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[0] == "4000"
    assert not any(p.name.startswith("coverage_map") for p in (tmp_path / "out" / "figures")
                   .iterdir())  # one outlet: nothing to map


def test_skipped_inputs_are_in_the_report_and_its_manifest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Aid will arrive by Monday, officials said.\n" * 3)
    (folder / "other.txt").write_text("The plan costs more, the minister said.\n" * 3)
    (folder / "bad.txt").write_bytes(b"")
    result, _ = _analyze(folder, read_kws={"on_error": "skip"})
    assert result.skipped and result.skipped[0]["source"].endswith("bad.txt")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result.report(tmp_path / "out", formats=("svg",))
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["skipped"][0]["source"].endswith("bad.txt")
    page = _page(tmp_path / "out")
    assert "Skipped inputs (1)" in page and "bad.txt" in page and str(folder) not in page


@pytest.mark.corpora
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_many_figures_raise_no_pyplot_warning_on_the_page(allsides):
    """The report draws all its figures before saving them (over 20 with actors on this corpus):
    matplotlib's "More than 20 figures" warning is not a finding and must not be listed."""
    import matplotlib.pyplot as plt

    result = allsides[0]
    already = [plt.figure() for _ in range(20)]  # as in a notebook session, or a larger report
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            items = standard_figures(result)
        assert items
        assert not [w for w in caught if "figures have been opened" in str(w.message)]
    finally:
        for fig in already + [item.figure for item in items]:
            plt.close(fig)
    assert "figures have been opened" not in _page(allsides[2])
