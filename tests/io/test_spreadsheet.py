"""Reading CSV/XLS/XLSX sheets as text: separators, encodings, caps and clear errors."""
from __future__ import annotations

import codecs
from pathlib import Path

import openpyxl
import pytest
from fixture_paths import FIXTURES as TEST_FIXTURES

from icevidence.io.errors import MalformedExportError, UnsafeInputError
from icevidence.io.spreadsheet import read_sheet, sniff_delimiter

FIXTURES = TEST_FIXTURES / "spreadsheets"


def write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def write_xlsx(tmp_path: Path, name: str, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_semicolon_separated_csv_is_split_on_semicolons(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "a.csv", b"Kod;Fragment\nA;jeden, dwa\n")
    frame = read_sheet(path)
    assert list(frame.columns) == ["Kod", "Fragment"] and frame.iloc[0]["Fragment"] == "jeden, dwa"


def test_comma_separated_csv_with_semicolons_in_quoted_cells_is_split_on_commas(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "a.csv", b'Code,Segment\nA,"one; two; three"\nB,"four; five"\n')
    frame = read_sheet(path)
    assert frame["Segment"].tolist() == ["one; two; three", "four; five"]


def test_a_utf8_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "a.csv", codecs.BOM_UTF8 + '"File","Coded"\r\n"a","é"\r\n'.encode())
    assert list(read_sheet(path).columns) == ["File", "Coded"]


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "a.csv", "Code\tSegment\r\nA\tżółw\r\n".encode("utf-16"))
    assert read_sheet(path).iloc[0]["Segment"] == "żółw"


def test_crlf_row_ends_are_not_kept_in_cells(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "a.csv", b"Code,Segment\r\nA,x\r\nB,y\r\n")
    assert read_sheet(path)["Segment"].tolist() == ["x", "y"]


def test_u2029_inside_a_cell_does_not_end_the_row(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "a.csv", '"Code","Coded"\r\n"A","one\u2029two"\r\n"B","three"\r\n'.encode())
    frame = read_sheet(path)
    assert len(frame) == 2 and frame.iloc[0]["Coded"] == "one\u2029two"


def test_a_line_break_inside_a_quoted_cell_is_kept(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "a.csv", b'Code,Segment\r\nA,"line one\nline two"\r\n')
    assert read_sheet(path).iloc[0]["Segment"] == "line one\nline two"


def test_the_index_is_the_row_number_a_spreadsheet_shows(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "a.csv", b"Code,Segment\nA,x\n\nB,y\n")
    assert read_sheet(path).index.tolist() == [2, 4]


def test_wrong_encoding_names_the_file_the_line_and_the_remedy(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "polish.csv", "Kod;Fragment\nA;ok\nB;zażółć\n".encode("cp1250"))
    with pytest.raises(MalformedExportError) as caught:
        read_sheet(path)
    message = str(caught.value)
    assert "polish.csv, line 3" in message and "not valid UTF-8" in message and "encoding='cp1250'" in message


def test_an_explicit_encoding_reads_a_legacy_file(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "polish.csv", "Kod;Fragment\nB;zażółć\n".encode("cp1250"))
    assert read_sheet(path, encoding="cp1250").iloc[0]["Fragment"] == "zażółć"


def test_more_rows_than_the_cap_are_refused_naming_the_first_row_beyond(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "a.csv", b"Code,Segment\n" + b"A,x\n" * 6)
    with pytest.raises(UnsafeInputError, match=r"a\.csv, row 7: more than 5 data rows"):
        read_sheet(path, max_rows=5)


def test_a_csv_cell_longer_than_the_cap_is_refused(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "a.csv", b"Code,Segment\nA," + b"x" * 50 + b"\n")
    with pytest.raises(UnsafeInputError, match="row 2"):
        read_sheet(path, max_field_chars=20)


def test_an_xlsx_cell_longer_than_the_cap_is_refused_naming_row_and_column(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, "a.xlsx", [["Code", "Segment"], ["A", "x" * 50]])
    with pytest.raises(UnsafeInputError, match="row 2, column 'Segment'"):
        read_sheet(path, max_field_chars=20)


