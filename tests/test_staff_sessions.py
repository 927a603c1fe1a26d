"""Staff sign-in that lasts (survey/staff/sessions.py), on SQLite and PostgreSQL: a session
is a hash in the database and a signed token in a cookie; it ends when idle, at its absolute
limit, on sign-out, on a password reset and on deactivation; a sign-in code is exchanged for
the cookie once, within a minute; a cookie that is tampered with signs no one in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from survey.core.models import StaffSession
from survey.staff.permissions import Role
from survey.staff.sessions import (
    CODE_SECONDS,
    SessionRules,
    begin_session,
    cookie_value,
    exchange_code,
    live_session_counts,
    session_keys,
    session_member,
    token_from_cookie,
)
from survey.staff.users import (
    reset_password,
    set_active,
    sign_in,
    sign_out,
    sign_out_by_session,
)
from tests.support import recent_events, staff

RULES = SessionRules(idle=timedelta(minutes=30), absolute=timedelta(hours=12))
SECRET = b"a server secret of at least thirty-two bytes"
START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
NEW_PASSWORD = "another long passphrase"


def _signed_in(db, member, now=START) -> str:
    """A member signed in as the app does it: a pending session, its code exchanged for the
    cookie's token."""
    code = begin_session(db, member, RULES, now=now)
    token = exchange_code(db, code, now=now + timedelta(seconds=2))
    assert token == code
    return token


def _member(db, token: str, now):
    return session_member(db, session_keys(token), RULES, now=now)


def _row(db, token: str) -> StaffSession:
    db.expire_all()
    return db.exec(
        select(StaffSession).where(StaffSession.token_hash == session_keys(token).live)
    ).one()


def test_staff_sessions_store_only_a_hash_and_find_the_member(db):
    wendy = staff(db, "wendy", Role.WORKER)
    token = _signed_in(db, wendy)
    stored = db.exec(select(StaffSession)).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.user_id == wendy.id
    assert _member(db, token, START + timedelta(minutes=1)) == wendy


def test_staff_sessions_the_signing_in_tab_is_signed_in_before_and_after_the_exchange(db):
    wendy = staff(db, "wendy", Role.WORKER)
    code = begin_session(db, wendy, RULES, now=START)
    keys = session_keys(code)  # what the tab that signed in keeps
    assert session_member(db, keys, RULES, now=START) == wendy  # before the browser's POST
    assert exchange_code(db, code, now=START) == code
    assert session_member(db, keys, RULES, now=START) == wendy  # and after it


def test_staff_sessions_a_code_is_exchanged_once_and_within_a_minute(db):
    wendy = staff(db, "wendy", Role.WORKER)
    code = begin_session(db, wendy, RULES, now=START)
    assert exchange_code(db, code, now=START + timedelta(seconds=1)) == code
    assert exchange_code(db, code, now=START + timedelta(seconds=2)) is None  # used

    late = begin_session(db, wendy, RULES, now=START)
    assert exchange_code(db, late, now=START + timedelta(seconds=CODE_SECONDS + 1)) is None
    for nonsense in ("", "x" * 43, "not a code at all", None, 42):
        assert exchange_code(db, nonsense, now=START) is None  # type: ignore[arg-type]


def test_staff_sessions_a_live_token_is_not_a_code(db):
    wendy = staff(db, "wendy", Role.WORKER)
    token = _signed_in(db, wendy)
    assert exchange_code(db, token, now=START + timedelta(seconds=5)) is None


def test_staff_sessions_end_after_the_idle_timeout(db):
    wendy = staff(db, "wendy", Role.WORKER)
    token = _signed_in(db, wendy)
    assert _member(db, token, START + timedelta(minutes=29)) == wendy  # seen: idle restarts
    assert _member(db, token, START + timedelta(minutes=58)) == wendy
    assert _member(db, token, START + timedelta(minutes=88, seconds=1)) is None


def test_staff_sessions_last_seen_is_written_at_most_once_a_minute(db):
    wendy = staff(db, "wendy", Role.WORKER)
    token = _signed_in(db, wendy)
    for second in (10, 20, 59):  # reruns within the minute write nothing
        assert _member(db, token, START + timedelta(seconds=second)) == wendy
        assert _row(db, token).last_seen_at.replace(tzinfo=UTC) == START
    assert _member(db, token, START + timedelta(seconds=61)) == wendy
    assert _row(db, token).last_seen_at.replace(tzinfo=UTC) == START + timedelta(seconds=61)


def test_staff_sessions_end_at_the_absolute_limit_however_busy(db):
    wendy = staff(db, "wendy", Role.WORKER)
    token = _signed_in(db, wendy)
    moment = START
    while moment < START + timedelta(hours=12) - timedelta(minutes=10):
        moment += timedelta(minutes=10)
        assert _member(db, token, moment) == wendy
    assert _member(db, token, START + timedelta(hours=12)) is None


def test_staff_sessions_sign_out_ends_the_session_and_is_audited(db):
    wendy = staff(db, "wendy", Role.WORKER)
    token, other = _signed_in(db, wendy), _signed_in(db, wendy)  # two browsers
    sign_out(db, wendy, session_keys(token))
    assert _member(db, token, START + timedelta(minutes=1)) is None
    assert _member(db, other, START + timedelta(minutes=1)) == wendy  # the other browser
    assert recent_events(db, action="sign_out")[0].actor == "wendy"


