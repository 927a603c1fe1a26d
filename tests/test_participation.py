from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from survey.core.limits import Limit, LimitReached, limits_from_settings
from survey.core.models import ParticipationSession, Response
from survey.core.settings import Settings
from survey.participation.sessions import (
    CODE_ALPHABET,
    SAME_SESSION_WITHIN,
    Client,
    SessionClosed,
    SessionError,
    SessionState,
    archive_session,
    close_session,
    join_session,
    join_url,
    new_code,
    normalise_code,
    qr_code_svg,
    reopen_session,
    responses_in_session,
    session_for_staff,
    sessions_for,
    unarchive_session,
)
from survey.staff.users import AccessDenied, Role
from tests.support import PHONE, guess_chance, new_session, recent_events, send, staff

LIMITS = limits_from_settings(Settings())
ONE = {"district": "Swale"}  # one answer: an empty response is never stored


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
    outcome = join_session(db, text, client=PHONE, limits=LIMITS)
    assert outcome.session is not None and outcome.session.id == session.id


def test_participation_unknown_closed_and_expired_codes_get_plain_messages(db, definition):
    worker = staff(db, "wendy", Role.WORKER)
    unknown = join_session(db, "ZZZZZZ", client=PHONE, limits=LIMITS)
    assert unknown.session is None and "couldn't find a session" in unknown.message
    assert "without a session code" in unknown.message
    no_open = join_session(db, "ZZZZZZ", client=PHONE, limits=LIMITS, open_survey_allowed=False)
    assert "without a session code" not in no_open.message
    closed = new_session(db, worker, definition)
    close_session(db, worker, closed.id)
    assert "has closed" in join_session(db, closed.code, client=PHONE, limits=LIMITS).message
    expired = new_session(db, worker, definition)
    later = datetime.now(UTC) + timedelta(days=8)
    assert (
        "has run out"
        in join_session(db, expired.code, client=PHONE, limits=LIMITS, now=later).message
    )


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
    assert join_session(db, session.code, client=PHONE, limits=LIMITS).session is not None


def test_participation_codes_cannot_be_enumerated_inside_the_limits(db, definition):
    session = new_session(db, staff(db, "wendy", Role.WORKER), definition)
    guesser = Client(device="guessing-phone-token-0001", address="192.0.2.66")
    now = datetime.now(UTC)
    for _ in range(LIMITS.wrong_codes_device.most):
        assert "couldn't find" in join(db, "AAAAAA", guesser, now).message
    refused = join(db, session.code, guesser, now)
    assert refused.session is None and "Too many codes" in refused.message
    # A stranger's wrong codes never stop anyone else joining, on any network...
    assert join(db, session.code, PHONE, now).session is not None
    # ...and ten minutes later the guesser may try again.
    assert join(db, session.code, guesser, now + timedelta(minutes=10)).session is not None
    # Even 100 busy sessions and a day of guessing from one network: < 1 in 100.
    per_day = LIMITS.wrong_codes_address.most * 6 * 24
    assert guess_chance(open_sessions=100, guesses=per_day) < 0.01


def test_participation_a_network_has_its_own_limit_and_right_codes_do_not_count(db, definition):
    session = new_session(db, staff(db, "wendy", Role.WORKER), definition)
    now = datetime.now(UTC)
    school = "203.0.113.9"  # a whole school shares one address
    phones = [Client(device=f"phone-token-number-{i:04d}", address=school) for i in range(80)]
    for phone in phones:  # a class of 80 joining at once is more than the wrong-code limit
        assert join(db, session.code, phone, now).session is not None
    for phone in phones[: LIMITS.wrong_codes_address.most]:
        join(db, "AAAAAA", phone, now)
    assert "Too many codes" in join(db, session.code, phones[-1], now).message


def join(db, code, client, now):
    return join_session(db, code, client=client, limits=LIMITS, now=now)


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
    busy = replace(LIMITS, session_answers=Limit("session answers", 3, 60))
    for i in range(3):
        send(db, definition, ONE, f"s{i}", session_id=session.id, limits=busy)
    with pytest.raises(LimitReached, match="very busy"):
        send(db, definition, ONE, "s3", session_id=session.id, limits=busy)
    assert db.get(Response, 4) is None
    later = "2026-03-02 11:01"
    assert send(db, definition, ONE, "s3", session_id=session.id, limits=busy, when=later)


@pytest.mark.parametrize(("typed", "expected"), [("ab c-12", "ABC12"), ("x y z", "XYZ")])
def test_participation_normalise_code(typed, expected):
    assert normalise_code(typed) == expected


