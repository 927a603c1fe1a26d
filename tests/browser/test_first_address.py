"""A browser whose first address on a freshly started server is a page's own (a bookmark, a
link in an email) gets app.py's navigation: the young people's menu and the sign-in gate,
never every file in pages/ as a flat menu (ui/navigation.served_through_app).

The shared `live_server` opens "/" first to warm up, which hides this; each case here
starts its own server and opens the page's address first.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from survey.core.database import make_engine, migrate
from survey.core.settings import PROJECT_ROOT
from tests.browser.conftest import WARM_UP_MS
from tests.browser.streamlit_ui import SCRIPT_FINISHED

YOUNG_PEOPLES_MENU = ["Have your say", "You said, we did", "Staff sign in"]


def _listening(url: str, process: subprocess.Popen, log: Path) -> None:
    """Wait until the server answers its health check (no page is opened)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"streamlit exited early:\n{log.read_text()[-3000:]}"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"streamlit did not start:\n{log.read_text()[-3000:]}")


@pytest.fixture
def cold_server(tmp_path: Path, tagger) -> Iterator[str]:
    """A just-started server no browser has visited yet; its URL."""
    database_url = f"sqlite:///{tmp_path / 'browser.db'}"
    migrate(make_engine(database_url))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "server.py")]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env={**os.environ, "DATABASE_URL": database_url},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _listening(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _menu(page: Page) -> list[str]:
    # A link's text is its icon's ligature, then the page's title.
    links = page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()
    return [text.split("\n")[-1].strip() for text in links]


@pytest.mark.parametrize(
    ("address", "asks_to_sign_in"),
    [
        ("/sign_in", False),
        # A staff page's address (a bookmark): app.py's sign-in form answers there, asking
        # to sign in to see it (tests/browser/test_lasting_sign_in.py signs in from there).
        ("/review_desk", True),
    ],
)
def test_first_address_on_a_fresh_server_is_served_through_app_py(
    cold_server: str, desktop: Page, address: str, asks_to_sign_in: bool
):
    desktop.goto(cold_server + address, timeout=WARM_UP_MS)
    desktop.wait_for_function(SCRIPT_FINISHED, timeout=WARM_UP_MS)
    expect(desktop.get_by_role("heading", name="Staff sign in", level=1)).to_be_visible()
    expect(desktop.get_by_test_id("stSidebarNav")).to_be_visible()
    assert _menu(desktop) == YOUNG_PEOPLES_MENU
    expect(desktop.get_by_text("Please sign in as staff to open this page.")).to_have_count(0)
    asked = desktop.get_by_text("Please sign in to see this page.")
    expect(asked).to_have_count(1 if asks_to_sign_in else 0)
