"""Dask DataFrames in: the pandas functions run per partition.

A corpus too large for one machine lives in a ``dask.dataframe.DataFrame`` (e.g. Parquet on shared
storage, read with ``dd.read_parquet``). mediakit's functions are written for pandas; this module
lets each of them accept a dask frame, in two shapes:

* **row-wise** (``split_sentences``, ``score_*``): :func:`dask_aware` runs the pandas function on
  each partition with ``map_partitions`` and returns a lazy dask frame. Its ``meta`` (column
  names and dtypes) comes from calling the same function on the empty frame ``data._meta``, so
  validation errors (a missing column, a bad option) are raised at once, before any work.
* **aggregations** (``compare_groups``, ``compare_terms``): sums then finish. The function
  is written as two steps, ``sums(frame, plan)``, which reduces one frame to partial sums that
  add up (per article, per (story, group) and term), and ``finish(partials, plan)``, which adds
  the partials up and makes the result table. :func:`sums_then_finish` runs ``sums`` once on a
  pandas frame (one partition) or once per partition of a dask frame, then ``finish``: the same
  two functions either way, so the results are the same. The result is a pandas object: it is
  small. Each partial is a :class:`mediakit._memory.SizedPartial`: a worker holding one until
  it is added up counts its arrays and strings in its managed memory (a plain dataclass
  measures a few dozen bytes), so the worker's memory limit can spill it. Many partials are
  added up on the workers: in a tree (:func:`combine_in_tree`), or folded one at a time into a
  few running sums (:func:`fold_in_runs`, for large ones). Options are
  validated before any work, on :func:`schema` (a dask frame's empty ``_meta``).

Inside a partition the function runs with ``n_jobs=1`` and ``progress=False``: the dask
scheduler (threads, processes or a ``dask.distributed`` cluster) supplies the parallelism.

Per-article results need all of an article's rows in one partition: ``split_sentences`` applied
to a dask articles frame keeps each article's sentences in its article's partition. Sentences
read from elsewhere can be regrouped with ``sentences.shuffle("article_id")``. Both are checked
when the lazy frame is built (this reads the ``article_id`` column once): a function making new
rows per article (``split_sentences``) refuses an ``article_id`` found in two partitions (two
articles would merge into one), and a per-article score (``whole_articles=``) refuses an
article whose rows are spread over partitions (it would get one value per partition).

Inputs a pandas function leaves out and lists in ``attrs["skipped"]`` (an article with empty
text) cannot be listed on a dask frame, which has no ``attrs``: there the partition raises
:class:`SkippedOnDask` naming them, so nothing is lost silently.

dask is imported only when a dask object is passed, so ``import mediakit`` never imports it.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any


class SkippedOnDask(ValueError):
    """A partition left inputs out; a dask frame has no ``attrs`` to list them on."""


#: Keyword arguments overridden inside a partition (when the function takes them).
PARTITION_OVERRIDES: dict[str, Any] = {"n_jobs": 1, "progress": False}


def is_dask_frame(obj: object) -> bool:
    """Whether ``obj`` is a ``dask.dataframe.DataFrame`` (without importing dask otherwise)."""
    if not type(obj).__module__.startswith("dask"):
        return False
    import dask.dataframe as dd

    return isinstance(obj, dd.DataFrame)


def _partition_kwargs(func: Callable, kwargs: dict) -> dict:
    params = inspect.signature(func).parameters
    return {**kwargs, **{k: v for k, v in PARTITION_OVERRIDES.items() if k in params}}


def _quiet(func: Callable, *args, **kwargs):
    """Call ``func`` with warnings silenced (for meta computed on empty frames)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def _unique_ids(ids):
    """The distinct article ids of one partition (as text)."""
    import pandas as pd

    return pd.Series(pd.unique(ids.dropna().astype(str)), dtype=object)


