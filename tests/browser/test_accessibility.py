"""Accessibility: axe-core in the real page (no serious or critical violation, WCAG 2.2 AA
contrast included), and the survey completed with the keyboard alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from survey.core.database import make_engine
from survey.core.models import Answer
from survey.core.settings import PROJECT_ROOT
from tests.browser.conftest import save_screenshot
from tests.browser.streamlit_ui import open_app, press, settled

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not Path(AXE).is_file():
        pytest.skip(
            "Accessibility checks SKIPPED: axe-core is missing. Run `make test` "
            "(it runs `npm ci`), or `npm ci` with Node.js and npm installed."
        )
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: Page, axe_source: str) -> list[str]:
    settled(page)
    page.add_script_tag(content=axe_source)
    result = page.evaluate("rules => axe.run(document, {runOnly: rules})", RULES)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_accessibility_survey_help_and_you_said_we_did_pages(live_server, phone, axe_source):
    page = phone
    open_app(page, live_server.url)
    expect(page.get_by_role("heading", name="Your privacy")).to_be_visible()
    found = {"welcome": serious_violations(page, axe_source)}
    press(page, "Start the survey")
    for part in [
        "About you",
        "How safe you feel",
        "Who or what",
        "In your own words",
        "What would help",
    ]:
        expect(page.get_by_role("heading", name=part)).to_be_visible()
        found[part] = serious_violations(page, axe_source)
        if part == "In your own words":
            page.get_by_role(
                "textbox", name="Tell us about a place where you feel unsafe, and why."
            ).fill("i want to kill myself")
        press(page, "Send my answers" if part == "What would help" else "Next")
    expect(page.get_by_role("heading", name="Thank you for telling us")).to_be_visible()
    found["help page"] = serious_violations(page, axe_source)
    page.goto(f"{live_server.url}/you_said_we_did")
    expect(page.get_by_role("heading", name="You said, we did")).to_be_visible()
    found["you said, we did"] = serious_violations(page, axe_source)
    save_screenshot(page, "phone-you-said-we-did")
    assert {name: problems for name, problems in found.items() if problems} == {}


def _tab_to(page: Page, description: str, matches: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches a JS predicate on `el`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({matches}); }}"):
            return
    raise AssertionError(f"could not reach {description} with the Tab key")


def _focused_label(text: str) -> str:
    return (
        f"(el.closest('label')?.innerText || el.getAttribute('aria-label') || "
        f"el.innerText || '').trim().startsWith({text!r})"
    )


def test_accessibility_survey_can_be_completed_with_the_keyboard_alone(live_server, phone):
    page = phone
    open_app(page, live_server.url)  # the server is warm: its first run has finished
    expect(page.get_by_role("heading", name="Your privacy")).to_be_visible()
    _tab_to(page, "the start button", _focused_label("Start the survey"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    settled(page)
    _tab_to(page, "the first age band", _focused_label("10 to 13"))
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys: "14 or 15"
    _tab_to(page, "the Next button", _focused_label("Next"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="How safe you feel")).to_be_visible()
    for part in ["Who or what", "In your own words"]:
        settled(page)
        _tab_to(page, "the Next button", _focused_label("Next"))
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=part)).to_be_visible()
    settled(page)
    _tab_to(page, "the text box", "el.tagName === 'TEXTAREA'")
    page.keyboard.type("the underpass is dark and men hang around")
    _tab_to(page, "the Next button", _focused_label("Next"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="What would help")).to_be_visible()
    settled(page)
    _tab_to(page, "the lighting choice", _focused_label("Better lighting or cameras"))
    page.keyboard.press("Space")
    _tab_to(page, "the send button", _focused_label("Send my answers"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    with Session(make_engine(live_server.database_url)) as db:
        answers = dict(db.exec(select(Answer.question_id, Answer.value)).all())
    assert answers["age_band"] == "14-15"
    assert answers["unsafe_place_text"] == "the underpass is dark and men hang around"
    assert answers["feel_safer_choices"] == "lighting_cctv"
