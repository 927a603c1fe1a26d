"""The database stops in the middle of a request: at every point of a submit, of approving a
quote and of an import, the person sees the product's own words (never Streamlit's error
box), what they typed is still there, nothing is half-stored, and trying again stores once.

PostgreSQL only: the app reaches it over a relay that each test cuts before the k-th SQL
statement, as a stopped server or a dropped network would. (SQLite is a file in the app's
own process: it has no outage of this kind.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from incidents.models import Incident
from survey.core.database import make_engine
from survey.core.models import Quote, Response
from survey.core.settings import get_settings
from survey.responses import SubmitFailed, submit_response
from survey.staff.users import Role
from tests.conftest import _empty_postgres
from tests.database_link import DatabaseLink, database_link
from tests.incidents.helpers import SAMPLE
from tests.support import FULL_ANSWERS, app_test, click, fill_whole_survey, new_session, send, staff
from ui.outage import OUTAGE

pytestmark = pytest.mark.postgres
SAVE_FAILED = "We couldn't save that. Please try again."


@pytest.fixture
def link(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[DatabaseLink]:
    """The app's DATABASE_URL goes through a relay the test can cut."""
    _empty_postgres(postgres_url)
    with database_link(postgres_url) as relay:
        monkeypatch.setenv("DATABASE_URL", relay.url)
        get_settings.cache_clear()
        yield relay
    get_settings.cache_clear()


@pytest.fixture
def direct(postgres_url: str) -> Iterator[Engine]:
    """A connection that never goes through the relay, to look at what was stored."""
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


def _count(engine: Engine, table: type) -> int:
    with Session(engine) as db:
        return db.exec(select(func.count()).select_from(table)).one()


def _every_point(link: DatabaseLink, attempt: Callable[[], bool], most: int = 200) -> int:
    """Cut the link before the 1st, 2nd, ... statement of `attempt` until it succeeds (a
    cut after the last statement is no fault); returns how many points failed."""
    for point in range(1, most):
        link.restore()
        link.cut_before_statement(point)
        if attempt():
            link.restore()
            return point - 1
    raise AssertionError(f"still failing after {most} points")


def test_submit_fails_in_plain_words_at_every_point_and_stores_nothing(link, direct, definition):
    engine = make_engine(link.url)

    def attempt() -> bool:
        try:
            with Session(engine) as db:
                submit_response(
                    db=db,
                    questionnaire=definition.questionnaire,
                    dimensions=definition.dimensions,
                    answers=FULL_ANSWERS,
                    submission_id="the-same-answer",
                    device="a-random-phone-token-0001",
                )
        except SubmitFailed as failure:
            assert str(failure) == SAVE_FAILED
            assert _count(direct, Response) == 0  # nothing half-stored
            return False
        return True

    assert _every_point(link, attempt) >= 10
    assert _count(direct, Response) == 1
    engine.dispose()


def test_survey_send_during_an_outage_keeps_the_answers(link, direct):
    at = app_test("app.py").run()
    click(at, "Start the survey")
    fill_whole_survey(at)

    def attempt() -> bool:
        click(at, "Send my answers")
        assert not at.exception
        if at.title and at.title[0].value == "Thank you":
            return True
        assert [e.value for e in at.error] in ([SAVE_FAILED], [OUTAGE])
        assert at.header[0].value == "What would help"  # still on the last part...
        assert at.checkbox(key="q_feel_safer_choices__lighting_cctv").value  # ...answers kept
        assert _count(direct, Response) == 0
        return False

    assert _every_point(link, attempt) >= 10
    assert _count(direct, Response) == 1


def test_review_desk_outage_keeps_the_quote_being_written(link, direct, definition):
    with Session(make_engine(link.url), expire_on_commit=False) as db:
        worker = staff(db, "wendy", Role.WORKER)
        session = new_session(db, worker, definition)
        answer = {"unsafe_place_text": "drunk men at the bus station"}
        rid = send(db, definition, answer, "r", session_id=session.id, source="paper")
    at = app_test("app.py")
    at.session_state["staff_user_id"] = worker.id
    at.run().switch_page("pages/review_desk.py").run()
    quote_key = f"{rid}-unsafe_place_text-quote"
    typed = "drunk men at the bus"  # trimmed, as a worker may

    def attempt() -> bool:
        at.run()  # the page as the worker sees it, the link up
        if at.text_input(key=quote_key).value != typed:
            at.text_input(key=quote_key).input(typed).run()
        link.cut_before_statement(next_point())
        next(b for b in at.button if b.label == "Approve quote").click().run()
        assert not at.exception
        if any(s.value == "Quote approved." for s in at.success):
            return True
        assert OUTAGE in [e.value for e in at.error]
        assert at.session_state[quote_key] == typed  # what the worker typed is kept
        assert _count(direct, Quote) == 0
        link.restore()
        return False

    points = iter(range(1, 200))

    def next_point() -> int:
        return next(points)

    failures = 0
    while not attempt():
        failures += 1
    assert failures >= 3
    with Session(direct) as db:
        assert db.exec(select(Quote.text)).one() == typed


def test_import_outage_keeps_the_upload_and_stores_nothing(link, direct):
    with Session(make_engine(link.url), expire_on_commit=False) as db:
        analyst = staff(db, "ana", Role.ANALYST)
    at = app_test("app.py")
    at.session_state["staff_user_id"] = analyst.id
    at.run().switch_page("pages/incident_import.py").run()
    at.file_uploader[0].set_value((SAMPLE.name, SAMPLE.read_bytes(), "text/csv")).run()
    points = iter(range(1, 400))

    def attempt() -> bool:
        link.restore()
        at.run()
        link.cut_before_statement(next(points))
        click(at, "Import")
        assert not at.exception
        if any("stored 20 incidents" in s.value for s in at.success):
            return True
        assert OUTAGE in [e.value for e in at.error]
        assert _count(direct, Incident) == 0  # all of it or none of it
        link.restore()
        at.run()
        assert at.file_uploader[0].value  # the upload is still there, ready to try again
        return False

    failures = 0
    while not attempt():
        failures += 1
    link.restore()
    assert failures >= 3
    assert _count(direct, Incident) == 20
