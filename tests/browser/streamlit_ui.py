"""Driving Streamlit's widgets from Playwright as a person would."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

# Streamlit's own flag: "initial" until the first run, "running" during one, then
# "notRunning" when the run has finished (and every element of it is drawn).
SCRIPT_FINISHED = (
    "() => document.querySelector('[data-testid=stApp]')"
    "?.getAttribute('data-test-script-state') === 'notRunning'"
)


def settled(page: Page) -> None:
    """Wait until the app has finished its run (no element is stale or still coming)."""
    page.wait_for_function(SCRIPT_FINISHED)
    page.wait_for_timeout(300)


def open_app(page: Page, url: str) -> None:
    """Open a page of the app by its URL and wait for its first run to finish."""
    page.goto(url)
    settled(page)


def tick(page: Page, label: str) -> None:
    settled(page)  # a click while the app is still drawing can be lost
    page.get_by_text(label, exact=True).first.click()


def press(page: Page, name: str) -> None:
    settled(page)
    page.get_by_role("button", name=name, exact=True).first.click()
    settled(page)


def sign_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/sign_in")
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    press(page, "Sign in")
    expect(page.get_by_role("heading", name="Signed in")).to_be_visible()
    wait_for_the_staff_cookie(page)


def wait_for_the_staff_cookie(page: Page) -> None:
    """The page's script fetches the staff cookie just after signing in: until it has come,
    a new tab or a reload would be signed out."""
    from survey.staff.sessions import COOKIE_NAME

    deadline = time.monotonic() + 20
    while not any(c["name"] == COOKIE_NAME for c in page.context.cookies()):
        assert time.monotonic() < deadline, "the staff cookie never came"
        page.wait_for_timeout(200)


def open_page(page: Page, link: str, heading: str) -> None:
    # A navigation link's name starts with its icon, an emoji ("👥 Sessions").
    page.get_by_role("link", name=re.compile(rf"(^|\s){re.escape(link)}$")).first.click()
    expect(page.get_by_role("heading", name=heading).first).to_be_visible()
    settled(page)


def submit_until_shown(page: Page, button: str, shown: str, tries: int = 3) -> None:
    """Press a form's submit button until `shown` appears: on a loaded machine the first
    click can land while the previous run is still being drawn, and is then lost."""
    for attempt in range(tries):
        press(page, button)
        try:
            expect(page.get_by_text(shown, exact=False).first).to_be_visible(timeout=8_000)
            return
        except AssertionError:
            if attempt == tries - 1:
                raise
