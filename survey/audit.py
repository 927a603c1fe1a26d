"""The audit log: who did what, when. Written in the same transaction as the change."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from survey.models import AuditEvent


def record_event(
    db: Session,
    *,
    action: str,
    actor: str | None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add an audit event to the session; the caller's commit stores it with the change."""
    event = AuditEvent(
        at=at or datetime.now(UTC), actor=actor, action=action, target=target, detail=detail or {}
    )
    db.add(event)
    return event


def recent_events(db: Session, *, action: str | None = None, limit: int = 100) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.exec(query.limit(limit)).all())
