"""Participation sessions: a worker's session in a school or youth club, its join code and
QR code, opening and closing, and the limits that keep it from being flooded or guessed.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

import segno
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from survey.core.audit import record_event
from survey.core.limits import Limits, epoch_seconds, give_back, take_all, wait_words, window_left
from survey.core.models import ParticipationSession, Response, User
from survey.staff.permissions import AccessDenied, Permission, StaffMember, may, require

# No 0/O, 1/I/L: a code read off a projector or typed on a phone cannot be misread.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
VENUE_TYPES = {
    "school": "School",
    "college": "College",
    "youth_club": "Youth club",
    "community_group": "Community group",
    "online": "Online",
    "street_based": "Street-based",
}
JOIN_FAILED = "session.join_failed"
# "Create session" pressed twice (a double click, a rerun, a second tab): an identical session
# made by the same worker this recently is the one they meant.
SAME_SESSION_WITHIN = timedelta(minutes=1)
OPEN_SURVEY_NOTE = " You can still answer the survey without a session code."


class SessionState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    EXPIRED = "expired"


class SessionError(ValueError):
    """A session cannot be created or joined as asked; the message is plain."""


class SessionClosed(SessionError):
    """Answers sent to a session that closed (or ran out) while the young person answered:
    the same answers may go to the open survey instead, if it is open."""


@dataclass(frozen=True)
class SessionView:
    id: int
    code: str
    name: str
    venue_type: str
    district: str
    held_on: date
    age_group: str | None
    worker_id: int
    state: SessionState
    expires_at: datetime
    show_quotes: bool
    answers: int = 0
    archived: bool = False


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a young person typed, as a code: capitals, no spaces or dashes."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def join_url(public_url: str, code: str) -> str:
    return f"{public_url.rstrip('/')}/?code={code}"


def join_address(public_url: str) -> str:
    """The public URL as a room reads and types it: no scheme, no trailing slash."""
    return public_url.split("://", 1)[-1].rstrip("/")


def qr_code_svg(url: str, *, scale: int = 8) -> str:
    """The join link as an SVG QR code (segno), ready to show large on a projector."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=scale, border=2, xmldecl=False, dark="#000", light="#fff"
    )
    return out.getvalue().decode()


def state_of(session: ParticipationSession, now: datetime) -> SessionState:
    if session.closed_at is not None:
        return SessionState.CLOSED
    if _aware(session.expires_at) <= now:
        return SessionState.EXPIRED
    return SessionState.OPEN


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _view(session: ParticipationSession, now: datetime, answers: int = 0) -> SessionView:
    assert session.id is not None
    return SessionView(
        session.id,
        session.code,
        session.name,
        session.venue_type,
        session.district,
        session.held_on,
        session.age_group,
        session.worker_id,
        state_of(session, now),
        _aware(session.expires_at),
        session.show_quotes,
        answers,
        session.archived_at is not None,
    )


