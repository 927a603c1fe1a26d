from __future__ import annotations

from sqlmodel import select

from survey.core.models import SafeguardingAlert
from survey.staff.users import Role
from tests.support import app_test, click, recent_events, send, staff


def test_safeguarding_pages_young_person_sees_calm_help_never_flagged(app_database, db):
    at = app_test("pages/survey.py").run()
    click(at, "Start the survey")
    for _ in range(3):  # about you, how safe, who or what ("where and when" is skipped)
        click(at, "Next")
    at.text_area(key="q_unsafe_place_text").input("my dad hits me and im scared to go home")
    click(at, "Next")
    click(at, "Send my answers")
    assert at.title[0].value == "Thank you for telling us"
    page_text = " ".join(e.value for e in [*at.markdown, *at.subheader]).lower()
    page_text += " ".join(h.proto.body for h in at.get("html")).lower()  # the links
    assert "childline" in page_text and "0800 1111" in page_text and "999" in page_text
    assert "flag" not in page_text and "alert" not in page_text
    assert db.exec(select(SafeguardingAlert)).one().state == "new"


def test_safeguarding_pages_lead_reads_the_answer_and_marks_it_seen(app_database, db, definition):
    lead = staff(db, "lead", Role.SAFEGUARDING_LEAD)
    send(db, definition, {"unsafe_place_text": "i self harm most nights"}, "x")
    at = app_test("pages/safeguarding_alerts.py")
    at.session_state["staff_user_id"] = lead.id
    at.run()
    assert any("open survey" in m.value for m in at.markdown)
    assert not recent_events(db, action="alert.text_viewed")
    at.toggle(key=f"show-{db.exec(select(SafeguardingAlert.id)).one()}").set_value(True).run()
    assert "self harm" in at.get("html")[0].proto.body
    assert recent_events(db, action="alert.text_viewed")[0].actor == "lead"
    at.text_area[0].input("phoned the school's DSL")
    click(at, "Mark seen")
    assert db.exec(select(SafeguardingAlert)).one().state == "seen"
