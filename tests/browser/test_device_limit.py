"""A phone's limit lives in a random token its browser keeps, so a reload does not reset
it; the token says nothing about the person and goes after a day."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func
from sqlmodel import Session, select

from survey.core.database import make_engine
from survey.core.models import Response
from tests.browser.streamlit_ui import press, settled, submit_until_shown, tick
from ui.client import DEVICE_COOKIE


@pytest.fixture
def one_answer_per_phone(monkeypatch, request):
    monkeypatch.setenv("YOUTHVOICE_RESPONSES_PER_DEVICE", "1")
    return request.getfixturevalue("live_server")


def _answer(page: Page) -> None:
    press(page, "Start the survey")
    tick(page, "Dover")
    for heading in ["How safe you feel", "Who or what", "In your own words", "What would help"]:
        submit_until_shown(page, "Next", heading)
    press(page, "Send my answers")


def test_a_reload_does_not_reset_a_phones_limit(one_answer_per_phone, phone: Page):
    page = phone
    page.goto(one_answer_per_phone.url)
    _answer(page)
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_text("the most answers one phone can send here today")).to_be_visible()
    [cookie] = [c for c in page.context.cookies() if c["name"] == DEVICE_COOKIE]
    assert cookie["sameSite"] == "Strict" and cookie["expires"] > 0  # kept, for a day

    page.reload()
    settled(page)
    _answer(page)
    expect(page.get_by_text("This phone has already sent 1 answer today")).to_be_visible()
    expect(page.get_by_role("heading", name="What would help")).to_be_visible()  # kept
    with Session(make_engine(one_answer_per_phone.database_url)) as db:
        assert db.exec(select(func.count()).select_from(Response)).one() == 1
