"""A young person's unfinished answers survive the phone's Back, a reload and a dropped
connection (a random token in a first-party cookie; the answers sealed on the server), and
sending ends the draft: the answers are stored once and a reload starts a fresh survey."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import func
from sqlmodel import Session, select

from survey.core.database import make_engine
from survey.core.models import Answer, Response, SurveyDraft
from tests.browser.streamlit_ui import open_app, press, settled, submit_until_shown, tick
from ui.survey_draft import DRAFT_COOKIE

NIGHT = "How safe do you feel in your area at night?"
SOMEWHERE = "Is there anywhere you feel unsafe?"


def _two_parts(page: Page) -> None:
    """Answer the first two parts, and stand on the third."""
    press(page, "Start the survey")
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    tick(page, "14 or 15")
    tick(page, "Dover")
    submit_until_shown(page, "Next", "How safe you feel")
    page.get_by_role("radiogroup", name=NIGHT).get_by_text("2", exact=True).click()
    page.get_by_role("radiogroup", name=SOMEWHERE).get_by_text("Yes", exact=True).click()
    submit_until_shown(page, "Next", "Where and when")


def _on_part_three_with_the_answers(page: Page) -> None:
    """The part is back, and so are the answers of the parts before it."""
    settled(page)
    expect(page.get_by_role("heading", name="Where and when")).to_be_visible()
    expect(page.get_by_text("Part 3 of 6")).to_be_visible()
    submit_until_shown(page, "Back", "How safe you feel")
    expect(
        page.get_by_role("radiogroup", name=NIGHT).get_by_role("radio", name="2")
    ).to_be_checked()
    expect(
        page.get_by_role("radiogroup", name=SOMEWHERE).get_by_role("radio", name="Yes")
    ).to_be_checked()
    submit_until_shown(page, "Back", "About you")
    expect(page.get_by_role("radio", name="Dover")).to_be_checked()
    expect(page.get_by_role("radio", name="14 or 15")).to_be_checked()
    submit_until_shown(page, "Next", "How safe you feel")
    submit_until_shown(page, "Next", "Where and when")


def _send_from_part_three(page: Page) -> None:
    tick(page, "Late (9pm to midnight)")
    for heading in ["Who or what", "In your own words", "What would help"]:
        submit_until_shown(page, "Next", heading)
    submit_until_shown(page, "Send my answers", "Your answers have been saved.")


def _stored(database_url: str) -> tuple[int, int, list[str]]:
    """Responses, drafts, and the districts answered."""
    with Session(make_engine(database_url)) as db:
        responses = db.exec(select(func.count()).select_from(Response)).one()
        drafts = db.exec(select(func.count()).select_from(SurveyDraft)).one()
        districts = db.exec(select(Answer.value).where(Answer.question_id == "district")).all()
    return responses, drafts, list(districts)


def _draft_cookie(page: Page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == DRAFT_COOKIE), None)


def test_answers_survive_back_and_reload_then_sending_ends_the_draft(live_server, phone: Page):
    page = phone
    open_app(page, live_server.url)
    _two_parts(page)
    cookie = _draft_cookie(page)
    assert cookie is not None and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie["expires"] > 0  # kept (two hours), not a session cookie
    assert cookie["value"] not in page.url  # never in the address
    assert _stored(live_server.database_url)[:2] == (0, 1)  # the sealed draft, nothing sent

    page.go_back()  # the phone's Back leaves the survey...
    assert not page.url.startswith(live_server.url)
    page.go_forward()  # ...and coming back finds it as it was
    _on_part_three_with_the_answers(page)

    page.reload()
    expect(page.get_by_text("Welcome back.")).to_be_visible()
    _on_part_three_with_the_answers(page)

    _send_from_part_three(page)
    assert _stored(live_server.database_url) == (1, 0, ["Dover"])  # stored once, draft gone
    assert _draft_cookie(page) is None  # the browser forgot the token too

    page.reload()  # a fresh survey for whoever holds the phone next
    settled(page)
    expect(page.get_by_role("button", name="Start the survey")).to_be_visible()
    expect(page.get_by_text("Welcome back.")).to_have_count(0)
    press(page, "Start the survey")
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    expect(page.get_by_role("radio", name="Dover")).not_to_be_checked()
    assert _stored(live_server.database_url)[0] == 1


def test_answers_survive_a_dropped_connection_and_are_sent_once(live_server, phone: Page):
    page = phone
    links: list = []  # the page's websockets to the server, through Playwright, to cut
    page.route_web_socket("**/_stcore/stream", lambda ws: links.append(ws.connect_to_server()))
    opened: list[str] = []
    page.on("websocket", lambda ws: opened.append(ws.url))
    open_app(page, live_server.url)
    _two_parts(page)

    # The signal goes (a tunnel, a lift, a busy school wifi): the connection drops, and
    # the page cannot reach the server until it comes back.
    page.context.set_offline(True)
    for link in links:
        link.close()
    page.wait_for_timeout(3_000)
    page.context.set_offline(False)
    for _ in range(60):  # Streamlit reconnects by itself once the network is back
        if len(opened) > 1:
            break
        page.wait_for_timeout(500)
    assert len(opened) > 1, "the page never reconnected"
    _on_part_three_with_the_answers(page)

    page.close()  # the phone closes the tab, or the connection stays down too long
    page = phone.context.new_page()
    open_app(page, live_server.url)
    expect(page.get_by_text("Welcome back.")).to_be_visible()
    _on_part_three_with_the_answers(page)
    _send_from_part_three(page)
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert _stored(live_server.database_url) == (1, 0, ["Dover"])
