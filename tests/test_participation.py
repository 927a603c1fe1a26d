from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from survey.core.limits import Limit, LimitReached, limits_from_settings
from survey.core.models import ParticipationSession, Response
from survey.core.settings import Settings
from survey.participation.sessions import (
    CODE_ALPHABET,
    Client,
    SessionError,
    SessionState,
    close_session,
    join_session,
    join_url,
    new_code,
    normalise_code,
    qr_code_svg,
    reopen_session,
    session_for_staff,
    sessions_for,
)
from survey.staff.users import AccessDenied, Role
from tests.support import PHONE, guess_chance, new_session, send, staff

LIMITS = limits_from_settings(Settings())


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
        send(db, definition, {}, f"s{i}", session_id=session.id, limits=busy)
    with pytest.raises(LimitReached, match="very busy"):
        send(db, definition, {}, "s3", session_id=session.id, limits=busy)
    assert db.get(Response, 4) is None
    later = "2026-03-02 11:01"
    assert send(db, definition, {}, "s3", session_id=session.id, limits=busy, when=later)


@pytest.mark.parametrize(("typed", "expected"), [("ab c-12", "ABC12"), ("x y z", "XYZ")])
def test_participation_normalise_code(typed, expected):
    assert normalise_code(typed) == expected
