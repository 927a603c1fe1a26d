"""The whole journey as its users make it, in real browsers: a worker runs a session, a
young person answers on a phone, the worker follows up, a board member reads the result."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from survey.core.database import make_engine
from survey.core.models import Answer, ParticipationSession, Response
from survey.core.settings import Settings
from survey.responses import submit_response
from survey.staff.users import Role, create_user
from survey.startup import load_survey_definition
from tests.browser.conftest import save_screenshot, screenshot_dir
from tests.browser.streamlit_ui import (
    open_page,
    press,
    settled,
    sign_in,
    submit_until_shown,
    tick,
)

PASSWORD = "a long enough passphrase"
ANSWER = (
    "Jayden Smith follows me from the bus station at night and men shout at me. "
    "My dad hits me at home."
)


def _staff(database_url: str) -> None:
    with Session(make_engine(database_url)) as db:
        create_user(db, username="wendy", password=PASSWORD, role=Role.WORKER)
        create_user(db, username="bea", password=PASSWORD, role=Role.BOARD)


def _others_in_session(database_url: str, code: str, tagger) -> None:
    """Four classmates answered already (so the themes pass the small-number threshold)."""
    definition = load_survey_definition(Settings())
    with Session(make_engine(database_url)) as db:
        session = db.exec(
            select(ParticipationSession).where(ParticipationSession.code == code)
        ).one()
        assert session.name == "Year 9, Hartsdown Academy"
        session_id = session.id
        for i in range(4):
            submit_response(
                db=db,
                questionnaire=definition.questionnaire,
                dimensions=definition.dimensions,
                submission_id=f"classmate-{i}",
                answers={"unsafe_place_text": "men hang round the bus station"},
                tagger=tagger,
                session_id=session_id,
            )


def _worker_creates_session(worker: Page, url: str) -> str:
    sign_in(worker, url, "wendy", PASSWORD)

    open_page(worker, "Sessions", "Sessions")
    worker.get_by_text("New session").click()
    worker.get_by_role("textbox", name="Name").fill("Year 9, Hartsdown Academy")
    submit_until_shown(worker, "Create session", "Session created.")
    heading = worker.get_by_role("heading", name=re.compile(r"^Join code: ")).first
    expect(heading).to_be_visible()
    code = heading.inner_text().removeprefix("Join code: ").strip()
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", code)
    save_screenshot(worker, "desktop-sessions")
    return code


def _young_person_answers(phone: Page, url: str, code: str) -> None:
    phone.goto(url)
    phone.get_by_role("textbox", name="Got a session code? Type it here").fill(code.lower())
    press(phone, "Join session")
    expect(phone.get_by_text("Year 9, Hartsdown Academy", exact=False)).to_be_visible()
    press(phone, "Start the survey")
    for label in ["14 or 15", "Boy or young man", "Thanet"]:
        tick(phone, label)
    press(phone, "Next")
    phone.get_by_role("radiogroup", name="How safe do you feel in your area at night?").get_by_text(
        "1 Very unsafe", exact=True
    ).click()
    phone.get_by_role("radiogroup", name="Is there anywhere you feel unsafe?").get_by_text(
        "Yes", exact=True
    ).click()
    press(phone, "Next")
    tick(phone, "Bus or train stations, bus stops, on buses or trains")
    phone.get_by_role("textbox", name=re.compile("name of the place")).fill("Margate station")
    tick(phone, "Late (9pm to midnight)")
    press(phone, "Next")
    tick(phone, "Groups of men")
    tick(phone, "Being followed or stared at")
    press(phone, "Next")
    phone.get_by_role("textbox", name="Tell us about a place where you feel unsafe, and why.").fill(
        ANSWER
    )
    press(phone, "Next")
    tick(phone, "Better lighting or cameras")
    press(phone, "Send my answers")
    expect(phone.get_by_role("heading", name="Thank you for telling us")).to_be_visible()
    expect(phone.get_by_text("0800 1111").first).to_be_visible()
    assert "flag" not in phone.inner_text("body").lower()
    save_screenshot(phone, "phone-help-page")


def _worker_follows_up(worker: Page) -> None:
    open_page(worker, "Live screen", "Join at 127.0.0.1:8501")
    expect(worker.get_by_test_id("stMetricValue").first).to_have_text("5")
    expect(worker.locator("[data-testid=stVegaLiteChart]").first).to_be_visible()
    save_screenshot(worker, "desktop-live-screen")
    open_page(worker, "Safeguarding alerts", "Safeguarding alerts")
    expect(worker.get_by_text("harm_at_home").first).to_be_visible()
    open_page(worker, "Review desk", "Review desk")
    flagged = worker.get_by_text("[NAME] follows me from", exact=False).first
    expect(flagged).to_be_visible()
    assert "Jayden" not in worker.inner_text("body")
    expect(worker.locator("mark").first).to_be_visible()  # the evidence, highlighted
    # The answer that raised an alert is marked, links to it, and is never offered as a quote.
    expect(worker.get_by_text("Raised an alert", exact=False)).to_have_count(1)
    expect(worker.get_by_role("link", name=re.compile(r"^Open alert \d+$"))).to_have_count(1)
    quotes = worker.get_by_role("textbox", name=re.compile("Quote for the board"))
    expect(quotes).to_have_count(4)  # the four classmates' answers only
    save_screenshot(worker, "desktop-review-desk")
    worker.get_by_role("button", name="Remove").first.click()
    settled(worker)
    quotes.first.fill("men hang round the bus station")
    press(worker, "Approve quote")
    expect(worker.get_by_text("Quote approved.")).to_be_visible()


def _board_reads(board: Page, url: str, folder) -> str:
    sign_in(board, url, "bea", PASSWORD)
    open_page(board, "Theme summaries", "Theme summaries")
    expect(board.get_by_text("men hang round the bus station", exact=False).first).to_be_visible()
    open_page(board, "Board overview", "Board overview")
    save_screenshot(board, "desktop-board-overview")
    press(board, "Prepare the board pack")
    with board.expect_download() as download:
        board.get_by_role("button", name="Download board pack (HTML)").click()
    path = folder / "board-pack.html"
    download.value.save_as(path)
    board.goto(path.as_uri())  # the pack opens on its own, with no server
    expect(board.get_by_role("heading", name="Youth voice board pack")).to_be_visible()
    board.screenshot(path=str(screenshot_dir() / "desktop-board-pack.png"))
    return open(path, encoding="utf-8").read()


def test_whole_journey_from_session_to_board_pack(live_server, browser, phone, tagger, tmp_path):
    _staff(live_server.database_url)
    worker_context = browser.new_context(viewport={"width": 1280, "height": 900})
    worker_context.set_default_timeout(20_000)
    worker = worker_context.new_page()
    code = _worker_creates_session(worker, live_server.url)
    _others_in_session(live_server.database_url, code, tagger)

    _young_person_answers(phone, live_server.url, code)
    with Session(make_engine(live_server.database_url)) as db:
        mine = db.exec(
            select(Response).where(Response.source == "online").order_by(Response.id.desc())
        ).first()
        text = db.exec(
            select(Answer.value).where(
                Answer.response_id == mine.id, Answer.question_id == "unsafe_place_text"
            )
        ).one()
    assert mine.session_id is not None and "Jayden" not in text and text.startswith("[NAME]")

    _worker_follows_up(worker)
    board_context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    board_context.set_default_timeout(20_000)
    pack = _board_reads(board_context.new_page(), live_server.url, tmp_path)
    assert "Youth voice board pack" in pack and "men hang round the bus station" in pack
    assert "men shout at me" not in pack  # the answer that raised an alert: never a quote
    assert "Jayden" not in pack and "<script" not in pack

    phone.goto(f"{live_server.url}/board_overview")  # the young person's browser, by URL
    expect(phone.get_by_text("Please sign in to see this page.")).to_be_visible()
    expect(phone.get_by_role("heading", name="Board overview")).to_have_count(0)
    expect(phone.get_by_text("men hang round the bus station")).to_have_count(0)
    worker_context.close()
    board_context.close()
