from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from survey.core.models import User
from survey.staff.users import (
    AccessDenied,
    Role,
    SignInRefused,
    create_user,
    sign_in,
    sign_out,
    unlock_user,
)
from tests.support import recent_events

PASSWORD = "a long enough passphrase"
HERE, ELSEWHERE = "192.0.2.10", "198.51.100.7"


def _user(db, username="sam", role=Role.WORKER):
    return create_user(db, username=username, password=PASSWORD, role=role)


def test_users_password_is_stored_as_an_argon2_hash(db):
    _user(db)
    stored = db.exec(select(User)).one()
    assert stored.password_hash.startswith("$argon2")
    assert PASSWORD not in stored.password_hash


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("sam", "short", "worker", "at least 12 characters"),
        ("s", PASSWORD, "worker", "2-80 letters"),
        ("sam smith", PASSWORD, "worker", "2-80 letters"),
        ("sam", PASSWORD, "superuser", "unknown role"),
    ],
)
def test_users_create_refuses_bad_accounts(db, username, password, role, message):
    with pytest.raises(ValueError, match=message):
        create_user(db, username=username, password=password, role=role)


def test_users_usernames_are_unique_ignoring_case(db):
    _user(db, "sam")
    with pytest.raises(ValueError, match="already a user"):
        _user(db, "SAM")


def test_users_sign_in_and_out_are_audited(db):
    _user(db)
    member = sign_in(db, username="Sam ", password=PASSWORD, address=HERE)
    assert member.username == "sam" and member.role == Role.WORKER
    sign_out(db, member)
    actions = [e.action for e in recent_events(db)]
    assert actions[:2] == ["sign_out", "sign_in"]


@pytest.mark.parametrize(
    ("username", "password"), [("sam", "wrong password!!"), ("nobody", PASSWORD)]
)
def test_users_failed_sign_in_says_nothing_about_which_part(db, username, password):
    _user(db)
    with pytest.raises(SignInRefused, match="don't match an active account"):
        sign_in(db, username=username, password=password, address=HERE)
    assert recent_events(db, action="sign_in.failed")[0].actor == username


def test_users_sign_in_is_throttled_from_where_the_guesses_come(db):
    _user(db)
    start = datetime(2026, 5, 1, 10, 0, 5, tzinfo=UTC)
    for second in range(5):
        with pytest.raises(SignInRefused, match="don't match"):
            sign_in(
                db,
                username="sam",
                password="guess number x",
                address=HERE,
                now=start + timedelta(seconds=second),
            )
    # Even the right password is refused from here while throttled...
    with pytest.raises(SignInRefused, match=r"Too many sign-in attempts\. Please wait a minute"):
        sign_in(db, username="sam", password=PASSWORD, address=HERE, now=start)
    # ...but a stranger's guesses never lock the owner out where they are...
    assert sign_in(db, username="sam", password=PASSWORD, address=ELSEWHERE, now=start)
    # ...and from here it is accepted once the minute has passed.
    later = start + timedelta(minutes=1)
    assert sign_in(db, username="sam", password=PASSWORD, address=HERE, now=later)


def test_users_waits_grow_with_more_wrong_guesses(db):
    _user(db)
    start = datetime(2026, 5, 1, 10, 0, 5, tzinfo=UTC)
    waits = []
    for minute in range(12):
        try:
            sign_in(
                db, username="sam", password="guess number x", address=HERE,
                now=start + timedelta(minutes=minute),
            )  # fmt: skip
        except SignInRefused as refusal:
            waits.append(str(refusal))
    assert all("don't match" in w for w in waits[:10])
    assert "Please wait" in waits[10] and "minutes" in waits[10]  # the quarter-hour limit


def test_users_admin_lifts_the_sign_in_limits(db):
    _user(db)
    admin = _user(db, "ada", Role.ADMIN)
    start = datetime(2026, 5, 1, 10, 0, 5, tzinfo=UTC)
    for _ in range(5):
        with pytest.raises(SignInRefused):
            sign_in(db, username="sam", password="guess number x", address=HERE, now=start)
    with pytest.raises(AccessDenied):
        sam = sign_in(db, username="sam", password=PASSWORD, address=ELSEWHERE, now=start)
        unlock_user(db, sam, "sam")
    assert unlock_user(db, admin, "sam") == 3  # a minute, a quarter of an hour, a day
    assert sign_in(db, username="sam", password=PASSWORD, address=HERE, now=start)
    assert recent_events(db, action="user.unlocked")[0].target == "sam"


def test_users_deactivated_account_cannot_sign_in(db):
    _user(db)
    user = db.exec(select(User)).one()
    user.active = False
    db.add(user)
    db.commit()
    with pytest.raises(SignInRefused):
        sign_in(db, username="sam", password=PASSWORD, address=HERE)
