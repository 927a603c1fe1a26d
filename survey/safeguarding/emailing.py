"""Sending the queued alert emails (the `alert_notice` outbox), after the submit.

A pass claims the notices that are due, one conditional UPDATE each (unsent, due now: its
next try is moved a lease ahead), so two senders (two app replicas, the app and cron) never
both claim one; sends them through SMTP; marks each sent, or records the error and backs off
(30 s, 1, 2, 4, 8 minutes, then every 15). A sender that dies mid-pass leaves its claims to
come due again when the lease ends: an email may then go twice, never not at all.

The email holds no free text and nothing about the young person: only that a new alert
needs the reader, its age, and a link to it. Once sent, every time the notice keeps is
rounded down to the quarter hour, like the alert's own (docs/privacy.md).

`NoticeSender` runs passes in a background thread (the app starts one per process), every
`every` seconds and at once when `wake()` is called; `youthvoice alerts --send` runs one.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from survey.core.models import AlertNotice, SafeguardingAlert
from survey.core.settings import Settings, get_settings
from survey.safeguarding.notices import (
    alert_link,
    as_utc,
    forget_hook,
    to_the_quarter_hour,
    when_notices_queued,
)

log = logging.getLogger(__name__)

# A claimed notice is left alone by other senders this long (longer than SMTP_TIMEOUT).
LEASE = timedelta(minutes=2)
SMTP_TIMEOUT = 20  # seconds, for each step of talking to the mail server
FIRST_WAIT, LONGEST_WAIT = timedelta(seconds=30), timedelta(minutes=15)
MOST_A_PASS = 50
SUBJECT = "A safeguarding alert needs you"


def wait_after(attempts: int) -> timedelta:
    """How long after a failed try the next one is: 30 s, doubling, at most 15 minutes."""
    return min(FIRST_WAIT * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)  # recipients
    failed: list[tuple[str, str, datetime]] = field(default_factory=list)  # who, why, next try


@dataclass(frozen=True)
class _Claimed:
    id: int
    alert_id: int
    recipient: str
    attempts: int
    raised_at: datetime | None


def send_due_notices(
    engine: Engine, settings: Settings | None = None, *, now: datetime | None = None
) -> SendReport:
    """One pass: claim the due notices, send them, record what happened."""
    settings = settings or get_settings()
    report = SendReport()
    if not settings.alert_emails_on:
        return report
    now = as_utc(now or datetime.now(UTC))
    with Session(engine) as db:
        claimed = _claim_due(db, now)
    if not claimed:
        return report
    pending, connection = list(claimed), None
    try:
        connection = _connect(settings)
        while pending:
            notice = pending[0]
            try:
                connection.send_message(_message(notice, settings, now))
            except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as problem:
                # The server answered (451 try later, 550 no such mailbox): this one waits,
                # the connection goes on to the next.
                report.failed.append(_failed(engine, notice, _plain(problem, settings), now))
            else:
                _sent(engine, notice, now)
                report.sent.append(notice.recipient)
            pending.pop(0)
    except (OSError, smtplib.SMTPException) as problem:  # no connection, or it broke
        for notice in pending:
            report.failed.append(_failed(engine, notice, _plain(problem, settings), now))
    finally:
        if connection is not None:
            _quit(connection)
    return report


def _claim_due(db: Session, now: datetime) -> list[_Claimed]:
    due = db.exec(
        select(AlertNotice.id)
        .where(col(AlertNotice.sent_at).is_(None), col(AlertNotice.next_try_at) <= now)
        .order_by(col(AlertNotice.next_try_at), col(AlertNotice.id))
        .limit(MOST_A_PASS)
    ).all()
    mine = []
    for notice_id in due:
        # The claim: only one sender's UPDATE can still find this row unsent and due.
        claim = (
            update(AlertNotice)
            .where(
                col(AlertNotice.id) == notice_id,
                col(AlertNotice.sent_at).is_(None),
                col(AlertNotice.next_try_at) <= now,
            )
            .values(next_try_at=now + LEASE, attempts=col(AlertNotice.attempts) + 1)
        )
        claimed = db.connection().execute(claim).rowcount == 1
        db.commit()
        if claimed:
            mine.append(notice_id)
    if not mine:
        return []
    rows = db.exec(
        select(AlertNotice, SafeguardingAlert.raised_at)
        .join(SafeguardingAlert, col(SafeguardingAlert.id) == col(AlertNotice.alert_id))
        .where(col(AlertNotice.id).in_(mine))
        .order_by(col(AlertNotice.id))
    ).all()
    return [_Claimed(n.id or 0, n.alert_id, n.recipient, n.attempts, raised) for n, raised in rows]


def _sent(engine: Engine, notice: _Claimed, now: datetime) -> None:
    quarter = to_the_quarter_hour(now)  # nothing finer is kept once it has gone
    with engine.begin() as connection:
        connection.execute(
            update(AlertNotice)
            .where(col(AlertNotice.id) == notice.id)
            .values(sent_at=quarter, next_try_at=quarter, last_error=None)
        )


def _failed(
    engine: Engine, notice: _Claimed, error: str, now: datetime
) -> tuple[str, str, datetime]:
    next_try = now + wait_after(notice.attempts)
    with engine.begin() as connection:
        connection.execute(
            update(AlertNotice)
            .where(col(AlertNotice.id) == notice.id, col(AlertNotice.sent_at).is_(None))
            .values(next_try_at=next_try, last_error=error[:500])
        )
    log.warning("alert email to %s not sent (try %d): %s", notice.recipient, notice.attempts, error)
    return notice.recipient, error, next_try


def _connect(settings: Settings) -> smtplib.SMTP:
    host, port = settings.smtp_host or "", settings.smtp_port
    if port == 465:  # TLS from the first byte (SMTPS)
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
    try:
        if settings.smtp_starttls and port != 465:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            smtp.login(settings.smtp_username, password)
    except BaseException:
        _quit(smtp)
        raise
    return smtp


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _plain(problem: BaseException, settings: Settings) -> str:
    """The error in words a safeguarding lead can pass on (never a password)."""
    if isinstance(problem, smtplib.SMTPRecipientsRefused):
        [(code, said)] = list(problem.recipients.values())[:1] or [(0, b"")]
        return f"the mail server refused the address ({code} {_text(said)})"
    if isinstance(problem, smtplib.SMTPResponseException):
        return f"the mail server said {problem.smtp_code} {_text(problem.smtp_error)}"
    if isinstance(problem, smtplib.SMTPException):
        return f"the mail server failed: {problem}"
    if isinstance(problem, OSError):
        where = f"{settings.smtp_host}:{settings.smtp_port}"
        return f"could not reach the mail server {where} ({problem.strerror or problem})"
    return str(problem)


def _text(said: bytes | str) -> str:
    return said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)


def age_words(raised_at: datetime | None, now: datetime) -> str:
    """How long ago an alert was raised, as its quarter-hour time allows."""
    if raised_at is None:
        return "today"
    age = as_utc(now) - as_utc(raised_at)
    if age < timedelta(minutes=15):
        return "in the last quarter of an hour"
    if age < timedelta(hours=1):
        return "less than an hour ago"
    if age < timedelta(hours=48):
        hours = int(age / timedelta(hours=1))
        return f"about {hours} hour{'s' if hours != 1 else ''} ago"
    return f"{age.days} days ago"


def _message(notice: _Claimed, settings: Settings, now: datetime) -> EmailMessage:
    """The email: that an alert needs the reader, its age and its link. Nothing else."""
    message = EmailMessage()
    message["Subject"] = SUBJECT
    message["From"] = settings.alert_email_sender
    message["To"] = notice.recipient
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=settings.alert_email_sender.rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        f"A new safeguarding alert needs you. It was raised "
        f"{age_words(notice.raised_at, now)}.\n\n"
        f"Open it (sign in if asked):\n{alert_link(settings, notice.alert_id)}\n\n"
        "This email says nothing more on purpose: what was written, and where, is only in "
        "the app, where every view is recorded. Follow your safeguarding procedure.\n"
    )
    return message


class NoticeSender:
    """Sends alert emails in a background thread: a pass every `every` seconds, and at once
    after a submit that queued some (`wake`, registered with `when_notices_queued`)."""

    def __init__(
        self,
        engine: Engine,
        settings: Callable[[], Settings] = get_settings,
        *,
        every: float = 10.0,
    ) -> None:
        self.engine, self.settings, self.every = engine, settings, every
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self.passes = 0

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> NoticeSender:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="alert-emails", daemon=True)
            self._thread.start()
            when_notices_queued(self.wake)
        return self

    def stop(self, timeout: float = 30) -> None:
        forget_hook(self.wake)
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                send_due_notices(self.engine, self.settings())
            except Exception:  # the database away, a bad setting: log it, try next round
                log.exception("alert emails: a sending pass failed")
            self.passes += 1
            self._wake.wait(self.every)
            self._wake.clear()
