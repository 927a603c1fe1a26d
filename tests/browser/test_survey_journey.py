"""A young person completes the survey on a phone in a real browser."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from survey.core.database import make_engine
from survey.core.models import Answer, Response
from tests.browser.conftest import save_screenshot


def _next(page: Page, heading: str) -> None:
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def _tick(page: Page, label: str) -> None:
    page.get_by_text(label, exact=True).click()


def test_survey_journey_on_a_phone_stores_the_response(live_server, phone: Page):
    page = phone
    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Your privacy")).to_be_visible()
    save_screenshot(page, "phone-survey-welcome")
    page.get_by_role("button", name="Start the survey").click()
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    _tick(page, "14 or 15")
    _tick(page, "Girl or young woman")
    _tick(page, "Thanet")
    save_screenshot(page, "phone-survey-about-you")
    _next(page, "How safe you feel")
    page.get_by_role("radiogroup", name="How safe do you feel in your area at night?").get_by_text(
        "2", exact=True
    ).click()
    page.get_by_role("radiogroup", name="Is there anywhere you feel unsafe?").get_by_text(
        "Yes", exact=True
    ).click()
    _next(page, "Where and when")
    _tick(page, "Bus or train stations, bus stops, on buses or trains")
    _tick(page, "Late (9pm to midnight)")
    save_screenshot(page, "phone-survey-where")
    _next(page, "Who or what")
    _tick(page, "Groups of men")
    _next(page, "In your own words")
    page.get_by_role("textbox", name="Tell us about a place where you feel unsafe, and why.").fill(
        "the bus station at night, <script>alert(1)</script> men shout at you 😬"
    )
    _next(page, "What would help")
    _tick(page, "Better lighting or cameras")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    save_screenshot(page, "phone-survey-thank-you")

    with Session(make_engine(live_server.database_url)) as db:
        response = db.exec(select(Response)).one()
        answers = {a.question_id: a.value for a in db.exec(select(Answer)).all()}
    assert response.district == "Thanet" and response.age_band == "14-15"
    assert answers["safe_night"] == "2"
    assert answers["unsafe_place_text"].startswith("the bus station at night, <script>")


def test_survey_journey_response_shows_on_the_admin_overview(
    live_server, phone: Page, desktop: Page
):
    from survey.staff.users import Role, create_user

    page = phone
    page.goto(live_server.url)
    page.get_by_role("button", name="Start the survey").click()
    _tick(page, "Dover")
    for heading in ["How safe you feel", "Who or what", "In your own words", "What would help"]:
        _next(page, heading)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()

    with Session(make_engine(live_server.database_url)) as db:
        create_user(db, username="admin", password="a long enough passphrase", role=Role.ADMIN)
    staff = desktop
    # By its address before signing in: the sign-in form, never the page; once signed in,
    # the same address opens it.
    staff.goto(f"{live_server.url}/response_overview")
    expect(staff.get_by_text("Please sign in to see this page.")).to_be_visible()
    expect(staff.get_by_role("heading", name="Response overview")).to_have_count(0)
    staff.get_by_role("textbox", name="Username").fill("admin")
    staff.get_by_role("textbox", name="Password").fill("a long enough passphrase")
    staff.get_by_role("button", name="Sign in").click()
    expect(staff.get_by_role("heading", name="Response overview")).to_be_visible()
    assert staff.url.endswith("/response_overview")
    expect(staff.get_by_test_id("stMetricValue").first).to_have_text("1")
    expect(staff.get_by_text("Dover").first).to_be_visible()
    save_screenshot(staff, "desktop-response-overview")
    staff.get_by_role("link", name="Theme explorer").first.click()
    expect(staff.get_by_role("heading", name="Theme explorer")).to_be_visible()
    staff.get_by_role("textbox", name="Type or paste an answer to see its themes").fill(
        "the park is fine, its the bus stn at night with drunk lads that shout at you"
    )
    staff.keyboard.press("Control+Enter")
    expect(staff.locator("mark").first).to_be_visible()
    save_screenshot(staff, "desktop-theme-explorer")
