"""A deadline over a whole HTTP request (connect, redirects, TLS, headers, body).

A socket timeout bounds each read, not the request: a server that sends one header byte
every ``timeout - e`` seconds keeps ``http.client`` reading for as long as it likes. Here every
socket the request opens is registered with a :class:`Deadline`; when its timer fires, the sockets
are shut down, which wakes any blocked read in the requesting thread (it sees end of file or an
error), and :attr:`Deadline.expired` tells the caller why the request failed.

A duplicate of each socket's descriptor is kept (``socket.dup``): TLS wrapping detaches the
original socket object, and ``shutdown`` on the duplicate still ends the shared connection, so the
TLS handshake is covered too.
"""

from __future__ import annotations

import functools
import http.client
import socket
import threading
import time
import urllib.request


class Deadline:
    """Shut down every registered socket ``seconds`` after ``__enter__``; a context manager."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._end = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._end = time.monotonic() + self.seconds
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def remaining(self) -> float:
        return self._end - time.monotonic()

    def watch(self, sock: socket.socket) -> None:
        """Register a connected socket; if the deadline has passed, shut it down at once."""
        copy = sock.dup()
        with self._lock:
            self._sockets.append(copy)
            if self.expired:
                _shutdown(copy)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed by the other side
        pass


def _connect(deadline: Deadline, address, timeout=None, source_address=None, **kwargs):
    """``socket.create_connection`` within the time left, and watched by ``deadline``."""
    left = deadline.remaining()
    if left <= 0:
        raise TimeoutError("no time left to connect")
    if not isinstance(timeout, (int, float)):  # None or socket's "global default" marker
        timeout = left
    sock = socket.create_connection(address, min(timeout, left), source_address, **kwargs)
    deadline.watch(sock)
    return sock


class _Watched:
    """Mixin for ``http.client`` connections: open sockets through :func:`_connect`."""

    def __init__(self, *args, deadline: Deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(_connect, deadline)


class _HTTPConnection(_Watched, http.client.HTTPConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline):
        super().__init__()
        self._deadline = deadline

    def http_open(self, req):
        return self.do_open(functools.partial(_HTTPConnection, deadline=self._deadline), req)


_HAVE_SSL = hasattr(http.client, "HTTPSConnection") and hasattr(urllib.request, "HTTPSHandler")

if _HAVE_SSL:
    class _HTTPSConnection(_Watched, http.client.HTTPSConnection):
        pass

    class _HTTPSHandler(urllib.request.HTTPSHandler):
        def __init__(self, deadline: Deadline):
            super().__init__()
            self._deadline = deadline

        def https_open(self, req):
            return self.do_open(functools.partial(_HTTPSConnection, deadline=self._deadline),
                                req, context=self._context)


def handlers(deadline: Deadline) -> list[urllib.request.BaseHandler]:
    """urllib handlers for http and https whose connections ``deadline`` watches."""
    out: list[urllib.request.BaseHandler] = [_HTTPHandler(deadline)]
    if _HAVE_SSL:
        out.append(_HTTPSHandler(deadline))
    return out
