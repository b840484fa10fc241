"""Who coded each segment: the `coder` column filled by the importers and written back by export-qdpx."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from icevidence.io.atlasti import read_atlasti_quotations
from icevidence.io.maxqda import read_maxqda_segments
from icevidence.io.qualcoder import read_qualcoder
from icevidence.io.refi_qda import read_qdpx
from icevidence.io.refi_writer import write_qdpx

TEXT = "Alpha beta gamma delta epsilon zeta."


def two_user_project(refi, coding_users: tuple[str | None, str | None] = ("{u1}", "{u2}")) -> str:
    """A project whose two codings of one passage were made by two users (Ann and Bo)."""
    users = (f'<Users><User guid="{refi.guid(1)}" name="Ann"/><User guid="{refi.guid(2)}" name="Bo"/></Users>')
    codings = []
    for n, user in enumerate(coding_users):
        who = "" if user is None else f' creatingUser="{user.format(u1=refi.guid(1), u2=refi.guid(2))}"'
        codings.append(f'<Coding guid="{refi.guid(500 + n)}"{who}><CodeRef targetGUID="{refi.guid(100)}"/></Coding>')
    selection = (f'<PlainTextSelection guid="{refi.guid(50)}" startPosition="0" endPosition="10">'
                 f'{"".join(codings)}</PlainTextSelection>')
    body = (users + refi.codebook_xml("A") + f'<Sources><TextSource guid="{refi.guid(10)}" name="interview 1" '
            f'plainTextPath="internal://doc.txt">{selection}</TextSource></Sources>')
    return refi.project_xml(body)


def test_refi_codings_get_their_creating_users_name(make_qdpx, refi):
    study = read_qdpx(make_qdpx(two_user_project(refi), {"sources/doc.txt": TEXT}))
    assert sorted(study.segments["coder"]) == ["Ann", "Bo"]


def test_refi_creating_user_naming_no_user_keeps_the_guid(make_qdpx, refi):
    unknown = "00000000-0000-4000-8000-000000000099"
    study = read_qdpx(make_qdpx(two_user_project(refi, ("{u1}", unknown)), {"sources/doc.txt": TEXT}))
    assert sorted(study.segments["coder"]) == sorted(["Ann", unknown])


def test_refi_coding_without_creating_user_has_no_coder(make_qdpx, refi):
    study = read_qdpx(make_qdpx(two_user_project(refi, ("{u1}", None)), {"sources/doc.txt": TEXT}))
    assert study.segments["coder"].isna().sum() == 1


def test_refi_project_users_are_listed_in_the_import_meta(make_qdpx, refi):
    study = read_qdpx(make_qdpx(two_user_project(refi), {"sources/doc.txt": TEXT}))
    assert study.meta["refi"]["user_names"] == ["Ann", "Bo"]


def test_two_user_refi_file_round_trips_its_coders(make_qdpx, refi, tmp_path):
    first = read_qdpx(make_qdpx(two_user_project(refi), {"sources/doc.txt": TEXT}))
    again = read_qdpx(write_qdpx(first, tmp_path / "again.qdpx"))
    pairs = lambda s: sorted(zip(s.segments["segment_id"], s.segments["coder"]))  # noqa: E731
    assert pairs(again) == pairs(first) and set(again.meta["refi"]["user_names"]) >= {"Ann", "Bo"}


def test_segments_without_a_coder_are_written_without_a_creating_user(make_qdpx, refi, tmp_path):
    first = read_qdpx(make_qdpx(two_user_project(refi, ("{u1}", None)), {"sources/doc.txt": TEXT}))
    again = read_qdpx(write_qdpx(first, tmp_path / "again.qdpx"))
    assert again.segments["coder"].isna().sum() == 1


def test_maxqda_author_column_is_the_coder(tmp_path: Path):
    path = tmp_path / "segments.csv"
    path.write_text("Document name,Code,Segment,Beginning,End,Author\n"
                    "P01,Barriers,We never talk.,1,1,ann\nP01,Barriers,Budgets.,2,2,\n", encoding="utf-8")
    assert read_maxqda_segments(path).segments["coder"].tolist() == ["ann", pd.NA]


def test_maxqda_real_polish_xls_names_its_author(real_exports: Path):
    study = read_maxqda_segments(real_exports / "maxqda" / "test.xls")
    assert study.segments["coder"].value_counts().to_dict() == {"agata": 402}


def test_atlasti_created_by_column_is_the_coder(tmp_path: Path):
    path = tmp_path / "quotations.csv"
    path.write_text("Number;Document;Codes;Text Content;Created by\n1:1;P01;Barriers;We never talk.;Ann\n",
                    encoding="utf-8")
    assert read_atlasti_quotations(path).segments["coder"].tolist() == ["Ann"]


def test_qualcoder_report_coder_column_is_the_coder(tmp_path: Path):
    path = tmp_path / "report.csv"
    path.write_text('"File","Coder","Coded","Id","Codename"\n"P01.docx","Ana","We never talk.","ctid:1","Silos"\n',
                    encoding="utf-8")
    assert read_qualcoder(path).segments["coder"].tolist() == ["Ana"]


@pytest.mark.parametrize("name", ["oltas0517.qdpx", "OltasSzkepticizmus_17June.qdpx"])
def test_real_nvivo_projects_list_two_users_but_one_coded(real_exports: Path, name: str):
    study = read_qdpx(real_exports / "nvivo" / name)
    assert len(study.meta["refi"]["user_names"]) == 2 and study.segments["coder"].nunique() == 1



def test_maxqda_mex_author_is_the_coder(real_exports: Path):
    from icevidence.io.maxqda import read_mex
    assert read_mex(real_exports / "maxqda" / "test.mex").segments["coder"].value_counts().to_dict() == {"agata": 402}
