"""The ``mediakit`` command line: ``mediakit report SOURCE --out DIR``.

Exit codes: 0 done, 1 input error (one line on stderr, no traceback), 2 usage error.
Error messages name the command line's flags (``--text body``), not Python keywords.
"""

from __future__ import annotations

import argparse
import os
import re
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
  mediakit report articles.csv --text body --outlet source_name --by bias --out report/
  mediakit report corpus.jsonl --story abortion_2017-01-27 --outlets "CNN,Fox News" --out r/
  mediakit report archive.jsonl.gz --engine dask --out report/   streamed through Parquet parts

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
                        help="output folder: new, empty, or a previous mediakit report "
                             "(replaced wholly with --overwrite)")
    report.add_argument("--overwrite", action="store_true",
                        help="replace the previous mediakit report in --out (nothing else is "
                             "ever deleted)")
    what = report.add_argument_group("what to compare")
    what.add_argument("--by", default="outlet", metavar="COLUMN",
                      help="column the comparisons group by: outlet (default) or any article "
                           "column, e.g. bias")
    what.add_argument("--outlets", metavar="A,B,...",
                      help="analyse only these outlets (comma-separated)")
    what.add_argument("--story", action="append", metavar="ID",
                      help="story drawn story by story (repeat or comma-separate; default: the "
                           "stories covered by the most outlets)")
    cols = report.add_argument_group("input columns (CSV, JSON, Parquet...)")
    cols.add_argument("--text", default="text", metavar="COLUMN",
                      help="column holding the article text (default text)")
    cols.add_argument("--outlet", default="outlet", metavar="COLUMN",
                      help="column naming the outlet (default outlet)")
    cols.add_argument("--title", default="title", metavar="COLUMN",
                      help="column holding the headline (default title)")
    cols.add_argument("--id", default="article_id", metavar="COLUMN",
                      help="column holding a unique article id (default article_id)")
    cols.add_argument("--published", default="published", metavar="COLUMN",
                      help="column holding the publication date (default published)")
    cols.add_argument("--on-error", choices=("raise", "skip"), default="raise",
                      help="a bad input stops the run (raise, default) or is left out and "
                           "listed in the report (skip)")
    report.add_argument("--lexicon", default="policy_frames",
                        help="frame lexicon: policy_frames (default), generic_frames, "
                             "gvfc_frames or a .yaml/.json/.dic file")
    report.add_argument("--stories", choices=("auto", "given", "group"), default="auto",
                        help="story ids as given, grouped by similarity, or auto (default)")
    report.add_argument("--no-actors", action="store_true",
                        help="skip entities, quotes and actors (they need mediakit[nlp])")
    report.add_argument("--formats", default="png,svg,pdf",
                        help="figure formats, comma-separated (default png,svg,pdf)")
    report.add_argument("--report-title", metavar="TEXT", help="title of the HTML report")
    report.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                        help="worker processes for sentence scoring (default 1)")
    report.add_argument("--engine", choices=("auto", "pandas", "dask"), default="auto",
                        help="pandas: in this process (and --jobs workers); dask: every stage "
                             "on dask, the corpus streamed through Parquet parts on disk and "
                             "the report written from them, never all in memory (SOURCE a "
                             "Parquet file or folder, CSV or JSONL; one process per core, or "
                             "the --scheduler's workers); auto (default): pandas")
    report.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on this dask.distributed scheduler (tcp://host:8786); implies "
                             "--engine dask, and SOURCE must be where every worker can read it")
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
    if args.scheduler and args.engine == "pandas":
        print("mediakit report: error: --scheduler runs on dask; drop --engine pandas",
              file=sys.stderr)
        return 2
    try:
        return _report(args, formats)
    except KeyboardInterrupt:
        print("mediakit: interrupted", file=sys.stderr)
        return 130
    except (OSError, ValueError, ImportError, ResourceMissingError, TypeError) as exc:
        print(f"mediakit: error: {as_flags(_one_line(exc))}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the command line promises one line, no traceback
        if os.environ.get("MEDIAKIT_DEBUG"):
            raise
        print(f"mediakit: error: {type(exc).__name__}: {_one_line(exc)} (set MEDIAKIT_DEBUG=1 "
              "for the traceback)", file=sys.stderr)
        return 1


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 2000 else text[:1999] + "…"


_FLAGS = {"text": "--text", "id": "--id", "outlet": "--outlet", "title": "--title",
          "published": "--published", "on_error": "--on-error", "by": "--by",
          "overwrite": "--overwrite", "lexicon": "--lexicon", "stories": "--stories",
          "outlets": "--outlets", "formats": "--formats", "n_jobs": "--jobs"}
_KEYWORD = re.compile(r"\b(" + "|".join(_FLAGS) + r")=('[^']*'|\"[^\"]*\"|\.\.\.|[\w.-]+)")


def as_flags(message: str) -> str:
    """A Python-side message with keywords (``text="body"``) turned into this CLI's flags."""
    def flag(match: re.Match) -> str:
        name, value = match.group(1), match.group(2).strip("'\"")
        if value == "True" or (name == "overwrite"):
            return _FLAGS[name]
        if value == "...":
            value = name.upper().replace("_", "-") if name != "text" else "COLUMN"
        return f"{_FLAGS[name]} {value}"

    return _KEYWORD.sub(flag, message)


def _report(args: argparse.Namespace, formats: tuple[str, ...]) -> int:
    import mediakit as mk

    progress = False if args.quiet else None
    source = mk.load_example(args.example) if args.example else args.source
    read_kws = {k: v for k, v in {"text": args.text, "outlet": args.outlet, "title": args.title,
                                  "id": args.id, "published": args.published,
                                  "on_error": args.on_error}.items()
                if v != _DEFAULTS[k]}
    outlets = _split(args.outlets)
    stories = [s for item in args.story for s in _split(item)] if args.story else None
    engine = "dask" if args.scheduler else args.engine
    # on dask the frames stay on disk: the report is written from them part by part
    keep = "disk" if engine == "dask" else "memory"
    with warnings.catch_warnings(record=True) as caught, _scheduler(args.scheduler):
        warnings.simplefilter("always")
        result = mk.analyze(source, by=args.by, outlets=outlets, lexicon=args.lexicon,
                            stories=args.stories, actors=False if args.no_actors else None,
                            n_jobs=args.jobs, progress=progress, read_kws=read_kws or None,
                            engine=engine, keep=keep)
        paths = result.report(args.out, formats=formats, title=args.report_title,
                              stories=stories, overwrite=args.overwrite)
    if not args.quiet:
        seen = set()
        for w in caught:
            text = " ".join(str(w.message).split())
            if text not in seen:
                seen.add(text)
                print(f"mediakit: warning: {text}", file=sys.stderr)
        for note in result.notes:
            print(f"mediakit: note: {note}", file=sys.stderr)
        if result.skipped:
            print(f"mediakit: note: {len(result.skipped)} input(s) skipped; listed in the "
                  "report and its manifest.json", file=sys.stderr)
        print(f"{result!r}\nwrote {len(paths)} files; open {paths[0]}")
    return 0


def _scheduler(address: str | None):
    """A ``distributed`` client connected to ``address`` for the ``with`` block (nothing
    without one)."""
    from contextlib import nullcontext

    if not address:
        return nullcontext()
    from mediakit._optional import import_optional

    distributed = import_optional("distributed", extra="dask", purpose="--scheduler")
    try:
        return distributed.Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise OSError(f"--scheduler {address}: cannot connect ({_one_line(exc)})") from None


_DEFAULTS = {"text": "text", "outlet": "outlet", "title": "title", "id": "article_id",
             "published": "published", "on_error": "raise"}


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