def open_session(
    db: Session,
    *,
    worker: StaffMember,
    name: str,
    venue_type: str,
    district: str,
    held_on: date,
    age_group: str | None,
    districts: list[str],
    days: int = 7,
    now: datetime | None = None,
) -> SessionView:
    """Create a session with a fresh join code, open for `days` days.

    Pressing "Create session" twice makes one session: an identical one (name, venue,
    district, date, age group) that the same worker created within SAME_SESSION_WITHIN is
    returned instead of a second, also when the two presses run side by side.
    """
    require(worker, Permission.RUN_SESSIONS)
    name = name.strip()[:200]
    if not name:
        raise SessionError("Give the session a name, such as the school and year group.")
    if venue_type not in VENUE_TYPES:
        raise SessionError(f"Unknown venue type '{venue_type}'.")
    if district not in districts:
        raise SessionError(f"Unknown district '{district}'.")
    now = now or datetime.now(UTC)
    # The worker's own row, written to lock it: a parallel press waits here (PostgreSQL's row
    # lock; SQLite's one writer), then finds the session this one made.
    db.exec(update(User).where(col(User.id) == worker.id).values(active=User.active))
    made = db.exec(
        select(ParticipationSession)
        .where(
            ParticipationSession.worker_id == worker.id,
            ParticipationSession.name == name,
            ParticipationSession.venue_type == venue_type,
            ParticipationSession.district == district,
            ParticipationSession.held_on == held_on,
            ParticipationSession.age_group == age_group,
            col(ParticipationSession.created_at) > now - SAME_SESSION_WITHIN,
            col(ParticipationSession.closed_at).is_(None),  # closed since: a new one is meant
        )
        .order_by(col(ParticipationSession.created_at).desc())
    ).first()
    if made is not None:
        db.commit()  # lets go of the lock; nothing was changed
        return _view(made, now)
    for _ in range(5):  # a clash is one in hundreds of millions; retry rather than fail
        session = ParticipationSession(
            code=new_code(),
            name=name,
            venue_type=venue_type,
            district=district,
            held_on=held_on,
            age_group=age_group,
            worker_id=worker.id,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        db.add(session)
        record_event(db, action="session.opened", actor=worker.username, target=session.code)
        try:
            db.commit()
            return _view(session, now)
        except IntegrityError:
            db.rollback()
    raise SessionError("Could not make a unique join code; please try again.")


def sessions_for(
    db: Session,
    member: StaffMember,
    now: datetime | None = None,
    *,
    include_archived: bool = False,
) -> list[SessionView]:
    """A worker's own sessions (with MANAGE_EVERY_SESSION: all), newest first; archived
    ones only when asked for."""
    query = select(ParticipationSession).order_by(col(ParticipationSession.created_at).desc())
    if not may(member, Permission.MANAGE_EVERY_SESSION):
        query = query.where(ParticipationSession.worker_id == member.id)
    if not include_archived:
        query = query.where(col(ParticipationSession.archived_at).is_(None))
    now = now or datetime.now(UTC)
    sessions = db.exec(query).all()
    counts = dict(
        db.exec(
            select(Response.session_id, func.count())
            .where(col(Response.session_id).in_([s.id for s in sessions]))
            .group_by(col(Response.session_id))
        ).all()
    )
    return [_view(s, now, counts.get(s.id, 0)) for s in sessions]


def session_for_staff(
    db: Session, member: StaffMember, session_id: int, now: datetime | None = None
) -> SessionView:
    """One session, only for the worker who runs it (or with MANAGE_EVERY_SESSION)."""
    session = _owned(db, member, session_id)
    return _view(session, now or datetime.now(UTC), responses_in_session(db, session_id))


def _owned(db: Session, member: StaffMember, session_id: int) -> ParticipationSession:
    session = db.get(ParticipationSession, session_id)
    if session is None or (
        session.worker_id != member.id and not may(member, Permission.MANAGE_EVERY_SESSION)
    ):
        # The same answer for "not yours" and "doesn't exist": ids reveal nothing.
        raise AccessDenied("That session isn't one of yours.")
    return session


def close_session(db: Session, member: StaffMember, session_id: int) -> SessionView:
    require(member, Permission.RUN_SESSIONS)
    session = _owned(db, member, session_id)
    now = datetime.now(UTC)
    if session.closed_at is None:
        session.closed_at = now
        db.add(session)
        record_event(db, action="session.closed", actor=member.username, target=session.code)
        db.commit()
    return _view(session, now)


def reopen_session(db: Session, member: StaffMember, session_id: int, days: int = 7) -> SessionView:
    """Reopen a closed or expired session; an expired one gets `days` more, an archived one
    comes back to the list (an open session is never out of sight)."""
    require(member, Permission.RUN_SESSIONS)
    session = _owned(db, member, session_id)
    now = datetime.now(UTC)
    session.closed_at = None
    session.archived_at = None
    if _aware(session.expires_at) <= now:
        session.expires_at = now + timedelta(days=days)
    db.add(session)
    record_event(db, action="session.reopened", actor=member.username, target=session.code)
    db.commit()
    return _view(session, now)


def archive_session(db: Session, member: StaffMember, session_id: int) -> SessionView:
    """Take a finished session out of the worker's list. It closes (an archived session
    takes no more online answers); its answers, themes and quotes stay for the board."""
    require(member, Permission.RUN_SESSIONS)
    session = _owned(db, member, session_id)
    now = datetime.now(UTC)
    if session.archived_at is None:
        session.archived_at = now
        session.closed_at = session.closed_at or now
        db.add(session)
        record_event(db, action="session.archived", actor=member.username, target=session.code)
        db.commit()
    return _view(session, now, responses_in_session(db, session_id))


def unarchive_session(db: Session, member: StaffMember, session_id: int) -> SessionView:
    """Put an archived session back in the worker's list (still closed: reopen it to take
    answers again)."""
    require(member, Permission.RUN_SESSIONS)
    session = _owned(db, member, session_id)
    now = datetime.now(UTC)
    if session.archived_at is not None:
        session.archived_at = None
        db.add(session)
        record_event(db, action="session.unarchived", actor=member.username, target=session.code)
        db.commit()
    return _view(session, now, responses_in_session(db, session_id))


def show_quotes_on_screen(db: Session, member: StaffMember, session_id: int, show: bool) -> None:
    require(member, Permission.RUN_SESSIONS)
    session = _owned(db, member, session_id)
    session.show_quotes = show
    db.add(session)
    db.commit()


def responses_in_session(db: Session, session_id: int) -> int:
    query = select(func.count()).select_from(Response).where(Response.session_id == session_id)
    return db.exec(query).one()


@dataclass(frozen=True)
class JoinOutcome:
    session: SessionView | None
    message: str  # plain words for the young person; empty when joined


@dataclass(frozen=True)
class Client:
    """Who is asking, only as far as limits need: the random token kept in the phone's
    browser, and the network address (None when unknown). Neither is stored: limits keep
    keyed hashes of them, deleted when their window is over."""

    device: str
    address: str | None = None


def join_session(
    db: Session,
    typed_code: str,
    *,
    client: Client,
    limits: Limits,
    open_survey_allowed: bool = True,
    now: datetime | None = None,
) -> JoinOutcome:
    """Find an open session by the code a young person typed or scanned.

    Every try uses one of the phone's and one of its network's tries before the code is
    looked up (so parallel tries cannot pass the limit); a right code gives them back. A
    stranger's wrong codes use up only their own tries, never everyone's.
    """
    now = now or datetime.now(UTC)
    fallback = (
        " You can still answer the survey without a session code." if open_survey_allowed else ""
    )
    seconds = epoch_seconds(now)
    tries = [(limits.key(limits.wrong_codes_device, client.device), limits.wrong_codes_device)]
    if client.address:
        tries.append(
            (limits.key(limits.wrong_codes_address, client.address), limits.wrong_codes_address)
        )
    reached = take_all(db, tries, now=seconds)
    db.commit()
    if reached is not None:
        return JoinOutcome(
            None,
            "Too many codes have been tried. Please wait "
            f"{wait_words(window_left(reached, now=seconds))}, "
            "or ask the person running the session for help.",
        )
    code = normalise_code(typed_code)
    session = (
        db.exec(select(ParticipationSession).where(ParticipationSession.code == code)).first()
        if len(code) == CODE_LENGTH
        else None
    )
    if session is None:
        record_event(db, action=JOIN_FAILED, actor=None, at=now)  # no code, device or IP kept
        db.commit()
        return JoinOutcome(
            None,
            "We couldn't find a session with that code. Check it with the "
            "person running the session." + fallback,
        )
    for key, limit in tries:  # a real code is not a guess
        give_back(db, key, now=seconds, limit=limit)
    db.commit()
    state = state_of(session, now)
    if state == SessionState.CLOSED:
        return JoinOutcome(
            None, "This session has closed, so answers can't be added to it." + fallback
        )
    if state == SessionState.EXPIRED:
        return JoinOutcome(None, "This session's code has run out." + fallback)
    return JoinOutcome(_view(session, now), "")


def check_session_open(db: Session, session_id: int, now: datetime) -> None:
    """Raise SessionClosed unless the session is open to online answers now."""
    session = db.get(ParticipationSession, session_id)
    if session is None or state_of(session, now) != SessionState.OPEN:
        raise SessionClosed("This session has closed, so answers can't be added to it.")
