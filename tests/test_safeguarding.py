from __future__ import annotations

import pytest
from sqlmodel import select

from insights.theme_explorer import ThemeFilter, tagged_answers
from survey.core.models import Answer, SafeguardingAlert
from survey.core.settings import Settings
from survey.participation.review import responses_for_review
from survey.safeguarding.alerts import (
    AlertState,
    alerts_for,
    change_alert_state,
    read_flagged_text,
)
from survey.safeguarding.help_contacts import load_help_contacts
from survey.staff.users import AccessDenied, Role
from survey.themes import tagged_questions
from tests.support import new_session, recent_events, send, staff

DISCLOSURE = "my mums boyfriend Darren hits me when shes at work and I'm scared to go home"


def test_safeguarding_disclosure_raises_an_alert_for_the_sessions_worker(db, definition, tagger):
    wendy, will = staff(db, "wendy", Role.WORKER), staff(db, "will", Role.WORKER)
    session = new_session(db, wendy, definition)
    response_id = send(
        db, definition, {"unsafe_place_text": DISCLOSURE}, "d", tagger=tagger, session_id=session.id
    )
    alert = db.exec(select(SafeguardingAlert)).one()
    assert alert.response_id == response_id and alert.worker_id == wendy.id
    assert "harm_at_home" in alert.categories and alert.state == "new"
    stored = db.exec(select(Answer.value).where(Answer.question_id == "unsafe_place_text")).one()
    assert "Darren" not in stored  # redacted before storage, and before the check
    for evidence in alert.evidence:
        assert stored[evidence["start"] : evidence["end"]] == evidence["text"]
    assert [a.id for a in alerts_for(db, wendy)] == [alert.id]
    assert alerts_for(db, will) == []
    with pytest.raises(AccessDenied):
        read_flagged_text(db, will, alert.id)


def test_safeguarding_open_survey_alert_goes_to_the_safeguarding_lead(db, definition):
    lead, wendy = staff(db, "lead", Role.SAFEGUARDING_LEAD), staff(db, "wendy", Role.WORKER)
    send(db, definition, {"feel_safer_text": "i want to kill myself"}, "o")
    assert len(alerts_for(db, lead)) == 1
    assert alerts_for(db, wendy) == []
    with pytest.raises(AccessDenied):
        alerts_for(db, staff(db, "bob", Role.BOARD))


def test_safeguarding_submit_result_asks_for_help_even_on_a_rerun(db, definition):
    from survey.responses import submit_response
    from tests.support import at

    kwargs = dict(
        db=db,
        questionnaire=definition.questionnaire,
        dimensions=definition.dimensions,
        submission_id="same",
        answers={"unsafe_place_text": "i cut myself every night"},
        now=at("2026-01-01 10:00"),
    )
    first, again = submit_response(**kwargs), submit_response(**kwargs)
    assert first.needs_help and again.needs_help and again.already_stored
    calm = submit_response(
        **{
            **kwargs,
            "submission_id": "other",
            "answers": {"unsafe_place_text": "the park at night"},
        }
    )
    assert not calm.needs_help


def test_safeguarding_states_move_on_with_who_when_and_a_note(db, definition):
    lead = staff(db, "lead", Role.SAFEGUARDING_LEAD)
    send(db, definition, {"unsafe_place_text": "i want to end it all"}, "x")
    alert_id = alerts_for(db, lead)[0].id
    change_alert_state(db, lead, alert_id, AlertState.SEEN, "reading it now")
    change_alert_state(db, lead, alert_id, AlertState.SEEN)  # double click: no second event
    with pytest.raises(ValueError, match="note is needed"):
        change_alert_state(db, lead, alert_id, AlertState.ACTIONED, "  ")
    change_alert_state(db, lead, alert_id, AlertState.ACTIONED, "referred to the school DSL")
    with pytest.raises(ValueError, match="cannot become"):
        change_alert_state(db, lead, alert_id, AlertState.NEW)
    assert alerts_for(db, lead) == []  # actioned leaves the open queue
    history = alerts_for(db, lead, open_only=False)[0].history
    assert [(h[0], h[1], h[3]) for h in history] == [
        ("seen", "lead", "reading it now"),
        ("actioned", "lead", "referred to the school DSL"),
    ]


def test_safeguarding_every_view_of_flagged_text_is_audited(db, definition, tagger):
    wendy = staff(db, "wendy", Role.WORKER)
    session = new_session(db, wendy, definition)
    send(
        db, definition, {"unsafe_place_text": DISCLOSURE}, "d", tagger=tagger, session_id=session.id
    )
    alert_id = alerts_for(db, wendy)[0].id
    texts = read_flagged_text(db, wendy, alert_id)["texts"]
    assert "hits me" in texts["unsafe_place_text"]
    responses_for_review(db, wendy, tagged_questions(definition.questionnaire))
    views = recent_events(db, action="alert.text_viewed")
    # One person, one alert, within the hour: one view in the log, wherever it was seen.
    assert len(views) == 1 and {v.actor for v in views} == {"wendy"}
    # The analysts' explorer never lists it.
    assert tagged_answers(db, ThemeFilter()).empty


def test_safeguarding_help_contacts_file_is_validated(tmp_path, definition):
    contacts = load_help_contacts(Settings().data_dir / "help_contacts.yaml", definition.dimensions)
    assert contacts.national[0].phone == "0800 1111"
    bad = tmp_path / "help_contacts.yaml"
    bad.write_text("national:\n  - name: Childline\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"help_contacts\.yaml.*what"):
        load_help_contacts(bad, definition.dimensions)


def test_safeguarding_a_disclosure_is_never_approved_as_a_quote(db, definition, tagger):
    from survey.participation.quotes import QuoteError, approve_quote, approved_quotes

    wendy = staff(db, "wendy", Role.WORKER)
    session = new_session(db, wendy, definition)
    text = "men shout at us by the station. my dad hits me at home"
    rid = send(
        db, definition, {"unsafe_place_text": text}, "d", tagger=tagger, session_id=session.id
    )
    with pytest.raises(QuoteError, match="raised an alert"):
        approve_quote(db, wendy, response_id=rid, question_id="unsafe_place_text")
    with pytest.raises(QuoteError, match="no part of it"):  # not even the harmless part
        approve_quote(
            db,
            wendy,
            response_id=rid,
            question_id="unsafe_place_text",
            text="men shout at us by the station.",
        )
    assert approved_quotes(db) == []
