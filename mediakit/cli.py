"""The ``mediakit`` command line: ``mediakit report SOURCE --out DIR``.

Exit codes: 0 done, 1 input error (one line on stderr, no traceback), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

from mediakit._errors import ResourceMissingError

EXAMPLES = ("seeds",)

_EPILOG = """\
examples:
  mediakit report --example seeds --out report/      the bundled sample (two articles)
  mediakit report news/ --out report/                a folder of .txt/.html/.json/... files
  mediakit report articles.jsonl --out report/ --no-actors

exit codes: 0 done, 1 input error, 2 usage error
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    import mediakit

    parser = argparse.ArgumentParser(
        prog="mediakit",
        description="Compare how news outlets cover the same event.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mediakit {mediakit.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    report = sub.add_parser(
        "report", help="analyse a corpus and write the HTML report, figures and tables",
        description="Read the articles, split, score and compare them, and write index.html, "
                    "figures/ (PNG, SVG, PDF with data and manifest) and tables/ (CSV) into "
                    "--out.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("source", nargs="?",
                        help="folder, file or glob of articles (.txt .md .html .json .jsonl "
                             ".csv .tsv .parquet, .gz too)")
    report.add_argument("--example", choices=EXAMPLES,
                        help="use a bundled sample instead of SOURCE")
    report.add_argument("--out", "-o", required=True, metavar="DIR",
                        help="output folder (created if needed)")
    report.add_argument("--lexicon", default="policy_frames",
                        help="frame lexicon: policy_frames (default), generic_frames, "
                             "gvfc_frames or a .yaml/.json/.dic file")
    report.add_argument("--stories", choices=("auto", "given", "group"), default="auto",
                        help="story ids as given, grouped by similarity, or auto (default)")
    report.add_argument("--no-actors", action="store_true",
                        help="skip entities, quotes and actors (they need mediakit[nlp])")
    report.add_argument("--formats", default="png,svg,pdf",
                        help="figure formats, comma-separated (default png,svg,pdf)")
    report.add_argument("--title", help="title of the HTML report")
    report.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                        help="worker processes for sentence scoring (default 1)")
    report.add_argument("--quiet", "-q", action="store_true",
                        help="no progress bars, warnings or summary")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 input error, 2 usage error)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    if (args.source is None) == (args.example is None):
        print("mediakit report: error: give a SOURCE or --example seeds (not both)",
              file=sys.stderr)
        return 2
    formats = tuple(f.strip().lower() for f in args.formats.split(",") if f.strip())
    bad = [f for f in formats if f not in ("png", "svg", "pdf")]
    if bad or not formats:
        print(f"mediakit report: error: --formats takes png, svg and/or pdf, got "
              f"{args.formats!r}", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print("mediakit report: error: --jobs must be >= 1", file=sys.stderr)
        return 2
    try:
        return _report(args, formats)
    except (OSError, ValueError, ImportError, ResourceMissingError) as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"mediakit: error: {message}", file=sys.stderr)
        return 1


def _report(args: argparse.Namespace, formats: tuple[str, ...]) -> int:
    import mediakit as mk

    progress = False if args.quiet else None
    source = mk.load_example(args.example) if args.example else args.source
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = mk.analyze(source, lexicon=args.lexicon, stories=args.stories,
                            actors=False if args.no_actors else None, n_jobs=args.jobs,
                            progress=progress)
        paths = result.report(args.out, formats=formats, title=args.title)
    if not args.quiet:
        seen = set()
        for w in caught:
            text = " ".join(str(w.message).split())
            if text not in seen:
                seen.add(text)
                print(f"mediakit: warning: {text}", file=sys.stderr)
        for note in result.notes:
            print(f"mediakit: note: {note}", file=sys.stderr)
        print(f"{result!r}\nwrote {len(paths)} files; open {paths[0]}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
