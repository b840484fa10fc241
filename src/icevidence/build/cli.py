"""Command line: `icevidence build`, `list`, `import`, `export-qdpx`, `appendix`, `matrices`, `archive`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..model.characters import printable
from ..model.errors import CompendiumError, ConfigError

LIMITS = {  # argparse-level bounds of the numeric options: (lowest, highest)
    "participants": (1, 1_000_000), "segments": (1, 20_000_000), "codes": (1, 100_000),
    "seed": (0, 2**32 - 1), "jobs": (1, 256),
}


def say(text: str, file=None) -> None:
    """Print one message for a terminal: control, escape, bidi and zero-width characters shown as escapes.

    Every line the CLI prints (results, warnings, refusals) goes through here, so a name or file name
    from an export cannot colour the terminal, plant a hyperlink, overwrite a line or reorder text.
    """
    head = "\r" if text.startswith("\r") else ""  # the progress line's own carriage return
    print(head + printable(text[len(head):]), file=file or sys.stdout, flush=file is sys.stderr)


def show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """warnings.showwarning for the CLI: the warning's text through the terminal sanitiser."""
    import warnings
    say(warnings.formatwarning(message, category, filename, lineno, line).rstrip("\n"), file=sys.stderr)


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (what is wrong, and where to look), exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, printable(f"{self.prog}: {message}. What to do: see `{self.prog} --help`.") + "\n")


def bounded(name: str):
    """An argparse type: a whole number within LIMITS[name], refused naming the allowed range."""
    low, high = LIMITS[name]

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number (allowed: {low} to {high:,})") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value:,} is outside the allowed range {low} to {high:,}")
        return value
    parse.__name__ = name
    return parse


def plain_name(what: str):
    """An argparse type: a study id or report name (letters, digits, '-', '_'), never a path."""
    from ..model.names import is_device_name, is_name

    def parse(text: str) -> str:
        if is_device_name(text):
            raise argparse.ArgumentTypeError(f"{what} {text!r} is a name Windows reserves for a device "
                                             "(CON, PRN, AUX, NUL, COM0-9, LPT0-9): choose another")
        if not is_name(text):
            raise argparse.ArgumentTypeError(f"{what} {text!r} is not a plain name: use only letters, digits, "
                                             "'-' and '_' (no '/', '..', spaces or dots)")
        return text
    parse.__name__ = what
    return parse


def study_or_folder(text: str) -> str:
    """export-qdpx's STUDY: an existing study folder (with study.yml), else a plain study id."""
    if (Path(text) / "study.yml").is_file():
        return text
    return plain_name("study id")(text)


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


FORCE_HELP = ("write into an --out folder that already holds files (files of the same name are replaced, "
              "others kept); a folder of the project's own (data/, notebooks/, src/, tests/) is never accepted")


