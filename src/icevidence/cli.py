"""Command line: `icevidence build`, `list`, `import`, `export-qdpx`, `matrices`."""
from __future__ import annotations

import argparse
import sys

from pathlib import Path

from .errors import CompendiumError, ConfigError


def usage_error(command: str, problem: str) -> ConfigError:
    """A command-line argument that cannot work."""
    return ConfigError(f"icevidence {command}", "", problem, remedy="see `icevidence " + command + " --help`.")


IMPORT_EPILOG = """\
Participants, tiers and sites: where they come from (study.yml, passed with --config)

  participants:                      which participant each coding belongs to
    {from: case}                     the coding's case (NVivo, MAXQDA, QualCoder cases; the default)
    {from: document, pattern: '^(P[0-9]+)'}   the first group of a regex on the document name
    {from: variable, name: Participant}       a case (else document) variable
  Three ways to map tiers (and the same for sites):
    1. by case or participant id:  mapping: {tier: [{field: participant_id, pattern: '^P1$', value: micro}]}
    2. by document-name pattern:   mapping: {tier: [{field: document, pattern: '^GP', value: micro}]}
    3. by variable:                a case/document variable named Tier is read as it is; or
                                   mapping: {tier: [{field: Role, pattern: '^Manager$', value: meso}]}

After an import, a summary says how many codings resolved; when participants, tiers or sites
are missing, <out>-suggested-study.yml is written beside the study folder with the rules found
in the export (variables and their values, document-name patterns) and null values to fill.
Examples: NVivo oltas0517.qdpx (no cases: one participant per document), Taguette
SERDIF_P2_ThematicAnalysis.sqlite3 (documents P1_..., P17_...: pattern '^(P[0-9]+)'), MAXQDA
test.mex (document groups as a variable: map them to tiers by rule 3). See README.md.
"""


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
    imp = sub.add_parser("import", help="read a QDA export (qdpx, MAXQDA, ATLAS.ti, QualCoder, Taguette, ...) "
                                         "into a study folder", epilog=IMPORT_EPILOG,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("path", type=Path, help="the export file, or a QualCoder project folder (name.qda)")
    imp.add_argument("--study", required=True, metavar="ID", help="the study id (the folder name)")
    imp.add_argument("--config", type=Path, metavar="study.yml",
                     help="study.yml saying where participants, tiers and sites come from (see below); without it "
                          "the import writes a suggested one beside the study folder")
    imp.add_argument("--codebook", type=Path, metavar="PATH",
                     help="ATLAS.ti: the code manager export, so code names containing ', ' split correctly")
    imp.add_argument("--out", type=Path, metavar="DIR", help="output folder (default data/raw/ID/)")
    imp.add_argument("--skip-invalid", action="store_true",
                     help="import the valid codings and list every skipped one (in skipped.csv and here)")
    imp.add_argument("--force", action="store_true", help="replace an existing study folder")
    export = sub.add_parser("export-qdpx", help="write a study as a REFI-QDA project for NVivo, ATLAS.ti, ...")
    export.add_argument("study", help="a study id under data/raw/, or a study folder")
    export.add_argument("out", type=Path, metavar="OUT.qdpx")
    export.add_argument("--positions", choices=["codepoints", "utf16"], default="codepoints",
                        help="selection positions in Unicode code points (REFI-QDA, QualCoder, ATLAS.ti, MAXQDA; "
                             "the default) or UTF-16 code units (NVivo)")
    matrices = sub.add_parser("matrices", help="write a study's codes x cases, co-occurrence and framework "
                                               "matrices (CSV, and XLSX for the framework matrix)")
    matrices.add_argument("study", help="a study id under data/raw/")
    matrices.add_argument("--level", default="main", choices=["overarching", "main", "sub"])
    matrices.add_argument("--unit", default="references", choices=["references", "participants"])
    matrices.add_argument("--group-by", default="participant_id", metavar="COLUMN",
                          help="participant_id (cases; the default), document, or any participant column")
    matrices.add_argument("--out", type=Path, metavar="DIR",
                          help="output folder (default reports/tables/STUDY-qda-matrices/)")
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
    for line in built_data_warnings(results):
        print(f"warning: {line}")
    print(f"{len(results) - len(bad) - skipped} built, {skipped} up to date, {len(bad)} failed; "
          f"index at reports/index.html")
    return 1 if bad else 0


def built_data_warnings(results: list) -> list[str]:
    """What the data of the reports just built cannot show (the banner atop each of them), once per study."""
    from .caveats import data_warnings
    studies = []
    for result in results:
        if result.skipped or not result.ok:
            continue
        params = result.spec.parameters
        studies += [params["study"]] if isinstance(params.get("study"), str) else []
        studies += [s for s in params.get("studies") or [] if isinstance(s, str)]
    lines = []
    for study in dict.fromkeys(studies):
        try:
            lines += data_warnings(study)
        except CompendiumError:
            continue  # the report itself said why the study does not load
    return lines


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
        raise usage_error("synth", "--participants, --segments and --codes must each be at least 1")
    spec = SynthSpec(args.participants, args.segments, args.codes, args.seed)
    def progress(done: int, total: int) -> None:
        print(f"\r  transcripts {done}/{total}", end="", file=sys.stderr, flush=True)
    path = write_synthetic_qdpx(spec, args.out, progress=progress)
    print(f"\rwrote {path} ({args.participants} participants, {args.segments} codings, {args.codes} codes, "
          f"seed {args.seed})", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import an export into a study folder, all or nothing, and print what was read and skipped."""
    from .io.importer import import_export
    folder = import_export(args.path, args.study, config_path=args.config, out_dir=args.out,
                           skip_invalid=args.skip_invalid, overwrite=args.force, echo=print, codebook=args.codebook)
    print(f"study folder written: {folder}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write a study as a REFI-QDA .qdpx."""
    from .io.importer import export_qdpx
    print(f"wrote {export_qdpx(args.study, args.out, positions=args.positions)}")
    return 0


def run_matrices(args: argparse.Namespace) -> int:
    """Write the three QDA matrices of a study and list the files."""
    from .qda_matrices import write_all_matrices
    from .study import load_study
    for path in write_all_matrices(load_study(args.study), args.level, args.unit, args.group_by, args.out):
        print(f"wrote {path}")
    return 0


COMMANDS = {"build": run_build, "list": run_list, "synth": run_synth, "import": run_import,
            "export-qdpx": run_export, "matrices": run_matrices}


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
