"""Answers that raised a safeguarding alert or check, as staff meet them: marked on the review
desk with their alert, never a quote (not even a harmless part), and each person's look at
the text audited once per alert per hour, however often the page reruns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from insights.board.context import BoardFilter
from insights.board.theme_summary import quotes_by_theme
from survey.core.models import Quote, SafeguardingAlert
from survey.participation.quotes import QuoteError, approve_quote, approved_quotes
from survey.participation.review import responses_for_review
from survey.safeguarding.alerts import read_flagged_text
from survey.staff.users import Role
from survey.themes import tagged_questions
from tests.support import new_session, recent_events, send, staff

DISCLOSURE = "men shout at us by the station. my dad hits me at home"
ORDINARY = "the underpass is dark and men hang around"
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def answers(db, definition, tagger):
    """Wendy's session: one answer that raised an alert, one that raised a check (the young
    person asked for help), one that raised nothing."""
    wendy = staff(db, "wendy", Role.WORKER)
    session = new_session(db, wendy, definition)
    ids = {
        name: send(db, definition, answers, name, session_id=session.id, tagger=tagger)
        for name, answers in {
            "alert": {"unsafe_place_text": DISCLOSURE},
            "check": {"unsafe_place_text": ORDINARY, "would_like_help": "yes"},
            "none": {"unsafe_place_text": ORDINARY},
        }.items()
    }
    return wendy, ids


def test_flagged_answers_are_never_approved_as_quotes(db, answers):
    wendy, ids = answers
    for band in ("alert", "check"):
        with pytest.raises(QuoteError, match=f"raised an? {band}"):
            approve_quote(db, wendy, response_id=ids[band], question_id="unsafe_place_text")
        with pytest.raises(QuoteError, match="no part of it"):  # a part without the evidence
            approve_quote(
                db,
                wendy,
                response_id=ids[band],
                question_id="unsafe_place_text",
                text="men shout at us" if band == "alert" else "the underpass is dark",
            )
    approve_quote(db, wendy, response_id=ids["none"], question_id="unsafe_place_text")
    assert [q.response_id for q in approved_quotes(db)] == [ids["none"]]


def test_flagged_answers_quoted_before_the_rule_never_reach_a_board(db, answers):
    _wendy, ids = answers
    for band in ("check", "none"):
        db.add(
            Quote(
                response_id=ids[band],
                question_id="unsafe_place_text",
                text=f"the underpass is dark ({band})",
                approved_by="wendy",
                approved_at=NOON,
            )
        )
    db.commit()
    assert [q.response_id for q in approved_quotes(db)] == [ids["none"]]
    on_the_board = {q for quotes in quotes_by_theme(db, BoardFilter()).values() for q in quotes}
    assert on_the_board == {"the underpass is dark (none)"}


def test_flagged_answers_are_marked_with_their_alert_on_the_review_desk(db, definition, answers):
    wendy, ids = answers
    items = responses_for_review(db, wendy, tagged_questions(definition.questionnaire))
    alerts = dict(db.exec(select(SafeguardingAlert.response_id, SafeguardingAlert.id)).all())
    marks = {i.response_id: (i.alert_id, i.band) for i in items}
    assert marks == {
        ids["alert"]: (alerts[ids["alert"]], "alert"),
        ids["check"]: (alerts[ids["check"]], "check"),
        ids["none"]: (None, None),
    }


def test_flagged_answers_text_views_audited_once_per_person_alert_and_hour(db, definition, answers):
    wendy, ids = answers
    lead = staff(db, "lead", Role.SAFEGUARDING_LEAD)
    alert_id = db.exec(
        select(SafeguardingAlert.id).where(SafeguardingAlert.response_id == ids["alert"])
    ).one()
    questions = tagged_questions(definition.questionnaire)

    def views() -> list[tuple[str, str]]:
        events = recent_events(db, action="alert.text_viewed")
        return sorted((e.actor or "", e.target or "") for e in events)

    for minutes in (0, 1, 5, 59):  # reruns and clicks within the hour
        responses_for_review(db, wendy, questions, now=NOON + timedelta(minutes=minutes))
        read_flagged_text(db, wendy, alert_id, now=NOON + timedelta(minutes=minutes))
    # Two alerts shown on the desk (the alert and the check), each once.
    assert len(views()) == 2 and {actor for actor, _ in views()} == {"wendy"}
    read_flagged_text(db, lead, alert_id, now=NOON + timedelta(minutes=2))  # another person
    assert views().count(("lead", f"alert {alert_id}")) == 1
    # An hour after the first view it is a new look.
    read_flagged_text(db, wendy, alert_id, now=NOON + timedelta(minutes=61))
    assert views().count(("wendy", f"alert {alert_id}")) == 2
    responses_for_review(db, wendy, questions, now=NOON + timedelta(minutes=62))
    assert views().count(("wendy", f"alert {alert_id}")) == 2  # ...seen within that hour
    assert len(views()) == 5  # the check's second hour too
