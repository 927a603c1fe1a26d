"""Staff sign-in that lasts, in a real browser against `streamlit run server.py`: a reload,
a second tab and a bookmarked staff page keep a member signed in (the signed, HttpOnly,
SameSite=Strict cookie); signing out drops the cookie and signs every tab out at its next
run; a staff page's address opened while signed out asks to sign in and then opens that page;
an idle session ends."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session

from survey.core.database import make_engine
from survey.core.settings import get_settings
from survey.staff.sessions import COOKIE_NAME
from survey.staff.users import Role, create_user
from tests.browser.streamlit_ui import open_app, press, settled
from tests.support import PASSWORD

SIGN_IN_HERE = "Please sign in to see this page."


def _accounts(database_url: str, *accounts: tuple[str, Role]) -> None:
    with Session(make_engine(database_url)) as db:
        for username, role in accounts:
            create_user(db, username=username, password=PASSWORD, role=role)


def _heading(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def _sign_in_here(page: Page, username: str) -> None:
    """Fill the sign-in form on the page that shows it, and sign in."""
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    press(page, "Sign in")


def _staff_cookie(context: BrowserContext, present: bool = True) -> dict | None:
    """The staff cookie once the page's script has fetched it (or once it has gone)."""
    deadline = time.monotonic() + 20
    while True:
        found = next((c for c in context.cookies() if c["name"] == COOKIE_NAME), None)
        if (found is not None) == present or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_lasting_sign_in_survives_reload_new_tab_and_bookmark_until_sign_out(
    live_server, desktop: Page
):
    _accounts(live_server.database_url, ("wendy", Role.WORKER))
    context = desktop.context
    open_app(desktop, f"{live_server.url}/sign_in")
    _sign_in_here(desktop, "wendy")
    _heading(desktop, "Signed in")

    cookie = _staff_cookie(context)
    assert cookie is not None, "the sign-in's cookie never arrived"
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert cookie["secure"] is False  # YOUTHVOICE_PUBLIC_URL is http here
    assert cookie["path"] == "/" and cookie["expires"] == -1  # gone when the browser closes
    assert desktop.evaluate("document.cookie").find(COOKIE_NAME) == -1  # no script reads it

    desktop.reload()
    settled(desktop)
    _heading(desktop, "Signed in")  # a reload keeps the sign-in

    second = context.new_page()  # a second tab, e.g. to project the live screen
    open_app(second, live_server.url)
    menu = second.get_by_test_id("stSidebarNav")
    expect(menu.get_by_role("link", name="Sessions", exact=False).first).to_be_visible()

    bookmark = context.new_page()  # a bookmarked staff page, opened in a new tab
    open_app(bookmark, f"{live_server.url}/sessions")
    _heading(bookmark, "Sessions")
    expect(bookmark.get_by_text(SIGN_IN_HERE)).to_have_count(0)

    open_app(second, f"{live_server.url}/sign_in")
    _heading(second, "Signed in")
    press(second, "Sign out")
    _heading(second, "Staff sign in")
    assert _staff_cookie(context, present=False) is None, "the cookie was not cleared"

    desktop.reload()  # the first tab, at the next page load, is signed out too
    settled(desktop)
    _heading(desktop, "Staff sign in")
    bookmark.reload()
    settled(bookmark)
    _heading(bookmark, "Staff sign in")
    expect(bookmark.get_by_text(SIGN_IN_HERE)).to_be_visible()


def test_lasting_sign_in_a_deep_link_signed_out_asks_to_sign_in_then_opens_the_page(
    live_server, desktop: Page
):
    _accounts(live_server.database_url, ("wendy", Role.WORKER))
    open_app(desktop, f"{live_server.url}/review_desk")
    _heading(desktop, "Staff sign in")
    expect(desktop.get_by_text(SIGN_IN_HERE)).to_be_visible()
    _sign_in_here(desktop, "wendy")
    _heading(desktop, "Review desk")
    assert desktop.url == f"{live_server.url}/review_desk"


def test_lasting_sign_in_a_deep_link_the_account_may_not_open_lands_on_signed_in(
    live_server, desktop: Page
):
    _accounts(live_server.database_url, ("bea", Role.BOARD))
    open_app(desktop, f"{live_server.url}/review_desk")
    _sign_in_here(desktop, "bea")
    _heading(desktop, "Signed in")
    expect(desktop.get_by_text("Your account doesn't have access to Review desk.")).to_be_visible()


IDLE_SECONDS = 15


@pytest.fixture
def idle_server(monkeypatch, request):
    """The live server with a tiny idle timeout (YOUTHVOICE_STAFF_IDLE_MINUTES), set in the
    environment the server process inherits before it starts."""
    monkeypatch.setenv("YOUTHVOICE_STAFF_IDLE_MINUTES", str(IDLE_SECONDS / 60))
    get_settings.cache_clear()
    yield request.getfixturevalue("live_server")
    get_settings.cache_clear()


def test_lasting_sign_in_ends_after_the_idle_timeout(idle_server, desktop: Page):
    _accounts(idle_server.database_url, ("wendy", Role.WORKER))
    context = desktop.context
    open_app(desktop, f"{idle_server.url}/sign_in")
    _sign_in_here(desktop, "wendy")
    assert _staff_cookie(context) is not None
    signed_in_at = time.monotonic()
    desktop.reload()
    settled(desktop)
    assert time.monotonic() - signed_in_at < IDLE_SECONDS, "too slow to test the idle timeout"
    _heading(desktop, "Signed in")

    time.sleep(IDLE_SECONDS + 2)  # nothing happens in any tab: idle
    desktop.reload()
    settled(desktop)
    _heading(desktop, "Staff sign in")
    assert _staff_cookie(context, present=False) is None  # the ended session's cookie goes
