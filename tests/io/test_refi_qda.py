"""REFI-QDA reading on small fixtures written here: every vendor quirk and every malformed case."""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

from icevidence.io.errors import MalformedExportError, UnsafeInputError
from icevidence.io.refi_qda import RefiValidationWarning, read_qdc, read_qde, read_qdpx

EMOJI_TEXT = "Hi 😀 there, I think 👍🏽 integration works."


def segment(study, n=0):
    return study.segments.iloc[n]


def test_code_tree_keeps_nesting_order_and_descriptions(make_qdpx, refi):
    g = refi.guid
    body = (f'<CodeBook><Codes><Code guid="{g(1)}" name="Theme" isCodable="false"><Description>about</Description>'
            f'<Code guid="{g(2)}" name="Main" isCodable="true"><Code guid="{g(3)}" name="Sub" isCodable="true"/>'
            f'</Code></Code><Code guid="{g(4)}" name="Other" isCodable="true"/></Codes></CodeBook>')
    codes = read_qdpx(make_qdpx(refi.project_xml(body))).codes
    assert codes["name"].tolist() == ["Theme", "Main", "Sub", "Other"]
    assert codes["level"].tolist() == ["overarching", "main", "sub", "overarching"]
    assert codes["parent_id"].fillna("").tolist() == ["", g(1), g(2), ""]
    assert codes.set_index("name").loc["Theme", "description"] == "about"


def test_selection_text_is_sliced_by_code_points(text_project, refi):
    study = read_qdpx(text_project("Hello world", refi.selection_xml(5, 6, 11)))
    assert (segment(study)["text"], segment(study)["start"], segment(study)["end"]) == ("world", 6, 11)


def test_astral_characters_count_one_for_other_vendors(text_project, refi):
    start = EMOJI_TEXT.index("there")
    study = read_qdpx(text_project(EMOJI_TEXT, refi.selection_xml(5, start, start + 5), origin="MAXQDA 24"))
    assert segment(study)["text"] == "there"


def test_nvivo_positions_are_utf16_units_and_converted(text_project, refi):
    start16 = len(EMOJI_TEXT[:EMOJI_TEXT.index("integration")].encode("utf-16-le")) // 2
    study = read_qdpx(text_project(EMOJI_TEXT, refi.selection_xml(5, start16, start16 + 11),
                                   origin="NVivo for Windows 12.6"))
    row = segment(study)
    assert row["text"] == "integration" and row["start"] == EMOJI_TEXT.index("integration")
    assert study.meta["refi"]["positions"] == "utf16"


def test_study_yml_can_force_the_position_unit(text_project, refi):
    start = EMOJI_TEXT.index("there")
    path = text_project(EMOJI_TEXT, refi.selection_xml(5, start, start + 5), origin="NVivo for Mac 12.7")
    assert segment(read_qdpx(path, config={"refi": {"positions": "codepoints"}}))["text"] == "there"


def test_crlf_line_ends_are_kept_and_counted(text_project, refi):
    text = "Line one\r\nLine two\r\n"
    study = read_qdpx(text_project(text.encode("utf-8"), refi.selection_xml(5, 10, 18)))
    assert segment(study)["text"] == "Line two"


def test_leading_bom_is_not_counted(text_project, refi):
    study = read_qdpx(text_project("\ufeffAbc def".encode("utf-8"), refi.selection_xml(5, 4, 7)))
    assert segment(study)["text"] == "def"


def test_guids_with_braces_and_upper_case_match(make_qdpx, refi):
    g = refi.guid
    body = (f'<CodeBook><Codes><Code guid="{g(100, braces=True, upper=True)}" name="A" isCodable="true"/>'
            f'</Codes></CodeBook><Sources><TextSource guid="{g(1, braces=True)}" name="d" '
            f'plainTextPath="internal://d.txt"><PlainTextSelection guid="{g(5, upper=True)}" startPosition="0" '
            f'endPosition="2"><Coding guid="{g(6, braces=True)}"><CodeRef targetGUID="{g(100)}"/></Coding>'
            f"</PlainTextSelection></TextSource></Sources>")
    study = read_qdpx(make_qdpx(refi.project_xml(body), {"sources/d.txt": "ok!"}))
    assert (segment(study)["code_id"], segment(study)["segment_id"]) == (g(100), g(6))


