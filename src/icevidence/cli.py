"""Command line: `icevidence build`, `list`, `import`, `export-qdpx`."""
from __future__ import annotations

import argparse
import sys

from .errors import CompendiumError


def make_parser() -> argparse.ArgumentParser:
    """The argument parser with one subcommand per task."""
    parser = argparse.ArgumentParser(prog="icevidence", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="run every notebook in compendium.yml and render HTML reports")
    build.add_argument("--only", nargs="+", metavar="REPORT", help="build only these reports (see `list`)")
    build.add_argument("--show-code", action="store_true", help="show code cells in the HTML")
    build.add_argument("--force", action="store_true", help="rebuild every report, even those up to date")
    build.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                       help="reports to build in parallel (default: the number of cores)")
    sub.add_parser("list", help="list the reports compendium.yml defines")
    return parser


def run_build(args: argparse.Namespace) -> int:
    """Build the reports and return the exit code (1 when any report failed)."""
    from .report import build, failed
    results = build(only=args.only, show_code=args.show_code, force=args.force, jobs=args.jobs)
    bad = failed(results)
    skipped = sum(r.skipped for r in results)
    print(f"{len(results) - len(bad) - skipped} built, {skipped} up to date, {len(bad)} failed; "
          f"index at reports/index.html")
    return 1 if bad else 0


def run_list(args: argparse.Namespace) -> int:
    """Print each report's name, notebook and parameters."""
    from .report import read_compendium
    for spec in read_compendium():
        print(f"{spec.output}\t{spec.notebook}\t{spec.parameters}")
    return 0


COMMANDS = {"build": run_build, "list": run_list}


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the subcommand; user mistakes print a message, not a traceback."""
    args = make_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except CompendiumError as exc:
        print(f"icevidence {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