def check_whole_articles(data, *, what: str) -> None:
    """Raise ``ValueError`` when an ``article_id`` occurs in more than one partition."""
    if "article_id" not in data.columns or data.npartitions < 2:
        return
    ids = data["article_id"].map_partitions(_unique_ids, meta=("article_id", object)).compute()
    repeated = ids[ids.duplicated()].unique()
    if not len(repeated):
        return
    shown = ", ".join(map(repr, repeated[:5])) + (" ..." if len(repeated) > 5 else "")
    if what == "articles":
        raise ValueError(f"article_id values occur in more than one partition of the dask "
                         f"articles frame ({shown}); ids must be unique, or two articles merge "
                         "into one. Give each article its own id.")
    raise ValueError(f"the rows of article(s) {shown} are in more than one partition; a "
                     "per-article score needs each article in one partition (it would get one "
                     "value per partition). Regroup first: data.shuffle('article_id').")


def _listing_skips(partition, func: Callable, *args, **kwargs):
    """``func`` on one partition; inputs it lists as skipped raise :class:`SkippedOnDask`."""
    out = func(partition, *args, **kwargs)
    skipped = out.attrs.get("skipped") if hasattr(out, "attrs") else None
    if skipped:
        shown = "; ".join(f"{s.get('article_id', s.get('source'))!r}: {s.get('reason')}"
                          for s in skipped[:5])
        raise SkippedOnDask(f"{len(skipped)} input(s) of a partition were left out ({shown}); a "
                            "dask frame cannot list them, so remove them first (e.g. articles "
                            "with empty text: data[data['text'].str.strip() != ''])")
    return out


def map_partitions(func: Callable, data, *args, new_rows: bool = False,
                   whole_articles: bool = False, **kwargs):
    """Run the pandas function ``func(partition, *args, **kwargs)`` on every partition.

    ``meta`` is ``func`` applied to the empty frame ``data._meta``. ``new_rows=True`` for a
    function whose rows are not its input's rows (``split_sentences``): the divisions (the
    index ranges of the partitions) are then unknown, each article id must be in one partition
    only, and inputs the function would list as skipped raise :class:`SkippedOnDask`.
    ``whole_articles=True`` for a per-article score: each article's rows must be in one
    partition.
    """
    kwargs = _partition_kwargs(func, kwargs)
    meta = _quiet(func, data._meta, *args, **kwargs)
    if new_rows or whole_articles:
        check_whole_articles(data, what="articles" if new_rows else "rows")
    if new_rows:
        return data.map_partitions(_listing_skips, func, *args, meta=meta, clear_divisions=True,
                                   align_dataframes=False, **kwargs)
    return data.map_partitions(func, *args, meta=meta, clear_divisions=new_rows,
                               align_dataframes=False, **kwargs)


def schema(data):
    """The frame whose columns and dtypes describe ``data``: a dask frame's empty ``_meta``,
    anything else unchanged (so options are checked before any partition is computed)."""
    return data._meta if is_dask_frame(data) else data


def active_client():
    """The active ``distributed`` client, or None (no distributed, or none started)."""
    try:
        from distributed import get_client

        return get_client()
    except (ImportError, ValueError):
        return None


def slots() -> int:
    """Tasks the current scheduler runs at once: the threads of the distributed client's
    workers; one on the synchronous scheduler; else the machine's cores."""
    import os

    import dask

    client = active_client()
    if client is not None:
        workers = client.scheduler_info().get("workers", {}).values()
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers))
    if dask.config.get("scheduler", None) in ("sync", "synchronous", "single-threaded"):
        return 1
    return os.cpu_count() or 1


def shuffle_by(frame, column: str, npartitions: int):
    """``frame`` shuffled so each value of ``column`` is in one partition. On a distributed
    cluster dask's peer-to-peer shuffle, whose pieces go through the workers' disks (memory
    holds a buffer, not every piece of every partition); elsewhere the task-based shuffle."""
    import dask

    chosen = dask.config.get("scheduler", None)
    on_cluster = active_client() is not None and chosen in (None, "distributed",
                                                           "dask.distributed")
    return frame.shuffle(column, npartitions=npartitions,
                         shuffle_method="p2p" if on_cluster else "tasks")


