"""Someone is told within a minute: an alert raised by a real submit is queued as outbox rows
in the submit's transaction and emailed by a sender pass through a real SMTP server (aiosmtpd,
started here), with no free text; refusals are retried; two senders never send twice."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from survey.core.models import AlertNotice, SafeguardingAlert
from survey.core.settings import get_settings
from survey.safeguarding.emailing import LEASE, NoticeSender, send_due_notices, wait_after
from survey.safeguarding.notices import forget_hook, queue_notices, when_notices_queued
from survey.staff.users import Role, create_user
from tests.support import PASSWORD, new_session, send, staff

DISCLOSURE = "my dad hits me every night and I'm scared to go home"
# Every word of the answer that could give it away: none may be in an email.
ANSWER_WORDS = ["dad", "hits", "night", "scared", "go home"]
PUBLIC = "https://voice.example.org"  # YOUTHVOICE_PUBLIC_URL in the `mail` fixture


def _member(db, username: str, role: Role, email: str | None):
    return create_user(db, username=username, password=PASSWORD, role=role, email=email)


def _people(db, definition):
    """A lead and a worker with email addresses, an analyst with one (never emailed about
    alerts), and the worker's session."""
    lead = _member(db, "lead", Role.SAFEGUARDING_LEAD, "lead@example.org")
    worker = _member(db, "wendy", Role.WORKER, "wendy@example.org")
    _member(db, "ana", Role.ANALYST, "ana@example.org")
    return lead, worker, new_session(db, worker, definition)


def _notices(db) -> list[AlertNotice]:
    db.expire_all()
    return list(db.exec(select(AlertNotice).order_by(AlertNotice.id)).all())


def _alert_id(db) -> int:
    return db.exec(select(SafeguardingAlert.id)).one()


def test_alert_emails_reach_the_lead_and_the_worker_in_one_pass_with_no_free_text(
    mail, db, engine, definition
):
    _people(db, definition)
    send(db, definition, {"unsafe_place_text": DISCLOSURE}, "s1", session_id=_session_id(db))
    assert mail.received == []  # queued only: the submit sent nothing
    assert {n.recipient for n in _notices(db)} == {"lead@example.org", "wendy@example.org"}

    report = send_due_notices(engine)

    assert sorted(report.sent) == ["lead@example.org", "wendy@example.org"]
    assert sorted(r for m in mail.received for r in m.recipients) == sorted(report.sent)
    link = f"{PUBLIC}/safeguarding_alerts?alert={_alert_id(db)}"
    for received in mail.received:
        assert link in received.body
        assert "needs you" in received.body and "quarter of an hour" in received.body
        whole = received.raw.decode("utf-8", "replace").lower()  # headers and body
        assert not [w for w in ANSWER_WORDS if w in whole]
        assert "hartsdown" not in whole and "thanet" not in whole  # nor session or district
        assert received.message["From"] == "Youth voice <alerts@voice.example.org>"
    done = [(n.sent_at is not None, n.attempts, n.last_error) for n in _notices(db)]
    assert done == [(True, 1, None)] * 2
    assert send_due_notices(engine).sent == []  # sent once


def _session_id(db) -> int:
    from survey.core.models import ParticipationSession

    return db.exec(select(ParticipationSession.id)).one()


def test_alert_emails_the_submit_only_queues_and_wakes_the_sender_after_its_commit(
    mail, db, engine, definition
):
    _people(db, definition)
    mail.stop()  # no mail server at all: the submit must not notice
    seen_at_wake: list[int] = []

    def hook() -> None:  # runs after the commit: another connection already sees the rows
        with Session(engine) as other:
            seen_at_wake.append(len(other.exec(select(AlertNotice)).all()))

    when_notices_queued(hook)
    try:
        started = time.monotonic()
        send(db, definition, {"unsafe_place_text": DISCLOSURE}, "s1", session_id=_session_id(db))
        took = time.monotonic() - started
    finally:
        forget_hook(hook)
    assert seen_at_wake == [2]
    notices = _notices(db)
    # Untouched by any sender: no try made, no error, nothing sent.
    assert [(n.attempts, n.last_error, n.sent_at) for n in notices] == [(0, None, None)] * 2
    assert took < 10  # a mail server that is down costs the young person nothing


