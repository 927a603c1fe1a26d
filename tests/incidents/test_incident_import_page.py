"""The incident import page: upload, check, import, history and undo (AppTest)."""

from __future__ import annotations

from survey.users import Role, create_user
from tests.incidents.helpers import SAMPLE, csv_bytes, police_row, stored
from tests.support import app_test, click

PASSWORD = "a long enough passphrase"


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
