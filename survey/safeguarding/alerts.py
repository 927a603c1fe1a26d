"""Safeguarding alerts: raised on submit when an answer reads as a disclosure, queued for
the session's worker (open survey: the safeguarding lead), followed up new -> seen ->
actioned with who, when and a note. Every view of flagged text is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from survey.core.audit import record_event, record_event_once
from survey.core.models import AlertEvent, Answer, ParticipationSession, Response, SafeguardingAlert
from survey.safeguarding.disclosures import Disclosure
from survey.staff.permissions import AccessDenied, Permission, StaffMember, may, require


class AlertState(StrEnum):
    NEW = "new"
    SEEN = "seen"
    ACTIONED = "actioned"


NEXT_STATES = {
    AlertState.NEW: (AlertState.SEEN, AlertState.ACTIONED),
    AlertState.SEEN: (AlertState.ACTIONED,),
    AlertState.ACTIONED: (),
}


ALERT, CHECK = "alert", "check"
NOT_READ = "not machine-read"  # the category of an answer in a language no rule can read
ASKED_FOR_HELP = "asked for help"


def alert_for(
    disclosures: dict[str, Disclosure],
    response: Response,
    today: date,
    db: Session,
    *,
    unread: dict[str, str] | None = None,
    asked_for_help: bool = False,
) -> SafeguardingAlert | None:
    """The alert for a response that needs a person to read it (not yet stored), or None.

    Band *alert* when any answer reads as a likely disclosure; otherwise band *check* for a
    possible concern, an answer in a language no rule can read, or a young person who said
    they would like help.
    """
    flagged = {qid: d for qid, d in disclosures.items() if d.flagged}
    unread = unread or {}
    if not flagged and not unread and not asked_for_help:
        return None
    band = ALERT if any(d.band == ALERT for d in flagged.values()) else CHECK
    categories = {c for d in flagged.values() for c in d.categories}
    categories |= {NOT_READ} if unread else set()
    categories |= {ASKED_FOR_HELP} if asked_for_help else set()
    evidence = [{"question": qid, **e} for qid, d in flagged.items() for e in d.evidence]
    assert response.id is not None
    return SafeguardingAlert(
        response_id=response.id,
        worker_id=_session_worker(db, response),
        raised_on=today,
        categories=sorted(categories),
        evidence=evidence,
        band=band,
        language=", ".join(sorted(set(unread.values()))) or None,
    )


def _session_worker(db: Session, response: Response) -> int | None:
    if response.session_id is None:
        return None
    session = db.get(ParticipationSession, response.session_id)
    return session.worker_id if session else None


def band_of_response(db: Session, response_id: int) -> str | None:
    """The band of the response's alert: "alert", "check", or None when it raised none."""
    query = select(SafeguardingAlert.band).where(SafeguardingAlert.response_id == response_id)
    return db.exec(query).first()


@dataclass(frozen=True)
class AlertView:
    id: int
    response_id: int
    raised_on: date
    categories: list[str]
    state: AlertState
    session_name: str | None
    history: list[tuple[str, str, datetime, str]]  # state, by, at, note
    band: str = ALERT
    language: str | None = None  # the language of an answer no machine could read


def _may_see(member: StaffMember, alert: SafeguardingAlert) -> bool:
    if may(member, Permission.FOLLOW_UP_EVERY_ALERT):
        return True
    return may(member, Permission.FOLLOW_UP_ALERTS) and alert.worker_id == member.id


