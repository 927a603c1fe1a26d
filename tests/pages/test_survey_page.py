from __future__ import annotations

from sqlalchemy import func, text
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from survey.core.models import Response
from tests.markdown_checks import visible_text
from tests.support import app_test, fill_whole_survey, stored_answers

PAGE = "pages/survey.py"


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _start(database) -> AppTest:
    at = app_test(PAGE).run()
    assert "anonymous" in at.markdown[1].value.lower() or any(
        "anonymous" in m.value.lower() for m in at.markdown
    )
    _button(at, "Start the survey").click().run()
    return at


def _responses(db) -> int:
    return db.exec(select(func.count()).select_from(Response)).one()


def test_survey_page_fill_and_submit_stores_the_response(app_database, db, definition):
    at = _start(app_database)
    assert at.get("progress")[0].proto.text == "Part 1 of 6"
    fill_whole_survey(at)
    _button(at, "Send my answers").click().run()
    assert not at.exception
    assert at.title[0].value == "Thank you"
    response = db.exec(select(Response)).one()
    answers = stored_answers(db, definition.questionnaire, response.id)
    assert answers["district"] == "Medway" and response.district == "Medway"
    assert answers["unsafe_places"] == ["place.transport_hub", "place.park"]
    assert answers["unsafe_place_text"] == "the station at night, <b>men</b> shout at you 😬"
    assert answers["feel_safer_choices"] == ["lighting_cctv"]


def test_survey_page_skip_logic_leaves_out_where_and_when(app_database, db, definition):
    at = _start(app_database)
    _button(at, "Next").click().run()
    at.radio(key="q_feels_unsafe_somewhere").set_value("no")
    _button(at, "Next").click().run()
    assert at.header[0].value == "Who or what"  # "Where and when" is skipped
    assert at.get("progress")[0].proto.text == "Part 3 of 5"


def test_survey_page_back_keeps_answers(app_database):
    at = _start(app_database)
    at.radio(key="q_age_band").set_value("10-13")
    _button(at, "Next").click().run()
    _button(at, "Back").click().run()
    assert at.radio(key="q_age_band").value == "10-13"


def test_survey_page_too_long_text_gets_a_message_and_stores_nothing(app_database, db):
    at = _start(app_database)
    fill_whole_survey(at, long_text="x" * 100_000)
    _button(at, "Send my answers").click().run()
    assert any("100,000 characters" in e.value for e in at.error)
    assert at.header[0].value == "In your own words"  # taken back to the question
    assert _responses(db) == 0
    at.text_area(key="q_unsafe_place_text").input("shorter now")
    _button(at, "Next").click().run()
    _button(at, "Send my answers").click().run()
    assert at.title[0].value == "Thank you" and _responses(db) == 1


def test_survey_page_database_failure_keeps_answers_then_stores_once(app_database, engine, db):
    at = _start(app_database)
    fill_whole_survey(at)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE answer RENAME TO answer_away"))
    try:
        _button(at, "Send my answers").click().run()
        assert any("couldn't save that" in e.value for e in at.error)
        assert at.checkbox(key="q_feel_safer_choices__lighting_cctv").value is True
    finally:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE answer_away RENAME TO answer"))
    assert _responses(db) == 0
    _button(at, "Send my answers").click().run()
    _button(at, "Start again (for someone else)")  # the thank-you page
    assert _responses(db) == 1


def test_survey_page_second_send_of_the_same_form_stores_once(app_database, db):
    at = _start(app_database)
    fill_whole_survey(at)
    _button(at, "Send my answers").click().run()
    # A second click that reaches the server after the first was handled carries the
    # same answers and the same submission id.
    flow = at.session_state["survey_flow"]
    flow.step -= 1
    at.run()
    _button(at, "Send my answers").click().run()
    assert at.title[0].value == "Thank you"
    assert _responses(db) == 1


def test_survey_page_joins_a_session_from_the_qr_link(app_database, db, definition):
    from survey.staff.users import Role
    from tests.support import new_session, staff

    session = new_session(db, staff(db, "wendy", Role.WORKER), definition)
    at = app_test(PAGE)
    at.query_params["code"] = session.code.lower()
    at.run()
    assert session.name in visible_text(at.success[0].value)
    _button(at, "Start the survey").click().run()
    fill_whole_survey(at)
    _button(at, "Send my answers").click().run()
    assert db.exec(select(Response)).one().session_id == session.id


def test_survey_page_wrong_code_gets_a_plain_message_and_open_survey(app_database, db):
    at = app_test(PAGE).run()
    at.text_input[0].input("ZZZZZZ")
    _button(at, "Join session").click().run()
    assert "couldn't find a session" in at.warning[0].value
    _button(at, "Start the survey").click().run()
    assert at.header[0].value == "About you"
