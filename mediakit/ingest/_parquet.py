"""Parquet rows, bounded like every other format: no row, batch or column chunk is decoded past
its limit.

Parquet stores a repeated value once (dictionary encoding), so a file of a few kilobytes can
describe gigabytes of text: one 5 MB string referenced by 10,000 rows. Decoding such a batch
to Python objects (or even to a plain Arrow column) exhausts memory before any row can be
checked. Here string columns are read *as dictionaries*, each row's size is computed from the
dictionary's value lengths (nothing decoded), rows over the limit are reported, and the other
rows are decoded in slices of at most :data:`BATCH_BYTES`. A column chunk whose stored size,
uncompressed, is over :data:`CHUNK_LIMIT` is not read at all: its rows are reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mediakit.ingest import _bounded
from mediakit.ingest._delimited import RowProblem
from mediakit.ingest._text import TextProblem

#: Rows per batch read from a row group.
CHUNK_ROWS = 10_000
#: Most bytes of cells decoded to Python at once.
BATCH_BYTES = 64 << 20
#: Largest column chunk (one column of one row group, uncompressed) that is read.
CHUNK_LIMIT = 1 << 30


def iter_parquet(path: Path, limit: int | None) -> Iterator[tuple[int, dict | RowProblem]]:
    """``(row, record)`` or ``(row, RowProblem)`` for each row of a Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with _bounded.opened(path) as fh:
        try:
            names = pq.ParquetFile(fh).schema_arrow
            fh.seek(0)
            text_like = [f.name for f in names if _is_text(f.type) or (
                pa.types.is_dictionary(f.type) and _is_text(f.type.value_type))]
            pf = pq.ParquetFile(fh, read_dictionary=text_like)
        except Exception as exc:  # pyarrow raises its own error classes for a broken file
            raise TextProblem(f"is not a readable Parquet file ({exc})") from exc
        columns = pf.schema_arrow.names
        if len(set(columns)) < len(columns):
            dupes = sorted({c for c in columns if columns.count(c) > 1})
            raise TextProblem(f"has duplicate column names ({', '.join(map(repr, dupes))}); make "
                              "them unique so no data is hidden")
        meta = pf.metadata
        row = 0
        for group in range(meta.num_row_groups):
            info = meta.row_group(group)
            biggest = max((info.column(j).total_uncompressed_size
                           for j in range(info.num_columns)), default=0)
            if limit is not None and biggest > CHUNK_LIMIT:
                reason = (f"is in row group {group}, which holds a column of {biggest:,} bytes "
                          f"uncompressed, more than the {CHUNK_LIMIT:,} read at once; rewrite "
                          "the file with smaller row groups (row_group_size=...)")
                for _ in range(info.num_rows):
                    yield row, RowProblem(row, reason)
                    row += 1
                continue
            for batch in pf.iter_batches(batch_size=CHUNK_ROWS, row_groups=[group]):
                yield from _batch_rows(batch, row, limit)
                row += batch.num_rows


def _is_text(typ) -> bool:
    import pyarrow as pa

    return (pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_binary(typ)
            or pa.types.is_large_binary(typ))


def _row_sizes(batch):
    """Bytes of text and binary cells per row, from lengths only (nothing is decoded)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    total = np.zeros(batch.num_rows, dtype=np.int64)
    for col in batch.columns:
        if pa.types.is_dictionary(col.type) and _is_text(col.type.value_type):
            lengths = pc.binary_length(col.dictionary).fill_null(0).to_numpy(zero_copy_only=False)
            if len(lengths):
                total += lengths[col.indices.fill_null(0).to_numpy(zero_copy_only=False)]
        elif _is_text(col.type):
            total += pc.binary_length(col).fill_null(0).to_numpy(zero_copy_only=False)
    return total


def _batch_rows(batch, first: int, limit: int | None) -> Iterator[tuple[int, dict | RowProblem]]:
    sizes = _row_sizes(batch).tolist()
    i, n = 0, batch.num_rows
    while i < n:
        if limit is not None and sizes[i] > limit:
            yield first + i, RowProblem(first + i, f"holds {sizes[i]:,} bytes of text, more than "
                                                   f"the {limit:,} one article may have "
                                                   "(see max_chars)")
            i += 1
            continue
        j, budget = i, 0
        while j < n and (limit is None or sizes[j] <= limit) and (
                j == i or budget + sizes[j] <= BATCH_BYTES):
            budget += sizes[j]
            j += 1
        for k, record in enumerate(batch.slice(i, j - i).to_pylist()):
            yield first + i + k, record
        i = j
