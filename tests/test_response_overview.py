from __future__ import annotations

from insights.response_overview import NOT_GIVEN, response_overview
from survey.responses import submit_response
from tests.support import at


def _submit(db, definition, sid, when, district=None, source="online"):
    # Without a district, one other answer: an empty response is never stored.
    answers = {"district": district} if district else {"age_band": "14-15"}
    submit_response(
        db=db,
        questionnaire=definition.questionnaire,
        dimensions=definition.dimensions,
        answers=answers,
        submission_id=sid,
        now=at(when),
        source=source,
    )


def test_response_overview_counts_per_day_district_and_version(db, definition):
    _submit(db, definition, "a", "2026-02-01 10:00", "Dover")
    _submit(db, definition, "b", "2026-02-01 19:00", "Dover")
    _submit(db, definition, "c", "2026-02-03 10:00", "Swale", source="demo")
    _submit(db, definition, "d", "2026-02-03 11:00")
    overview = response_overview(db)
    assert overview.total == 4 and overview.demo == 1
    assert overview.by_day["responses"].tolist() == [2, 2]
    assert [d.date().isoformat() for d in overview.by_day["day"]] == ["2026-02-01", "2026-02-03"]
    assert overview.by_district.to_dict("records") == [
        {"district": "Dover", "responses": 2},
        {"district": NOT_GIVEN, "responses": 1},
        {"district": "Swale", "responses": 1},
    ]
    assert overview.by_version.to_dict("records")[0]["version"] == definition.questionnaire.version
    assert overview.by_version["responses"].tolist() == [4]


def test_response_overview_empty_database(db):
    overview = response_overview(db)
    assert overview.total == 0 and overview.by_day.empty and overview.by_district.empty
