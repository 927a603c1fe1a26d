"""Many answers, joins and sign-ins at the same moment: the board stays right and every
limit holds. Each test runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL, where
writers really do run side by side (SQLite takes one writer at a time)."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from itertools import product
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from insights.board.context import load_board_context
from insights.board.data import load_board_data
from survey.core.database import make_engine
from survey.core.limits import Limit, LimitReached, limits_from_settings
from survey.core.models import AuditEvent, ParticipationSession, Response
from survey.core.settings import Settings
from survey.participation.sessions import Client, join_session
from survey.responses import submit_response
from survey.staff.users import Role, SignInRefused, sign_in
from survey.themes import present_themes
from tests.support import PASSWORD, at, board_counts_and_recount, new_session, staff

LIMITS = limits_from_settings(Settings())
ONE = {"district": "Swale"}  # one answer: an empty response is never stored
WRITERS = 16


def in_parallel(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together; each returns a value or an exception."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        start.wait()
        try:
            return call()
        except Exception as exc:  # the outcome is what the test looks at
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _answer(definition, engine, answers: dict, sid: str, **kwargs: Any) -> Callable[[], Any]:
    def call() -> Any:
        with Session(engine, expire_on_commit=False) as db:
            return submit_response(
                db=db,
                questionnaire=definition.questionnaire,
                dimensions=definition.dimensions,
                answers=answers,
                submission_id=sid,
                now=at("2026-03-02 11:00"),
                **kwargs,
            )

    return call


# -- the board under concurrent first answers (processes, as on a real server) ----------


def _first_answers(url: str, definition, jobs: list[tuple[str, dict]], start, results) -> None:
    engine = make_engine(url)
    start.wait()
    stored = 0
    for sid, answers in jobs:
        with Session(engine, expire_on_commit=False) as db:
            submit_response(
                db=db,
                questionnaire=definition.questionnaire,
                dimensions=definition.dimensions,
                answers=answers,
                submission_id=sid,
                now=at("2026-03-02 11:00"),
            )
            stored += 1
    results.put(stored)
    engine.dispose()


def test_first_answers_from_parallel_processes_keep_every_board_count_right(
    database_url, engine, definition
):
    """The first answers of a new deployment arrive together: every district, age band and
    ticked theme is new, so each writer assigns board codes at the same moment."""
    districts = definition.dimensions.district_names
    ages = [a.id for a in definition.dimensions.age_bands]
    places = [c.value for q in definition.questionnaire.questions if q.id == "unsafe_places"
              for c in q.choices]  # fmt: skip
    combos = list(product(districts, ages))
    jobs: list[list[tuple[str, dict]]] = [[] for _ in range(WRITERS)]
    for i, (district, age) in enumerate(combos):
        answers = {"district": district, "age_band": age, "feels_unsafe_somewhere": "yes",
                   "unsafe_places": [places[i % len(places)]]}  # fmt: skip
        jobs[i % WRITERS].append((f"first-{i}", answers))
    fork = multiprocessing.get_context("fork")
    start, results = fork.Barrier(WRITERS), fork.Queue()
    writers = [
        fork.Process(target=_first_answers, args=(database_url, definition, job, start, results))
        for job in jobs
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert [w.exitcode for w in writers] == [0] * WRITERS, "a young person got an error"
    assert sum(results.get(timeout=5) for _ in writers) == len(combos)

    with Session(engine) as db:
        for dimension in ("district", "age_band"):
            shown, recount = board_counts_and_recount(db, dimension)
            assert shown == recount, f"the board shows wrong {dimension} counts"
        board = load_board_data(db, load_board_context(Settings()))
        ids = list(db.exec(select(Response.id)).all())
        recount = Counter(theme for _, theme in present_themes(db, ids))
        shown = {t: int(board.themes[:, j].sum()) for j, t in enumerate(board.theme_ids)}
        assert {t: n for t, n in shown.items() if n} == dict(recount)


# -- limits under parallel requests (threads: each its own connection) ------------------


def test_a_session_takes_no_more_than_its_limit_from_parallel_answers(db, engine, definition):
    session = new_session(db, staff(db, "wendy", Role.WORKER), definition)
    limits = replace(LIMITS, session_answers=Limit("session answers", 5, 60))
    calls = [
        _answer(definition, engine, ONE, f"s{i}", session_id=session.id, limits=limits)
        for i in range(20)
    ]
    outcomes = in_parallel(calls)
    refused = [o for o in outcomes if isinstance(o, LimitReached)]
    assert len(refused) == 15, outcomes
    stored = db.exec(select(func.count()).select_from(Response)).one()
    assert stored == 5


def test_one_phone_cannot_pass_its_limit_with_parallel_answers(db, engine, definition):
    calls = [_answer(definition, engine, ONE, f"p{i}", device="one-phone-token-000001",
                     limits=LIMITS) for i in range(10)]  # fmt: skip
    outcomes = in_parallel(calls)
    assert sum(isinstance(o, LimitReached) for o in outcomes) == 10 - LIMITS.device_answers.most
    assert db.exec(select(func.count()).select_from(Response)).one() == 3
    assert "This phone has already sent 3 answers" in str(
        next(o for o in outcomes if isinstance(o, LimitReached))
    )


def test_everyone_together_cannot_pass_the_ceiling(db, engine, definition):
    limits = replace(LIMITS, everyone_answers=Limit("all answers", 4, 60))
    calls = [
        _answer(definition, engine, ONE, f"e{i}", device=f"phone-token-number-{i:04d}",
                limits=limits) for i in range(12)
    ]  # fmt: skip
    outcomes = in_parallel(calls)
    assert sum(isinstance(o, LimitReached) for o in outcomes) == 8
    assert db.exec(select(func.count()).select_from(Response)).one() == 4


def test_parallel_password_guesses_are_checked_no_more_than_the_limit(db, engine):
    staff(db, "sam", Role.WORKER)
    now = datetime(2026, 5, 1, 10, 0, 5, tzinfo=UTC)

    def guess() -> Any:
        with Session(engine) as own:
            return sign_in(own, username="sam", password="guess number x", address="192.0.2.9",
                           limits=LIMITS, now=now)  # fmt: skip

    outcomes = in_parallel([guess] * 20)
    assert all(isinstance(o, SignInRefused) for o in outcomes)
    checked = db.exec(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "sign_in.failed")
    ).one()
    assert checked == LIMITS.sign_in_tries[0].most
    with pytest.raises(SignInRefused, match="Please wait"):  # the owner, from the same place
        sign_in(db, username="sam", password=PASSWORD, address="192.0.2.9", now=now)
    assert sign_in(db, username="sam", password=PASSWORD, address="198.51.100.1", now=now)


def test_parallel_wrong_codes_from_one_phone_stop_at_its_limit(db, engine, definition):
    session = new_session(db, staff(db, "wendy", Role.WORKER), definition)
    guesser = Client(device="guessing-phone-token-0001", address="192.0.2.66")
    now = datetime.now(UTC)

    def guess() -> Any:
        with Session(engine) as own:
            return join_session(own, "AAAAAA", client=guesser, limits=LIMITS, now=now).message

    messages = in_parallel([guess] * 20)
    assert sum("couldn't find" in m for m in messages) == LIMITS.wrong_codes_device.most
    assert sum("Too many codes" in m for m in messages) == 20 - LIMITS.wrong_codes_device.most
    other = Client(device="another-phone-token-0002", address="192.0.2.66")
    assert join_session(db, session.code, client=other, limits=LIMITS, now=now).session


def test_parallel_presses_of_create_session_make_one_session(db, engine, definition):
    worker = staff(db, "wendy", Role.WORKER)

    def press() -> Any:
        with Session(engine, expire_on_commit=False) as own:
            return new_session(own, worker, definition).id

    made = in_parallel([press] * 6)
    assert not [m for m in made if isinstance(m, Exception)], made
    assert len(set(made)) == 1
    assert db.exec(select(func.count()).select_from(ParticipationSession)).one() == 1
