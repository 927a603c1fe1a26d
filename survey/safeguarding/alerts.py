"""Safeguarding alerts: raised on submit when an answer reads as a disclosure, queued for
the session's worker (open survey: the safeguarding lead), followed up new -> seen ->
actioned with who, when and a note. Every view of flagged text is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from survey.core.audit import record_event
from survey.core.data_files import read_yaml, reloaded_on_change, validate_file
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


def alert_for(
    disclosures: dict[str, Disclosure], response: Response, today: date, db: Session
) -> SafeguardingAlert | None:
    """The alert for a response whose answers read as a disclosure (not yet stored)."""
    flagged = {qid: d for qid, d in disclosures.items() if d.flagged}
    if not flagged:
        return None
    worker_id = None
    if response.session_id is not None:
        session = db.get(ParticipationSession, response.session_id)
        worker_id = session.worker_id if session else None
    categories = sorted({c for d in flagged.values() for c in d.categories})
    evidence = [{"question": qid, **e} for qid, d in flagged.items() for e in d.evidence]
    assert response.id is not None
    return SafeguardingAlert(
        response_id=response.id,
        worker_id=worker_id,
        raised_on=today,
        categories=categories,
        evidence=evidence,
    )


def response_has_alert(db: Session, response_id: int) -> bool:
    query = select(SafeguardingAlert.id).where(SafeguardingAlert.response_id == response_id)
    return db.exec(query).first() is not None


@dataclass(frozen=True)
class AlertView:
    id: int
    response_id: int
    raised_on: date
    categories: list[str]
    state: AlertState
    session_name: str | None
    history: list[tuple[str, str, datetime, str]]  # state, by, at, note


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
        )
        for a, name in rows
    ]


def _alert(db: Session, member: StaffMember, alert_id: int) -> SafeguardingAlert:
    require(member, Permission.FOLLOW_UP_ALERTS)
    alert = db.get(SafeguardingAlert, alert_id)
    if alert is None or not _may_see(member, alert):
        raise AccessDenied("That alert isn't in your queue.")
    return alert


def read_flagged_text(db: Session, member: StaffMember, alert_id: int) -> dict[str, Any]:
    """The flagged answers (as stored, redacted) and evidence; the view is audited."""
    alert = _alert(db, member, alert_id)
    texts = dict(
        db.exec(
            select(Answer.question_id, Answer.value).where(
                Answer.response_id == alert.response_id,
                col(Answer.question_id).in_({e["question"] for e in alert.evidence}),
            )
        ).all()
    )
    record_event(
        db,
        action="alert.text_viewed",
        actor=member.username,
        target=f"alert {alert_id}",
        detail={"response": alert.response_id},
    )
    db.commit()
    return {"texts": texts, "evidence": alert.evidence}


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


class _Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    what: str = Field(min_length=1)
    phone: str | None = None
    web: str | None = None
    text: str | None = None


class HelpContacts(BaseModel):
    """Where a young person can get help: national services and the partnership's own."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    national: list[_Contact] = Field(min_length=1)
    partnership: list[_Contact] = []


def load_help_contacts(path: Any) -> HelpContacts:
    return validate_file(path, read_yaml(path), HelpContacts)


@reloaded_on_change(lambda path: [path])
def cached_help_contacts(path: Path) -> HelpContacts:
    """The help contacts file, by the loading rule (survey/core/data_files.py)."""
    return load_help_contacts(path)
