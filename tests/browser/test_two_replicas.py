"""A worker's live screen on one replica sees an answer a phone sent through another replica
within 5 seconds (two Streamlit replicas on one PostgreSQL, tests/two_replicas.py)."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from cli.bench.streamlit_client import Phone, journey
from survey.core.database import make_engine
from survey.participation.sessions import open_session
from survey.staff.users import Role, create_user
from tests.browser.streamlit_ui import open_app, sign_in
from tests.support import PASSWORD
from tests.two_replicas import NEEDS_NGINX_AND_POSTGRES, Replicas, replicas

__all__ = ["replicas"]  # the fixture
pytestmark = [pytest.mark.slow, *NEEDS_NGINX_AND_POSTGRES]


def test_a_live_screen_on_one_replica_sees_an_answer_sent_through_the_other_within_5_s(
    replicas: Replicas, desktop: Page
) -> None:
    with Session(make_engine(replicas.database_url)) as db:
        worker = create_user(db, username="rowan", password=PASSWORD, role=Role.WORKER)
        session = open_session(
            db,
            worker=worker,
            name="Youth club, two replicas",
            venue_type="youth_club",
            district="Swale",
            held_on=date.today(),
            age_group="14-15",
            districts=["Swale"],
        )
    screen_url, phone_url = replicas.replica_urls
    sign_in(desktop, screen_url, "rowan", PASSWORD)
    open_app(desktop, f"{screen_url}/live_session")
    answers = desktop.get_by_test_id("stMetricValue").first
    expect(answers).to_have_text("0")

    _one_young_person(phone_url, session.code)  # the whole survey, through the other replica
    sent_at = time.monotonic()
    expect(answers).to_have_text("1", timeout=5_000)
    assert time.monotonic() - sent_at <= 5.0


def _one_young_person(url: str, code: str) -> None:
    """A phone's whole journey over the websocket, in its own thread: Playwright's sync API
    holds this thread's event loop."""
    failures: list[BaseException] = []

    async def answer() -> None:
        async with Phone(url, 60) as phone:
            await journey(
                phone, random.Random(5), (0, 0), lambda *_: None, query_string=f"code={code}"
            )

    def run() -> None:
        try:
            asyncio.run(answer())
        except BaseException as failure:
            failures.append(failure)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the phone's journey did not finish within 120 s"
    if failures:
        raise failures[0]
