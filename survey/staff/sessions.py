"""Staff sign-in that lasts: a server-side session, carried by a signed HttpOnly cookie.

A reload, a second tab or a bookmark opens a new Streamlit session, which knows nothing of the
last one; the browser's cookie is what carries the sign-in across them. Page code talks to
the browser over a websocket and cannot set an HttpOnly cookie, so a sign-in takes two steps:

1. The sign-in page checks the password (survey.staff.users.sign_in), then `begin_session`
   stores a *pending* session under the hash of a new random token. The page keeps the
   token's hashes (`session_keys`) for its own runs, and gives the token to the browser as a
   one-time sign-in code.
2. A script on the page POSTs the code to the server's own route (server.py,
   ui/staff_routes.py). `exchange_code` turns the pending session into a live one, once and
   only within a minute, and the answer sets the cookie `TOKEN.SIGNATURE`, where the
   signature is an HMAC of the token with the server secret (`cookie_value`).

Every page run then checks its session (`session_member`): the cookie sent with the
websocket's handshake (`token_from_cookie`) or the keys its own sign-in left, the session's
row, and the account (a deactivation bites at once).

Only SHA-256 hashes of tokens are stored, so a copy of the database signs no one in. A
pending session is stored under the hash of "pending:" + token and a live one under the hash
of the token, so a code is never a session nor a session a code.

A session ends when it has been idle longer than YOUTHVOICE_STAFF_IDLE_MINUTES, at
YOUTHVOICE_STAFF_SESSION_HOURS after sign-in whatever happens, on sign-out, and when the
member's password is changed or the account is deactivated (`end_member_sessions`). Its
last-seen time is written at most once a minute, not on every rerun.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, update
from sqlmodel import Session, col, select

from survey.core.models import StaffSession, User
from survey.core.settings import Settings
from survey.staff.permissions import Role, StaffMember

COOKIE_NAME = "yv_staff"
CODE_SECONDS = 60  # a sign-in code is exchanged for the cookie within this, once
TOUCH_SECONDS = 60  # last_seen_at is written at most this often
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
_SIGNED_FOR = b"youthvoice staff session cookie\0"


@dataclass(frozen=True)
class SessionRules:
    idle: timedelta  # ends after this long without a page run
    absolute: timedelta  # ends this long after sign-in, however busy

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionRules:
        return cls(
            idle=timedelta(minutes=settings.staff_idle_minutes),
            absolute=timedelta(hours=settings.staff_session_hours),
        )

    @property
    def touch(self) -> timedelta:
        """How stale last_seen_at may get before it is written again: a minute, or less
        when the idle timeout is tiny (a test's)."""
        return min(timedelta(seconds=TOUCH_SECONDS), self.idle / 4)


@dataclass(frozen=True)
class SessionKeys:
    """What a Streamlit session keeps to find its sign-in again on every run: the hashes a
    session's row may be stored under (pending, then live). Never the token itself."""

    live: str
    pending: str


def session_keys(token: str) -> SessionKeys:
    return SessionKeys(live=_hash(token), pending=_hash("pending:" + token))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def begin_session(
    db: Session, member: StaffMember, rules: SessionRules, now: datetime | None = None
) -> str:
    """Store a pending session for a member who has just proved who they are; returns its
    token, which the browser exchanges for the cookie (`exchange_code`). Ended sessions are
    cleared away on the way."""
    now = _utc(now)
    token = new_token()
    db.exec(delete(StaffSession).where(_ended(rules, now)))
    db.add(
        StaffSession(
            token_hash=session_keys(token).pending,
            user_id=member.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + rules.absolute,
        )
    )
    db.commit()
    return token


def exchange_code(db: Session, code: str, now: datetime | None = None) -> str | None:
    """The token to put in the cookie, if `code` is a pending session's, under a minute old,
    not ended, of an active account; None otherwise. Once only: one conditional UPDATE makes
    the pending session live, so a second exchange (or a parallel one) finds nothing."""
    if not isinstance(code, str) or not _TOKEN.fullmatch(code):
        return None
    now = _utc(now)
    keys = session_keys(code)
    active_users = select(User.id).where(col(User.active).is_(True))
    made_live = db.connection().execute(
        update(StaffSession)
        .where(
            col(StaffSession.token_hash) == keys.pending,
            col(StaffSession.revoked_at).is_(None),
            col(StaffSession.created_at) >= now - timedelta(seconds=CODE_SECONDS),
            col(StaffSession.expires_at) > now,
            col(StaffSession.user_id).in_(active_users),
        )
        .values(token_hash=keys.live)
    )
    db.commit()
    return code if made_live.rowcount == 1 else None


def session_member(
    db: Session, keys: SessionKeys, rules: SessionRules, now: datetime | None = None
) -> StaffMember | None:
    """The member whose session these keys find, if it has not ended and the account is
    active; None otherwise. Marks the session seen (at most once a minute)."""
    now = _utc(now)
    found = db.exec(
        select(StaffSession, User)
        .join(User, col(User.id) == col(StaffSession.user_id))
        .where(col(StaffSession.token_hash).in_([keys.live, keys.pending]))
    ).first()
    if found is None:
        return None
    session, user = found
    last_seen = _utc(session.last_seen_at)
    if (
        session.revoked_at is not None
        or now >= _utc(session.expires_at)
        or now - last_seen >= rules.idle
        or not user.active
    ):
        return None
    if now - last_seen >= rules.touch:
        db.connection().execute(
            update(StaffSession)
            .where(
                col(StaffSession.token_hash) == session.token_hash,
                col(StaffSession.last_seen_at) < now - rules.touch,
            )
            .values(last_seen_at=now)
        )
        db.commit()
    assert user.id is not None
    return StaffMember(user.id, user.username, user.display_name, Role(user.role))


def end_session(db: Session, keys: SessionKeys, now: datetime | None = None) -> int | None:
    """End one session (sign-out); returns its member's user id if it was still going.
    The caller commits (with its audit entry)."""
    now = _utc(now)
    found = db.exec(
        select(StaffSession).where(
            col(StaffSession.token_hash).in_([keys.live, keys.pending]),
            col(StaffSession.revoked_at).is_(None),
        )
    ).first()
    if found is None:
        return None
    found.revoked_at = now
    db.add(found)
    return found.user_id


def end_member_sessions(db: Session, user_id: int, now: datetime | None = None) -> int:
    """End every session of one member (a password change, a deactivation); returns how
    many were going. The caller commits (with its audit entry)."""
    ended = db.connection().execute(
        update(StaffSession)
        .where(col(StaffSession.user_id) == user_id, col(StaffSession.revoked_at).is_(None))
        .values(revoked_at=_utc(now))
    )
    return int(ended.rowcount or 0)


def live_session_counts(
    db: Session, rules: SessionRules, now: datetime | None = None
) -> dict[int, int]:
    """How many sessions each member has going ({user_id: count}), for the accounts list."""
    now = _utc(now)
    rows = db.exec(
        select(StaffSession.user_id).where(
            col(StaffSession.revoked_at).is_(None),
            col(StaffSession.expires_at) > now,
            col(StaffSession.last_seen_at) > now - rules.idle,
        )
    ).all()
    counts: dict[int, int] = {}
    for user_id in rows:
        counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def cookie_value(token: str, secret: bytes) -> str:
    """The cookie's value: the token and its signature with the server secret."""
    return f"{token}.{_signature(token, secret)}"


def token_from_cookie(value: object, secret: bytes) -> str | None:
    """The token a cookie carries, if its signature is the server's; None for anything else
    (missing, malformed, tampered with, or signed with another secret)."""
    if not isinstance(value, str) or value.count(".") != 1:
        return None
    token, signature = value.split(".")
    if not _TOKEN.fullmatch(token):
        return None
    return token if hmac.compare_digest(signature, _signature(token, secret)) else None


def _signature(token: str, secret: bytes) -> str:
    digest = hmac.new(secret, _SIGNED_FOR + token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _ended(rules: SessionRules, now: datetime) -> ColumnElement[bool]:
    return or_(
        col(StaffSession.revoked_at).is_not(None),
        col(StaffSession.expires_at) <= now,
        col(StaffSession.last_seen_at) <= now - rules.idle,
    )


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
