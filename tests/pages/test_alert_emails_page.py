"""The alerts page: each alert's age in working hours (amber after 4, red after 24: colour and
words), what became of its emails (sent, or why not and when the next try is), that emails
are off when they are, and the alert an email links to (?alert=ID) first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from survey.core.models import SafeguardingAlert
from survey.core.settings import Settings
from survey.safeguarding.emailing import send_due_notices
from survey.safeguarding.working_hours import working_hours, working_hours_since
from survey.staff.users import Role, create_user
from tests.support import PASSWORD, app_test, send
from ui.plain_text import WORD_JOINER

DISCLOSURE = "my dad hits me every night and I'm scared to go home"


def _plain(text: str) -> str:
    """Page text as a reader sees it (as_plain_markdown's escapes taken out)."""
    return text.replace("\\", "").replace(WORD_JOINER, "")


def _raised_working_hours_ago(hours: float) -> datetime:
    """A moment that many working hours (or a little more) before now."""
    now, rules = datetime.now(UTC), working_hours(Settings())
    moment = now
    while working_hours_since(moment, now, rules) < hours:
        moment -= timedelta(minutes=15)
    return moment


def _alerts(db, definition, ages: list[float]) -> list[int]:
    ids = []
    for i, hours in enumerate(ages):
        send(db, definition, {"unsafe_place_text": DISCLOSURE}, f"s{i}")
        alert = db.exec(select(SafeguardingAlert).order_by(SafeguardingAlert.id.desc())).first()
        alert.raised_at = _raised_working_hours_ago(hours)
        db.add(alert)
        db.commit()
        ids.append(alert.id)
    return ids


def _page(lead_id: int, alert: int | None = None):
    at = app_test("pages/safeguarding_alerts.py")
    at.session_state["staff_user_id"] = lead_id
    if alert is not None:
        at.query_params["alert"] = str(alert)
    return at.run()


def _lead(db):
    lead = {"username": "lead", "role": Role.SAFEGUARDING_LEAD, "email": "lead@example.org"}
    return create_user(db, password=PASSWORD, **lead)


def test_alert_emails_page_shows_each_alerts_age_in_colour_and_words(
    app_database, mail, db, engine, definition
):
    lead = _lead(db)
    fresh, amber, red = _alerts(db, definition, [0, 5, 30])
    send_due_notices(engine)

    at = _page(lead.id)

    assert not at.exception
    texts = [_plain(m.value) for m in at.markdown]
    assert ":red-badge[Late: open more than 24 working hours] raised 30 working hours ago" in texts
    assert ":orange-badge[Overdue: open more than 4 working hours] raised 5 working hours ago" in (
        texts
    )
    assert "raised less than a working hour ago" in texts
    captions = [_plain(c.value) for c in at.caption]
    assert captions.count("emailed to lead@example.org") == 3
    assert any("New alerts are emailed" in c for c in captions)
    assert [s.value for s in at.subheader][:3] == [
        f"Alert {red} · new",
        f"Alert {amber} · new",
        f"Alert {fresh} · new",
    ]


def test_alert_emails_page_shows_an_email_not_sent_yet(app_database, mail, db, engine, definition):
    lead = _lead(db)
    _alerts(db, definition, [0])
    mail.refuse = True
    send_due_notices(engine)

    at = _page(lead.id)

    [warning] = [_plain(w.value) for w in at.warning]
    assert warning.startswith(
        "email to lead@example.org not sent yet: the mail server said 451 4.3.0 Try again later, "
        "trying again at "
    )


def test_alert_emails_page_says_plainly_when_no_one_is_emailed(app_database, db, definition):
    lead = _lead(db)
    _alerts(db, definition, [0])
    at = _page(lead.id)
    assert any("no one is emailed" in _plain(w.value) for w in at.warning)


def test_alert_emails_page_puts_the_linked_alert_first(app_database, mail, db, definition):
    lead = _lead(db)
    first, _, last = _alerts(db, definition, [0, 0, 0])
    at = _page(lead.id, alert=first)
    assert at.subheader[0].value == f"Alert {first} · new · from your email"
    assert at.subheader[1].value == f"Alert {last} · new"
    gone = _page(lead.id, alert=999)
    assert "isn't in your open alerts" in gone.info[0].value


def test_alert_emails_page_a_signed_out_link_asks_for_a_sign_in_first(app_database, db):
    """An email's link opens a new browser session, signed out: the sign-in form answers at
    the alerts page's address and says why (the whole journey, in a real browser:
    tests/browser/test_alert_email_link.py)."""
    at = app_test("pages/sign_in.py")
    at.query_params["alert"] = "12"
    at.run()
    assert at.title[0].value == "Staff sign in"
    assert at.info[0].value == "Sign in to open alert 12."
