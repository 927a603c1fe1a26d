"""Real-browser fixtures: a `streamlit run server.py` server (as `make run` starts it) on a
free loopback port with a fresh database, and Debian's chromium driven by Playwright (its
own browser download does not work here). Without chromium these tests skip, saying how to
enable them."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from survey.core.database import make_engine, migrate
from survey.core.settings import PROJECT_ROOT
from tests.browser.streamlit_ui import SCRIPT_FINISHED

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SKIP_REASON = (
    "Browser tests SKIPPED: Debian's chromium is not installed. Enable them with "
    "`sudo apt-get install chromium` (or run `make test` as root, which installs it)."
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def screenshot_dir() -> Path:
    """Where the pictures go: the README's `docs/screenshots` only for `make screenshots`
    (YOUTHVOICE_SCREENSHOTS_DIR); otherwise outside the repository, so a test run never
    changes tracked files."""
    chosen = os.environ.get("YOUTHVOICE_SCREENSHOTS_DIR")
    folder = Path(chosen) if chosen else Path(tempfile.gettempdir()) / "youthvoice-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class LiveServer:
    url: str
    database_url: str


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text()[-3000:]}")


# The server's first page run imports the app, migrates and loads the theme tagger: on a
# loaded 2-core machine that can take longer than any step of a test should wait, so it is
# waited for here, once, with room to spare.
WARM_UP_MS = 180_000


def _warm_up(url: str, browser) -> None:
    """Open the first page as a person would (a real websocket session), and wait until its
    run has finished: then every page the test opens meets a ready app."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, timeout=WARM_UP_MS)
        page.wait_for_function(SCRIPT_FINISHED, timeout=WARM_UP_MS)
    finally:
        context.close()


@pytest.fixture
def live_server(tmp_path: Path, tagger, browser) -> Iterator[LiveServer]:
    # `tagger` first: the theme model is trained (into this run's YOUTHVOICE_MODELS_DIR,
    # which the server inherits) before the server starts, not on its first page view.
    database_url = f"sqlite:///{tmp_path / 'browser.db'}"
    migrate(make_engine(database_url))
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url}
    log = tmp_path / "streamlit.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(PROJECT_ROOT / "server.py"),
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        _warm_up(url, browser)
        yield LiveServer(url, database_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)  # one step on a busy 2-core machine (the server is warm)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page at a phone's viewport (390 x 844), touch enabled."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


def save_screenshot(page, name: str) -> None:
    """Save the whole page: Streamlit scrolls inside its main block, so the viewport is
    stretched to the content's height for the picture, then put back."""
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stAppViewContainer]')].map(e => e.scrollHeight), window.innerHeight)"
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height), 4000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshot_dir() / f"{name}.png"))
    page.set_viewport_size(size)
