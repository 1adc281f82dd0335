"""``import mediakit`` stays light: no heavy library is imported until a function needs it.

Asserted on the list of modules that ``python -X importtime`` reports, not on time (timing is
noisy on shared machines; ``benchmarks/run.py`` reports the import time).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

#: Top-level packages that must not be imported by ``import mediakit``.
HEAVY = ("textstat", "nltk", "sklearn", "scipy", "spacy", "thinc", "dask", "distributed",
         "matplotlib", "trafilatura", "vaderSentiment")


def imported_modules(code: str) -> set[str]:
    """Every module imported while running ``code`` in a fresh interpreter."""
    res = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                         capture_output=True, text=True, check=True)
    names = set()
    for line in res.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name)
    return names


def heavy_among(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_importtime_output_is_parsed():
    # the check below would pass vacuously if nothing were parsed
    modules = imported_modules("import json")
    assert "json" in modules
    assert heavy_among({"json", "sklearn.utils", "dask", "daskish"}) == ["dask", "sklearn.utils"]


def test_import_mediakit_imports_no_heavy_library():
    modules = imported_modules("import mediakit")
    assert "mediakit" in modules
    assert heavy_among(modules) == []


@pytest.mark.parametrize("code", [
    "import mediakit as mk; mk.__version__; dir(mk)",
    "import mediakit._dask as d, pandas as pd; d.is_dask_frame(pd.DataFrame())",
])
def test_light_entry_points_import_no_heavy_library(code):
    assert heavy_among(imported_modules(code)) == []
