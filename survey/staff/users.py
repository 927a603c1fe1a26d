"""Staff accounts and sign-in with throttling (who may do what: survey.staff.permissions).

Young people never have accounts. Staff passwords are hashed with argon2; there is no
default account: the first admin is created with `youthvoice create-user --role admin`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete
from sqlmodel import Session, col, select

from survey.core.audit import record_event
from survey.core.email_addresses import email_address
from survey.core.limits import (
    Limits,
    epoch_seconds,
    forget_expired_limits,
    give_back,
    lift_limits_on,
    limits_from_settings,
    take_all,
    wait_words,
    window_left,
)
from survey.core.models import RateLimit, User
from survey.core.settings import get_settings
from survey.staff.passwords import check_new_password
from survey.staff.permissions import AccessDenied as AccessDenied  # the names staff code uses
from survey.staff.permissions import Permission, Role, StaffMember, require
from survey.staff.sessions import (
    SessionKeys,
    SessionRules,
    end_member_sessions,
    end_session,
    live_session_counts,
)
from survey.staff.single_sign_on import SSO_ONLY

_HASHER = PasswordHasher()
# Verifying against this keeps unknown usernames as slow as known ones (no user probing).
_DUMMY_HASH = _HASHER.hash("not a real password, only for timing")


class SignInRefused(Exception):
    """Sign-in failed; the message is safe to show (it never says which part was wrong)."""


def create_user(
    db: Session,
    *,
    username: str,
    password: str,
    role: Role | str,
    display_name: str | None = None,
    actor: str | None = None,
    email: str | None = None,
) -> StaffMember:
    """Create a staff account; raises ValueError with a plain reason if it cannot.

    `email` is where safeguarding alert emails reach them (optional; checked for its form).
    """
    username = username.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{1,79}", username):
        raise ValueError("a username is 2-80 letters, digits, dots, dashes or underscores")
    try:
        role = Role(role)
    except ValueError:
        raise ValueError(f"unknown role {role!r}: use one of {[r.value for r in Role]}") from None
    check_new_password(password, username)  # length, not the username, not a common one
    email = email_address(email) if email and email.strip() else None
    if db.exec(select(User).where(User.username == username)).first():
        raise ValueError(f"there is already a user called {username!r}")
    user = User(
        username=username,
        display_name=display_name or username,
        role=role.value,
        email=email,
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
    address: str | None,
    limits: Limits | None = None,
    now: datetime | None = None,
) -> StaffMember:
    """Check a username and password, within the limits on tries.

    A try is counted before the password is checked, in one statement, so parallel guesses
    cannot pass the limit. Tries are limited per (username, network address), with waits
    that grow (a minute, a quarter of an hour, a day), and per address for any username:
    a stranger elsewhere can never lock someone out. A good sign-in clears its own tries.
    """
    now = now or datetime.now(UTC)
    limits = limits or limits_from_settings(get_settings())
    username = username.strip().lower()[:80]
    seconds, place = epoch_seconds(now), address or "unknown"
    mine = [(limits.key(limit, username, place), limit) for limit in limits.sign_in_tries]
    here = [(limits.key(limits.sign_in_address, place), limits.sign_in_address)]
    reached = take_all(db, mine, now=seconds, subject=username)
    if reached is None and (reached := take_all(db, here, now=seconds)) is not None:
        for key, limit in mine:
            give_back(db, key, now=seconds, limit=limit)
    if reached is not None:
        record_event(db, action="sign_in.throttled", actor=username, at=now)
        db.commit()
        wait = wait_words(window_left(reached, now=seconds))
        raise SignInRefused(f"Too many sign-in attempts. Please wait {wait} and try again.")
    db.commit()  # the try counts before the (slow) password check
    user = db.exec(select(User).where(User.username == username)).first()
    matches = _password_matches(user, password)  # always verify: equal time for unknown names
    if user is None or not user.active or not matches:
        record_event(db, action="sign_in.failed", actor=username, at=now)
        db.commit()
        raise SignInRefused("That username and password don't match an active account.")
    db.exec(delete(RateLimit).where(col(RateLimit.key).in_([key for key, _ in mine])))
    give_back(db, here[0][0], now=seconds, limit=limits.sign_in_address)
    record_event(db, action="sign_in", actor=username, at=now)
    db.commit()
    forget_expired_limits(db, now=seconds)
    return _member(user)


def unlock_user(db: Session, admin: StaffMember, username: str) -> int:
    """Lift every sign-in limit on a username (MANAGE_STAFF); returns how many."""
    require(admin, Permission.MANAGE_STAFF)
    username = username.strip().lower()
    if db.exec(select(User).where(User.username == username)).first() is None:
        raise ValueError(f"there is no user called {username!r}")
    lifted = lift_limits_on(db, username)
    record_event(db, action="user.unlocked", actor=admin.username, target=username)
    db.commit()
    return lifted


def set_email(db: Session, admin: StaffMember, username: str, email: str | None) -> str | None:
    """Set (or, empty, remove) where a member's alert emails go (MANAGE_STAFF); audited.
    Returns the address as stored; ValueError with a plain reason if it is not one."""
    require(admin, Permission.MANAGE_STAFF)
    username = username.strip().lower()
    user = db.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise ValueError(f"there is no user called {username!r}")
    user.email = email_address(email) if email and email.strip() else None
    db.add(user)
    # The address itself stays out of the log: the account is what changed.
    detail = {"email": "set" if user.email else "removed"}
    record_event(
        db, action="user.email_changed", actor=admin.username, target=username, detail=detail
    )
    db.commit()
    return user.email


ROLE_NAMES = {
    Role.WORKER: "Participation worker",
    Role.SAFEGUARDING_LEAD: "Safeguarding lead",
    Role.ANALYST: "Analyst",
    Role.BOARD: "Board member",
    Role.ADMIN: "Admin",
}


# "Signed in": how many sessions (browsers) the account has going now.
ACCOUNT_COLUMNS = ["Username", "Display name", "Role", "Email", "Active", "Signed in"]


def staff_accounts(db: Session, admin: StaffMember) -> pd.DataFrame:
    """Every staff account by username (MANAGE_STAFF): no password hash leaves here."""
    require(admin, Permission.MANAGE_STAFF)
    users = db.exec(select(User).order_by(col(User.username))).all()
    signed_in = live_session_counts(db, SessionRules.from_settings(get_settings()))
    return pd.DataFrame(
        [
            {
                "Username": u.username,
                "Display name": u.display_name,
                "Role": ROLE_NAMES.get(Role(u.role), u.role),
                "Email": u.email or "",
                "Active": u.active,
                "Signed in": signed_in.get(u.id or 0, 0),
            }
            for u in users
        ],
        columns=ACCOUNT_COLUMNS,
    )


def sign_out(db: Session, member: StaffMember, session: SessionKeys | None = None) -> None:
    """Sign a member out: their session (survey/staff/sessions.py) ends now; audited."""
    if session is not None:
        end_session(db, session)
    record_event(db, action="sign_out", actor=member.username)
    db.commit()


def sign_out_by_session(db: Session, session: SessionKeys) -> str | None:
    """Sign out whoever this session is (the server's sign-out route knows only the cookie):
    ends it if it was still going, audited; returns their username (None: nothing to end)."""
    user_id = end_session(db, session)
    user = db.get(User, user_id) if user_id is not None else None
    if user is not None:
        record_event(db, action="sign_out", actor=user.username)
    db.commit()
    return user.username if user is not None else None


def reset_password(db: Session, admin: StaffMember, username: str, password: str) -> int:
    """Give an account a new password the admin typed (MANAGE_STAFF), checked like any new
    password (survey/staff/passwords.py). Every session of the account ends, and its
    sign-in limits are lifted so the new password works at once; audited (never the
    password). Returns how many sessions ended."""
    require(admin, Permission.MANAGE_STAFF)
    user = _account(db, username)
    if user.password_hash == SSO_ONLY:
        raise ValueError(
            f"{user.username!r} signs in through single sign-on: its password is the one "
            "of their organisation's account"
        )
    check_new_password(password, user.username)
    user.password_hash = _HASHER.hash(password)
    db.add(user)
    assert user.id is not None
    ended = end_member_sessions(db, user.id)
    lift_limits_on(db, user.username)
    record_event(
        db,
        action="user.password_reset",
        actor=admin.username,
        target=user.username,
        detail={"sessions_ended": ended},
    )
    db.commit()
    return ended


def set_active(db: Session, admin: StaffMember, username: str, active: bool) -> int:
    """Deactivate (False) or reactivate (True) an account (MANAGE_STAFF); audited. A
    deactivated account cannot sign in, and every session of it ends at once (its open
    pages are refused on their next run). No one deactivates their own account, nor the last
    active admin. Returns how many sessions ended."""
    require(admin, Permission.MANAGE_STAFF)
    user = _account(db, username)
    assert user.id is not None
    if not active and user.id == admin.id:
        raise ValueError("you cannot deactivate your own account")
    if not active and user.active and user.role == Role.ADMIN.value and _active_admins(db) <= 1:
        raise ValueError(f"{user.username!r} is the last active admin: make another admin first")
    if user.active == active:
        return 0
    user.active = active
    db.add(user)
    ended = 0 if active else end_member_sessions(db, user.id)
    detail = {} if active else {"sessions_ended": ended}
    action = "user.reactivated" if active else "user.deactivated"
    record_event(db, action=action, actor=admin.username, target=user.username, detail=detail)
    db.commit()
    return ended


def _account(db: Session, username: str) -> User:
    username = username.strip().lower()
    user = db.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise ValueError(f"there is no user called {username!r}")
    return user


def _active_admins(db: Session) -> int:
    admins = db.exec(
        select(User.id).where(User.role == Role.ADMIN.value, col(User.active).is_(True))
    ).all()
    return len(admins)


def active_member(db: Session, user_id: int) -> StaffMember | None:
    """The staff member for a signed-in session, re-read so a deactivation bites at once."""
    user = db.get(User, user_id)
    return _member(user) if user is not None and user.active else None


def _password_matches(user: User | None, password: str) -> bool:
    try:
        return _HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


def _member(user: User) -> StaffMember:
    assert user.id is not None
    return StaffMember(user.id, user.username, user.display_name, Role(user.role))
