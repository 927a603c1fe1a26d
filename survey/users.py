"""Staff accounts, sign-in with throttling, and who may open what.

Young people never have accounts. Staff passwords are hashed with argon2; there is no
default account: the first admin is created with `youthvoice create-user --role admin`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from survey.audit import record_event
from survey.models import SignInFailure, User

MIN_PASSWORD_LENGTH = 12
_HASHER = PasswordHasher()
# Verifying against this keeps unknown usernames as slow as known ones (no user probing).
_DUMMY_HASH = _HASHER.hash("not a real password, only for timing")


class Role(StrEnum):
    WORKER = "worker"
    ANALYST = "analyst"
    BOARD = "board"
    ADMIN = "admin"
    SAFEGUARDING_LEAD = "safeguarding_lead"


class SignInRefused(Exception):
    """Sign-in failed; the message is safe to show (it never says which part was wrong)."""


class AccessDenied(Exception):
    """The signed-in person (or nobody) may not open this page or export."""


@dataclass(frozen=True)
class StaffMember:
    """The signed-in person as pages see them: no password hash travels around."""

    id: int
    username: str
    display_name: str
    role: Role


def create_user(
    db: Session,
    *,
    username: str,
    password: str,
    role: Role | str,
    display_name: str | None = None,
    actor: str | None = None,
) -> StaffMember:
    """Create a staff account; raises ValueError with a plain reason if it cannot."""
    username = username.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{1,79}", username):
        raise ValueError("a username is 2-80 letters, digits, dots, dashes or underscores")
    try:
        role = Role(role)
    except ValueError:
        raise ValueError(f"unknown role {role!r}: use one of {[r.value for r in Role]}") from None
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if db.exec(select(User).where(User.username == username)).first():
        raise ValueError(f"there is already a user called {username!r}")
    user = User(
        username=username,
        display_name=display_name or username,
        role=role.value,
        password_hash=_HASHER.hash(password),
        created_at=datetime.now(UTC),
    )
    db.add(user)
    record_event(db, action="user.created", actor=actor, target=username, detail={"role": role})
    db.commit()
    return _member(user)


def sign_in(
    db: Session,
    *,
    username: str,
    password: str,
    now: datetime | None = None,
    max_failures: int = 5,
    lockout: timedelta = timedelta(minutes=15),
) -> StaffMember:
    """Check a username and password; throttle repeated failures for that username."""
    now = now or datetime.now(UTC)
    username = username.strip().lower()[:80]
    failures = db.exec(
        select(func.count())
        .select_from(SignInFailure)
        .where(SignInFailure.username == username, SignInFailure.at > now - lockout)
    ).one()
    if failures >= max_failures:
        record_event(db, action="sign_in.throttled", actor=username, at=now)
        db.commit()
        minutes = int(lockout.total_seconds() // 60)
        raise SignInRefused(
            f"Too many failed attempts. Please wait {minutes} minutes and try again."
        )
    user = db.exec(select(User).where(User.username == username)).first()
    matches = _password_matches(user, password)  # always verify: equal time for unknown names
    if user is None or not user.active or not matches:
        db.add(SignInFailure(username=username, at=now))
        record_event(db, action="sign_in.failed", actor=username, at=now)
        db.commit()
        raise SignInRefused("That username and password don't match an active account.")
    db.exec(delete(SignInFailure).where(col(SignInFailure.username) == username))
    record_event(db, action="sign_in", actor=username, at=now)
    db.commit()
    return _member(user)


def sign_out(db: Session, member: StaffMember) -> None:
    record_event(db, action="sign_out", actor=member.username)
    db.commit()


def active_member(db: Session, user_id: int) -> StaffMember | None:
    """The staff member for a signed-in session, re-read so a deactivation bites at once."""
    user = db.get(User, user_id)
    return _member(user) if user is not None and user.active else None


def require_role(member: StaffMember | None, allowed: frozenset[Role] | set[Role]) -> StaffMember:
    """Refuse unless someone is signed in with one of the allowed roles (admins always)."""
    if member is None:
        raise AccessDenied("Please sign in as staff to open this page.")
    if member.role != Role.ADMIN and member.role not in allowed:
        raise AccessDenied("Your account doesn't have access to this page.")
    return member


def _password_matches(user: User | None, password: str) -> bool:
    try:
        return _HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


def _member(user: User) -> StaffMember:
    assert user.id is not None
    return StaffMember(user.id, user.username, user.display_name, Role(user.role))
