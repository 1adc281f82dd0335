"""Timing and memory of one benchmark stage: wall and CPU seconds, peak resident memory.

Peak memory is sampled (every 20 ms) as the resident set size of this process plus all its
children (worker processes of ``n_jobs``), so it covers the whole job, not only the parent.
"""

from __future__ import annotations

import os
import resource
import threading
import time
from contextlib import contextmanager


def _rss_tree(proc) -> int:
    total = 0
    try:
        total += proc.memory_info().rss
        for child in proc.children(recursive=True):
            try:
                total += child.memory_info().rss
            except Exception:  # noqa: BLE001 - a child may exit while we look
                pass
    except Exception:  # noqa: BLE001
        pass
    return total


class MemoryMonitor:
    """Background sampler of the process tree's resident memory (needs psutil)."""

    def __init__(self, interval: float = 0.02):
        import psutil

        self._proc = psutil.Process(os.getpid())
        self._interval = interval
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.peak = 0
        self.stage_peak = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = _rss_tree(self._proc)
            with self._lock:
                self.peak = max(self.peak, rss)
                self.stage_peak = max(self.stage_peak, rss)
            self._stop.wait(self._interval)

    def reset_stage(self) -> None:
        with self._lock:
            self.stage_peak = _rss_tree(self._proc)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class Stages:
    """Collects ``{stage: {seconds, cpu_seconds, peak_rss_mb}}`` for one side of the benchmark."""

    def __init__(self):
        self.monitor = MemoryMonitor()
        self.results: dict[str, dict] = {}

    @contextmanager
    def stage(self, name: str, **extra):
        self.monitor.reset_stage()
        cpu, wall = _cpu(), time.perf_counter()
        yield self.results.setdefault(name, {})
        self.results[name].update(
            seconds=time.perf_counter() - wall,
            cpu_seconds=_cpu() - cpu,
            peak_rss_mb=self.monitor.stage_peak / 2**20,
            **extra,
        )

    def close(self) -> dict:
        self.monitor.stop()
        return {"stages": self.results, "peak_rss_mb": self.monitor.peak / 2**20,
                "max_rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
