"""Timing and memory of one benchmark stage: wall and CPU seconds, peak resident memory.

Peak memory is sampled (every 50 ms, from /proc) as the resident set size of this process plus
all its children (worker processes of ``n_jobs``), so it covers the whole job, not only the
parent. ``max_rss_self_mb`` (the kernel's exact peak of the parent alone) is reported beside it.
"""

from __future__ import annotations

import os
import resource
import threading
import time
from contextlib import contextmanager

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _children(pid: int) -> list[int]:
    """Child process ids, from /proc/<pid>/task/*/children (cheap: no scan of all processes)."""
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
    except OSError:
        pass
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (children, their children, ...)."""
    out, todo = [], _children(pid)
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def rss_tree(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    return _rss(pid) + sum(_rss(p) for p in _descendants(pid))


class MemoryMonitor:
    """Background sampler (every 50 ms) of the process tree's resident memory."""

    def __init__(self, interval: float = 0.05):
        self._pid = os.getpid()
        self._interval = interval
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.peak = 0
        self.stage_peak = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = rss_tree(self._pid)
            with self._lock:
                self.peak = max(self.peak, rss)
                self.stage_peak = max(self.stage_peak, rss)
            self._stop.wait(self._interval)

    def reset_stage(self) -> None:
        with self._lock:
            self.stage_peak = rss_tree(self._pid)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _live_cpu(pid: int) -> float:
    """CPU seconds of a live process and of the children it has reaped (/proc/<pid>/stat)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return sum(int(f) for f in fields[11:15]) / _TICK  # utime stime cutime cstime
    except (OSError, ValueError, IndexError):
        return 0.0


def _cpu() -> float:
    """CPU seconds of this process and all its descendants, reaped or alive.

    ``RUSAGE_CHILDREN`` covers the children this process reaped (and what they reaped); a
    worker started by a fork server is reaped by that server, a live child, so the live
    descendants' own and reaped time is read from /proc.
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    reaped = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    return reaped + sum(_live_cpu(p) for p in _descendants(os.getpid()))


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
