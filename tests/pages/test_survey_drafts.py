"""The survey page keeps a sealed draft at Start, Next and Back, brings it back to a new
browser session that comes with the draft's cookie, and deletes it on send; an empty send is
refused kindly. (AppTest cannot send cookies: the cookie the browser would send is patched
in. tests/browser/test_survey_drafts.py does it all in a real browser.)"""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from survey.answers import NOTHING_ANSWERED
from survey.core.models import Response, SurveyDraft
from survey.drafts import load_draft, token_hash
from survey.staff.users import Role
from tests.support import app_test, click, fill_whole_survey, new_session, staff

PAGE = "pages/survey.py"


def _flow(at):
    return at.session_state["survey_flow"]


def _drafts(db) -> list[SurveyDraft]:
    db.expire_all()
    return list(db.exec(select(SurveyDraft)).all())


def _responses(db) -> int:
    return db.exec(select(func.count()).select_from(Response)).one()


@pytest.fixture
def browser_cookie(monkeypatch):
    """The draft token a browser would send with its next connection."""
    sent: dict[str, str | None] = {"token": None}
    monkeypatch.setattr("ui.survey_draft._cookie_token", lambda: sent["token"])
    return sent


def _two_parts(at):
    click(at, "Start the survey")
    at.radio(key="q_age_band").set_value("14-15")
    at.radio(key="q_district").set_value("Dover")
    click(at, "Next")
    at.radio(key="q_safe_night").set_value("2")
    at.radio(key="q_feels_unsafe_somewhere").set_value("yes")
    click(at, "Next")
    assert at.header[0].value == "Where and when"
    return at


def test_survey_drafts_written_at_next_sealed_and_brought_back(app_database, db, browser_cookie):
    at = _two_parts(app_test(PAGE).run())
    token = _flow(at).draft.token
    [row] = _drafts(db)
    assert row.token_hash == token_hash(token)
    assert b"Dover" not in row.sealed and token.encode() not in row.sealed
    kept = load_draft(db, token)
    assert kept is not None and kept.step == 3
    assert kept.answers["district"] == "Dover" and kept.answers["safe_night"] == "2"
    assert kept.submission_id == _flow(at).submission_id
    # The page tells the browser to keep the token for two hours, as the draft is kept.
    scripts = " ".join(h.proto.body for h in at.get("html"))
    assert "yv_draft" in scripts and token in scripts and "Max-Age=7200" in scripts

    browser_cookie["token"] = token  # a reload: a new browser session, with the cookie
    again = app_test(PAGE).run()
    assert again.header[0].value == "Where and when"  # the part...
    assert again.get("progress")[0].proto.text == "Part 3 of 6"
    assert "Welcome back" in again.info[0].value
    assert _flow(again).submission_id == _flow(at).submission_id
    click(again, "Back")
    assert again.radio(key="q_safe_night").value == "2"  # ...and the answers
    assert again.radio(key="q_feels_unsafe_somewhere").value == "yes"
    click(again, "Back")
    assert again.radio(key="q_district").value == "Dover"


def test_survey_drafts_sending_deletes_the_draft_and_a_reload_starts_afresh(
    app_database, db, browser_cookie
):
    at = app_test(PAGE).run()
    click(at, "Start the survey")
    fill_whole_survey(at)
    token = _flow(at).draft.token
    assert len(_drafts(db)) == 1
    click(at, "Send my answers")
    assert at.title[0].value == "Thank you" and _responses(db) == 1
    assert _drafts(db) == []  # deleted with the response
    scripts = " ".join(h.proto.body for h in at.get("html"))
    assert "Max-Age=0" in scripts  # and the browser forgets the token

    browser_cookie["token"] = token  # even if it did not, the draft is gone
    again = app_test(PAGE).run()
    assert [b.label for b in again.button if b.label == "Start the survey"]
    assert not again.info


def test_survey_drafts_a_send_after_a_reload_stores_once(app_database, db, browser_cookie):
    first = app_test(PAGE).run()
    click(first, "Start the survey")
    fill_whole_survey(first)
    browser_cookie["token"] = _flow(first).draft.token
    second = app_test(PAGE).run()  # the same phone, another tab or a reload
    assert second.header[0].value == "What would help"
    click(first, "Send my answers")
    second.checkbox(key="q_feel_safer_choices__lighting_cctv").check()
    click(second, "Send my answers")
    assert second.title[0].value == "Thank you"
    assert _responses(db) == 1 and _drafts(db) == []


def test_survey_drafts_someone_else_on_a_shared_phone_starts_afresh(
    app_database, db, browser_cookie
):
    at = _two_parts(app_test(PAGE).run())
    browser_cookie["token"] = _flow(at).draft.token
    again = app_test(PAGE).run()
    click(again, "These aren't my answers: start afresh")
    assert _drafts(db) == []
    assert [b.label for b in again.button if b.label == "Start the survey"]
    click(again, "Start the survey")
    assert again.radio(key="q_district").value is None


def test_survey_drafts_keep_the_session_joined(app_database, db, definition, browser_cookie):
    session = new_session(db, staff(db, "wendy", Role.WORKER), definition)
    at = app_test(PAGE)
    at.query_params["code"] = session.code
    at.run()
    _two_parts(at)
    browser_cookie["token"] = _flow(at).draft.token
    again = app_test(PAGE).run()  # reopened without the QR code's address
    assert _flow(again).session_id == session.id
    assert _flow(again).session_name == session.name
    click(again, "Next")
    click(again, "Next")
    click(again, "Next")
    click(again, "Send my answers")
    assert db.exec(select(Response)).one().session_id == session.id


def test_survey_drafts_an_empty_send_is_refused_kindly(app_database, db):
    at = app_test(PAGE).run()
    click(at, "Start the survey")
    for _ in range(4):  # every part skipped ("where and when" is not shown)
        click(at, "Next")
    assert at.header[0].value == "What would help"
    click(at, "Send my answers")
    assert not at.exception
    assert [e.value for e in at.error] == [NOTHING_ANSWERED]
    assert at.header[0].value == "What would help"  # still there, nothing lost
    assert _responses(db) == 0
    at.checkbox(key="q_feel_safer_choices__lighting_cctv").check()
    click(at, "Send my answers")
    assert at.title[0].value == "Thank you" and _responses(db) == 1
