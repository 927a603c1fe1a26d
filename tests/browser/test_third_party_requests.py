"""Nothing leaves for a third party: every request the young people's pages (on a phone)
and the staff pages make goes to the app's own server, never to another host (fonts, icons,
scripts, map tiles), so no one else learns a young person's IP address.

Every request the browser makes is recorded (Playwright's request and websocket events),
and, because a headless browser may not fetch everything a real one would (the tab's icon,
a font not yet needed), each page's own references are read as well: the tab's icon,
stylesheets, scripts, images, frames, and every url() in its CSS (@font-face included).
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session

from survey.core.database import make_engine
from survey.core.settings import Settings
from survey.participation.sessions import open_session
from survey.responses import submit_response
from survey.staff.users import Role, create_user
from survey.startup import load_survey_definition
from tests.browser.streamlit_ui import press, settled, sign_in, tick
from ui.navigation import STAFF_GROUPS

PASSWORD = "a long enough passphrase"
# Schemes that make no network request at all.
LOCAL_SCHEMES = {"data", "blob", "about", "javascript", "tel", "sms", "mailto"}

# What the page itself points at, as the browser resolved it.
REFERENCES = """() => {
  const found = [];
  const take = (value) => { if (value) found.push(String(value)); };
  document.querySelectorAll('link[href]').forEach(e => take(e.href));
  document.querySelectorAll('script[src], img[src], iframe[src], source[src], video[src],'
    + ' audio[src], embed[src], input[src]').forEach(e => take(e.src));
  document.querySelectorAll('img[srcset], source[srcset]').forEach(e =>
    e.srcset.split(',').forEach(part => take(part.trim().split(' ')[0])));
  document.querySelectorAll('object[data]').forEach(e => take(e.data));
  document.querySelectorAll('svg image').forEach(e => take(e.href && e.href.baseVal));
  const fromCss = (text) => {
    for (const m of text.matchAll(/url\\(\\s*['"]?([^'")]+)['"]?\\s*\\)/g)) {
      take(new URL(m[1], document.baseURI).href);
    }
    for (const m of text.matchAll(/@import\\s+['"]([^'"]+)['"]/g)) {
      take(new URL(m[1], document.baseURI).href);
    }
  };
  for (const sheet of document.styleSheets) {
    let rules;
    try { rules = sheet.cssRules; } catch (e) { take(sheet.href); continue; }
    for (const rule of rules) fromCss(rule.cssText);
  }
  document.querySelectorAll('[style]').forEach(e => fromCss(e.getAttribute('style')));
  performance.getEntriesByType('resource').forEach(e => take(e.name));
  return found;
}"""


class Recorder:
    """Every request and websocket a browser context opens, and what its pages point at."""

    def __init__(self, context: BrowserContext, own: str) -> None:
        self.own = own
        self.seen: list[tuple[str, str]] = []  # (where in the journey, URL)
        self.where = "start"
        context.on("request", lambda request: self.seen.append((self.where, request.url)))
        context.on("page", self._watch_sockets)
        for page in context.pages:
            self._watch_sockets(page)

    def _watch_sockets(self, page: Page) -> None:
        page.on("websocket", lambda socket: self.seen.append((self.where, socket.url)))

    def at(self, page: Page, where: str) -> None:
        """The journey has reached `where`: read the page's own references too."""
        settled(page)
        self.where = where
        self.seen += [(where, url) for url in page.evaluate(REFERENCES)]

    def elsewhere(self) -> list[tuple[str, str]]:
        return [
            (where, url)
            for where, url in self.seen
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != self.own
        ]


def _setting_up(database_url: str, tagger) -> str:
    """An admin, a session, and five answers in it (the live screen draws its chart)."""
    definition = load_survey_definition(Settings())
    with Session(make_engine(database_url), expire_on_commit=False) as db:
        admin = create_user(db, username="ada", password=PASSWORD, role=Role.ADMIN)
        session = open_session(
            db,
            worker=admin,
            name="Year 9, Hartsdown Academy",
            venue_type="school",
            district="Thanet",
            held_on=date.today(),
            age_group="14-15",
            districts=definition.dimensions.district_names,
        )
        for i in range(5):
            submit_response(
                db=db,
                questionnaire=definition.questionnaire,
                dimensions=definition.dimensions,
                submission_id=f"classmate-{i}",
                answers={"district": "Thanet", "unsafe_place_text": "men at the bus station"},
                tagger=tagger,
                session_id=session.id,
            )
    return session.code


