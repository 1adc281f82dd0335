"""Draw the README gallery from the bundled sample: ``docs/gallery/*.png`` (small, 110 dpi).

Run ``python scripts/make_gallery.py`` (or ``make gallery``) and commit the PNGs.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import mediakit as mk  # noqa: E402
from mediakit.plots import outlet_colors  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def make_gallery(out: Path, *, dpi: int = 110) -> list[Path]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mk.MediakitWarning)  # one article per outlet
        result = mk.analyze(mk.load_example("seeds"))
    palette = outlet_colors(result.articles["outlet"])
    panels = {
        "coverage_map": ((8, 6.6), lambda ax: mk.plot_coverage_map(
            result.coverage, palette=palette, ax=ax)),
        "sentiment_arc": ((7, 3.6), lambda ax: mk.plot_sentiment_arc(
            result.sentences, palette=palette, ax=ax)),
        "keyness": ((7, 5.2), lambda ax: mk.plot_keyness(
            result.terms[result.terms["outlet"] == "outlet A"], palette=palette, ax=ax)),
    }
    if result.actors is not None:
        panels["actors"] = ((7, 5.6), lambda ax: mk.plot_actors(
            result.actors[result.actors["label"].isin(("PERSON", "ORG"))], palette=palette,
            ax=ax))
    else:
        panels["presence"] = ((7.5, 7.5), lambda ax: mk.plot_presence(
            result.coverage, palette=palette, ax=ax))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (size, draw) in panels.items():
        fig, ax = plt.subplots(figsize=size, layout="constrained")
        draw(ax)
        path = out / f"{name}.png"
        fig.savefig(path, dpi=dpi, metadata={"Software": None})
        plt.close(fig)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "gallery")
    parser.add_argument("--dpi", type=int, default=110)
    args = parser.parse_args()
    for path in make_gallery(args.out, dpi=args.dpi):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
              f"({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
