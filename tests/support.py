"""Small helpers the tests share."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def at(text: str) -> datetime:
    """A local (Europe/London) time from 'YYYY-MM-DD HH:MM' (or with ':SS')."""
    pattern = "%Y-%m-%d %H:%M:%S" if text.count(":") == 2 else "%Y-%m-%d %H:%M"
    return datetime.strptime(text, pattern).replace(tzinfo=LONDON)


FULL_ANSWERS = {
    "age_band": "14-15",
    "gender": "girl_woman",
    "district": "Thanet",
    "safe_day": "4",
    "safe_night": "2",
    "feels_unsafe_somewhere": "yes",
    "unsafe_places": ["place.transport_hub", "place.park"],
    "place_name": "Margate station",
    "unsafe_times": ["evening", "late"],
    "unsafe_days": "weekends",
    "unsafe_because": ["groups_of_men", "comments_or_shouting"],
    "unsafe_place_text": "waiting at the bus stop at night, men shout stuff at you",
    "feel_safer_choices": ["lighting_cctv", "transport"],
    "feel_safer_text": "buses that run later",
}


def _phone():
    from survey.participation.sessions import Client

    return Client(device="a-random-phone-token-0001", address="192.0.2.1")


PHONE = _phone()


def app_test(page: str):
    """An AppTest for a page (or app.py) given relative to the project root."""
    from streamlit.testing.v1 import AppTest

    from survey.core.settings import PROJECT_ROOT

    return AppTest.from_file(str(PROJECT_ROOT / page), default_timeout=30)


def click(at, label: str):
    """Click the (form) button with this label, and run the app."""
    button = next((b for b in at.button if b.label == label), None)
    assert button is not None, f"no button {label!r}: {[b.label for b in at.button]}"
    return button.click().run()


PASSWORD = "a long enough passphrase"


def staff(db, username: str, role):
    """A staff member with an account."""
    from survey.staff.users import create_user

    return create_user(db, username=username, password=PASSWORD, role=role)


def new_session(db, worker, definition, **changes):
    """A participation session run by `worker`."""
    from datetime import date

    from survey.participation.sessions import open_session

    fields = {
        "name": "Year 9, Hartsdown Academy",
        "venue_type": "school",
        "district": "Thanet",
        "held_on": date(2026, 3, 2),
        "age_group": "14-15",
    }
    return open_session(
        db, worker=worker, districts=definition.dimensions.district_names, **{**fields, **changes}
    )


def send(
    db,
    definition,
    answers,
    sid,
    *,
    tagger=None,
    session_id=None,
    source="online",
    when="2026-03-02 11:00",
    device=None,
    limits=None,
):
    """Submit a response the way the survey page does."""
    from survey.responses import submit_response

    return submit_response(
        device=device,
        limits=limits,
        db=db,
        questionnaire=definition.questionnaire,
        dimensions=definition.dimensions,
        answers=answers,
        submission_id=sid,
        now=at(when),
        tagger=tagger,
        session_id=session_id,
        source=source,
    ).response_id


def dev_file():
    """The labelled development set (evaluation only): YOUTHVOICE_DEV_FILE, else beside the
    project in ../shared, else where this workplace keeps it."""
    import os
    from pathlib import Path

    from survey.core.settings import PROJECT_ROOT

    candidates = [
        os.environ.get("YOUTHVOICE_DEV_FILE"),
        PROJECT_ROOT.parent / "shared" / "data" / "themes_dev.jsonl",
        "/work/shared/data/themes_dev.jsonl",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return Path(str(candidates[1]))


def board_counts_and_recount(db, dimension: str):
    """Responses per value of a dimension as the board shows them, and as counted afresh
    from the stored responses."""
    from collections import Counter

    from sqlalchemy import func
    from sqlmodel import select

    from insights.board.context import load_board_context
    from insights.board.data import load_board_data
    from survey.core.models import Response
    from survey.core.settings import Settings

    board = load_board_data(db, load_board_context(Settings()))
    shown: Counter = Counter()
    for value, total in zip(board.responses[dimension], board.totals, strict=True):
        shown[value] += int(total)
    column = getattr(Response, dimension)
    recount = dict(db.exec(select(column, func.count()).group_by(column)).all())
    return dict(shown), recount


def fill_whole_survey(at, long_text: str | None = None) -> None:
    """Answer every part of the survey on an AppTest standing on its first part."""
    at.radio(key="q_age_band").set_value("16-17")
    at.radio(key="q_gender").set_value("boy_man")
    at.radio(key="q_district").set_value("Medway")
    click(at, "Next")
    at.radio(key="q_safe_day").set_value("4")
    at.radio(key="q_safe_night").set_value("2")
    at.radio(key="q_feels_unsafe_somewhere").set_value("yes")
    click(at, "Next")
    at.checkbox(key="q_unsafe_places__place.transport_hub").check()
    at.checkbox(key="q_unsafe_places__place.park").check()
    at.text_area(key="q_place_name").input("Chatham station")
    at.checkbox(key="q_unsafe_times__late").check()
    at.radio(key="q_unsafe_days").set_value("weekends")
    click(at, "Next")
    at.checkbox(key="q_unsafe_because__groups_of_men").check()
    click(at, "Next")
    at.text_area(key="q_unsafe_place_text").input(
        long_text or "the station at night, <b>men</b> shout at you 😬"
    )
    click(at, "Next")
    at.checkbox(key="q_feel_safer_choices__lighting_cctv").check()


# Reading back what the product stored: for tests only (the product never needs these).


def recent_events(db, *, action: str | None = None, limit: int = 100):
    """The newest audit events, newest first, optionally of one action."""
    from sqlmodel import col, select

    from survey.core.models import AuditEvent

    query = select(AuditEvent).order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.exec(query.limit(limit)).all())


def stored_answers(db, questionnaire, response_id: int) -> dict:
    """A stored response's answers, multi-choice answers as lists in their order."""
    from sqlmodel import col, select

    from survey.core.models import Answer
    from survey.questionnaire import QuestionType

    rows = db.exec(
        select(Answer).where(Answer.response_id == response_id).order_by(col(Answer.id))
    ).all()
    grouped: dict[str, list[str]] = {}
    for row in rows:
        grouped.setdefault(row.question_id, []).append(row.value)
    multi = {q.id for q in questionnaire.questions if q.type == QuestionType.MULTI_CHOICE}
    return {qid: vals if qid in multi else vals[0] for qid, vals in grouped.items()}


