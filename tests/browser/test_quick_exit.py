""" "Leave this site" on a phone, in a real browser: always on screen at the top, big enough
to tap; a tap, the Escape key, or Enter on it from the keyboard replaces the page with the
neutral site (here a local page, so nothing reaches the internet) and Back does not return to
the survey or its answers; the unfinished answers' cookie goes too, so coming back to the site
starts an empty survey."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import save_screenshot
from tests.browser.streamlit_ui import open_app, press, settled, tick
from ui.survey_draft import DRAFT_COOKIES

LABEL = "Leave this site"
NEUTRAL_PAGE = b"<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"


class _NeutralSite(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # the name http.server calls
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(NEUTRAL_PAGE)))
        self.end_headers()
        self.wfile.write(NEUTRAL_PAGE)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def neutral_site(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A local stand-in for the neutral site, set (YOUTHVOICE_QUICK_EXIT_URL) before the
    app's server starts: ask for it before `live_server`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NeutralSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/weather"
    monkeypatch.setenv("YOUTHVOICE_QUICK_EXIT_URL", url)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _on_the_neutral_site(page: Page, url: str, history_before: int) -> None:
    page.wait_for_url(url)
    expect(page.get_by_role("heading", name="Weather")).to_be_visible()
    # Replaced, not added: the survey's entry in the history is gone...
    assert page.evaluate("history.length") == history_before
    page.go_back()
    page.wait_for_timeout(1_000)
    # ...so Back leaves the neutral site for what came before the survey, not the survey.
    assert page.url == "about:blank"
    assert page.get_by_text("Your privacy").count() == 0
    assert _draft_cookies(page) == []  # the draft's token is gone from the phone


def _draft_cookies(page: Page) -> list[str]:
    return [c["name"] for c in page.context.cookies() if c["name"] in DRAFT_COOKIES]


def _survey_with_an_answer(page: Page, url: str) -> int:
    open_app(page, url)
    press(page, "Start the survey")
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    tick(page, "14 or 15")
    settled(page)
    assert _draft_cookies(page) != []  # started: a draft, its token in a cookie
    return int(page.evaluate("history.length"))


def test_quick_exit_on_a_phone_tap_escape_and_keyboard(neutral_site, live_server, phone):
    page = phone
    history = _survey_with_an_answer(page, live_server.url)
    link = page.get_by_role("link", name=LABEL)
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44
    assert box["y"] < 60 and box["x"] + box["width"] > 390 - 60  # the top right corner
    # Fixed: still in the same place with the page scrolled to its end.
    page.mouse.wheel(0, 3_000)
    page.wait_for_timeout(500)
    assert link.bounding_box() == box
    assert page.evaluate(
        "() => { const r = document.querySelector('a.yv-quick-exit').getBoundingClientRect();"
        " return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)"
        "?.closest('a.yv-quick-exit') !== null; }"
    ), "something covers the button"
    save_screenshot(page, "phone-quick-exit")
    link.tap()
    _on_the_neutral_site(page, neutral_site, history)

    # The Escape key, from anywhere on the page (here: typing an answer).
    history = _survey_with_an_answer(page, live_server.url)
    expect(page.get_by_text("14 or 15", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    _on_the_neutral_site(page, neutral_site, history)

    # The keyboard: the link is a tab stop, early on the page, and Enter follows it.
    open_app(page, live_server.url)
    history = int(page.evaluate("history.length"))
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.classList.contains('yv-quick-exit')"):
            break
    else:
        raise AssertionError(f"could not reach '{LABEL}' with the Tab key")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus is visible
    page.keyboard.press("Enter")
    _on_the_neutral_site(page, neutral_site, history)
