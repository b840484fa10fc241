"""Command line: `icevidence build`, `list`, `import`, `export-qdpx`."""
from __future__ import annotations

import argparse
import sys

from pathlib import Path

from .errors import CompendiumError, ConfigError


def UsageError(command: str, problem: str) -> ConfigError:
    """A command-line argument that cannot work."""
    return ConfigError(f"icevidence {command}", "", problem, remedy="see `icevidence " + command + " --help`.")


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
    synth = sub.add_parser("synth", help="write a synthetic REFI-QDA project (qdpx) for scale tests")
    synth.add_argument("--participants", type=int, required=True, metavar="N")
    synth.add_argument("--segments", type=int, required=True, metavar="M", help="number of codings")
    synth.add_argument("--codes", type=int, required=True, metavar="K")
    synth.add_argument("--seed", type=int, default=0, metavar="S")
    synth.add_argument("--out", type=Path, required=True, metavar="PATH")
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


def run_synth(args: argparse.Namespace) -> int:
    """Write the synthetic project, showing progress on stderr."""
    from .synth import SynthSpec, write_synthetic_qdpx
    if min(args.participants, args.segments, args.codes) < 1:
        raise UsageError("synth", "--participants, --segments and --codes must each be at least 1")
    spec = SynthSpec(args.participants, args.segments, args.codes, args.seed)
    def progress(done: int, total: int) -> None:
        print(f"\r  transcripts {done}/{total}", end="", file=sys.stderr, flush=True)
    path = write_synthetic_qdpx(spec, args.out, progress=progress)
    print(f"\rwrote {path} ({args.participants} participants, {args.segments} codings, {args.codes} codes, "
          f"seed {args.seed})", file=sys.stderr)
    return 0


COMMANDS = {"build": run_build, "list": run_list, "synth": run_synth}


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
