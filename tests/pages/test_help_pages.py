"""What a young person sees about help: tap-to-call, text and web links on the help page and
the thank-you page, their district's local contacts, the optional "I'd like help" question,
calm help with the thanks for a check, and "Leave this site" on every young people's page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from survey.core.models import Response, SafeguardingAlert
from survey.core.settings import PROJECT_ROOT, get_settings
from survey.safeguarding.alerts import ASKED_FOR_HELP, CHECK
from tests.markdown_checks import visible_text
from tests.support import app_test, click

SURVEY = "pages/survey.py"
LOCAL = """local:
  - name: Medway youth hub
    what: "Drop in after school, or call."
    phone: "01634 000 111"
    districts: [Medway]
"""


def _html(at) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def _words(at) -> str:
    shown = [*at.title, *at.subheader, *at.markdown, *at.info, *at.success, *at.warning]
    return " ".join(visible_text(e.value) for e in shown)


def _to_last_part(at, *, district: str | None = None, text: str | None = None):
    """From the welcome page to the last part, answering only what is given."""
    click(at, "Start the survey")
    if district:
        at.radio(key="q_district").set_value(district)
    for _ in range(3):  # about you, how safe, who or what ("where and when" is skipped)
        click(at, "Next")
    if text:
        at.text_area(key="q_unsafe_place_text").input(text)
    click(at, "Next")
    assert at.header[0].value == "What would help"
    return at


def _send(*, district: str | None = None, text: str | None = None, help_: str | None = None):
    at = _to_last_part(app_test(SURVEY).run(), district=district, text=text)
    if help_:
        at.radio(key="q_would_like_help").set_value(help_)
    click(at, "Send my answers")
    assert not at.exception
    return at


@pytest.fixture
def local_contacts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of data/ whose help contacts have a real contact for Medway only."""
    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data)
    path = data / "help_contacts.yaml"
    shipped = path.read_text(encoding="utf-8")
    path.write_text(shipped[: shipped.index("local:")] + LOCAL, encoding="utf-8")
    monkeypatch.setenv("YOUTHVOICE_DATA_DIR", str(data))
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()


def test_help_pages_help_page_has_call_text_and_web_links(app_database, db):
    at = _send(text="my dad hits me and im scared to go home")
    assert at.title[0].value == "Thank you for telling us"
    page = _html(at)
    assert 'href="tel:08001111"' in page and ">Call 0800 1111<" in page
    assert 'href="tel:999"' in page and 'href="tel:101"' in page
    assert 'href="https://www.childline.org.uk"' in page and "Go to childline.org.uk" in page
    assert 'href="sms:85258?&amp;body=SHOUT"' in page and "Text SHOUT to 85258" in page
    assert "early help" not in (_words(at) + page).lower()  # a placeholder: never shown


def test_help_pages_saying_yes_shows_help_at_once_and_raises_a_check(app_database, db):
    at = _send(help_="yes")
    assert at.title[0].value == "Thank you for telling us"
    assert 'href="tel:08001111"' in _html(at)
    words = _words(at).lower()
    assert "flag" not in words and "alert" not in words
    alert = db.exec(select(SafeguardingAlert)).one()
    assert alert.band == CHECK and alert.categories == [ASKED_FOR_HELP]
    response = db.exec(select(Response)).one()
    assert alert.response_id == response.id and response.session_id is None


def test_help_pages_saying_no_is_a_plain_thank_you(app_database, db):
    at = _send(help_="no")
    assert at.title[0].value == "Thank you"
    assert db.exec(select(SafeguardingAlert)).all() == []
    page = _html(at)  # help is still a tap away
    assert 'href="tel:08001111"' in page and "Childline: call 0800 1111" in page
    assert 'href="https://www.childline.org.uk"' in page and 'href="tel:999"' in page
    assert "If you'd like to talk to someone" not in _words(at)


def test_help_pages_local_contacts_for_the_district_chosen(app_database, db, local_contacts):
    medway = _send(district="Medway", help_="yes")
    assert "Medway youth hub" in _words(medway)
    assert 'href="tel:01634000111"' in _html(medway)
    thanet = _send(district="Thanet", help_="yes")
    assert "Medway youth hub" not in _words(thanet)
    assert "Childline" in _words(thanet) and "Kent Police" in _words(thanet)
    unsure = _send(help_="yes")
    assert "Medway youth hub" not in _words(unsure)


def test_help_pages_a_check_shows_help_calmly_on_the_thank_you_page(app_database, db):
    polish = "Nie czuję się bezpiecznie w parku wieczorem, bo tam stoją grupy starszych chłopaków."
    at = _send(text=polish)
    alert = db.exec(select(SafeguardingAlert)).one()
    assert alert.band == CHECK and ASKED_FOR_HELP not in alert.categories
    assert at.title[0].value == "Thank you"  # not the help page: no alarm
    assert "If you'd like to talk to someone" in [s.value for s in at.subheader]
    assert "Childline" in _words(at) and 'href="tel:08001111"' in _html(at)
    words = _words(at).lower()
    assert "flag" not in words and "alert" not in words and "worried" not in words


def test_help_pages_asked_for_help_but_not_saved_still_shows_help(app_database, db, engine):
    at = _to_last_part(app_test(SURVEY).run())
    at.radio(key="q_would_like_help").set_value("yes")
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE answer RENAME TO answer_away"))
    try:
        click(at, "Send my answers")
        assert any("couldn't save that" in e.value for e in at.error)
        assert "Childline" in _words(at) and 'href="tel:08001111"' in _html(at)
    finally:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE answer_away RENAME TO answer"))


@pytest.mark.parametrize("page", [SURVEY, "pages/you_said_we_did.py"])
def test_help_pages_leave_this_site_on_every_young_peoples_page(app_database, page, monkeypatch):
    at = app_test(page).run()
    assert 'href="https://www.bbc.co.uk/weather"' in _html(at) and "Leave this site" in _html(at)
    monkeypatch.setenv("YOUTHVOICE_QUICK_EXIT_URL", "https://www.example.org/news")
    get_settings.cache_clear()
    at = app_test(page).run()
    assert at.get("html")[0].proto.unsafe_allow_javascript  # first on the page
    assert 'href="https://www.example.org/news"' in at.get("html")[0].proto.body
    assert "location.replace" in at.get("html")[0].proto.body
    get_settings.cache_clear()


def test_help_pages_leave_this_site_on_the_help_and_thank_you_pages(app_database, db):
    for at in (_send(help_="yes"), _send(help_="no")):
        assert "Leave this site" in at.get("html")[0].proto.body


def test_help_pages_quick_exit_address_must_be_a_web_address(monkeypatch):
    from pydantic import ValidationError

    from survey.core.settings import Settings

    for bad in ["javascript:alert(1)", "www.bbc.co.uk", 'https://x.org/"><script>']:
        monkeypatch.setenv("YOUTHVOICE_QUICK_EXIT_URL", bad)
        with pytest.raises(ValidationError):
            Settings()
