"""``load_example``: the bundled sample articles, offline."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from mediakit._errors import ResourceMissingError
from mediakit._params import Options, validate_params

#: Bundled samples: name -> what it is.
EXAMPLES: dict[str, str] = {
    "seeds": "two real articles from two outlets on the same event (April 2025, Brussels)",
}


def _example_dir(name: str) -> Path:
    bundled = resources.files("mediakit") / "_examples" / name
    if bundled.is_dir():  # an installed wheel carries data/<name> as mediakit/_examples/<name>
        return Path(str(bundled))
    repo = Path(__file__).resolve().parents[2] / "data" / name  # an editable install
    if repo.is_dir():
        return repo
    raise ResourceMissingError(
        f"the example {name!r} is not installed (looked in {bundled} and {repo}); "
        "reinstall mediakit from its wheel or source tree.")


@validate_params(name=[Options(*EXAMPLES)])
def load_example(name: str = "seeds") -> pd.DataFrame:
    """Load a bundled sample as an articles frame, offline.

    Parameters
    ----------
    name : str
        ``"seeds"``: two real articles by two outlets on the same event (a meeting of the
        "coalition of the willing" in Brussels, April 2025), as they were given to the
        project, with their mess intact (a broken HTML tag, promo lines, bullets). No
        outlet names, dates or URLs came with them, so the outlets are ``"outlet A"`` and
        ``"outlet B"``.

    Returns
    -------
    pandas.DataFrame
        The articles frame (see :func:`mediakit.read_articles`).

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.load_example("seeds")
    >>> len(articles), articles["story_id"].nunique()
    (2, 1)
    """
    from mediakit.ingest.read import read_articles

    return read_articles(_example_dir(name))