def alerts_for(db: Session, member: StaffMember, *, open_only: bool = True) -> list[AlertView]:
    """The member's queue: their own sessions' alerts (FOLLOW_UP_EVERY_ALERT: all)."""
    require(member, Permission.FOLLOW_UP_ALERTS)
    query = (
        select(SafeguardingAlert, ParticipationSession.name)
        .join(Response, col(Response.id) == col(SafeguardingAlert.response_id))
        .join(
            ParticipationSession,
            col(ParticipationSession.id) == col(Response.session_id),
            isouter=True,
        )
        .order_by(col(SafeguardingAlert.id).desc())
    )
    if not may(member, Permission.FOLLOW_UP_EVERY_ALERT):
        query = query.where(SafeguardingAlert.worker_id == member.id)
    if open_only:
        query = query.where(SafeguardingAlert.state != AlertState.ACTIONED)
    rows = db.exec(query).all()
    ids = [a.id for a, _ in rows]
    events = db.exec(
        select(AlertEvent).where(col(AlertEvent.alert_id).in_(ids)).order_by(col(AlertEvent.id))
    ).all()
    history: dict[int, list[tuple[str, str, datetime, str]]] = {}
    for e in events:
        history.setdefault(e.alert_id, []).append((e.state, e.by, e.at, e.note))
    return [
        AlertView(
            a.id or 0,
            a.response_id,
            a.raised_on,
            a.categories,
            AlertState(a.state),
            name,
            history.get(a.id or 0, []),
            a.band,
            a.language,
        )
        for a, name in rows
    ]


def _alert(db: Session, member: StaffMember, alert_id: int) -> SafeguardingAlert:
    require(member, Permission.FOLLOW_UP_ALERTS)
    alert = db.get(SafeguardingAlert, alert_id)
    if alert is None or not _may_see(member, alert):
        raise AccessDenied("That alert isn't in your queue.")
    return alert


def read_flagged_text(
    db: Session,
    member: StaffMember,
    alert_id: int,
    *,
    text_questions: frozenset[str] | set[str] = frozenset(),
    now: datetime | None = None,
) -> dict[str, Any]:
    """The flagged answers (as stored, redacted) and evidence; the view is audited (once an
    hour per member and alert, see `audit_text_view`). For an answer no machine could read
    there is no evidence to point at: every free-text answer (`text_questions`) is shown."""
    alert = _alert(db, member, alert_id)
    questions = {e["question"] for e in alert.evidence}
    if alert.language is not None:
        questions |= set(text_questions)
    texts = dict(
        db.exec(
            select(Answer.question_id, Answer.value).where(
                Answer.response_id == alert.response_id,
                col(Answer.question_id).in_(questions),
            )
        ).all()
    )
    if audit_text_view(db, member, alert_id, alert.response_id, where="alerts", now=now):
        db.commit()
    return {"texts": texts, "evidence": alert.evidence}


TEXT_VIEWED = "alert.text_viewed"


def audit_text_view(
    db: Session,
    member: StaffMember,
    alert_id: int,
    response_id: int,
    *,
    where: str,
    now: datetime | None = None,
) -> bool:
    """Add the audit event for a member seeing an alert's text (the caller commits), once
    per member and alert within an hour: a page reruns on every click, and the log should
    say who looked, not how often the page redrew. True if an event was added."""
    return (
        record_event_once(
            db,
            action=TEXT_VIEWED,
            actor=member.username,
            target=f"alert {alert_id}",
            detail={"response": response_id, "where": where},
            at=now,
        )
        is not None
    )


def change_alert_state(
    db: Session, member: StaffMember, alert_id: int, state: AlertState, note: str = ""
) -> None:
    """Move an alert on (new -> seen -> actioned), recording who, when and a note."""
    alert = _alert(db, member, alert_id)
    current = AlertState(alert.state)
    if state == current:
        return  # a double click changes nothing
    if state not in NEXT_STATES[current]:
        raise ValueError(f"An alert that is {current} cannot become {state}.")
    if state == AlertState.ACTIONED and not note.strip():
        raise ValueError("Say what was done: a note is needed to mark an alert actioned.")
    alert.state = state
    db.add(alert)
    db.add(
        AlertEvent(
            alert_id=alert_id,
            state=state,
            by=member.username,
            at=datetime.now(UTC),
            note=note.strip()[:2000],
        )
    )
    record_event(
        db,
        action="alert.state_changed",
        actor=member.username,
        target=f"alert {alert_id}",
        detail={"state": state},
    )
    db.commit()
