"""save_figure: formats, data, manifest, byte-identical SVG/PDF; safe file names."""

from __future__ import annotations

import hashlib
import json

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import mediakit as mk
from mediakit.report._paths import inside, safe_filename, unique_filenames


def _figure():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["outlet A", "outlet B"], [1.0, 2.5])
    ax.set_title("Sébastien – “quotes”")
    return fig


def _digests(paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_save_figure_writes_formats_data_and_manifest(tmp_path):
    data = pd.DataFrame({"outlet": ["outlet A", "outlet B"], "estimate": [1.0, 2.5]})
    articles = pd.DataFrame({"article_id": ["a", "b"], "text": ["one", "two"]})
    paths = mk.save_figure(_figure(), tmp_path / "sub" / "bars.png", data=data, articles=articles,
                           manifest={"parameters": {"min_similarity": 0.5},
                                     "lexicons": [{"name": "demo", "version": "1"}]})
    assert [p.name for p in paths] == ["bars.png", "bars.svg", "bars.pdf", "bars.data.csv",
                                       "bars.manifest.json"]
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    assert pd.read_csv(paths[3]).equals(data)
    manifest = json.loads(paths[4].read_text(encoding="utf-8"))
    assert manifest["mediakit"] == mk.__version__
    assert "matplotlib" in manifest["libraries"] and "pandas" in manifest["libraries"]
    assert manifest["parameters"] == {"min_similarity": 0.5}
    assert manifest["lexicons"] == [{"name": "demo", "version": "1"}]
    assert manifest["inputs"]["a"] == hashlib.sha256(b"one").hexdigest()
    assert manifest["files"]["bars.svg"] == hashlib.sha256(paths[1].read_bytes()).hexdigest()
    from PIL import Image

    with Image.open(paths[0]) as png:
        assert round(png.info["dpi"][0]) == 300


def test_svg_and_pdf_byte_identical_across_runs(tmp_path):
    first = _digests(mk.save_figure(_figure(), tmp_path / "one" / "fig"))
    plt.close("all")
    second = _digests(mk.save_figure(_figure(), tmp_path / "two" / "fig"))
    for name in ("fig.svg", "fig.pdf", "fig.manifest.json"):
        assert first[name] == second[name], name
    svg = (tmp_path / "one" / "fig.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    assert b"CreationDate" not in (tmp_path / "one" / "fig.pdf").read_bytes()


def test_save_figure_rejects_bad_input(tmp_path):
    fig = _figure()
    with pytest.raises(ValueError, match="Did you mean 'svg'"):
        mk.save_figure(fig, tmp_path / "x", formats=("svgz",))
    with pytest.raises(TypeError, match="ax.figure"):
        mk.save_figure(fig.axes[0], tmp_path / "x")
    with pytest.raises(TypeError):
        mk.save_figure(fig, tmp_path / "x", data=[1, 2])


@pytest.mark.parametrize("name", [
    "../../etc/passwd", "/etc/passwd", "..", ".", "", "C:\\Windows\\x", "CON", "nul.txt",
    "com1", "LPT9.csv", ".hidden", "a/../../b", "\x00evil", "<script>alert(1)</script>",
])
def test_safe_filename_stays_inside(tmp_path, name):
    safe = safe_filename(name)
    assert safe and "/" not in safe and "\\" not in safe and ".." not in safe
    assert not safe.startswith(".")
    assert safe.split(".")[0].upper() not in {"CON", "NUL", "COM1", "LPT9", "PRN", "AUX"}
    assert inside(tmp_path, safe).parent == tmp_path.resolve()


def test_safe_filename_keeps_readable_names_and_dedups():
    assert safe_filename("Fox News (Online)") == "Fox_News_Online"
    assert safe_filename("Häkkänen") == "Hakkanen"
    assert len(safe_filename("x" * 500)) == 80
    assert unique_filenames(["a b", "a_b", "A B"]) == {"a b": "a_b", "a_b": "a_b-2", "A B": "A_B-3"}
    with pytest.raises(ValueError):
        inside("/tmp", "../x")
