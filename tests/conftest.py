"""Shared fixtures.

Tests marked ``corpora`` read the real public data in ``../shared/corpora`` (or ``$MEDIAKIT_DATA``).
Locally they skip when it is absent; in CI (``CI`` set) its absence is an error, never a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

# CI runs the property tests derandomized: the same generated inputs on every run, so a CI result
# can be reproduced exactly (`CI=true make test`). Locally each run explores new inputs.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]


def _corpora_path() -> Path:
    env = os.environ.get("MEDIAKIT_DATA")
    return Path(env) if env else REPO.parent / "shared" / "corpora"


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    path = _corpora_path()
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"corpora not found at {path}; CI must have ../shared/corpora")
        pytest.skip(f"corpora not found at {path} (set MEDIAKIT_DATA)")
    return path


@pytest.fixture(scope="session")
def seeds_articles():
    import mediakit as mk

    return mk.load_example("seeds")


@pytest.fixture(scope="session")
def seeds_sentences(seeds_articles):
    import mediakit as mk

    return mk.split_sentences(seeds_articles)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def fresh_python():
    """Run Python ``code`` in a new interpreter with this checkout importable; its stdout.

    For what a test process cannot show: which modules an import pulls in, or the resident
    memory of a process that did nothing else."""

    def run(code: str) -> str:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert res.returncode == 0, res.stderr[-2000:]
        return res.stdout

    return run
