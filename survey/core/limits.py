"""Limits that hold under parallel requests: a counter per key and fixed window, taken by one
conditional statement in the database, so twenty requests at once cannot all pass a limit
of five.

What is limited (a session, a device token, a network address, a username) is stored only as
a keyed hash, and a counter is deleted once its window is over: nothing here can be paired
with an answer later (docs/privacy.md says what is kept and for how long).
"""

from __future__ import annotations

import hashlib
import hmac
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, delete, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col

from survey.core.database import upsert_into
from survey.core.models import RateLimit
from survey.core.server_secret import server_secret
from survey.core.settings import Settings


@dataclass(frozen=True)
class Limit:
    """At most `most` uses per `window_seconds` (windows aligned to the clock)."""

    name: str  # what is limited, in words; also the readable start of the key
    most: int
    window_seconds: int


class LimitReached(Exception):
    """A limit is used up; the message is plain words for whoever asked."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


def limit_key(secret: bytes, limit: Limit, *parts: str | int) -> str:
    """The stored key: the limit's name and a keyed hash of what is limited."""
    message = "\x1f".join(str(p) for p in (limit.name, *parts)).encode()
    return f"{limit.name[:40]}:{hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]}"


def epoch_seconds(now: datetime | None = None) -> int:
    return int((now or datetime.now(UTC)).timestamp())


def take(
    db: Session, key: str, limit: Limit, *, now: int, subject: str | None = None
) -> int | None:
    """Use one of the limit's uses now, in the caller's transaction.

    Returns how many uses this window has had (this one included), or None when the limit
    was already reached (nothing changes then). One statement: on PostgreSQL, a parallel
    taker of the same key waits for this transaction's row, then sees its count.
    """
    window_start = now - now % limit.window_seconds
    expires = window_start + limit.window_seconds
    row = upsert_into(db, RateLimit).values(
        key=key, window_start=window_start, used=1, expires_at=expires, subject=subject
    )
    stored = RateLimit.__table__.c  # type: ignore[attr-defined]
    taken = db.exec(
        row.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "used": _used_after(stored, row.excluded),
                "window_start": row.excluded.window_start,
                "expires_at": row.excluded.expires_at,
            },
            where=(stored.window_start != row.excluded.window_start) | (stored.used < limit.most),
        ).returning(stored.used)
    ).scalar()
    return None if taken is None else int(taken)


def _used_after(stored: Any, excluded: Any) -> Any:
    # A new window starts again at one; the same window counts on.
    return case((stored.window_start == excluded.window_start, stored.used + 1), else_=1)


def give_back(db: Session, key: str, *, now: int, limit: Limit) -> None:
    """Return a use taken in this window (a correct join code, a good sign-in)."""
    window_start = now - now % limit.window_seconds
    db.exec(
        update(RateLimit)
        .where(
            col(RateLimit.key) == key,
            col(RateLimit.window_start) == window_start,
            col(RateLimit.used) > 0,
        )
        .values(used=RateLimit.used - 1)
    )


def window_left(limit: Limit, *, now: int) -> int:
    """Seconds until the limit's current window ends."""
    return limit.window_seconds - now % limit.window_seconds


def take_all(
    db: Session, wanted: list[tuple[str, Limit]], *, now: int, subject: str | None = None
) -> Limit | None:
    """Take one use of each (key, limit), or none of them: returns the first limit that was
    already reached (the uses taken before it are given back), or None when all were taken."""
    taken: list[tuple[str, Limit]] = []
    for key, limit in wanted:
        if take(db, key, limit, now=now, subject=subject) is None:
            for done_key, done_limit in taken:
                give_back(db, done_key, now=now, limit=done_limit)
            return limit
        taken.append((key, limit))
    return None


def lift_limits_on(db: Session, subject: str) -> int:
    """Delete every counter about this subject (a staff username); returns how many."""
    result = db.exec(delete(RateLimit).where(col(RateLimit.subject) == subject))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def forget_expired_limits(db: Session, *, now: int | None = None) -> int:
    """Delete counters whose window is over, in their own short transaction.

    Run after every limited request and by `youthvoice purge`. Best effort: if another
    process is deleting the same rows, the next run finishes the job.
    """
    try:
        result = db.exec(
            delete(RateLimit).where(col(RateLimit.expires_at) <= (now or epoch_seconds()))
        )
        db.commit()
    except SQLAlchemyError:
        with suppress(SQLAlchemyError):  # the connection is gone; the pool replaces it
            db.rollback()
        return 0
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def wait_words(seconds: int) -> str:
    """'a minute', '15 minutes', 'an hour', '3 hours' — rounded up, for messages."""
    minutes = max(1, -(-seconds // 60))
    if minutes == 1:
        return "a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = -(-minutes // 60)
    return "an hour" if hours == 1 else f"{hours} hours"


MINUTE, QUARTER_HOUR, TEN_MINUTES, DAY = 60, 15 * 60, 10 * 60, 24 * 60 * 60


@dataclass(frozen=True)
class Limits:
    """The product's limits, from the settings, with the secret their keys are hashed with."""

    secret: bytes
    session_answers: Limit
    device_answers: Limit
    everyone_answers: Limit
    wrong_codes_device: Limit
    wrong_codes_address: Limit
    sign_in_tries: tuple[Limit, ...]  # per username and address; the waits grow
    sign_in_address: Limit

    def key(self, limit: Limit, *parts: str | int) -> str:
        return limit_key(self.secret, limit, *parts)


def limits_from_settings(settings: Settings) -> Limits:
    return Limits(
        secret=server_secret(settings),
        session_answers=Limit("session answers", settings.session_responses_per_minute, MINUTE),
        device_answers=Limit("device answers", settings.responses_per_device, DAY),
        everyone_answers=Limit("all answers", settings.responses_per_minute_everyone, MINUTE),
        wrong_codes_device=Limit(
            "wrong codes device", settings.wrong_codes_per_device, TEN_MINUTES
        ),
        wrong_codes_address=Limit(
            "wrong codes address", settings.wrong_codes_per_address, TEN_MINUTES
        ),
        sign_in_tries=(
            Limit("sign-in minute", settings.sign_in_tries_per_minute, MINUTE),
            Limit("sign-in quarter", settings.sign_in_tries_per_quarter_hour, QUARTER_HOUR),
            Limit("sign-in day", settings.sign_in_tries_per_day, DAY),
        ),
        sign_in_address=Limit("sign-in address", settings.sign_in_tries_per_address, QUARTER_HOUR),
    )
