"""One bounded reader for every input file: regular files only, and no read without a limit.

A folder can hold things that are not files (a FIFO blocks ``open`` for ever, a link to
``/dev/zero`` never ends), and a small compressed file can hold gigabytes (a "compression bomb":
one 3 GB line in a 3 MB ``.jsonl.gz``). Every format reads through here, so:

- :func:`opened` opens regular files only (the check is made on the opened descriptor, which was
  opened without blocking, so a FIFO is refused at once) and decompresses ``.gz`` as a stream;
- :func:`read_all` reads a whole file (text files, ``.json``) up to a byte limit;
- :func:`lines` yields lines up to a length limit; a longer line is read through in pieces,
  never held, and yielded as a :class:`TooLong` marker so the caller can skip that row only.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from mediakit.ingest._text import TextProblem

#: Bytes allowed in one row beyond four bytes per character of ``max_chars`` (the other fields).
ROW_SLACK = 1 << 16
#: Largest ``.json`` file (decompressed) read at once; bigger ones belong in ``.jsonl``.
JSON_LIMIT = 512 << 20
_PIECE = 1 << 20


class TooLong:
    """A line longer than the limit (``size`` in bytes or characters), read through and dropped."""

    __slots__ = ("size",)

    def __init__(self, size: int):
        self.size = size


def row_limit(max_chars: int | None) -> int | None:
    """Longest row (a line, a CSV record, a Parquet row) accepted for ``max_chars``."""
    return None if max_chars is None else 4 * max_chars + ROW_SLACK


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


@contextlib.contextmanager
def opened(path: Path, gz: bool = False) -> Iterator[IO[bytes]]:
    """The file as a binary stream (decompressed when ``gz``); only regular files are opened.

    Raises :class:`TextProblem` for anything else (a FIFO, a device such as ``/dev/zero``, a
    socket), also when reached through a symbolic link.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise TextProblem(f"is {what}, not a regular file; only files are read, so move "
                              "it out of the input")
        if hasattr(os, "set_blocking"):  # POSIX (opened without blocking, for a FIFO)
            os.set_blocking(fd, True)
        raw = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with raw:
        if gz:
            with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                yield stream
        else:
            yield raw


def read_all(path: Path, gz: bool, limit: int | None, too_big: str) -> bytes:
    """The whole file (decompressed), refused with ``too_big`` when over ``limit`` bytes."""
    with opened(path, gz) as fh:
        if limit is not None and not gz and os.fstat(fh.fileno()).st_size > limit:
            raise TextProblem(f"is {os.fstat(fh.fileno()).st_size:,} bytes, {too_big}")
        data = fh.read(-1 if limit is None else limit + 1)
    if limit is not None and len(data) > limit:
        raise TextProblem(f"{'decompresses to' if gz else 'is'} more than {limit:,} bytes, "
                          f"{too_big}")
    return data


def lines(stream, limit: int | None) -> Iterator[tuple[int, bytes | str | TooLong]]:
    """``(line number, line)`` for each line of a binary or text stream, ends kept.

    A line longer than ``limit`` (without its end) is read through in 1 MB pieces and yielded
    as :class:`TooLong`: memory stays within ``limit`` whatever the input.
    """
    number = 0
    while True:
        line = stream.readline() if limit is None else stream.readline(limit + 2)
        if not line:
            return
        number += 1
        if limit is None or len(line) <= limit:
            yield number, line
            continue
        ends = (b"\n", b"\r") if isinstance(line, bytes) else ("\n", "\r")
        if len(line.rstrip(ends[0] + ends[1])) <= limit:  # only the line end was over
            yield number, line
            continue
        size = len(line)
        while not line.endswith(ends):
            line = stream.readline(_PIECE)
            if not line:
                break
            size += len(line)
        yield number, TooLong(size)
