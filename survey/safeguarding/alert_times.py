"""How long alerts have waited, in working hours, and whether their emails went.

An alert's age runs from `raised_at` (when staff were told, to the quarter hour: it reads
up to 15 minutes older, never younger) over working hours only (settings: Mon-Fri
09:00-17:00 in YOUTHVOICE_TIMEZONE by default). An open alert is *overdue* (amber) after
`alert_overdue_working_hours` (4) and *late* (red) after `alert_late_working_hours` (24); a
*check* item is overdue after `check_overdue_working_hours` (8, a working day).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from survey.core.models import AlertNotice, SafeguardingAlert
from survey.core.settings import Settings
from survey.safeguarding.alerts import ALERT, AlertState
from survey.safeguarding.notices import alert_link, as_utc
from survey.safeguarding.working_hours import working_hours, working_hours_since
from survey.staff.permissions import Permission, StaffMember, require


class Lateness(StrEnum):
    IN_TIME = "in time"
    OVERDUE = "overdue"  # amber
    LATE = "late"  # red


@dataclass(frozen=True)
class AlertAge:
    working_hours: float
    lateness: Lateness
    words: str  # "raised 3 working hours ago"
    lateness_words: str  # "" or "Overdue: open more than 4 working hours"


@dataclass(frozen=True)
class NoticeLine:
    recipient: str
    sent: bool
    failed: bool  # tried and not sent: the page shows it as a warning
    words: str  # "emailed to …", "email to … not sent yet: …, trying again at …"


def raised_moment(raised_at: datetime | None, raised_on: date, timezone: str) -> datetime:
    """When an alert was raised; alerts from before raise times were kept count from the
    start of their day (older, never younger)."""
    if raised_at is not None:
        return as_utc(raised_at)
    return datetime.combine(raised_on, time(0), ZoneInfo(timezone)).astimezone(UTC)


def _due_hours(band: str, settings: Settings) -> float:
    return (
        settings.alert_overdue_working_hours
        if band == ALERT
        else settings.check_overdue_working_hours
    )


def alert_age(raised: datetime, band: str, now: datetime, settings: Settings) -> AlertAge:
    """An open alert's age in working hours, and how late it is, in words."""
    hours = working_hours_since(raised, as_utc(now), working_hours(settings))
    whole = int(hours)
    if whole < 1:
        words = "raised less than a working hour ago"
    else:
        words = f"raised {whole} working hour{'s' if whole != 1 else ''} ago"
    late, due = settings.alert_late_working_hours, _due_hours(band, settings)
    if hours >= late:
        return AlertAge(hours, Lateness.LATE, words, f"Late: open more than {late:g} working hours")
    if hours >= due:
        return AlertAge(
            hours, Lateness.OVERDUE, words, f"Overdue: open more than {due:g} working hours"
        )
    return AlertAge(hours, Lateness.IN_TIME, words, "")


@dataclass(frozen=True)
class AlertTiming:
    age: AlertAge | None  # None once actioned: the clock has stopped
    notices: list[NoticeLine]


def alert_timings(
    db: Session,
    member: StaffMember,
    alert_ids: Iterable[int],
    settings: Settings,
    *,
    now: datetime | None = None,
) -> dict[int, AlertTiming]:
    """For the alerts page: each alert's age and lateness, and what became of its emails.
    The ids come from the member's own queue (`alerts_for`)."""
    require(member, Permission.FOLLOW_UP_ALERTS)
    ids = list(alert_ids)
    now = as_utc(now or datetime.now(UTC))
    alerts = db.exec(select(SafeguardingAlert).where(col(SafeguardingAlert.id).in_(ids))).all()
    notices = db.exec(
        select(AlertNotice).where(col(AlertNotice.alert_id).in_(ids)).order_by(col(AlertNotice.id))
    ).all()
    lines: dict[int, list[NoticeLine]] = {}
    zone = ZoneInfo(settings.timezone)
    for n in notices:
        lines.setdefault(n.alert_id, []).append(_notice_line(n, zone))
    timings = {}
    for a in alerts:
        raised = raised_moment(a.raised_at, a.raised_on, settings.timezone)
        age = None if a.state == AlertState.ACTIONED else alert_age(raised, a.band, now, settings)
        timings[a.id or 0] = AlertTiming(age, lines.get(a.id or 0, []))
    return timings


def _notice_line(notice: AlertNotice, zone: ZoneInfo) -> NoticeLine:
    who = notice.recipient
    if notice.sent_at is not None:
        return NoticeLine(who, True, False, f"emailed to {who}")
    if notice.last_error:
        again = as_utc(notice.next_try_at).astimezone(zone)
        words = f"email to {who} not sent yet: {notice.last_error}, trying again at {again:%H:%M}"
        return NoticeLine(who, False, True, words)
    return NoticeLine(who, False, False, f"email to {who} waiting to be sent")


@dataclass(frozen=True)
class OverdueAlert:
    id: int
    band: str
    state: str
    age: AlertAge
    link: str


def overdue_alerts(
    db: Session, settings: Settings, *, now: datetime | None = None
) -> list[OverdueAlert]:
    """Open (not actioned) alerts past their band's due time, oldest first, for a scheduled
    job (`youthvoice alerts --overdue`): nothing about the young person, only ids and links."""
    now = as_utc(now or datetime.now(UTC))
    query = (
        select(SafeguardingAlert)
        .where(SafeguardingAlert.state != AlertState.ACTIONED)
        .order_by(col(SafeguardingAlert.id))
    )
    overdue = []
    for a in db.exec(query).all():
        raised = raised_moment(a.raised_at, a.raised_on, settings.timezone)
        age = alert_age(raised, a.band, now, settings)
        if age.lateness != Lateness.IN_TIME:
            assert a.id is not None
            overdue.append(OverdueAlert(a.id, a.band, a.state, age, alert_link(settings, a.id)))
    return sorted(overdue, key=lambda o: -o.age.working_hours)
