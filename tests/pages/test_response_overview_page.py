from __future__ import annotations

from survey.responses import submit_response
from survey.staff.users import Role, create_user
from tests.support import app_test
from tests.support import at as local_time


def test_response_overview_page_shows_counts_and_chart(app_database, db, definition):
    for i, district in enumerate(["Dover", "Dover", "Swale"]):
        submit_response(
            db=db,
            questionnaire=definition.questionnaire,
            dimensions=definition.dimensions,
            answers={"district": district},
            submission_id=f"s{i}",
            now=local_time("2026-04-02 12:00"),
            source="demo" if i == 2 else "online",
        )
    admin = create_user(db, username="boss", password="a long enough passphrase", role=Role.ADMIN)
    at = app_test("pages/response_overview.py")
    at.session_state["staff_user_id"] = admin.id
    at.run()
    assert not at.exception
    assert at.metric[0].value == "3"
    assert "synthetic demo data" in at.warning[0].value
    assert len(at.get("vega_lite_chart")) == 2
    table = at.dataframe[0].value
    assert table.set_index("district")["responses"].to_dict() == {"Dover": 2, "Swale": 1}


def test_response_overview_page_empty_database_says_so(app_database, db):
    analyst = create_user(
        db, username="ana", password="a long enough passphrase", role=Role.ANALYST
    )
    at = app_test("pages/response_overview.py")
    at.session_state["staff_user_id"] = analyst.id
    at.run()
    assert "No responses yet" in at.info[0].value
