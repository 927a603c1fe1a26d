"""Small helpers the tests share."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def at(text: str) -> datetime:
    """A local (Europe/London) time from 'YYYY-MM-DD HH:MM'."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=LONDON)


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


def app_test(page: str):
    """An AppTest for a page (or app.py) given relative to the project root."""
    from streamlit.testing.v1 import AppTest

    from survey.settings import PROJECT_ROOT

    return AppTest.from_file(str(PROJECT_ROOT / page), default_timeout=30)


def click(at, label: str):
    """Click the (form) button with this label, and run the app."""
    button = next((b for b in at.button if b.label == label), None)
    assert button is not None, f"no button {label!r}: {[b.label for b in at.button]}"
    return button.click().run()


PASSWORD = "a long enough passphrase"


def staff(db, username: str, role):
    """A staff member with an account."""
    from survey.users import create_user

    return create_user(db, username=username, password=PASSWORD, role=role)


def new_session(db, worker, definition, **changes):
    """A participation session run by `worker`."""
    from datetime import date

    from survey.participation import open_session

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
):
    """Submit a response the way the survey page does."""
    from survey.responses import submit_response

    return submit_response(
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

    from survey.settings import PROJECT_ROOT

    candidates = [
        os.environ.get("YOUTHVOICE_DEV_FILE"),
        PROJECT_ROOT.parent / "shared" / "data" / "themes_dev.jsonl",
        "/work/shared/data/themes_dev.jsonl",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return Path(str(candidates[1]))