def test_sources_folder_may_be_capitalised(make_qdpx, refi):
    body = (refi.codebook_xml("A") + f'<Sources><TextSource guid="{refi.guid(1)}" name="d" '
            f'plainTextPath="internal://d.txt">{refi.selection_xml(5, 0, 2)}</TextSource></Sources>')
    study = read_qdpx(make_qdpx(refi.project_xml(body), {"Sources/d.txt": "ok!"}))
    assert segment(study)["text"] == "ok"


def test_project_file_need_not_be_named_project_qde(make_qdpx, refi):
    path = make_qdpx(refi.project_xml(refi.codebook_xml("A")), qde_name="My Study.qde")
    assert read_qdpx(path).codes["name"].tolist() == ["A"]


def test_inline_plain_text_content_is_used(make_qdpx, refi):
    body = (refi.codebook_xml("A") + f'<Sources><TextSource guid="{refi.guid(1)}" name="d">'
            f"<PlainTextContent>inline text</PlainTextContent>{refi.selection_xml(5, 7, 11)}</TextSource></Sources>")
    assert segment(read_qdpx(make_qdpx(refi.project_xml(body))))["text"] == "text"


def cases_xml(refi, *cases):
    return "<Cases>" + "".join(cases) + "</Cases>"


VARIABLES = ('<Variables><Variable guid="{0}" name="Tier" typeOfVariable="Text"/>'
             '<Variable guid="{1}" name="Site" typeOfVariable="Text"/>'
             '<Variable guid="{2}" name="Age" typeOfVariable="Integer"/>'
             '<Variable guid="{3}" name="Consent" typeOfVariable="Boolean"/>'
             '<Variable guid="{4}" name="Interviewed" typeOfVariable="Date"/></Variables>')


def value(refi, var, tag, text):
    return f'<VariableValue><VariableRef targetGUID="{refi.guid(var)}"/><{tag}>{text}</{tag}></VariableValue>'


def test_case_with_variables_gives_participant_tier_and_site(text_project, refi):
    variables = VARIABLES.format(*(refi.guid(n) for n in range(200, 205)))
    case = (f'<Case guid="{refi.guid(300)}" name="P7">' + value(refi, 200, "TextValue", "meso")
            + value(refi, 201, "TextValue", "Leeds") + value(refi, 202, "IntegerValue", "54")
            + value(refi, 203, "BooleanValue", "true") + value(refi, 204, "DateValue", "2024-03-01")
            + f'<SourceRef targetGUID="{refi.guid(1)}"/></Case>')
    study = read_qdpx(text_project("Some text", refi.selection_xml(5, 0, 4), cases=cases_xml(refi, case),
                                   variables=variables))
    person = study.participants.iloc[0]
    assert (person["participant_id"], person["tier"], person["site"]) == ("P7", "meso", "Leeds")
    assert (segment(study)["participant_id"], segment(study)["tier"]) == ("P7", "meso")


def test_variable_values_of_every_type_can_name_the_participant(text_project, refi):
    variables = VARIABLES.format(*(refi.guid(n) for n in range(200, 205)))
    case = (f'<Case guid="{refi.guid(300)}" name="x">' + value(refi, 202, "IntegerValue", "54")
            + f'<SourceRef targetGUID="{refi.guid(1)}"/></Case>')
    config = {"participants": {"from": "case_variable", "name": "age", "pattern": r"(\d+)"}}
    study = read_qdpx(text_project("Some text", refi.selection_xml(5, 0, 4), cases=cases_xml(refi, case),
                                   variables=variables), config=config)
    assert segment(study)["participant_id"] == "54"


