"""Run a piece of Python in a child process bounded in time and memory (address space).

A regression in a hostile-input case (a compression bomb read at once, a quadratic loop) then
fails its test with a MemoryError or a timeout instead of exhausting the machine running the
suite. The child prints one JSON line last; ``run`` returns it, with ``seconds`` (wall time of
the child's work, measured in the child) and ``peak_mb`` (its peak resident memory).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PRELUDE = """
import json, resource, sys, time, warnings
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
warnings.simplefilter("ignore")
_t0 = time.perf_counter()
def start():
    global _t0
    _t0 = time.perf_counter()
def done(**result):
    result["seconds"] = round(time.perf_counter() - _t0, 2)
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result, default=str))
"""


def run(code: str, *, seconds: float, gigabytes: float, cwd: Path | None = None) -> dict:
    """Run ``code`` (which ends by calling ``done(**result)``) in a bounded child process.

    ``start()`` in the code restarts the clock (after building the input); the time from it to
    ``done`` must be within ``seconds``, and the whole child within ``gigabytes`` of address
    space (a MemoryError fails the test).
    """
    limit = int(gigabytes * 2**30)
    script = _PRELUDE.format(limit=limit) + textwrap.dedent(code)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=seconds * 3 + 60, env=env, cwd=cwd)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["seconds"] <= seconds, result
    return result