def test_a_row_with_more_cells_than_the_header_names_the_row(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "a.csv", b"Code,Segment\nA,x\nB,y,stray\n")
    with pytest.raises(MalformedExportError, match=r"a\.csv, row 3: the row has 3 cells but the header has 2"):
        read_sheet(path)


def test_a_ragged_row_is_listed_not_raised_when_skipping(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "a.csv", b"Code,Segment\nA,x\nB,y,stray\n")
    skipped: list[dict] = []
    frame = read_sheet(path, skipped=skipped)
    assert len(frame) == 1 and skipped[0]["row"] == 3 and "3 cells" in skipped[0]["problem"]


def test_xlsx_numbers_and_dates_come_back_as_plain_text(tmp_path: Path) -> None:
    import datetime as dt
    path = write_xlsx(tmp_path, "a.xlsx", [["Code", "Start", "Weight", "Date"],
                                           ["A", 3, 0.5, dt.datetime(2024, 5, 1, 10, 30)]])
    row = read_sheet(path).iloc[0]
    assert (row["Start"], row["Weight"], row["Date"]) == ("3", "0.5", "2024-05-01T10:30:00")


def test_legacy_xls_is_read_with_whole_numbers_and_dates() -> None:
    frame = read_sheet(FIXTURES / "maxqda_segments_de.xls")
    first = frame.iloc[0]
    assert (first["Anfang"], first["Ende"], first["Erstellt am"]) == ("3", "4", "2024-05-01T10:30:00")
    assert first["Segment"] == "Wir reden nicht miteinander.\nNie."


def test_the_kind_of_file_is_told_by_content_not_extension(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path, "a.xlsx", [["Code", "Segment"], ["A", "x"]])
    renamed = xlsx.rename(tmp_path / "really-xlsx.csv")
    assert read_sheet(renamed).iloc[0]["Segment"] == "x"


def test_a_corrupt_xlsx_is_reported_as_malformed(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path, "a.xlsx", [["Code"], ["A"]])
    broken = write_bytes(tmp_path, "broken.xlsx", xlsx.read_bytes()[:200])
    with pytest.raises(MalformedExportError, match="broken.xlsx"):
        read_sheet(broken)


def test_an_empty_file_says_it_has_no_header_row(tmp_path: Path) -> None:
    with pytest.raises(MalformedExportError, match="no header row"):
        read_sheet(write_bytes(tmp_path, "empty.csv", b"\r\n\r\n"))


def test_an_unknown_sheet_name_lists_the_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, "a.xlsx", [["Code"], ["A"]])
    with pytest.raises(MalformedExportError, match=r"sheet 'Nope': no such sheet; the workbook has \['Sheet'\]"):
        read_sheet(path, sheet="Nope")


def test_the_delimiter_falls_back_to_the_header_when_the_sniffer_fails() -> None:
    assert sniff_delimiter("a;b;c\n") == ";"


def rewrite_member(xlsx: Path, target: Path, name: str, change) -> Path:
    """Copy an xlsx, changing one member's bytes."""
    import zipfile
    with zipfile.ZipFile(xlsx) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            out.writestr(info, change(data) if info.filename == name else data)
    return target


def test_an_xlsx_declaring_entities_is_refused_as_unsafe(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path, "a.xlsx", [["Code"], ["A"]])
    bomb = rewrite_member(xlsx, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml",
                          lambda d: b'<!DOCTYPE w [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>' + d)
    with pytest.raises(UnsafeInputError, match=r"member 'xl/worksheets/sheet1.xml'"):
        read_sheet(bomb)


def test_an_xlsx_zip_bomb_is_refused(tmp_path: Path) -> None:
    import zipfile
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    with pytest.raises(UnsafeInputError, match="zip bomb"):
        read_sheet(path)


def test_a_header_with_more_columns_than_excel_allows_is_refused(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "wide.csv", ",".join(f"c{i}" for i in range(16_385)).encode() + b"\n")
    with pytest.raises(UnsafeInputError, match="16385 columns"):
        read_sheet(path)