def test_maxqda_unnamed_case_carries_file_variables(text_project, refi):
    variables = VARIABLES.format(*(refi.guid(n) for n in range(200, 205)))
    case = (f'<Case guid="{refi.guid(300)}">' + value(refi, 201, "TextValue", "Bexley")
            + f'<SourceRef targetGUID="{refi.guid(1)}"/></Case>')
    config = {"participants": {"from": "document"}}
    study = read_qdpx(text_project("Some text", refi.selection_xml(5, 0, 4), cases=cases_xml(refi, case),
                                   variables=variables), config=config)
    assert study.participants.iloc[0][["participant_id", "site"]].tolist() == ["interview 1", "Bexley"]
    assert study.meta["refi"]["cases"] == 1


def test_document_in_several_cases_is_not_guessed(text_project, refi):
    cases = "".join(f'<Case guid="{refi.guid(300 + i)}" name="P{i}"><SourceRef targetGUID="{refi.guid(1)}"/></Case>'
                    for i in range(2))
    study = read_qdpx(text_project("Some text", refi.selection_xml(5, 0, 4), cases=cases_xml(refi, cases)))
    assert pd.isna(segment(study)["participant_id"])
    assert study.meta["unmatched"] == [{"document": "interview 1", "segment_id": refi.guid(1005)}]


def test_selection_ref_of_a_case_wins_over_its_source(text_project, refi):
    cases = (f'<Case guid="{refi.guid(300)}" name="Focus group"><SourceRef targetGUID="{refi.guid(1)}"/></Case>'
             f'<Case guid="{refi.guid(301)}" name="Speaker 2"><SelectionRef targetGUID="{refi.guid(6)}"/></Case>')
    selections = refi.selection_xml(5, 0, 4) + refi.selection_xml(6, 5, 9)
    study = read_qdpx(text_project("Some text", selections, cases=cases_xml(refi, cases)))
    assert study.segments["participant_id"].tolist() == ["Focus group", "Speaker 2"]


def test_selection_with_description_but_no_coding_is_not_a_segment(text_project, refi):
    selections = refi.selection_xml(5, 0, 4, code=None, description="check this") + refi.selection_xml(6, 5, 9)
    study = read_qdpx(text_project("Some text", selections))
    assert len(study.segments) == 1
    assert study.meta["uncoded_selections"] == [{"document": "interview 1", "selection": refi.guid(5),
                                                 "description": "check this"}]


def test_selection_description_becomes_the_segment_note(text_project, refi):
    study = read_qdpx(text_project("Some text", refi.selection_xml(5, 0, 4, description="why?")))
    assert segment(study)["note"] == "why?"


def test_zero_length_selection_is_kept_with_a_note(text_project, refi):
    study = read_qdpx(text_project("Some text", refi.selection_xml(5, 4, 4)))
    assert (segment(study)["text"], segment(study)["note"]) == ("", "zero-length selection")


def test_one_segment_row_per_coding(text_project, refi):
    g = refi.guid
    selection = (f'<PlainTextSelection guid="{g(5)}" startPosition="0" endPosition="4">'
                 f'<Coding guid="{g(50)}"><CodeRef targetGUID="{g(100)}"/></Coding>'
                 f'<Coding guid="{g(51)}"><CodeRef targetGUID="{g(101)}"/></Coding></PlainTextSelection>')
    study = read_qdpx(text_project("Some text", selection))
    assert study.segments[["segment_id", "code_id", "text"]].values.tolist() == [
        [g(50), g(100), "Some"], [g(51), g(101), "Some"]]


def test_coding_of_a_whole_source_is_kept(text_project, refi):
    whole = f'<Coding guid="{refi.guid(60)}"><CodeRef targetGUID="{refi.guid(101)}"/></Coding>'
    study = read_qdpx(text_project("Some text", "", source_extra=whole))
    assert segment(study)["note"] == "coding of the whole TextSource"


