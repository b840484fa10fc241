"""Hostile workbooks: peak memory and time of reading .xlsx files whose sharedStrings sit at or beyond the caps.

Workbooks (written once into $TMPDIR/icevidence-bench/, each a one-cell sheet plus a sharedStrings part):
- at-caps-short: MAX_SHARED_STRINGS strings of 40 characters, one string cell each (the most strings allowed);
- at-caps-long: 256 strings of about 1 M characters (the most shared-string bytes allowed);
- at-caps-astral: emoji text, 4 bytes of UTF-8 per character, up to the byte cap;
- over-count: 35 M one-character strings (the issue's 150 s case): must be refused, fast;
- over-size: 1.5 GB of shared strings at ~170:1 (the issue's 1.77 GB case): must be refused, fast.
Each is read by `read_sheet` in a fresh process; its peak RSS (VmHWM: interpreter and libraries
included; ru_maxrss would carry the parent's peak across exec) and wall time are printed.
Usage: .venv/bin/python bench/hostile_workbooks.py [--only NAME ...]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import zipfile
from pathlib import Path

from common import PYTHON, WORK, header, print_table, report_target

SHEET = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
         b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
         b'<row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>')
PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
    b'org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
    b'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    b'sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    b'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
    b'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": SHEET,
}
READ = ("import resource, sys, time\n"
        "from icevidence.io.spreadsheet import read_sheet\n"
        "from icevidence.io.errors import UnsafeInputError\n"
        "start = time.perf_counter()\n"
        "try:\n"
        "    read_sheet(sys.argv[1]); outcome = 'read'\n"
        "except UnsafeInputError as exc:\n"
        "    outcome = 'refused: ' + exc.problem\n"
        "peak = next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM'))\n"
        "print(f'{time.perf_counter() - start:.1f}|{peak / 1024:.0f}|{outcome}')\n")


def strings(count: int, text: str):
    """The sharedStrings part in chunks of at most ~4 MB: `count` copies of <si><t>text</t></si>."""
    yield (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           f'2006/main" count="{count}" uniqueCount="{count}">').encode()
    item = f"<si><t>{text}</t></si>".encode()
    batch = max(1, (4 << 20) // len(item))
    for start in range(0, count, batch):
        yield item * min(batch, count - start)
    yield b"</sst>"


def workbook(name: str, count: int, text: str, level: int = 1, cells: bool = True) -> Path:
    """Write (once) a workbook whose sharedStrings holds `count` copies of `text`."""
    path = WORK / f"hostile-{name}.xlsx"
    if path.is_file():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for part, data in PARTS.items():
            if not (cells and part == "xl/worksheets/sheet1.xml"):
                archive.writestr(part, data)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            for chunk in strings(count, text):
                member.write(chunk)
        if cells:  # one string cell per shared string, so the workbook is not refused as lopsided
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
                member.write(SHEET.split(b"<sheetData>")[0] + b"<sheetData>")
                for start in range(0, count, 50_000):
                    member.write(b"".join(b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (i + 1, i + 1, i)
                                          for i in range(start, min(count, start + 50_000))))
                member.write(b"</sheetData></worksheet>")
    partial.rename(path)
    return path


def runs_with_noise(length: int, run: int = 2000) -> str:
    """Text of long runs broken by random letters: compresses about 150:1, under the zip-bomb ratio cap."""
    import random
    rng = random.Random(1)
    pieces = []
    while sum(map(len, pieces)) < length:
        pieces.append("y" * run + "".join(rng.choice("abcdefghijklmnopqrstuvwxz") for _ in range(2)))
    return "".join(pieces)[:length]


def cases() -> dict[str, tuple[Path, bool]]:
    """Name -> (workbook, must be refused)."""
    from icevidence.io.safety import MAX_SHARED_STRINGS, MAX_SHARED_STRINGS_BYTES
    xml_per_item = len(b"<si><t></t></si>")
    long_text = runs_with_noise(999_000, run=400)
    astral = "\U0001F600" * 1000
    return {
        "at-caps-short": (workbook("at-caps-short", MAX_SHARED_STRINGS - 10, "s" * 40), False),
        "at-caps-long": (workbook("at-caps-long", MAX_SHARED_STRINGS_BYTES // (len(long_text) + xml_per_item) - 1,
                                  long_text), False),
        "at-caps-astral": (workbook("at-caps-astral", MAX_SHARED_STRINGS_BYTES // (4 * len(astral) + xml_per_item) - 1,
                                    astral), False),
        "over-count": (workbook("over-count", 35_000_000, "a", cells=False), True),
        "over-size": (workbook("over-size", 1500, runs_with_noise(1_000_000, run=400), level=6, cells=False), True),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME")
    args = parser.parse_args()
    header("Hostile workbooks: sharedStrings at and beyond the caps")
    rows, ok = [], True
    for name, (path, refuse) in cases().items():
        if args.only and name not in args.only:
            continue
        done = subprocess.run([PYTHON, "-c", READ, str(path)], capture_output=True, text=True)
        if done.returncode:
            print(done.stderr)
            ok = report_target(f"{name}: read or refused without a crash", False, "crashed")
            continue
        seconds, peak, outcome = done.stdout.strip().splitlines()[-1].split("|", 2)
        rows.append([name, f"{path.stat().st_size / 1e6:.0f}", seconds, peak, outcome[:70]])
        if refuse:
            ok &= report_target(f"{name}: refused within 10 s", outcome.startswith("refused") and
                                float(seconds) < 10, f"{outcome[:40]} in {seconds} s")
        else:
            ok &= report_target(f"{name}: read with peak memory under 1 GB", outcome == "read" and
                                float(peak) < 1024, f"{peak} MB, {seconds} s")
    print_table(["workbook", "file MB", "seconds", "peak MB", "outcome"], rows)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
