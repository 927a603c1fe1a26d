"""The review desk and answers that raised a safeguarding alert or check: marked, linked to
their alert, never offered as a quote, and their text's view audited once an hour however
often the page reruns."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

import survey.core.audit as audit
from survey.core.models import SafeguardingAlert
from survey.staff.users import Role
from tests.markdown_checks import visible_text
from tests.support import app_test, new_session, recent_events, send, staff

PAGE = "pages/review_desk.py"
ORDINARY = "the underpass is dark and men hang around"


def _desk(member):
    at = app_test(PAGE)
    at.session_state["staff_user_id"] = member.id
    return at.run()


def _flagged_and_plain(db, definition):
    wendy = staff(db, "wendy", Role.WORKER)
    session = new_session(db, wendy, definition)
    ids = {
        name: send(db, definition, answers, name, session_id=session.id)
        for name, answers in {
            "alert": {"unsafe_place_text": "my dad hits me and im scared to go home"},
            "check": {"unsafe_place_text": ORDINARY, "would_like_help": "yes"},
            "none": {"unsafe_place_text": "the park is fine in the day"},
        }.items()
    }
    alerts = dict(db.exec(select(SafeguardingAlert.response_id, SafeguardingAlert.id)).all())
    return wendy, ids, {band: alerts.get(rid) for band, rid in ids.items()}


def test_review_desk_flags_marks_links_and_offers_no_quote(app_database, db, definition):
    wendy, ids, alerts = _flagged_and_plain(db, definition)
    at = _desk(wendy)
    assert not at.exception
    marks = [w.value for w in at.warning]
    for band, word in (("alert", "Raised an alert"), ("check", "Raised a check")):
        mark = next(m for m in marks if f"alert={alerts[band]})" in m)
        assert word in visible_text(mark)
        assert f"(/safeguarding_alerts?alert={alerts[band]})" in mark
    assert len(marks) == 2  # the plain answer is not marked
    quote_inputs = {t.key for t in at.text_input}
    approve_buttons = {b.key for b in at.button if b.label == "Approve quote"}
    assert quote_inputs == {f"{ids['none']}-unsafe_place_text-quote"}
    assert approve_buttons == {f"{ids['none']}-unsafe_place_text-approve"}


def test_review_desk_flags_text_view_audited_once_an_hour(
    app_database, db, definition, monkeypatch
):
    wendy, _ids, alerts = _flagged_and_plain(db, definition)
    at = _desk(wendy)
    for _ in range(2):  # two reruns (a click anywhere reruns the page)
        at.run()
    views = recent_events(db, action="alert.text_viewed")
    assert sorted(v.target for v in views) == sorted(f"alert {a}" for a in alerts.values() if a)
    assert {v.detail["where"] for v in views} == {"review desk"}

    class AnHourLater(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(hours=1, minutes=1)

    monkeypatch.setattr(audit, "datetime", AnHourLater)
    at.run()
    at.run()
    assert len(recent_events(db, action="alert.text_viewed")) == 2 * len(views)
