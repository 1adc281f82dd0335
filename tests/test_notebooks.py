"""Every tutorial notebook runs top to bottom (nbclient, kernel python3); 02 also on a real
multi-outlet corpus through its ``parameters`` cell."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01_quickstart.ipynb", "02_outlet_comparison.ipynb", "03_custom_frames.ipynb",
         "04_report_figures.ipynb"]


def run_notebook(name: str, parameters: dict | None = None):
    """Execute a notebook in its folder; ``parameters`` go in a cell after the tagged one."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    if parameters:
        index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
        source = "\n".join(f"{key} = {value!r}" for key, value in parameters.items())
        cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
        nb.cells.insert(index + 1, cell)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return nb


def _outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.append(json.dumps(out.get("data", {})))
    return "\n".join(parts)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name):
    nb = run_notebook(name)
    text = _outputs_text(nb)
    assert "Traceback" not in text
    # the notebooks draw: at least one image output
    assert any("image/png" in out.get("data", {}) for c in nb.cells for out in c.get("outputs", []))


@pytest.mark.corpora
@pytest.mark.slow
def test_outlet_comparison_on_allsides_triplets(corpora_dir):
    corpus = corpora_dir / "allsides_triplets" / "articles.jsonl"
    nb = run_notebook("02_outlet_comparison.ipynb", {"CORPUS": str(corpus)})
    text = _outputs_text(nb)
    assert "276 articles" in text and "92 stories" in text
    assert "'bias'" in text  # grouped by the outlets' rating


def test_notebooks_match_their_generator_and_have_no_outputs(tmp_path):
    spec = importlib.util.spec_from_file_location("nb_build", NOTEBOOKS / "_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path in module.build(tmp_path):
        committed = nbformat.read(NOTEBOOKS / path.name, as_version=4)
        assert committed == nbformat.read(path, as_version=4), f"rebuild {path.name}"
        assert all(not c.get("outputs") for c in committed.cells if c.cell_type == "code")
        assert "import mediakit as mk" in "".join(c.source for c in committed.cells)