def test_staff_sessions_the_sign_out_route_ends_a_session_by_its_cookie_alone(db):
    wendy = staff(db, "wendy", Role.WORKER)
    token = _signed_in(db, wendy)
    assert sign_out_by_session(db, session_keys(token)) == "wendy"
    assert sign_out_by_session(db, session_keys(token)) is None  # already ended: not audited
    assert [e.actor for e in recent_events(db, action="sign_out")] == ["wendy"]
    assert _member(db, token, START + timedelta(minutes=1)) is None


def test_staff_sessions_a_password_reset_ends_every_session_of_that_member(db):
    admin = staff(db, "ada", Role.ADMIN)
    wendy, sam = staff(db, "wendy", Role.WORKER), staff(db, "sam", Role.WORKER)
    wendys = [_signed_in(db, wendy), _signed_in(db, wendy)]
    sams = _signed_in(db, sam)
    assert reset_password(db, admin, "wendy", NEW_PASSWORD) == 2
    later = START + timedelta(minutes=1)
    assert all(_member(db, token, later) is None for token in wendys)
    assert _member(db, sams, later) == sam  # only that member's
    assert sign_in(db, username="wendy", password=NEW_PASSWORD, address="192.0.2.1")
    [event] = recent_events(db, action="user.password_reset")
    assert (event.actor, event.target, event.detail) == ("ada", "wendy", {"sessions_ended": 2})
    assert NEW_PASSWORD not in str(event.detail)


def test_staff_sessions_a_deactivation_ends_them_at_once_and_no_code_is_exchanged(db):
    admin = staff(db, "ada", Role.ADMIN)
    wendy = staff(db, "wendy", Role.WORKER)
    token = _signed_in(db, wendy)
    pending = begin_session(db, wendy, RULES, now=START)
    assert set_active(db, admin, "wendy", False) == 2
    assert _member(db, token, START + timedelta(seconds=5)) is None
    assert exchange_code(db, pending, now=START + timedelta(seconds=5)) is None
    assert set_active(db, admin, "wendy", True) == 0
    assert _member(db, token, START + timedelta(seconds=5)) is None  # ended stays ended
    actions = [e.action for e in recent_events(db) if e.target == "wendy"]
    assert actions[:2] == ["user.reactivated", "user.deactivated"]


def test_staff_sessions_a_member_deactivated_by_hand_is_refused_at_the_next_run(db):
    from survey.core.models import User

    wendy = staff(db, "wendy", Role.WORKER)
    token = _signed_in(db, wendy)
    user = db.get(User, wendy.id)
    user.active = False
    db.add(user)
    db.commit()
    assert _member(db, token, START + timedelta(seconds=5)) is None


def test_staff_sessions_no_one_deactivates_themselves_or_the_last_admin(db):
    ada = staff(db, "ada", Role.ADMIN)
    with pytest.raises(ValueError, match="your own account"):
        set_active(db, ada, "ada", False)
    from survey.staff.permissions import operator

    with pytest.raises(ValueError, match="last active admin"):
        set_active(db, operator(), "ada", False)
    staff(db, "bob", Role.ADMIN)
    assert set_active(db, operator(), "ada", False) == 0


def test_staff_sessions_a_cookie_is_signed_and_tampering_is_refused(db):
    wendy = staff(db, "wendy", Role.WORKER)
    token = _signed_in(db, wendy)
    value = cookie_value(token, SECRET)
    assert token_from_cookie(value, SECRET) == token
    signature = value.split(".")[1]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for forged in (
        f"{flipped}.{signature}",  # another token, the same signature
        value[:-1] + ("A" if value[-1] != "A" else "B"),  # the signature changed
        token,  # no signature
        f"{token}.",
        f"{token}.{signature}.x",
        "",
        None,
    ):
        assert token_from_cookie(forged, SECRET) is None, forged
    assert token_from_cookie(value, b"another secret of at least 32 bytes!") is None


def test_staff_sessions_ended_ones_are_cleared_away_and_counted_out(db):
    wendy = staff(db, "wendy", Role.WORKER)
    old = _signed_in(db, wendy)
    sign_out(db, wendy, session_keys(old))
    current = _signed_in(db, wendy, now=START + timedelta(minutes=5))  # clears the ended one
    assert [row.token_hash for row in db.exec(select(StaffSession)).all()] == [
        session_keys(current).live
    ]
    assert live_session_counts(db, RULES, now=START + timedelta(minutes=6)) == {wendy.id: 1}
    assert live_session_counts(db, RULES, now=START + timedelta(hours=2)) == {}


def test_staff_sessions_rules_come_from_the_settings():
    from survey.core.settings import Settings

    rules = SessionRules.from_settings(Settings(staff_idle_minutes=0.1, staff_session_hours=1))
    assert rules.idle == timedelta(seconds=6) and rules.absolute == timedelta(hours=1)
    assert rules.touch == timedelta(seconds=1.5)  # a tiny idle timeout is still kept fresh
    assert SessionRules.from_settings(Settings()).touch == timedelta(minutes=1)
