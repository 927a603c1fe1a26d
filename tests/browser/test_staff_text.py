"""A session name carrying Markdown reaches a young person's phone as text: the welcome
page fetches nothing from another host and shows the name exactly as the worker typed it."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect
from sqlmodel import Session

from survey.core.database import make_engine
from survey.core.settings import Settings
from survey.participation.sessions import open_session
from survey.staff.users import Role, create_user
from survey.startup import load_survey_definition
from tests.browser.streamlit_ui import settled
from tests.markdown_checks import HOSTILE_EXTRAS, WORD_JOINER

JOINED = "You're answering as part of the session:"


def _session_code(database_url: str) -> str:
    districts = load_survey_definition(Settings()).dimensions.district_names
    with Session(make_engine(database_url)) as db:
        worker = create_user(db, username="wendy", password="a long enough pass", role=Role.WORKER)
        session = open_session(
            db,
            worker=worker,
            name=HOSTILE_EXTRAS,
            venue_type="school",
            district="Thanet",
            held_on=date.today(),
            age_group="14-15",
            districts=districts,
        )
    return session.code


def test_staff_text_session_name_on_a_phone_fetches_nothing_elsewhere(live_server, phone: Page):
    code = _session_code(live_server.database_url)
    own = urlsplit(live_server.url).netloc
    asked: list[str] = []
    phone.on("request", lambda request: asked.append(request.url))
    phone.goto(f"{live_server.url}/?code={code}")
    joined = phone.get_by_test_id("stAlert").filter(has_text=JOINED)
    expect(joined).to_be_visible()
    settled(phone)

    elsewhere = [u for u in asked if urlsplit(u).scheme != "data" and urlsplit(u).netloc != own]
    assert not elsewhere, elsewhere
    images = phone.eval_on_selector_all("img", "images => images.map(i => i.src)")
    assert not [src for src in images if urlsplit(src).scheme != "data" and own not in src]
    # Shown as typed: no image, link, bold, icon, emoji, colour, LaTeX or arrow made of it.
    shown = joined.inner_text().replace(WORD_JOINER, "")
    assert " ".join(HOSTILE_EXTRAS.split()) in " ".join(shown.split())
    made = "img, a, strong, em, [role=img], .katex, span[style], span[class*=Colored]"
    assert joined.locator(made).count() == 0
