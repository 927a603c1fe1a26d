"""A room that flows, page by page: the live screen's presentation mode, archiving and
creating a session once, the address warning, and answers sent after the session closed."""

from __future__ import annotations

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from survey.core.models import ParticipationSession, Response
from survey.core.settings import get_settings
from survey.staff.users import Role
from tests.support import app_test, click, fill_whole_survey, new_session, recent_events, staff


def _as(member, page: str, **query) -> AppTest:
    at = app_test(page)
    at.session_state["staff_user_id"] = member.id
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


# -- the live screen's presentation mode -------------------------------------------------


def test_room_flow_presentation_mode_shows_the_room_only_what_it_needs(
    app_database, db, definition, monkeypatch
):
    monkeypatch.setenv("YOUTHVOICE_PUBLIC_URL", "https://voice.example.org/")
    get_settings.cache_clear()
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    at = _as(worker, "pages/live_session.py", session=str(session.id), present="1")
    assert not at.exception
    assert not at.sidebar.children  # no session picker, quotes switch or staff controls
    assert not at.warning and not at.caption.values[:-1]  # no address notice for the room
    shown = _html(at)
    assert "display: none" in shown and "stSidebar" in shown  # Streamlit's chrome hidden
    assert "<p class='yv-room-address'>voice.example.org</p>" in shown  # the public address
    assert f"<p class='yv-room-code'>{session.code}</p>" in shown
    assert at.get("image") or at.get("imgs")  # the QR code, full width of its column
    assert at.metric[0].value == "0"
    assert [b.label for b in at.button] == ["Leave presentation"]
    click(at, "Leave presentation")
    assert "present" not in at.query_params
    assert at.sidebar.selectbox and any(session.code in m.value for m in at.markdown)


def test_room_flow_present_to_the_room_opens_the_same_session(app_database, db, definition):
    worker = staff(db, "wendy", Role.WORKER)
    older = new_session(db, worker, definition, name="Youth club night")
    session = new_session(db, worker, definition)
    at = _as(worker, "pages/live_session.py")
    at.sidebar.selectbox[0].set_value(older.id).run()
    click(at, "Present to the room")
    assert at.query_params["present"] == "1"
    assert at.query_params["session"] == str(older.id)
    assert f"<p class='yv-room-code'>{older.code}</p>" in _html(at)
    assert session.code not in _html(at)


def test_room_flow_presentation_shows_approved_quotes_large_and_as_text(
    app_database, db, definition
):
    from survey.participation.quotes import approve_quote
    from tests.support import send

    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    answer = "the <b>underpass</b> after dark"
    response_id = send(db, definition, {"unsafe_place_text": answer}, "q", session_id=session.id)
    approve_quote(db, worker, response_id=response_id, question_id="unsafe_place_text")
    row = db.get(ParticipationSession, session.id)
    row.show_quotes = True
    db.add(row)
    db.commit()
    at = _as(worker, "pages/live_session.py", session=str(session.id), present="1")
    assert "“the &lt;b&gt;underpass&lt;/b&gt; after dark”" in _html(at)


# -- the Sessions page: create once, archive, the address ---------------------------------


def _fill_new_session(at: AppTest) -> None:
    at.text_input[0].input("Year 9, Dane Court")
    at.selectbox[1].set_value("Thanet")


def test_room_flow_create_session_pressed_twice_makes_one(app_database, db):
    worker = staff(db, "wendy", Role.WORKER)
    at = _as(worker, "pages/sessions.py")
    _fill_new_session(at)
    click(at, "Create session")
    first = db.exec(select(ParticipationSession)).one()
    click(at, "Create session")  # the second press of a double click, or a rerun
    assert db.exec(select(ParticipationSession)).one().id == first.id
    assert any(first.code in s.value for s in at.success)


