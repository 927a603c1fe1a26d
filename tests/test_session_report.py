from __future__ import annotations

import csv
import io

from insights.session_report import live_theme_counts, report_csv, report_html, session_report
from survey.participation.quotes import approve_quote
from survey.staff.users import Role
from tests.self_contained import loads_from_anywhere
from tests.support import new_session, send, staff

LABELS = {"place.transport_hub": "Transport hubs", "time.night": "At night"}


def _session_with_answers(db, definition, tagger, n_station: int, n_park: int):
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    texts = ["scary at the bus station"] * n_station + ["the park at night <b>hi</b>"] * n_park
    ids = [
        send(
            db,
            definition,
            {"unsafe_place_text": t, "unsafe_because": ["fights"]},
            f"r{i}",
            tagger=tagger,
            session_id=session.id,
        )
        for i, t in enumerate(texts)
    ]
    return worker, session, ids


def test_session_report_live_counts_hide_themes_below_the_threshold(db, definition, tagger):
    _, session, _ = _session_with_answers(db, definition, tagger, n_station=6, n_park=2)
    answers, themes = live_theme_counts(db, session.id, LABELS, threshold=5)
    assert answers == 8
    assert themes.to_dict("records") == [  # ticked "Fights" counts as a theme too
        {"theme": "behaviour.physical_violence", "responses": 8},
        {"theme": "Transport hubs", "responses": 6},
    ]


def test_session_report_suppresses_small_numbers_and_shows_only_approved_quotes(
    db, definition, tagger
):
    worker, session, ids = _session_with_answers(db, definition, tagger, n_station=6, n_park=2)
    approve_quote(db, worker, response_id=ids[-1], question_id="unsafe_place_text")
    report = session_report(db, worker, session, definition.questionnaire, LABELS, threshold=5)
    assert report.answers == 8
    themes = report.sections["Top themes"].set_index("item")["responses"]
    assert themes["Transport hubs"] == "6" and themes["At night"] == "<5"
    assert report.sections["Who or what"].set_index("item")["responses"]["Fights"] == "8"
    assert report.quotes == ["the park at night <b>hi</b>"]

    rows = list(csv.reader(io.StringIO(report_csv(report).decode("utf-8-sig"))))
    assert rows[0] == ["section", "item", "responses"]
    assert ["Top themes", "At night", "<5"] in rows
    assert not any(r[2] in {"1", "2"} for r in rows[1:])
    assert ["Approved quotes", "the park at night <b>hi</b>", ""] in rows
    assert "scary at the bus station" not in report_csv(report).decode("utf-8-sig")

    page = report_html(report)
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert loads_from_anywhere(page) == []  # one file: it fetches nothing when opened
    assert "&lt;b&gt;hi&lt;/b&gt;" in page and "<b>hi</b>" not in page
    assert "<td>At night</td><td>&lt;5</td>" in page
