"""Someone is told within a minute, end to end: an alert stored in the running app's database
is emailed by the app's own background sender (no submit in that process to wake it: its
10-second round), and the link in the email, opened in a new browser (signed out), leads
through the sign-in to that alert, first on the page."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from survey.core.database import make_engine
from survey.core.models import SafeguardingAlert
from survey.core.settings import PROJECT_ROOT, Settings
from survey.staff.users import Role, create_user
from survey.startup import load_survey_definition
from tests.browser.conftest import save_screenshot
from tests.browser.streamlit_ui import press, settled
from tests.support import PASSWORD, send

DISCLOSURE = "my dad hits me every night and I'm scared to go home"
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _older_alerts(database_url: str, definition) -> None:
    """Two alerts still open from a month ago (late, in red) and from this morning-ish (at
    least 5 working hours: overdue, in amber), for the page's colours."""
    from survey.safeguarding.working_hours import working_hours, working_hours_since

    now, rules = datetime.now(UTC), working_hours(Settings())
    amber = now
    while working_hours_since(amber, now, rules) < 5:
        amber -= timedelta(minutes=15)
    with Session(make_engine(database_url), expire_on_commit=False) as db:
        for sid, raised in (("old", now - timedelta(days=30)), ("morning", amber)):
            send(db, definition, {"unsafe_place_text": DISCLOSURE}, sid)
            alert = db.exec(select(SafeguardingAlert).order_by(SafeguardingAlert.id.desc())).first()
            alert.raised_at = raised
            db.add(alert)
            db.commit()


def _serious_violations(page: Page) -> list[str]:
    """axe-core's serious findings in the page's main part (the staff menu's grouped list is
    a known finding of every staff page: ui/navigation.py)."""
    settled(page)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    main = "document.querySelector('[data-testid=stMain]')"
    result = page.evaluate(f"rules => axe.run({main}, {{runOnly: rules}})", AXE_RULES)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_alert_email_link_leads_through_sign_in_to_the_alert(mail, live_server, desktop: Page):
    definition = load_survey_definition(Settings())
    with Session(make_engine(live_server.database_url), expire_on_commit=False) as db:
        lead = {"username": "lead", "role": Role.SAFEGUARDING_LEAD, "email": "lead@example.org"}
        create_user(db, password=PASSWORD, **lead)
        send(db, definition, {"unsafe_place_text": "the park is fine"}, "calm")
        send(db, definition, {"unsafe_place_text": DISCLOSURE}, "alert")

    deadline = time.monotonic() + 60  # "within a minute"
    while not mail.received and time.monotonic() < deadline:
        time.sleep(0.5)
    [email] = mail.received
    assert email.recipients == ["lead@example.org"]
    link = next(word for word in email.body.split() if "/safeguarding_alerts?alert=" in word)
    address = urlsplit(link)
    alert_id = address.query.removeprefix("alert=")
    _older_alerts(live_server.database_url, definition)

    desktop.goto(f"{live_server.url}{address.path}?{address.query}")
    settled(desktop)
    expect(desktop.get_by_text(f"Sign in to open alert {alert_id}.")).to_be_visible()
    desktop.get_by_role("textbox", name="Username").fill("lead")
    desktop.get_by_role("textbox", name="Password").fill(PASSWORD)
    press(desktop, "Sign in")

    expect(desktop.get_by_role("heading", name="Safeguarding alerts")).to_be_visible()
    first = desktop.get_by_role("heading", name=f"Alert {alert_id} · new · from your email")
    expect(first).to_be_visible()
    expect(desktop.get_by_text("emailed to lead@")).to_be_visible()  # a word joiner follows "@"
    expect(desktop.get_by_text("Late: open more than 24 working hours")).to_be_visible()
    expect(desktop.get_by_text("Overdue: open more than 4 working hours")).to_be_visible()
    save_screenshot(desktop, "desktop-alert-from-email")
    if AXE.is_file():  # the colours keep WCAG 2.2 AA contrast (tests/browser/test_accessibility.py)
        assert _serious_violations(desktop) == []