def themes_of_response(db, response_id: int) -> list:
    """Every theme row stored for a response, in the order written."""
    from sqlmodel import col, select

    from survey.core.models import ResponseTheme

    query = (
        select(ResponseTheme)
        .where(ResponseTheme.response_id == response_id)
        .order_by(col(ResponseTheme.id))
    )
    return list(db.exec(query).all())


def schema_is_current(engine) -> bool:
    """Whether the database is migrated to the newest revision."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from survey.core.database import alembic_config

    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == heads


def table_names(engine) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(engine).get_table_names())


def guess_chance(open_sessions: int, guesses: int) -> float:
    """The chance that `guesses` random join codes hit any of `open_sessions` open codes."""
    from survey.participation.sessions import CODE_ALPHABET, CODE_LENGTH

    space = len(CODE_ALPHABET) ** CODE_LENGTH
    return 1 - (1 - open_sessions / space) ** guesses


def build_rules_pipeline(codebook_path):
    """A rules-only pipeline, initialised: tags every codebook theme with no model."""
    from nlp.pipeline import build_pipeline

    nlp = build_pipeline(codebook_path, with_model=False)
    nlp.initialize()
    return nlp


def permissions_of(role) -> frozenset:
    """Every permission a role holds, read from the one permission table."""
    from survey.staff.permissions import PERMISSIONS

    return frozenset(p for p, roles in PERMISSIONS.items() if role in roles)