# -- a room that flows: pressing twice, archiving, answers after the session closed -------


def test_participation_create_pressed_twice_makes_one_session(db, definition):
    worker = staff(db, "wendy", Role.WORKER)
    first = new_session(db, worker, definition)
    again = new_session(db, worker, definition, name="  Year 9, Hartsdown Academy ")
    assert again.id == first.id and again.code == first.code
    assert len(sessions_for(db, worker)) == 1
    assert len(recent_events(db, action="session.opened")) == 1


@pytest.mark.parametrize(
    "changes",
    [{"name": "Year 10, Hartsdown Academy"}, {"district": "Dover"}, {"age_group": "16-17"}],
)
def test_participation_a_different_session_is_a_new_one(db, definition, changes):
    worker = staff(db, "wendy", Role.WORKER)
    first = new_session(db, worker, definition)
    assert new_session(db, worker, definition, **changes).id != first.id


def test_participation_the_same_details_later_or_by_another_worker_are_new_sessions(db, definition):
    wendy, will = staff(db, "wendy", Role.WORKER), staff(db, "will", Role.WORKER)
    first = new_session(db, wendy, definition)
    assert new_session(db, will, definition).id != first.id
    a_minute_on = datetime.now(UTC) + SAME_SESSION_WITHIN + timedelta(seconds=1)
    assert new_session(db, wendy, definition, now=a_minute_on).id != first.id
    close_session(db, wendy, first.id)  # closed, then made again: a new one is meant
    assert new_session(db, wendy, definition).id != first.id


def test_participation_archive_takes_a_session_out_of_the_list_and_keeps_its_answers(
    db, definition
):
    worker = staff(db, "wendy", Role.WORKER)
    done = new_session(db, worker, definition)
    current = new_session(db, worker, definition, name="Youth club night")
    response_id = send(db, definition, {"age_band": "14-15"}, "r1", session_id=done.id)
    archived = archive_session(db, worker, done.id)
    assert archived.archived and archived.state == SessionState.CLOSED
    assert archived.answers == 1
    assert [s.id for s in sessions_for(db, worker)] == [current.id]
    listed = sessions_for(db, worker, include_archived=True)
    assert {s.id: s.archived for s in listed} == {done.id: True, current.id: False}
    assert db.get(Response, response_id).session_id == done.id  # the board keeps it
    assert "has closed" in join_session(db, done.code, client=PHONE, limits=LIMITS).message
    assert recent_events(db, action="session.archived")[0].actor == "wendy"
    assert recent_events(db, action="session.archived")[0].target == done.code
    archive_session(db, worker, done.id)  # twice: one event
    assert len(recent_events(db, action="session.archived")) == 1

    back = unarchive_session(db, worker, done.id)
    assert not back.archived and back.state == SessionState.CLOSED
    assert {s.id for s in sessions_for(db, worker)} == {done.id, current.id}
    assert recent_events(db, action="session.unarchived")[0].actor == "wendy"
    archive_session(db, worker, done.id)
    reopened = reopen_session(db, worker, done.id)  # never open and out of sight
    assert reopened.state == SessionState.OPEN and not reopened.archived


def test_participation_only_the_sessions_worker_archives_it(db, definition):
    wendy, will = staff(db, "wendy", Role.WORKER), staff(db, "will", Role.WORKER)
    session = new_session(db, wendy, definition)
    with pytest.raises(AccessDenied):
        archive_session(db, will, session.id)
    with pytest.raises(AccessDenied):
        archive_session(db, staff(db, "bob", Role.BOARD), session.id)
    assert archive_session(db, staff(db, "ada", Role.ADMIN), session.id).archived


def test_participation_answers_for_a_closed_session_can_go_to_the_open_survey(db, definition):
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    answers = {"age_band": "14-15", "district": "Thanet"}
    close_session(db, worker, session.id)  # while a phone was still answering
    with pytest.raises(SessionClosed, match="has closed"):
        send(db, definition, answers, "mid-survey", session_id=session.id, device="phone-1-token")
    assert db.exec(select(Response)).all() == []  # nothing half-stored
    # The phone sends the same answers, under the same submission id, without the session.
    response_id = send(db, definition, answers, "mid-survey", device="phone-1-token")
    again = send(db, definition, answers, "mid-survey", device="phone-1-token")  # a double tap
    assert again == response_id
    stored = db.exec(select(Response)).one()
    assert stored.session_id is None and stored.district == "Thanet"
    assert responses_in_session(db, session.id) == 0
