from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from survey.models import ParticipationSession, Response
from survey.participation import (
    CODE_ALPHABET,
    SessionError,
    SessionState,
    admit_submission,
    close_session,
    guess_chance,
    join_session,
    join_url,
    new_code,
    normalise_code,
    qr_code_svg,
    reopen_session,
    session_for_staff,
    sessions_for,
)
from survey.users import AccessDenied, Role
from tests.support import new_session, send, staff


def test_participation_codes_avoid_look_alike_characters():
    for ch in "0O1IL":
        assert ch not in CODE_ALPHABET
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(c) == 6 and set(c) <= set(CODE_ALPHABET) for c in codes)


def test_participation_open_session_gets_code_join_link_and_qr(db, definition):
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    assert session.state == SessionState.OPEN
    assert session.expires_at - datetime.now(UTC) > timedelta(days=6, hours=23)
    url = join_url("https://voice.example.org/", session.code)
    assert url == f"https://voice.example.org/?code={session.code}"
    svg = qr_code_svg(url)
    assert svg.startswith("<svg") and "path" in svg


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "Give the session a name"),
        ({"venue_type": "pub"}, "venue type"),
        ({"district": "Narnia"}, "Unknown district"),
    ],
)
def test_participation_open_session_refuses_bad_details(db, definition, changes, message):
    worker = staff(db, "wendy", Role.WORKER)
    with pytest.raises(SessionError, match=message):
        new_session(db, worker, definition, **changes)


def test_participation_only_workers_run_sessions(db, definition):
    with pytest.raises(AccessDenied):
        new_session(db, staff(db, "bob", Role.BOARD), definition)


def test_participation_worker_sees_only_own_sessions(db, definition):
    wendy, will = staff(db, "wendy", Role.WORKER), staff(db, "will", Role.WORKER)
    admin = staff(db, "ada", Role.ADMIN)
    mine = new_session(db, wendy, definition)
    theirs = new_session(db, will, definition, name="Youth club night")
    assert [s.id for s in sessions_for(db, wendy)] == [mine.id]
    assert {s.id for s in sessions_for(db, admin)} == {mine.id, theirs.id}
    with pytest.raises(AccessDenied, match="isn't one of yours"):
        session_for_staff(db, wendy, theirs.id)
    with pytest.raises(AccessDenied):
        close_session(db, wendy, theirs.id)
    with pytest.raises(AccessDenied):
        session_for_staff(db, wendy, 999_999)


@pytest.mark.parametrize("typed", ["{code}", "{lower}", " {spaced} ", "{dashed}"])
def test_participation_join_by_code_as_typed(db, definition, typed):
    session = new_session(db, staff(db, "wendy", Role.WORKER), definition)
    code = session.code
    text = typed.format(
        code=code,
        lower=code.lower(),
        spaced=f"{code[:3]} {code[3:]}",
        dashed=f"{code[:3]}-{code[3:]}",
    )
    outcome = join_session(db, text, failed_before=0)
    assert outcome.session is not None and outcome.session.id == session.id


def test_participation_unknown_closed_and_expired_codes_get_plain_messages(db, definition):
    worker = staff(db, "wendy", Role.WORKER)
    unknown = join_session(db, "ZZZZZZ", failed_before=0)
    assert unknown.session is None and "couldn't find a session" in unknown.message
    assert "without a session code" in unknown.message
    no_open = join_session(db, "ZZZZZZ", failed_before=0, open_survey_allowed=False)
    assert "without a session code" not in no_open.message
    closed = new_session(db, worker, definition)
    close_session(db, worker, closed.id)
    assert "has closed" in join_session(db, closed.code, failed_before=0).message
    expired = new_session(db, worker, definition)
    later = datetime.now(UTC) + timedelta(days=8)
    assert "has run out" in join_session(db, expired.code, failed_before=0, now=later).message


def test_participation_reopen_gives_an_expired_session_more_days(db, definition):
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    row = db.get(ParticipationSession, session.id)
    row.expires_at = datetime.now(UTC) - timedelta(days=1)
    db.add(row)
    db.commit()
    close_session(db, worker, session.id)
    reopened = reopen_session(db, worker, session.id)
    assert reopened.state == SessionState.OPEN
    assert join_session(db, session.code, failed_before=0).session is not None


def test_participation_codes_cannot_be_enumerated_inside_the_limits(db, definition):
    new_session(db, staff(db, "wendy", Role.WORKER), definition)
    refused = join_session(db, "AAAAAA", failed_before=10, per_browser=10)
    assert "Too many codes" in refused.message
    now = datetime.now(UTC)
    for _ in range(3):
        join_session(db, "BBBBBB", failed_before=0, per_minute=3, now=now)
    everyone = join_session(db, "CCCCCC", failed_before=0, per_minute=3, now=now)
    assert "Too many codes" in everyone.message
    # Even 100 busy sessions and a full day of guessing at the global limit: < 1 in 100.
    assert guess_chance(open_sessions=100, guesses=60 * 60 * 24) < 0.01


def test_participation_response_carries_the_session_and_nothing_about_the_person(db, definition):
    session = new_session(db, staff(db, "wendy", Role.WORKER), definition)
    response_id = send(db, definition, {"age_band": "14-15"}, "s1", session_id=session.id)
    response = db.get(Response, response_id)
    assert response.session_id == session.id


def test_participation_closed_session_takes_no_online_answers_but_paper_is_fine(db, definition):
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    close_session(db, worker, session.id)
    with pytest.raises(SessionError, match="has closed"):
        send(db, definition, {"age_band": "14-15"}, "late", session_id=session.id)
    assert send(
        db, definition, {"age_band": "14-15"}, "paper", session_id=session.id, source="paper"
    )


def test_participation_session_rate_limit_refuses_a_flood(db, definition):
    session = new_session(db, staff(db, "wendy", Role.WORKER), definition)
    now = datetime.now(UTC)
    for _ in range(3):
        db.add(admit_submission(db, session.id, per_minute=3, now=now))
    db.commit()
    with pytest.raises(SessionError, match="very busy"):
        admit_submission(db, session.id, per_minute=3, now=now)
    assert admit_submission(db, session.id, per_minute=3, now=now + timedelta(minutes=2))


@pytest.mark.parametrize(("typed", "expected"), [("ab c-12", "ABC12"), ("x y z", "XYZ")])
def test_participation_normalise_code(typed, expected):
    assert normalise_code(typed) == expected
