"""The test suite runs with the network cut off (``make test`` -> scripts/offline.sh -> ``unshare
-rn``): check that it really is, so a test that downloads something cannot pass by accident.

In CI (``CI`` set) the check always runs and a reachable network is a failure. Locally it runs
when pytest is inside a network namespace of its own (only the loopback interface), and skips
otherwise (plain ``pytest`` on a developer's machine).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

# Public addresses on ports that are open on the internet; no name lookup needed.
_PUBLIC = [("1.1.1.1", 443), ("8.8.8.8", 53), ("151.101.0.223", 443)]  # the last: pypi.org


def _interfaces() -> list[str]:
    """Network interfaces of this process's namespace (/proc/net/dev is per namespace)."""
    lines = Path("/proc/net/dev").read_text().splitlines()[2:]
    return [line.split(":", 1)[0].strip() for line in lines if ":" in line]


def _offline_expected() -> bool:
    if os.environ.get("CI"):
        return True
    return Path("/proc/net/dev").exists() and _interfaces() == ["lo"]


def test_public_network_is_unreachable():
    if not _offline_expected():
        pytest.skip("not in a network namespace of its own; `make test` runs the suite offline")
    assert _interfaces() == ["lo"], (
        f"interfaces {_interfaces()}: the suite must run in a network namespace with only the "
        "loopback (scripts/offline.sh could not create one here)")
    for host, port in _PUBLIC:
        start = time.perf_counter()
        with pytest.raises(OSError):
            socket.create_connection((host, port), timeout=3).close()
        assert time.perf_counter() - start < 2, f"{host}:{port} did not fail fast"
    with pytest.raises(OSError):
        socket.getaddrinfo("pypi.org", 443)


def test_loopback_works_for_local_test_servers():
    # the fetch and Dask tests serve on 127.0.0.1; offline.sh brings the namespace's lo up
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(5)
    got: list[bytes] = []

    def accept():
        conn, _ = server.accept()
        with conn:
            got.append(conn.recv(16))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        with socket.create_connection(server.getsockname(), timeout=5) as client:
            client.sendall(b"ping")
        thread.join(timeout=5)
    finally:
        server.close()
    assert got == [b"ping"]