def _young_person(phone: Page, url: str, code: str, seen: Recorder) -> None:
    phone.goto(f"{url}/?code={code}")  # as the QR code opens it
    expect(phone.get_by_role("heading", name="Your privacy")).to_be_visible()
    seen.at(phone, "welcome")
    press(phone, "Start the survey")
    part = 1
    while True:
        expect(phone.get_by_text(re.compile(rf"^Part {part} of \d+$"))).to_be_visible()
        seen.at(phone, f"part {part}")
        if part == 1:
            tick(phone, "14 or 15")
        if part == 2:
            phone.get_by_role("radiogroup", name="Is there anywhere you feel unsafe?").get_by_text(
                "Yes", exact=True
            ).click()  # so the where-and-when part is shown too
        if phone.get_by_role("button", name="Send my answers").count():
            break
        press(phone, "Next")
        part += 1
    phone.get_by_role(
        "radiogroup", name="Is something happening to you that you'd like help with?"
    ).get_by_text("Yes", exact=True).click()
    press(phone, "Send my answers")
    expect(phone.get_by_role("heading", name="Thank you for telling us")).to_be_visible()
    seen.at(phone, "help page")

    press(phone, "Start again (for someone else)")
    press(phone, "Start the survey")
    tick(phone, "16 or 17")
    while not phone.get_by_role("button", name="Send my answers").count():
        press(phone, "Next")
    press(phone, "Send my answers")
    expect(phone.get_by_role("heading", name="Thank you", exact=True)).to_be_visible()
    seen.at(phone, "thank-you")

    phone.goto(f"{url}/you_said_we_did")
    expect(phone.get_by_role("heading", name="You said, we did").first).to_be_visible()
    seen.at(phone, "you said, we did")


def _staff(desktop: Page, url: str, seen: Recorder) -> None:
    sign_in(desktop, url, "ada", PASSWORD)
    seen.at(desktop, "sign in")
    nav = desktop.get_by_test_id("stSidebarNav")
    for entries in STAFF_GROUPS.values():
        for entry in entries:
            more = nav.get_by_test_id("stSidebarNavViewButton").filter(has_text="more")
            if more.count():  # a long menu shows its first pages, then "View 5 more"
                more.click()
            nav.get_by_role("link", name=re.compile(rf"{re.escape(entry.title)}$")).click()
            expect(desktop).to_have_url(re.compile(rf"/{entry.name}(\?.*)?$"))
            expect(desktop.get_by_role("heading", level=1).first).to_be_visible()
            seen.at(desktop, entry.title)
    nav.get_by_role("link", name=re.compile(r"Live screen$")).click()
    expect(desktop.locator("[data-testid=stVegaLiteChart]").first).to_be_visible()
    seen.at(desktop, "Live screen, its chart drawn")
    press(desktop, "Present to the room")
    expect(desktop.locator(".yv-room-code")).to_be_visible()
    expect(desktop.locator("[data-testid=stVegaLiteChart]").first).to_be_visible()
    seen.at(desktop, "Live screen, presented")


def test_third_party_requests_none_from_young_peoples_or_staff_pages(
    live_server, phone: Page, desktop: Page, tagger
):
    code = _setting_up(live_server.database_url, tagger)
    own = urlsplit(live_server.url).netloc

    young = Recorder(phone.context, own)
    _young_person(phone, live_server.url, code, young)
    assert len(young.seen) > 20  # the recording works: the app's own scripts, styles, socket
    assert not young.elsewhere(), young.elsewhere()

    staff = Recorder(desktop.context, own)
    _staff(desktop, live_server.url, staff)
    assert not staff.elsewhere(), staff.elsewhere()
