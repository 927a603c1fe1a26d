"""Telling staff that an alert needs them: queued in the submit's own transaction, sent after.

`queue_notices` is all the submit does: it stamps the alert with the time staff were told
(to the quarter hour, see docs/privacy.md) and, for the *alert* band with emails on, adds one
`alert_notice` row (an outbox) per recipient. Nothing here talks to a mail server, so a
young person's submit never waits for one; survey/safeguarding/emailing.py sends the rows.
Once the transaction commits, the hooks registered with `when_notices_queued` run (the
app's sender thread wakes at once instead of at its next round).

*Check* band items are never emailed one by one: a worker reads that queue within a working
day, and `youthvoice alerts --overdue` (from cron) names any left too long.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, or_
from sqlmodel import Session, col, select

from survey.core.models import AlertNotice, Response, SafeguardingAlert, User
from survey.core.settings import Settings, get_settings
from survey.safeguarding.alerts import ALERT
from survey.staff.permissions import Role
from survey.staff.users import ROLE_NAMES

log = logging.getLogger(__name__)

QUARTER_HOUR = timedelta(minutes=15)
DEMO_SOURCE = "demo"  # synthetic answers: their alerts are never emailed

_hooks: list[Callable[[], None]] = []
_hooks_lock = threading.Lock()


def to_the_quarter_hour(moment: datetime) -> datetime:
    """The moment rounded down to the quarter hour, in UTC (every UK offset is whole hours,
    so it is a quarter hour on the local clock too)."""
    moment = as_utc(moment)
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite gives back naive ones; this app only writes UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def when_notices_queued(hook: Callable[[], None]) -> None:
    """Call `hook` (quickly; it runs in the submitting thread) after a transaction that
    queued notices commits. Registering the same hook twice keeps one."""
    with _hooks_lock:
        if hook not in _hooks:
            _hooks.append(hook)


def forget_hook(hook: Callable[[], None]) -> None:
    with _hooks_lock:
        if hook in _hooks:
            _hooks.remove(hook)


def _run_hooks(_session: object) -> None:
    with _hooks_lock:
        hooks = list(_hooks)
    for hook in hooks:
        try:
            hook()
        except Exception:  # a hook must never fail the submit that already committed
            log.exception("a hook on queued alert emails failed")


def queue_notices(
    db: Session,
    alert: SafeguardingAlert,
    *,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> int:
    """Queue a new alert for staff in the caller's transaction (not committed here).

    Stamps `raised_at` (rounded down to the quarter hour) and, for the *alert* band when
    emails are on, adds one unsent notice per recipient (`alert_recipients`). Returns how
    many notices were queued. Never sends anything.
    """
    settings = settings or get_settings()
    raised_at = to_the_quarter_hour(now or datetime.now(UTC))
    alert.raised_at = raised_at
    db.add(alert)
    if alert.band != ALERT or not settings.alert_emails_on:
        return 0
    response = db.get(Response, alert.response_id)
    if response is not None and response.source == DEMO_SOURCE:
        return 0
    db.flush()  # the alert's id
    assert alert.id is not None
    recipients = alert_recipients(db, alert.worker_id, settings)
    db.add_all(
        AlertNotice(alert_id=alert.id, recipient=r, created_at=raised_at, next_try_at=raised_at)
        for r in recipients
    )
    if recipients:
        event.listen(db, "after_commit", _run_hooks, once=True)
    return len(recipients)


def alert_recipients(db: Session, worker_id: int | None, settings: Settings) -> list[str]:
    """Who is emailed about an alert: every active account with a role in
    `alert_email_roles` and an email address, the session's worker (if active, with one),
    and `alert_email_to`; each address once (compared without case)."""
    query = select(User.email).where(
        col(User.active),
        col(User.email).is_not(None),
        or_(col(User.role).in_(settings.alert_email_roles), col(User.id) == worker_id),
    )
    addresses = [a for a in db.exec(query.order_by(col(User.id))).all() if a]
    seen: set[str] = set()
    unique = []
    for address in [*addresses, *settings.alert_email_to]:
        if address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique


def alert_link(settings: Settings, alert_id: int) -> str:
    """The address of one alert on the alerts page (it opens first there)."""
    return f"{settings.public_url.rstrip('/')}/safeguarding_alerts?alert={alert_id}"


def email_setup_words(db: Session, settings: Settings) -> tuple[bool, str]:
    """Whether alert emails go to anyone, and who, in words (for the alerts page)."""
    if not settings.alert_emails_on:
        return False, (
            "Alert emails are off: no one is emailed when an alert is raised "
            "(YOUTHVOICE_SMTP_HOST is not set). Check this page for new alerts."
        )
    roles = settings.alert_email_roles
    counted = select(User.email).where(
        col(User.active), col(User.email).is_not(None), col(User.role).in_(roles)
    )
    people = len(db.exec(counted).all())
    parts = []
    if roles:
        who = "person" if people == 1 else "people"
        named = " or ".join(ROLE_NAMES.get(Role(r), r).lower() for r in roles)
        parts.append(f"{people} {who} with the role {named} and an email address")
    parts.append("the session's worker, if they have an email address")
    parts += settings.alert_email_to
    anyone = people > 0 or bool(settings.alert_email_to)
    said = "; ".join(parts)
    if not anyone:
        return False, (
            f"No one is set to receive alert emails except a session's worker ({said}). "
            "An admin adds email addresses on Staff accounts."
        )
    return True, f"New alerts are emailed (no details, only a link) to: {said}."