#: Partial sums ``combine`` adds up at a time (the branching of its reduction tree).
SPLIT_EVERY = 8


def sums_then_finish(data, sums: Callable, finish: Callable, plan,
                     combine: Callable | None = None):
    """``finish([sums(p, plan) for p in partitions], plan)``: an aggregation in two steps.

    A pandas frame is one partition. On a dask frame ``sums`` runs per partition (in parallel,
    on the current scheduler) and returns small partial sums; ``finish`` runs here on the list
    of partials, in partition order. ``plan`` holds the checked options (it travels to the
    workers, so it must pickle). With ``combine`` (a list of partials, in order, -> one
    partial), the partials are added up on the workers in a tree, :data:`SPLIT_EVERY` at a
    time, so this process receives at most that many, not one per partition.
    """
    if not is_dask_frame(data):
        return finish([sums(data, plan)], plan)
    import dask

    partials = [dask.delayed(sums)(part, plan) for part in data.to_delayed()]
    if combine is not None:
        partials = combine_in_tree(partials, combine)
    return finish(list(dask.compute(*partials)), plan)


def fold_in_runs(partials: list, combine: Callable, runs: int) -> list:
    """Lazy ``partials`` cut into ``runs`` runs of consecutive ones, each folded into one as
    its partials come (``combine([so_far, next])``), in order: a run holds one sum and the
    partial being added, where a tree holds up to :data:`SPLIT_EVERY` partials per branch.
    Returns the runs' sums, in order. A p2p shuffle gives each worker a contiguous range of
    its output partitions, so with a run per worker thread each run's partials are on one
    worker."""
    import dask

    size = max(1, -(-len(partials) // max(1, runs)))
    out = []
    for k in range(0, len(partials), size):
        so_far = partials[k]
        for nxt in partials[k + 1:k + size]:
            so_far = dask.delayed(combine)([so_far, nxt])
        out.append(so_far)
    return out


def combine_in_tree(partials: list, combine: Callable, down_to: int = SPLIT_EVERY) -> list:
    """Lazy ``partials`` joined by ``combine`` (a list, in order, -> one), :data:`SPLIT_EVERY`
    at a time, level by level, until at most ``down_to`` are left (in order)."""
    import dask

    while len(partials) > max(1, down_to):
        partials = [dask.delayed(combine)(partials[k:k + SPLIT_EVERY])
                    for k in range(0, len(partials), SPLIT_EVERY)]
    return partials


def dask_aware(func: Callable | None = None, *, new_rows: bool = False,
               whole_articles: Callable[[dict], bool] | None = None):
    """Decorate a public function whose first argument is a frame so it also accepts dask.

    With a pandas frame the function runs unchanged. With a dask frame it returns a lazy dask
    frame (see :func:`map_partitions`). Use as ``@dask_aware`` or ``@dask_aware(new_rows=True)``;
    aggregations use :func:`sums_then_finish` instead.
    ``whole_articles(kwargs)`` says whether a call scores per article (then each article's rows
    must be in one partition, see :func:`check_whole_articles`).
    """

    def decorate(f: Callable) -> Callable:
        @functools.wraps(f)
        def wrapper(data, *args, **kwargs):
            if is_dask_frame(data):
                # the wrapper (the module's public name) runs per partition, so workers can
                # unpickle it by reference; on a pandas partition it simply calls ``f``
                per_article = whole_articles is not None and whole_articles(kwargs)
                return map_partitions(wrapper, data, *args, new_rows=new_rows,
                                      whole_articles=per_article, **kwargs)
            return f(data, *args, **kwargs)

        return wrapper

    return decorate(func) if func is not None else decorate
