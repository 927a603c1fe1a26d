"""The audit log: who did what, when. Written in the same transaction as the change.

The log is append-only at the database (migration 0009): an UPDATE, DELETE or TRUNCATE of
`audit_event` is refused by a trigger. Old events are removed only by a database
administrator, as docs/operations.md ("Audit log retention") describes.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlmodel import Session, col, select

from survey.core.models import AuditEvent
from survey.core.settings import get_settings
from survey.privacy.exports import safe_csv
from survey.staff.permissions import Permission, StaffMember, require

# The newest events a reader sees by default, and the most one view or export may hold.
DEFAULT_LIMIT = 500
MAX_LIMIT = 10_000
# The same admin looking again at the same filters within this time is one view, not many:
# a page reruns on every click, and the log would otherwise fill with its own reading.
SAME_VIEW_WITHIN = timedelta(hours=1)
COLUMNS = ["At", "Actor", "Action", "Target", "Detail"]


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
        at=_in_utc(at or datetime.now(UTC)),
        actor=actor,
        action=action,
        target=target,
        detail=detail or {},
    )
    db.add(event)
    return event


def record_event_once(
    db: Session,
    *,
    action: str,
    actor: str,
    target: str,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
    within: timedelta = SAME_VIEW_WITHIN,
) -> AuditEvent | None:
    """`record_event`, unless the same actor already has the same action on the same target
    in the log within `within` before `at` (a page reruns on every click: one look at a
    thing is one event, not one per rerun). Returns the event added, or None."""
    now = _in_utc(at or datetime.now(UTC))
    earlier = db.exec(
        select(AuditEvent.id)
        .where(
            AuditEvent.action == action,
            AuditEvent.actor == actor,
            AuditEvent.target == target,
            col(AuditEvent.at) > now - within,
            col(AuditEvent.at) <= now,
        )
        .limit(1)
    ).first()
    if earlier is not None:
        return None
    return record_event(db, action=action, actor=actor, target=target, detail=detail, at=now)


def audit_actions(db: Session, member: StaffMember) -> list[str]:
    """The actions present in the log, for choosing one (READ_AUDIT_LOG)."""
    require(member, Permission.READ_AUDIT_LOG)
    return sorted(db.exec(select(AuditEvent.action).distinct()).all())


def audit_events(
    db: Session,
    member: StaffMember,
    *,
    action: str | None = None,
    actor: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = DEFAULT_LIMIT,
    now: datetime | None = None,
) -> pd.DataFrame:
    """The newest events that match, newest first, as a table (READ_AUDIT_LOG).

    `actor` matches any part of the actor's name, ignoring case; `since` and `until` are
    days in the partnership's time zone, both included. Reading the log is itself audited
    (`audit.viewed`, with the filters), once for the same filters within an hour.
    """
    require(member, Permission.READ_AUDIT_LOG)
    filters = _filters(action, actor, since, until, limit)
    table = _table(_matching(db, filters))
    if not _seen_lately(db, member, filters, now or datetime.now(UTC)):
        record_event(db, action="audit.viewed", actor=member.username, detail=filters, at=now)
        db.commit()
    return table


def audit_log_csv(
    db: Session,
    member: StaffMember,
    *,
    action: str | None = None,
    actor: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = DEFAULT_LIMIT,
) -> bytes:
    """The matching events as spreadsheet-safe CSV; every export is audited (READ_AUDIT_LOG)."""
    require(member, Permission.READ_AUDIT_LOG)
    filters = _filters(action, actor, since, until, limit)
    table = _table(_matching(db, filters))
    record_event(
        db, action="audit.exported", actor=member.username, detail={**filters, "rows": len(table)}
    )
    db.commit()
    return safe_csv(table)


def _filters(
    action: str | None, actor: str | None, since: date | None, until: date | None, limit: int
) -> dict[str, Any]:
    """The filters as the plain values the audit event keeps; a bad one is a ValueError."""
    if since and until and since > until:
        raise ValueError("The 'from' date is after the 'to' date.")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"Show between 1 and {MAX_LIMIT} events.")
    return {
        "action": action or None,
        "actor": (actor or "").strip() or None,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "limit": limit,
    }


def _matching(db: Session, filters: dict[str, Any]) -> list[AuditEvent]:
    zone = ZoneInfo(get_settings().timezone)
    query = select(AuditEvent)
    if filters["action"]:
        query = query.where(AuditEvent.action == filters["action"])
    if filters["actor"]:
        # autoescape: a username may hold "_", which LIKE would read as any character.
        query = query.where(col(AuditEvent.actor).icontains(filters["actor"], autoescape=True))
    if filters["since"]:
        start = datetime.combine(date.fromisoformat(filters["since"]), time.min, zone)
        query = query.where(col(AuditEvent.at) >= _in_utc(start))
    if filters["until"]:
        day_after = date.fromisoformat(filters["until"]) + timedelta(days=1)
        query = query.where(
            col(AuditEvent.at) < _in_utc(datetime.combine(day_after, time.min, zone))
        )
    query = query.order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    return list(db.exec(query.limit(filters["limit"])).all())


def _seen_lately(db: Session, member: StaffMember, filters: dict[str, Any], now: datetime) -> bool:
    last = db.exec(
        select(AuditEvent)
        .where(AuditEvent.action == "audit.viewed", AuditEvent.actor == member.username)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    return (
        last is not None
        and last.detail == filters
        and _in_utc(now) - _in_utc(last.at) < SAME_VIEW_WITHIN
    )


def _table(events: list[AuditEvent]) -> pd.DataFrame:
    zone = ZoneInfo(get_settings().timezone)
    rows = [
        {
            # The zone's abbreviation (GMT/BST) keeps the hour the clocks go back unambiguous.
            "At": _in_utc(e.at).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z"),
            "Actor": e.actor or "",
            "Action": e.action,
            "Target": e.target or "",
            "Detail": json.dumps(
                e.detail, separators=(",", ":"), sort_keys=True, ensure_ascii=False
            )
            if e.detail
            else "",
        }
        for e in events
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _in_utc(moment: datetime) -> datetime:
    # SQLite keeps no offset: every time is stored as UTC, and one read back without an
    # offset is UTC.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