def test_alert_emails_only_the_alert_band_is_emailed_and_never_when_emails_are_off(
    mail, db, engine, definition, monkeypatch
):
    _people(db, definition)
    response_id = send(db, definition, {"unsafe_place_text": "the park is fine"}, "clean")
    assert _notices(db) == []  # no alert, no email
    # A *check* item (a possible concern, or text in another language) is read from the
    # queue within a working day: never emailed.
    check = SafeguardingAlert(response_id=response_id, raised_on=date(2026, 3, 2), band="check")
    assert queue_notices(db, check) == 0
    db.commit()
    assert _notices(db) == [] and check.raised_at is not None
    monkeypatch.delenv("YOUTHVOICE_SMTP_HOST")
    get_settings.cache_clear()
    send(db, definition, {"unsafe_place_text": DISCLOSURE}, "off")
    assert _notices(db) == []  # emails off: nothing piles up to be sent later
    alert = db.exec(select(SafeguardingAlert).where(SafeguardingAlert.band == "alert")).one()
    assert alert.raised_at is not None  # the age is still known
    assert send_due_notices(engine).sent == []


def test_alert_emails_go_to_active_accounts_with_the_roles_and_the_fixed_list(
    mail, db, definition, monkeypatch
):
    monkeypatch.setenv("YOUTHVOICE_ALERT_EMAIL_ROLES", "safeguarding_lead,admin")
    monkeypatch.setenv("YOUTHVOICE_ALERT_EMAIL_TO", "Team@Example.org, lead@example.org")
    get_settings.cache_clear()
    _member(db, "lead", Role.SAFEGUARDING_LEAD, "lead@example.org")
    _member(db, "ada", Role.ADMIN, "ada@example.org")
    _member(db, "nomail", Role.SAFEGUARDING_LEAD, None)
    gone = _member(db, "gone", Role.SAFEGUARDING_LEAD, "gone@example.org")
    from survey.core.models import User

    user = db.get(User, gone.id)
    user.active = False
    db.add(user)
    db.commit()
    send(db, definition, {"unsafe_place_text": DISCLOSURE}, "open")  # the open survey
    assert [n.recipient for n in _notices(db)] == [
        "lead@example.org",
        "ada@example.org",
        "Team@example.org",
    ]


@pytest.mark.parametrize("how", ["refuses", "is down"])
def test_alert_emails_a_failing_server_leaves_the_notice_to_be_tried_again(
    mail, db, engine, definition, how
):
    _member(db, "lead", Role.SAFEGUARDING_LEAD, "lead@example.org")
    send(db, definition, {"unsafe_place_text": DISCLOSURE}, "s1")
    if how == "refuses":
        mail.refuse = True
    else:
        mail.stop()
    now = datetime.now(UTC)

    report = send_due_notices(engine, now=now)

    assert report.sent == []
    [notice] = _notices(db)
    assert notice.sent_at is None and notice.attempts == 1
    expected = "451" if how == "refuses" else "could not reach the mail server"
    assert expected in (notice.last_error or "")
    retry = notice.next_try_at.replace(tzinfo=UTC)
    assert retry == now + wait_after(1) == now + timedelta(seconds=30)
    assert send_due_notices(engine, now=now + timedelta(seconds=10)).sent == []  # not yet due

    if how == "refuses":
        mail.refuse = False
    else:
        mail.start()
    report = send_due_notices(engine, now=now + timedelta(seconds=31))

    assert report.sent == ["lead@example.org"]
    assert [m.recipients for m in mail.received] == [["lead@example.org"]]
    [notice] = _notices(db)
    assert notice.sent_at is not None and notice.attempts == 2 and notice.last_error is None