def make_parser() -> argparse.ArgumentParser:
    """The argument parser with one subcommand per task."""
    parser = OneLineParser(prog="icevidence", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="run every notebook in compendium.yml and render HTML reports")
    build.add_argument("--only", nargs="+", metavar="REPORT", type=plain_name("report name"),
                       help="build only these reports (see `list`)")
    build.add_argument("--show-code", action="store_true", help="show code cells in the HTML")
    build.add_argument("--force", action="store_true", help="rebuild every report, even those up to date")
    build.add_argument("--jobs", "-j", type=bounded("jobs"), default=None, metavar="N",
                       help="reports to build in parallel (default: the number of cores)")
    sub.add_parser("list", help="list the reports compendium.yml defines")
    imp = sub.add_parser("import", help="read a QDA export (qdpx, MAXQDA, ATLAS.ti, QualCoder, Taguette, ...) "
                                         "into a study folder", epilog=IMPORT_EPILOG,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("path", type=Path, help="the export file, or a QualCoder project folder (name.qda)")
    imp.add_argument("--study", required=True, metavar="ID", type=plain_name("study id"),
                     help="the study id (the folder name)")
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
    export.add_argument("study", type=study_or_folder, help="a study id under data/raw/, or a study folder")
    export.add_argument("out", type=Path, metavar="OUT.qdpx")
    export.add_argument("--positions", choices=["codepoints", "utf16"], default="codepoints",
                        help="selection positions in Unicode code points (REFI-QDA, QualCoder, ATLAS.ti, MAXQDA; "
                             "the default) or UTF-16 code units (NVivo)")
    export.add_argument("--force", action="store_true", help="replace OUT.qdpx when it exists")
    matrices = sub.add_parser("matrices", help="write a study's codes x cases, co-occurrence and framework "
                                               "matrices (CSV, and XLSX for the framework matrix)")
    matrices.add_argument("study", type=plain_name("study id"), help="a study id under data/raw/")
    matrices.add_argument("--level", default="main", choices=["overarching", "main", "sub"])
    matrices.add_argument("--unit", default="references", choices=["references", "participants"])
    matrices.add_argument("--group-by", default="participant_id", metavar="COLUMN",
                          help="participant_id (cases; the default), document, or any participant column")
    matrices.add_argument("--out", type=Path, metavar="DIR",
                          help="output folder (default reports/tables/STUDY-qda-matrices/)")
    matrices.add_argument("--force", action="store_true", help=FORCE_HELP)
    synth = sub.add_parser("synth", help="write a synthetic REFI-QDA project (qdpx) for scale tests")
    synth.add_argument("--participants", type=bounded("participants"), required=True, metavar="N")
    synth.add_argument("--segments", type=bounded("segments"), required=True, metavar="M", help="number of codings")
    synth.add_argument("--codes", type=bounded("codes"), required=True, metavar="K")
    synth.add_argument("--seed", type=bounded("seed"), default=0, metavar="S")
    synth.add_argument("--coders", type=int, default=1, metavar="N",
                       help="N coders code the same transcripts (for inter-coder agreement); default 1")
    synth.add_argument("--agreement", type=float, default=1.0, metavar="P",
                       help="with --coders > 1: each coder keeps each coding with probability P (default 1)")
    synth.add_argument("--out", type=Path, required=True, metavar="PATH")
    synth.add_argument("--force", action="store_true", help="replace PATH when it exists")
    appendix = sub.add_parser("appendix", help="write a study's supplementary material: DOCX, PDF, XLSX and figures")
    appendix.add_argument("study", type=plain_name("study id"), help="a study id under data/raw/")
    appendix.add_argument("--min-cell", type=int, default=0, metavar="K",
                          help="show counts below K as <K, everywhere (default 0: no suppression)")
    appendix.add_argument("--out", type=Path, metavar="DIR", help="output folder (default reports/appendix/STUDY/)")
    appendix.add_argument("--review", action="store_true", help="add a summary of the evidence review")
    appendix.add_argument("--force", action="store_true", help=FORCE_HELP)
    archive = sub.add_parser("archive", help="write the compendium as one deterministic zip to deposit (data, "
                                             "notebooks, source, environment, built reports, RO-Crate, Zenodo)")
    archive.add_argument("--out", type=Path, metavar="ZIP",
                         help="the zip to write (default dist/icevidence-VERSION.zip)")
    archive.add_argument("--force", action="store_true", help="replace an existing zip of that name")
    return parser


def run_build(args: argparse.Namespace) -> int:
    """Build the reports and return the exit code (1 when any report failed)."""
    from .runner import build, failed
    results = build(only=args.only, show_code=args.show_code, force=args.force, jobs=args.jobs, log=say)
    bad = failed(results)
    skipped = sum(r.skipped for r in results)
    for line in built_data_warnings(results):
        say(f"warning: {line}")
    say(f"{len(results) - len(bad) - skipped} built, {skipped} up to date, {len(bad)} failed; "
          f"index at reports/index.html")
    return 1 if bad else 0


def built_data_warnings(results: list) -> list[str]:
    """What the data of the reports just built cannot show (the banner atop each of them), once per study."""
    studies = []
    for result in results:
        if result.skipped or not result.ok:
            continue
        params = result.spec.parameters
        studies += [params["study"]] if isinstance(params.get("study"), str) else []
        studies += [s for s in params.get("studies") or [] if isinstance(s, str)]
    if not studies:
        return []   # nothing built: the analyses (pandas) are not loaded at all
    from ..analyses.caveats import data_warnings
    lines = []
    for study in dict.fromkeys(studies):
        try:
            lines += data_warnings(study)
        except CompendiumError:
            continue  # the report itself said why the study does not load
    return lines


def run_list(args: argparse.Namespace) -> int:
    """Print each report's name, notebook and parameters."""
    from .runner import read_compendium
    for spec in read_compendium():
        say(f"{spec.output}\t{spec.notebook}\t{spec.parameters}")
    return 0


def run_synth(args: argparse.Namespace) -> int:
    """Write the synthetic project, showing progress on stderr."""
    from ..io.synth import SynthSpec, write_synthetic_qdpx
    if not 1 <= args.coders <= 26 or not 0.0 <= args.agreement <= 1.0:
        raise usage_error("synth", "--coders must be 1 to 26 and --agreement a probability from 0 to 1")
    from ..model.outputs import check_output_file
    check_output_file(args.out, force=args.force, option="--out")
    spec = SynthSpec(args.participants, args.segments, args.codes, args.seed, args.coders, args.agreement)
    def progress(done: int, total: int) -> None:
        print(f"\r  transcripts {done}/{total}", end="", file=sys.stderr, flush=True)
    path = write_synthetic_qdpx(spec, args.out, progress=progress)
    coders = f", {args.coders} coders keeping each coding with probability {args.agreement}" if args.coders > 1 else ""
    say(f"\rwrote {path} ({args.participants} participants, {args.segments} codings, {args.codes} codes, "
          f"seed {args.seed}{coders})", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import an export into a study folder, all or nothing, and print what was read and skipped."""
    import warnings

    from ..io.errors import ExportWarning
    from ..io.importer import import_export
    with warnings.catch_warnings():  # the summary lists every warning once; a refusal stays one line
        warnings.simplefilter("ignore", ExportWarning)
        folder = import_export(args.path, args.study, config_path=args.config, out_dir=args.out,
                               skip_invalid=args.skip_invalid, overwrite=args.force, echo=say,
                               codebook=args.codebook)
    say(f"study folder written: {folder}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write a study as a REFI-QDA .qdpx."""
    from ..io.importer import export_qdpx
    say(f"wrote {export_qdpx(args.study, args.out, positions=args.positions, force=args.force)}")
    return 0


def run_matrices(args: argparse.Namespace) -> int:
    """Write the three QDA matrices of a study and list the files."""
    from ..model.outputs import check_output_folder, check_reports_folder
    from ..model.study import load_known_study
    from ..present.views.qda_matrices import write_all_matrices
    study = load_known_study(args.study, "icevidence matrices")
    folder = check_output_folder(args.out, force=args.force) if args.out is not None else None
    if folder is None:
        check_reports_folder()
    for path in write_all_matrices(study, args.level, args.unit, args.group_by, folder):
        say(f"wrote {path}")
    return 0


def run_appendix(args: argparse.Namespace) -> int:
    """Build one study's appendix and list the files written."""
    from ..model.provenance import relative
    from .appendix import build_appendix
    say(f"appendix {args.study} (min_cell {args.min_cell}{', with the evidence review' if args.review else ''})")
    paths = build_appendix(args.study, min_cell=args.min_cell, out=args.out, review=args.review, log=say,
                           force=args.force)
    for path in paths:
        say(f"  wrote {relative(path)}")
    return 0


def run_archive(args: argparse.Namespace) -> int:
    """Write the deposit zip and say where it is."""
    from ..model.outputs import check_output_file
    from .archive import build_archive
    out = check_output_file(args.out, force=args.force, option="--out") if args.out is not None else None
    path = build_archive(out)
    say(f"wrote {path} ({path.stat().st_size:,} bytes); deposit it with its .zenodo.json (see README)")
    return 0


COMMANDS = {"build": run_build, "list": run_list, "synth": run_synth, "import": run_import,
            "export-qdpx": run_export, "appendix": run_appendix, "matrices": run_matrices, "archive": run_archive}


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the subcommand; user mistakes print a message, not a traceback."""
    try:
        args = make_parser().parse_args(argv)
    except SystemExit as exc:  # argparse's own refusal (already printed on one line) or --help
        return int(exc.code or 0)
    import warnings
    try:
        with interrupts_as_exceptions(), warnings.catch_warnings():
            if warnings.showwarning is getattr(warnings, "_showwarning_orig", None):  # not a test's recorder
                warnings.showwarning = show_warning
            return COMMANDS[args.command](args)
    except CompendiumError as exc:
        say(f"icevidence {args.command}: {one_line_message(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        from ..model.atomic import describe_os_error
        say(f"icevidence {args.command}: {describe_os_error(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        say(f"icevidence {args.command}: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130


def one_line_message(exc: CompendiumError) -> str:
    """The error on one line with its remedy; an error listing several problems keeps one line each."""
    text = exc.describe()
    if "\n" in text or not exc.remedy:
        return str(exc)
    return f"{text}. What to do: {exc.remedy}"


class interrupts_as_exceptions:
    """Turn SIGTERM into KeyboardInterrupt while a command runs, so cleanup code (staging folders,
    temporary files, helper processes) runs on `kill` as it does on Ctrl-C."""

    def __enter__(self):
        import signal
        self.signal = signal
        try:
            self.previous = signal.signal(signal.SIGTERM, self.raise_interrupt)
        except ValueError:  # not the main thread
            self.previous = None
        return self

    @staticmethod
    def raise_interrupt(signum, frame):
        raise KeyboardInterrupt

    def __exit__(self, *exc):
        if self.previous is not None:
            self.signal.signal(self.signal.SIGTERM, self.previous)
        return False


if __name__ == "__main__":
    sys.exit(main())