def test_note_refs_are_added_to_the_segment_note(make_qdpx, refi):
    g = refi.guid
    body = (refi.codebook_xml("A") + f'<Sources><TextSource guid="{g(1)}" name="d"><PlainTextContent>abc'
            f'</PlainTextContent><PlainTextSelection guid="{g(5)}" startPosition="0" endPosition="3">'
            f'<Coding guid="{g(6)}"><CodeRef targetGUID="{g(100)}"/><NoteRef targetGUID="{g(70)}"/></Coding>'
            f'</PlainTextSelection></TextSource></Sources><Notes><Note guid="{g(70)}" name="memo">'
            "<PlainTextContent>a memo</PlainTextContent></Note></Notes>")
    assert segment(read_qdpx(make_qdpx(refi.project_xml(body))))["note"] == "note: a memo"


def test_document_sets_become_a_set_variable(text_project, make_qdpx, refi):
    sets = (f'<Sets><Set guid="{refi.guid(80)}" name="Site: Leeds"><MemberSource targetGUID="{refi.guid(1)}"/>'
            "</Set></Sets>")
    body = (refi.codebook_xml("A") + f'<Sources><TextSource guid="{refi.guid(1)}" name="P1 interview">'
            f"<PlainTextContent>abc</PlainTextContent>{refi.selection_xml(5, 0, 3)}</TextSource></Sources>{sets}")
    config = {"participants": {"from": "document", "pattern": r"^(P\d+)"},
              "mapping": {"site": [{"field": "set", "pattern": "Leeds", "value": "Leeds"}]}}
    study = read_qdpx(make_qdpx(refi.project_xml(body)), config=config)
    assert study.participants.iloc[0][["participant_id", "site"]].tolist() == ["P1", "Leeds"]


def test_pdf_selection_takes_its_representation_text(make_qdpx, refi):
    g = refi.guid
    body = (refi.codebook_xml("A") + f'<Sources><PDFSource guid="{g(1)}" name="report.pdf" path="internal://r.pdf">'
            f'<PDFSelection guid="{g(5)}" page="2" firstX="1" firstY="2" secondX="3" secondY="4">'
            f'<Representation guid="{g(7)}"><PlainTextContent>pdf words</PlainTextContent></Representation>'
            f'<Coding guid="{g(6)}"><CodeRef targetGUID="{g(100)}"/></Coding></PDFSelection></PDFSource></Sources>')
    row = segment(read_qdpx(make_qdpx(refi.project_xml(body))))
    assert (row["text"], row["note"]) == ("pdf words", "PDFSelection page 2, area (1,2)-(3,4)")


def test_dangling_code_ref_names_the_element(text_project, refi):
    path = text_project("Some text", refi.selection_xml(5, 0, 4, code=999))
    with pytest.raises(MalformedExportError, match=r"test\.qdpx.*PlainTextSelection guid=.*dangling CodeRef"):
        read_qdpx(path)


def test_selection_beyond_the_end_of_its_text_names_the_element(text_project, refi):
    path = text_project("Short", refi.selection_xml(5, 2, 40))
    with pytest.raises(MalformedExportError, match=r"line \d+, <PlainTextSelection.*2-40 goes beyond the end.*5 "):
        read_qdpx(path)


def test_selection_with_start_after_end_is_malformed(text_project, refi):
    with pytest.raises(MalformedExportError, match="not a valid range"):
        read_qdpx(text_project("Some text", refi.selection_xml(5, 6, 2)))


def test_missing_source_text_in_the_archive_is_malformed(make_qdpx, refi):
    body = (refi.codebook_xml("A") + f'<Sources><TextSource guid="{refi.guid(1)}" name="d" '
            f'plainTextPath="internal://gone.txt">{refi.selection_xml(5, 0, 2)}</TextSource></Sources>')
    with pytest.raises(MalformedExportError, match="'internal://gone.txt' of document 'd' is missing"):
        read_qdpx(make_qdpx(refi.project_xml(body)))


def test_skip_invalid_imports_the_rest_and_lists_each_skipped_coding(text_project, refi):
    selections = (refi.selection_xml(5, 0, 4) + refi.selection_xml(6, 0, 4, code=999)
                  + refi.selection_xml(7, 3, 99))
    study = read_qdpx(text_project("Some text", selections), skip_invalid=True)
    assert study.segments["segment_id"].tolist() == [refi.guid(1005)]
    skipped = study.meta["skipped"]
    assert [s["segment_id"] for s in skipped] == [refi.guid(1006), refi.guid(7)]
    assert "dangling CodeRef" in skipped[0]["problem"] and "beyond the end" in skipped[1]["problem"]