def test_alert_emails_back_off_doubling_to_a_quarter_hour():
    waits = [wait_after(n).total_seconds() for n in range(1, 9)]
    assert waits == [30, 60, 120, 240, 480, 900, 900, 900]


def test_alert_emails_two_senders_at_once_send_each_email_once(mail, db, engine, definition):
    _people(db, definition)
    for i in range(6):
        send(db, definition, {"unsafe_place_text": DISCLOSURE}, f"s{i}", session_id=_session_id(db))
    assert len(_notices(db)) == 12
    mail.handler.delay = 0.05  # each pass takes a while: the two overlap
    start = threading.Barrier(2)
    reports = []

    def sender() -> None:
        start.wait()
        for _ in range(3):
            reports.append(send_due_notices(engine))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    pairs = [(r, m.body.split("alert=")[1].split()[0]) for m in mail.received for r in m.recipients]
    assert len(pairs) == 12 and len(set(pairs)) == 12  # every email once
    assert sum(len(r.sent) for r in reports) == 12
    assert all(n.sent_at is not None for n in _notices(db))


def test_alert_emails_a_claimed_notice_is_left_to_its_sender_until_the_lease_ends(
    mail, db, engine, definition
):
    _member(db, "lead", Role.SAFEGUARDING_LEAD, "lead@example.org")
    send(db, definition, {"unsafe_place_text": DISCLOSURE}, "s1")
    now = datetime.now(UTC)
    [notice] = _notices(db)
    notice.next_try_at = now + LEASE  # what a sender's claim leaves while it sends
    db.add(notice)
    db.commit()
    assert send_due_notices(engine, now=now).sent == []  # another sender keeps off it
    # A sender that died mid-pass: its claim comes due again when the lease ends.
    assert send_due_notices(engine, now=now + LEASE).sent == ["lead@example.org"]


def test_alert_emails_the_app_sender_thread_wakes_at_a_submit(mail, db, engine, definition):
    _member(db, "lead", Role.SAFEGUARDING_LEAD, "lead@example.org")
    sender = NoticeSender(engine, get_settings, every=600).start()  # its own round: 10 minutes
    try:
        deadline = time.monotonic() + 20
        while sender.passes == 0 and time.monotonic() < deadline:  # the first, idle pass
            time.sleep(0.05)
        send(db, definition, {"unsafe_place_text": DISCLOSURE}, "s1")
        while not mail.received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sender.stop()
    assert [m.recipients for m in mail.received] == [["lead@example.org"]]


def test_alert_emails_demo_answers_are_never_emailed(mail, db, definition):
    staff(db, "lead", Role.SAFEGUARDING_LEAD)
    _member(db, "lead2", Role.SAFEGUARDING_LEAD, "lead2@example.org")
    send(db, definition, {"unsafe_place_text": DISCLOSURE}, "demo1", source="demo")
    assert _notices(db) == []


def test_alert_emails_go_with_a_deleted_response(mail, db, definition):
    from survey.privacy.retention import delete_response

    admin = _member(db, "ada", Role.ADMIN, None)
    _member(db, "lead", Role.SAFEGUARDING_LEAD, "lead@example.org")
    response_id = send(db, definition, {"unsafe_place_text": DISCLOSURE}, "s1")
    assert len(_notices(db)) == 1
    delete_response(db, admin, response_id, "entered twice")
    assert _notices(db) == []


def test_alert_emails_the_page_says_who_is_emailed(mail, db, monkeypatch):
    from survey.safeguarding.notices import email_setup_words

    reaches, words = email_setup_words(db, get_settings())
    assert not reaches and "No one is set to receive alert emails" in words
    _member(db, "lead", Role.SAFEGUARDING_LEAD, "lead@example.org")
    reaches, words = email_setup_words(db, get_settings())
    assert reaches and "1 person with the role safeguarding lead" in words
    monkeypatch.delenv("YOUTHVOICE_SMTP_HOST")
    get_settings.cache_clear()
    reaches, words = email_setup_words(db, get_settings())
    assert not reaches and "no one is emailed" in words
