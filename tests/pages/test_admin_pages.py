"""The admin pages: the audit log (filters, CSV, audited reading) and staff accounts (lifting
sign-in limits); other roles are refused (see also test_role_gate.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from survey.core.audit import record_event
from survey.core.limits import limits_from_settings
from survey.core.models import RateLimit
from survey.core.settings import get_settings
from survey.staff.users import Role, SignInRefused, create_user, sign_in
from tests.support import PASSWORD, app_test, at, click, recent_events, staff

HERE = "192.0.2.9"


def _as(member, page: str):
    test = app_test(page)
    test.session_state["staff_user_id"] = member.id
    return test.run()


def _log(db) -> None:
    for when, actor, action in [
        ("2026-03-01 10:00", "wendy", "session.opened"),
        ("2026-03-02 10:00", "**sam** <b>x</b>", "sign_in.failed"),  # as typed at sign-in
        ("2026-03-03 10:00", "wendy", "session.closed"),
    ]:
        record_event(db, action=action, actor=actor, at=at(when), detail={"n": 1})
    db.commit()


def test_admin_pages_audit_log_lists_events_and_filters_work(app_database, db):
    _log(db)
    page = _as(staff(db, "ada", Role.ADMIN), "pages/audit_log.py")
    assert not page.exception and not page.error
    assert page.title[0].value == "Audit log"
    table = page.dataframe[0].value
    assert list(table.columns) == ["At", "Actor", "Action", "Target", "Detail"]
    assert {"session.opened", "sign_in.failed", "session.closed"} <= set(table["Action"])
    assert "**sam** <b>x</b>" in list(table["Actor"])  # text as typed, never Markdown
    assert "sign_in.failed" in page.selectbox(key="audit_action").options

    page.selectbox(key="audit_action").set_value("session.closed").run()
    assert list(page.dataframe[0].value["Action"]) == ["session.closed"]
    page.selectbox(key="audit_action").set_value(None).run()
    page.text_input(key="audit_actor").input("WEN").run()
    assert list(page.dataframe[0].value["Action"]) == ["session.closed", "session.opened"]
    page.date_input(key="audit_since").set_value(date(2026, 3, 2)).run()
    assert list(page.dataframe[0].value["Action"]) == ["session.closed"]
    page.run().run()  # reruns with the same filters: no more views recorded

    views = [e.detail for e in recent_events(db, action="audit.viewed")]
    assert len(views) == 5  # all, closed, all again, "WEN", "WEN" from 2 March
    assert views[0] == {
        "action": None, "actor": "WEN", "since": "2026-03-02", "until": None, "limit": 500,
    }  # fmt: skip
    assert {e.actor for e in recent_events(db, action="audit.viewed")} == {"ada"}

    page.date_input(key="audit_until").set_value(date(2026, 3, 1)).run()
    assert "after" in page.error[0].value and not page.dataframe


def test_admin_pages_audit_log_csv_is_audited_and_follows_the_filters(app_database, db):
    _log(db)
    page = _as(staff(db, "ada", Role.ADMIN), "pages/audit_log.py")
    page.selectbox(key="audit_action").set_value("sign_in.failed").run()
    assert not page.get("download_button")  # nothing prepared, nothing exported
    assert not recent_events(db, action="audit.exported")
    click(page, "Prepare a CSV of these events")
    assert len(page.get("download_button")) == 1
    exported = recent_events(db, action="audit.exported")
    assert [e.detail["rows"] for e in exported] == [1] and exported[0].actor == "ada"
    assert exported[0].detail["action"] == "sign_in.failed"
    page.selectbox(key="audit_action").set_value(None).run()
    assert not page.get("download_button")  # a CSV of other filters is not offered


@pytest.mark.parametrize("role", [Role.WORKER, Role.BOARD, Role.ANALYST])
def test_admin_pages_are_refused_to_other_staff(app_database, db, role):
    _log(db)
    member = staff(db, "someone", role)
    for page_file in ("pages/audit_log.py", "pages/staff_accounts.py"):
        page = _as(member, page_file)
        assert [e.value for e in page.error] == ["Your account doesn't have access to this page."]
        assert not page.dataframe and not page.title
    assert not recent_events(db, action="audit.viewed")


def test_admin_pages_staff_accounts_lists_accounts_and_lifts_sign_in_limits(app_database, db):
    admin = staff(db, "ada", Role.ADMIN)
    create_user(
        db, username="sam", password=PASSWORD, role=Role.WORKER, display_name="**Sam** <i>S</i>"
    )
    start = datetime(2026, 5, 1, 10, 0, 5, tzinfo=UTC)  # well inside one minute's window
    for _ in range(limits_from_settings(get_settings()).sign_in_tries[0].most):
        with pytest.raises(SignInRefused, match="don't match"):
            sign_in(db, username="sam", password="wrong password!", address=HERE, now=start)
    with pytest.raises(SignInRefused, match="Too many"):
        sign_in(db, username="sam", password=PASSWORD, address=HERE, now=start)

    page = _as(admin, "pages/staff_accounts.py")
    assert not page.exception and page.title[0].value == "Staff accounts"
    table = page.dataframe[0].value
    assert list(table.columns) == [
        "Username",
        "Display name",
        "Role",
        "Email",
        "Active",
        "Signed in",
    ]
    sam = table.set_index("Username").loc["sam"]
    assert sam["Display name"] == "**Sam** <i>S</i>"  # plain text, as typed
    assert sam["Role"] == "Participation worker" and bool(sam["Active"])
    assert "password_hash" not in table.columns

    page.selectbox[0].set_value("sam")
    click(page, "Lift sign-in limits")
    assert "can sign in now" in page.success[0].value
    assert recent_events(db, action="user.unlocked")[0].target == "sam"
    assert not db.exec(select(RateLimit).where(RateLimit.subject == "sam")).all()
    assert sign_in(db, username="sam", password=PASSWORD, address=HERE, now=start)

    page.selectbox[0].set_value("ada")
    click(page, "Lift sign-in limits")
    assert "no sign-in limits" in page.info[0].value


def test_admin_pages_are_in_the_admin_navigation(app_database, db):
    app = app_test("app.py")
    app.session_state["staff_user_id"] = staff(db, "ada", Role.ADMIN).id
    app.run()
    for page_file, title in [
        ("pages/audit_log.py", "Audit log"),
        ("pages/staff_accounts.py", "Staff accounts"),
    ]:
        app.switch_page(page_file).run()
        assert not app.exception and [t.value for t in app.title] == [title]