def test_source_text_that_is_not_utf8_names_the_member(text_project, refi):
    with pytest.raises(MalformedExportError, match=r"member 'sources/doc\.txt'.*not valid UTF-8"):
        read_qdpx(text_project(b"caf\xe9 au lait", refi.selection_xml(5, 0, 3)))


def test_truncated_xml_is_malformed_with_its_line(make_qdpx, refi):
    xml = refi.project_xml(refi.codebook_xml("A", "B"))
    with pytest.raises(MalformedExportError, match=r"line \d+.*(not well-formed XML|truncated)"):
        read_qdpx(make_qdpx(xml[: len(xml) // 2]))


def test_xml_with_mismatched_tags_is_malformed(make_qdpx, refi):
    with pytest.raises(MalformedExportError, match=r"line \d+: not well-formed XML"):
        read_qdpx(make_qdpx(refi.project_xml("<Users></CodeBook>")))


def test_xxe_in_the_project_is_refused(make_qdpx):
    xml = ('<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>')
    with pytest.raises(UnsafeInputError, match="DOCTYPE"):
        read_qdpx(make_qdpx(xml))


def test_xsd_violation_is_a_warning_with_its_line_and_the_data_is_read(make_qdpx, refi):
    body = (f'<CodeBook><Codes>\n<Code guid="{refi.guid(1)}" name="A" isCodable="true" colour="red"/>'
            "\n</Codes></CodeBook>")
    with pytest.warns(RefiValidationWarning, match=r"line 4: breaks the REFI-QDA XSD.*colour"):
        study = read_qdpx(make_qdpx(refi.project_xml(body)))
    assert study.codes["name"].tolist() == ["A"]


def test_xsd_violation_in_a_large_file_is_found_by_the_second_process(make_qdpx, refi, monkeypatch):
    import icevidence.io.refi_qda as refi_qda
    monkeypatch.setattr(refi_qda, "PARALLEL_VALIDATION_BYTES", 0)
    body = (f'<CodeBook><Codes>\n<Code guid="{refi.guid(1)}" name="A" isCodable="true" colour="red"/>'
            "\n</Codes></CodeBook>")
    with pytest.warns(RefiValidationWarning, match=r"line 4: breaks the REFI-QDA XSD.*colour"):
        study = read_qdpx(make_qdpx(refi.project_xml(body)))
    assert study.codes["name"].tolist() == ["A"]


def test_valid_project_gives_no_warning(text_project, refi):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_qdpx(text_project("Some text", refi.selection_xml(5, 0, 4)))


def test_bare_qde_reads_texts_from_a_sources_folder_beside_it(tmp_path, refi):
    body = (refi.codebook_xml("A") + f'<Sources><TextSource guid="{refi.guid(1)}" name="d" '
            f'plainTextPath="internal://d.txt">{refi.selection_xml(5, 0, 2)}</TextSource></Sources>')
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "d.txt").write_text("ok!", encoding="utf-8")
    (tmp_path / "p.qde").write_text(refi.project_xml(body), encoding="utf-8")
    assert segment(read_qde(tmp_path / "p.qde"))["text"] == "ok"


def test_each_text_source_keeps_its_full_length_in_code_points_coded_or_not(make_qdpx, refi):
    g = refi.guid
    body = (refi.codebook_xml("A") + "<Sources>"
            f'<TextSource guid="{g(1)}" name="coded" plainTextPath="internal://a.txt">'
            f'{refi.selection_xml(5, 0, 2)}</TextSource>'
            f'<TextSource guid="{g(2)}" name="uncoded" plainTextPath="internal://b.txt"/>'
            f'<TextSource guid="{g(3)}" name="inline"><PlainTextContent>four</PlainTextContent></TextSource>'
            "</Sources>")
    path = make_qdpx(refi.project_xml(body, origin="NVivo for Windows 12.6"),
                     {"sources/a.txt": EMOJI_TEXT, "sources/b.txt": "x" * 100})
    lengths = read_qdpx(path).documents.set_index("document")["characters"].to_dict()
    assert lengths == {"coded": len(EMOJI_TEXT), "uncoded": 100, "inline": 4}


def test_a_source_whose_text_is_not_there_has_no_length(tmp_path, refi):
    body = (refi.codebook_xml("A") + f'<Sources><TextSource guid="{refi.guid(1)}" name="d" '
            'plainTextPath="internal://d.txt"/></Sources>')
    (tmp_path / "p.qde").write_text(refi.project_xml(body), encoding="utf-8")
    assert read_qde(tmp_path / "p.qde").documents.empty


def test_bare_qde_never_reads_outside_its_sources_folder(tmp_path, refi):
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    body = (refi.codebook_xml("A") + f'<Sources><TextSource guid="{refi.guid(1)}" name="d" '
            f'plainTextPath="internal://../secret.txt">{refi.selection_xml(5, 0, 2)}</TextSource></Sources>')
    (tmp_path / "sources").mkdir()
    (tmp_path / "p.qde").write_text(refi.project_xml(body), encoding="utf-8")
    with pytest.warns(UserWarning, match="not available"):
        study = read_qde(tmp_path / "p.qde")
    assert "secret" not in segment(study)["text"]


def test_codebook_file_gives_the_code_table(tmp_path, refi):
    path = tmp_path / "c.qdc"
    path.write_text(f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{refi.guid(1)}" name="A" '
                    f'isCodable="true"><Code guid="{refi.guid(2)}" name="B" isCodable="true"/></Code></Codes>'
                    "</CodeBook>", encoding="utf-8")
    codes = read_qdc(path)
    assert codes[["code_id", "parent_id", "name"]].fillna("").values.tolist() == [
        [refi.guid(1), "", "A"], [refi.guid(2), refi.guid(1), "B"]]


def test_a_large_project_streams_every_selection(make_qdpx, refi):
    """All 50,000 selections are read, the last from the end of the text (speed: bench/scale.py, not a test)."""
    n = 50_000
    text = " ".join(f"w{i:05d}" for i in range(n))
    selections = "".join(refi.selection_xml(10_000 + i, 7 * i, 7 * i + 6, code=100 + i % 2) for i in range(n))
    body = (refi.codebook_xml("A", "B") + f'<Sources><TextSource guid="{refi.guid(1)}" name="d" '
            f'plainTextPath="internal://d.txt">{selections}</TextSource></Sources>')
    path = make_qdpx(refi.project_xml(body), {"sources/d.txt": text})
    study = read_qdpx(path)
    assert len(study.segments) == n and study.segments["text"].iloc[-1] == f"w{n - 1:05d}"


@pytest.mark.parametrize("path", ["relative://doc.txt", "sources/doc.txt", "doc.txt", "C:\\Users\\me\\doc.txt"])
def test_a_source_named_without_internal_prefix_is_found_in_the_archive(make_qdpx, refi, path):
    body = (refi.codebook_xml("A", "B") + "<Sources>"
            f'<TextSource guid="{refi.guid(1)}" name="interview 1" plainTextPath="{path}">'
            f"{refi.selection_xml(5, 6, 11)}</TextSource></Sources>")
    study = read_qdpx(make_qdpx(refi.project_xml(body, "Small coder 0.1"), {"sources/doc.txt": "Hello world"}))
    assert segment(study)["text"] == "world"


def test_a_source_path_leaving_the_archive_is_not_followed(make_qdpx, refi):
    body = (refi.codebook_xml("A", "B") + "<Sources>"
            f'<TextSource guid="{refi.guid(1)}" name="interview 1" plainTextPath="relative://../doc.txt">'
            f"{refi.selection_xml(5, 6, 11)}</TextSource></Sources>")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        study = read_qdpx(make_qdpx(refi.project_xml(body, "Small coder 0.1"), {"sources/doc.txt": "Hello world"}))
    assert segment(study)["text"] != "world"
