"""Text staff typed (session names, display names, alert notes and who wrote them, action
fields, import file names) is shown as text on every page that shows it: never read as
Markdown or HTML, so it can't make a young person's phone fetch another site."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from survey.core.models import SafeguardingAlert
from survey.participation.actions import ActionStatus, record_action
from survey.safeguarding.alerts import AlertState, change_alert_state
from survey.staff.users import Role, create_user
from tests.incidents.helpers import SAMPLE
from tests.markdown_checks import HOSTILE, HOSTILE_EXTRAS, assert_shown_as_text
from tests.support import PASSWORD, app_test, new_session, send, staff

DISCLOSURE = {"unsafe_place_text": "i self harm most nights"}  # raises a safeguarding alert
HOSTILE_FILE_NAME = HOSTILE_EXTRAS.replace("/", "")  # a file name has no slashes


def _as(member, page: str, **query):
    at = app_test(page)
    at.session_state["staff_user_id"] = member.id
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _alerted_session(db, definition, worker, name: str = "Year 9, Dane Court"):
    session = new_session(db, worker, definition, name=name)
    send(db, definition, DISCLOSURE, "alert", session_id=session.id)
    return db.exec(select(SafeguardingAlert.id)).one()


def test_staff_text_session_name_on_the_young_persons_welcome_page(app_database, db, definition):
    session = new_session(db, staff(db, "wendy", Role.WORKER), definition, name=HOSTILE_EXTRAS)
    at = app_test("pages/survey.py")
    at.query_params["code"] = session.code  # the QR code's link
    assert_shown_as_text(at.run(), HOSTILE_EXTRAS)


def test_staff_text_session_name_on_the_review_desk(app_database, db, definition):
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition, name=HOSTILE_EXTRAS)
    send(
        db, definition, {"unsafe_place_text": "men at the bus station"}, "r", session_id=session.id
    )
    assert_shown_as_text(_as(worker, "pages/review_desk.py"), HOSTILE_EXTRAS)


def test_staff_text_session_name_in_the_safeguarding_alert_list(app_database, db, definition):
    worker = staff(db, "wendy", Role.WORKER)
    _alerted_session(db, definition, worker, name=HOSTILE_EXTRAS)
    assert_shown_as_text(_as(worker, "pages/safeguarding_alerts.py"), HOSTILE_EXTRAS)
    lead = staff(db, "lead", Role.SAFEGUARDING_LEAD)
    assert_shown_as_text(_as(lead, "pages/safeguarding_alerts.py"), HOSTILE_EXTRAS)


@pytest.mark.parametrize(
    "page", ["pages/sessions.py", "pages/live_session.py", "pages/paper_forms.py"]
)
def test_staff_text_session_name_in_the_session_picker(app_database, db, definition, page):
    worker = staff(db, "wendy", Role.WORKER)
    new_session(db, worker, definition, name=HOSTILE_EXTRAS)
    assert_shown_as_text(_as(worker, page), HOSTILE_EXTRAS)


def test_staff_text_display_name_on_the_sign_in_page(app_database, db):
    member = create_user(
        db, username="dee", password=PASSWORD, role=Role.ANALYST, display_name=HOSTILE
    )
    assert_shown_as_text(_as(member, "pages/sign_in.py"), HOSTILE)


def test_staff_text_alert_note_in_the_alert_history(app_database, db, definition):
    worker = staff(db, "wendy", Role.WORKER)
    alert_id = _alerted_session(db, definition, worker)
    change_alert_state(db, worker, alert_id, AlertState.SEEN, HOSTILE_EXTRAS)
    assert_shown_as_text(_as(worker, "pages/safeguarding_alerts.py"), HOSTILE_EXTRAS)


def test_staff_text_alert_by_in_the_alert_history(app_database, db, definition):
    # A username is letters, digits, dots, dashes and underscores; "__y__" is still bold.
    worker = staff(db, "x.__y__", Role.WORKER)
    alert_id = _alerted_session(db, definition, worker)
    change_alert_state(db, worker, alert_id, AlertState.SEEN, "phoned the school's DSL")
    assert_shown_as_text(_as(worker, "pages/safeguarding_alerts.py"), "x.__y__")


@pytest.mark.parametrize(
    ("field", "pages"),
    [
        ("asked", ["pages/you_said_we_did.py", "pages/actions.py"]),
        ("done", ["pages/you_said_we_did.py", "pages/actions.py"]),
        ("owner", ["pages/actions.py"]),
    ],
)
def test_staff_text_action_fields(app_database, db, definition, field, pages):
    board = staff(db, "bea", Role.BOARD)
    fields = {"asked": "More buses", "done": "Later buses", "owner": "Transport lead"}
    record_action(
        db,
        board,
        theme_id="ask.transport",
        district=None,
        **{**fields, field: HOSTILE_EXTRAS},
        status=ActionStatus.DONE,
        action_date=date(2026, 3, 2),
        theme_ids=["ask.transport"],
        districts=definition.dimensions.district_names,
    )
    for page in pages:
        at = app_test(page).run() if "you_said" in page else _as(board, page)
        assert_shown_as_text(at, HOSTILE_EXTRAS)


def test_staff_text_import_file_name_in_an_unreadable_file_error(app_database, db):
    analyst = staff(db, "ana", Role.ANALYST)
    at = _as(analyst, "pages/incident_import.py")
    name = f"{HOSTILE_FILE_NAME}.zip"
    at.file_uploader[0].set_value((name, b"PK\x03\x04 not really a zip", "application/zip"))
    assert_shown_as_text(at.run(), name)


def test_staff_text_import_file_name_in_the_history_and_undo_list(app_database, db):
    analyst = staff(db, "ana", Role.ANALYST)
    at = _as(analyst, "pages/incident_import.py")
    name = f"{HOSTILE_FILE_NAME}.csv"
    at.file_uploader[0].set_value((name, SAMPLE.read_bytes(), "text/csv")).run()
    next(b for b in at.button if b.label == "Import").click().run()
    at.file_uploader[0].set_value(None).run()
    assert_shown_as_text(at, name)
    next(b for b in at.button if b.label == "Undo this import").click().run()
    assert_shown_as_text(at, name)
