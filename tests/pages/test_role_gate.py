"""Staff pages check the role on the server, also when opened directly by their file/URL."""

from __future__ import annotations

import pytest

from survey.staff.users import Role, create_user
from tests.support import app_test, click

STAFF_PAGES = {
    "pages/sessions.py": {Role.WORKER},
    "pages/review_desk.py": {Role.WORKER},
    "pages/live_session.py": {Role.WORKER},
    "pages/paper_forms.py": {Role.WORKER},
    "pages/safeguarding_alerts.py": {Role.WORKER, Role.SAFEGUARDING_LEAD},
    "pages/response_overview.py": {Role.ANALYST},
    "pages/theme_explorer.py": {Role.ANALYST},
    "pages/incident_import.py": {Role.ANALYST},
    "pages/board_overview.py": {Role.BOARD},
    "pages/board_themes.py": {Role.BOARD},
    "pages/board_district.py": {Role.BOARD},
    "pages/actions.py": {Role.BOARD},
    "pages/response_admin.py": set(),
    "pages/audit_log.py": set(),
    "pages/staff_accounts.py": set(),
}
PASSWORD = "a long enough passphrase"


def _signed_in_as(db, role: Role | None, page: str):
    at = app_test(page)
    if role is not None:
        member = create_user(db, username=f"{role.value}-user", password=PASSWORD, role=role)
        at.session_state["staff_user_id"] = member.id
    return at.run()


@pytest.mark.parametrize("page", sorted(STAFF_PAGES))
def test_role_gate_young_person_cannot_open_staff_page(app_database, db, page):
    at = _signed_in_as(db, None, page)
    assert [e.value for e in at.error] == ["Please sign in as staff to open this page."]
    assert not at.title  # nothing of the page itself was rendered


CASES = [(page, role) for page in sorted(STAFF_PAGES) for role in Role]


@pytest.mark.parametrize(("page", "role"), CASES)
def test_role_gate_each_role_opens_only_its_pages(app_database, db, page, role):
    at = _signed_in_as(db, role, page)
    allowed = role == Role.ADMIN or role in STAFF_PAGES[page]
    if allowed:
        assert not at.error and at.title
    else:
        assert [e.value for e in at.error] == ["Your account doesn't have access to this page."]
        assert not at.title


def test_role_gate_navigation_offers_young_people_no_staff_pages(app_database):
    at = app_test("app.py").run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/response_overview.py")


def test_role_gate_navigation_offers_an_analyst_the_data_pages(app_database, db):
    member = create_user(db, username="ana", password=PASSWORD, role=Role.ANALYST)
    at = app_test("app.py")
    at.session_state["staff_user_id"] = member.id
    at.run()
    at.switch_page("pages/response_overview.py").run()
    assert at.title[0].value == "Response overview"
    at.switch_page("pages/board_overview.py").run()  # as if its URL were typed in
    assert [e.value for e in at.error] == ["Your account doesn't have access to this page."]
    assert not at.title


def test_role_gate_sign_in_then_staff_page_opens_and_sign_out_closes(app_database, db):
    create_user(db, username="ana", password=PASSWORD, role=Role.ANALYST)
    at = app_test("pages/sign_in.py").run()
    at.text_input[0].input("ana")
    at.text_input[1].input(PASSWORD)
    click(at, "Sign in")
    assert at.session_state["staff_user_id"]
    assert "signed in as" in at.markdown[0].value
    click(at, "Sign out")
    assert "staff_user_id" not in at.session_state
    overview = app_test("pages/response_overview.py").run()
    assert overview.error


def test_role_gate_wrong_password_is_refused_on_the_page(app_database, db):
    create_user(db, username="ana", password=PASSWORD, role=Role.ANALYST)
    at = app_test("pages/sign_in.py").run()
    at.text_input[0].input("ana")
    at.text_input[1].input("not the password")
    click(at, "Sign in")
    assert "don't match" in at.error[0].value
    assert "staff_user_id" not in at.session_state
