"""The incident import page: upload, check, import, history and undo (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.core.settings import get_settings
from survey.staff.users import Role, create_user
from tests.incidents.helpers import SAMPLE, csv_bytes, police_row, stored
from tests.support import app_test, click

PASSWORD = "a long enough passphrase"


@pytest.fixture(autouse=True)
def upload_dir(app_database, tmp_path, monkeypatch) -> Path:
    """Uploads are copied to a folder of this test's own."""
    folder = tmp_path / "uploads"
    monkeypatch.setenv("YOUTHVOICE_UPLOAD_DIR", str(folder))
    get_settings.cache_clear()
    return folder


def _copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*"))


def _page(db, role: Role = Role.ANALYST):
    member = create_user(db, username="ana", password=PASSWORD, role=role)
    at = app_test("pages/incident_import.py")
    at.session_state["staff_user_id"] = member.id
    return at.run()


def test_incident_import_page_empty_shows_choices_and_no_history(app_database, db):
    at = _page(db)
    assert not at.exception and at.title[0].value == "Incident data"
    assert "police.uk" in at.selectbox[0].value
    assert "A&E assault attendances (ISTV extract)" in at.selectbox[0].options
    assert "No incident data imported yet" in at.info[0].value


def test_incident_import_page_upload_check_then_import(app_database, db):
    at = _page(db)
    at.file_uploader[0].set_value((SAMPLE.name, SAMPLE.read_bytes(), "text/csv"))
    at.run()
    assert not at.exception
    assert "Checked 1 file: 20 incidents to store" in at.info[0].value
    assert stored(db) == 0  # nothing until confirmed
    click(at, "Import")
    assert any("stored 20 incidents" in s.value for s in at.success)
    assert stored(db) == 20
    history = at.dataframe[-1].value
    assert history["rows_stored"].tolist() == [20]


def test_incident_import_page_errors_block_import_unless_good_rows(app_database, db):
    at = _page(db)
    data = csv_bytes([police_row(), police_row(month="2019-13")])
    at.file_uploader[0].set_value(("bad.csv", data, "text/csv"))
    at.run()
    assert "1 rows have errors" in at.error[0].value
    errors = at.dataframe[0].value
    assert errors[["line", "reason"]].values.tolist()[0][0] == 3
    assert next(b for b in at.button if b.label == "Import").disabled
    at.checkbox[0].check().run()
    click(at, "Import")
    assert stored(db) == 1


def test_incident_import_page_undo_from_history(app_database, db):
    at = _page(db)
    at.file_uploader[0].set_value((SAMPLE.name, SAMPLE.read_bytes(), "text/csv"))
    at.run()
    click(at, "Import")
    at.file_uploader[0].set_value(None)
    at.run()
    click(at, "Undo this import")
    assert not at.exception
    assert "removed 20 incidents" in at.success[0].value
    assert stored(db) == 0
    assert at.dataframe[-1].value["status"].tolist() == ["undone"]


def test_incident_import_page_refuses_other_roles(app_database, db):
    at = _page(db, Role.BOARD)
    assert [e.value for e in at.error] == ["Your account doesn't have access to this page."]
    assert not at.file_uploader


def test_incident_import_page_works_from_a_copy_deleted_after_the_import(
    app_database, db, upload_dir
):
    at = _page(db)
    at.file_uploader[0].set_value((SAMPLE.name, SAMPLE.read_bytes(), "text/csv"))
    at.run()
    [copy] = _copies(upload_dir)  # checked from a copy on disk, not from memory
    assert copy.name == SAMPLE.name and copy.read_bytes() == SAMPLE.read_bytes()
    click(at, "Import")
    assert stored(db) == 20
    assert _copies(upload_dir) == []  # imported: the copy is gone
    assert at.dataframe[-1].value["file_name"].tolist() == [SAMPLE.name]


def test_incident_import_page_deletes_the_copy_when_the_upload_is_removed(
    app_database, db, upload_dir
):
    at = _page(db)
    at.file_uploader[0].set_value((SAMPLE.name, SAMPLE.read_bytes(), "text/csv"))
    at.run()
    assert len(_copies(upload_dir)) == 1
    at.file_uploader[0].set_value(None)
    at.run()
    assert not at.exception and _copies(upload_dir) == []
    assert stored(db) == 0