def test_room_flow_archive_takes_a_session_out_of_the_list(app_database, db, definition):
    worker = staff(db, "wendy", Role.WORKER)
    kept = new_session(db, worker, definition, name="Youth club night")
    done = new_session(db, worker, definition)
    send_id = _answer(db, definition, done.id)
    at = _as(worker, "pages/sessions.py", session=str(done.id))
    click(at, "Archive session")
    assert "Archived" in at.success[0].value
    assert db.get(ParticipationSession, done.id).archived_at is not None
    assert db.get(Response, send_id).session_id == done.id  # its answers stay
    assert recent_events(db, action="session.archived")[0].actor == "wendy"
    options = at.selectbox[-1].options
    assert len(options) == 1 and kept.code in options[0]
    at.toggle(key="sessions_show_archived").set_value(True).run()
    assert any(done.code in o and "archived" in o for o in at.selectbox[-1].options)
    at.selectbox[-1].set_value(done.id).run()
    click(at, "Back to the list")
    assert db.get(ParticipationSession, done.id).archived_at is None
    assert recent_events(db, action="session.unarchived")[0].target == done.code


def _answer(db, definition, session_id: int) -> int:
    from tests.support import send

    return send(db, definition, {"age_band": "14-15"}, "a1", session_id=session_id)


@pytest.mark.parametrize("page", ["pages/sessions.py", "pages/live_session.py"])
def test_room_flow_staff_are_warned_when_phones_cannot_open_the_join_link(
    app_database, db, definition, monkeypatch, page
):
    worker = staff(db, "wendy", Role.WORKER)
    new_session(db, worker, definition)
    # Under AppTest Streamlit has no server.address: as a bare `streamlit run`, it would
    # listen on every interface, while the join link says 127.0.0.1.
    at = _as(worker, page)
    assert any("phones in the room cannot join" in w.value for w in at.warning)
    monkeypatch.setenv("YOUTHVOICE_PUBLIC_URL", "http://192.168.1.20:8501")
    get_settings.cache_clear()
    at = _as(worker, page)
    assert not at.warning
    assert any("192.168.1.20:8501" in m.value for m in at.markdown)  # "Join at", the link


# -- answers sent after the session closed -----------------------------------------------


def _mid_survey_when_the_session_closes(db, definition) -> tuple[AppTest, object]:
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    at = app_test("pages/survey.py")
    at.query_params["code"] = session.code
    at.run()
    click(at, "Start the survey")
    fill_whole_survey(at)
    from survey.participation.sessions import close_session

    close_session(db, worker, session.id)
    click(at, "Send my answers")
    return at, session


def test_room_flow_a_closed_session_offers_the_open_survey(app_database, db, definition):
    at, _ = _mid_survey_when_the_session_closes(db, definition)
    assert any("has closed" in e.value for e in at.error)
    assert db.exec(select(Response)).all() == []
    assert at.checkbox(key="q_feel_safer_choices__lighting_cctv").value  # still on screen
    click(at, "Send to the open survey instead")
    assert not at.exception
    assert at.title[0].value == "Thank you"
    stored = db.exec(select(Response)).one()
    assert stored.session_id is None and stored.district == "Medway"


def test_room_flow_without_the_open_survey_the_answers_wait_for_a_reopen(
    app_database, db, definition, monkeypatch
):
    monkeypatch.setenv("YOUTHVOICE_OPEN_SURVEY_ALLOWED", "false")
    get_settings.cache_clear()
    at, session = _mid_survey_when_the_session_closes(db, definition)
    assert any("has closed" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "Send to the open survey instead"]
    assert any("Ask the person running the session to reopen it" in i.value for i in at.info)
    assert at.checkbox(key="q_feel_safer_choices__lighting_cctv").value
    from survey.participation.sessions import reopen_session

    reopen_session(db, staff(db, "ada", Role.ADMIN), session.id)
    click(at, "Send my answers")
    assert at.title[0].value == "Thank you"
    assert db.exec(select(Response)).one().session_id == session.id
