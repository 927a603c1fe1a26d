from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from survey.audit import recent_events
from survey.models import User
from survey.users import (
    AccessDenied,
    Role,
    SignInRefused,
    create_user,
    require_role,
    sign_in,
    sign_out,
)

PASSWORD = "a long enough passphrase"


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
    member = sign_in(db, username="Sam ", password=PASSWORD)
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
        sign_in(db, username=username, password=password)
    assert recent_events(db, action="sign_in.failed")[0].actor == username


def test_users_sign_in_is_throttled_after_repeated_failures(db):
    _user(db)
    start = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
    for minute in range(5):
        with pytest.raises(SignInRefused, match="don't match"):
            sign_in(
                db, username="sam", password="guess number x", now=start + timedelta(minutes=minute)
            )
    # Even the right password is refused while throttled...
    with pytest.raises(SignInRefused, match="Too many failed attempts"):
        sign_in(db, username="sam", password=PASSWORD, now=start + timedelta(minutes=6))
    # ...and accepted once the window has passed.
    assert sign_in(db, username="sam", password=PASSWORD, now=start + timedelta(minutes=25))


def test_users_deactivated_account_cannot_sign_in(db):
    _user(db)
    user = db.exec(select(User)).one()
    user.active = False
    db.add(user)
    db.commit()
    with pytest.raises(SignInRefused):
        sign_in(db, username="sam", password=PASSWORD)


ROLE_MATRIX = [
    (Role.WORKER, {Role.WORKER}, True),
    (Role.WORKER, {Role.ANALYST}, False),
    (Role.BOARD, {Role.ANALYST}, False),
    (Role.ANALYST, {Role.ANALYST}, True),
    (Role.ADMIN, {Role.BOARD}, True),
    (Role.SAFEGUARDING_LEAD, {Role.WORKER}, False),
]


@pytest.mark.parametrize(("role", "allowed", "opens"), ROLE_MATRIX)
def test_users_require_role(db, role, allowed, opens):
    member = _user(db, role=role)
    if opens:
        assert require_role(member, allowed) == member
    else:
        with pytest.raises(AccessDenied, match="doesn't have access"):
            require_role(member, allowed)


def test_users_require_role_refuses_nobody():
    with pytest.raises(AccessDenied, match="Please sign in"):
        require_role(None, {Role.WORKER})
