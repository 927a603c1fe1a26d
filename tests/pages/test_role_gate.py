"""Staff pages check the permission on the server, also when opened directly by their
file/URL; every page declares the permission that opens it; the navigation offers each
member exactly the pages their permissions open. Who may open what is read from the
permission table (survey/staff/permissions.py), never written down again here."""

from __future__ import annotations

import ast

import pytest
from argon2 import PasswordHasher

from survey.core.settings import PROJECT_ROOT
from survey.staff import users
from survey.staff.permissions import Permission, Role, StaffMember, may
from survey.staff.users import create_user
from tests.support import app_test, click, permissions_of
from ui.navigation import PUBLIC_PAGES, SIGN_IN, STAFF_GROUPS, staff_entries

# Each staff page and the permission that opens it, as the navigation lists them.
STAFF_PAGES = {
    f"pages/{entry.name}.py": entry.opens_with
    for entries in STAFF_GROUPS.values()
    for entry in entries
}
PUBLIC = {f"pages/{entry.name}.py" for entry in (*PUBLIC_PAGES, SIGN_IN)}
PASSWORD = "a long enough passphrase"
SIGN_IN_FIRST = "Please sign in as staff to open this page."
NO_ACCESS = "Your account doesn't have access to this page."


@pytest.fixture
def members(db, monkeypatch) -> dict[Role, int]:
    """The id of one staff member of each role (their passwords hashed cheaply: no one
    signs in with them, and argon2's real cost would be most of the time here)."""
    monkeypatch.setattr(users, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64))
    return {
        role: create_user(db, username=f"{role.value}-user", password=PASSWORD, role=role).id
        for role in Role
    }


def _as(at, member_id: int | None):
    """Run the page again, signed in as someone else (None: nobody)."""
    if member_id is not None:
        at.session_state["staff_user_id"] = member_id
    elif "staff_user_id" in at.session_state:
        del at.session_state["staff_user_id"]
    return at.run()


@pytest.mark.parametrize("page", sorted(STAFF_PAGES))
def test_role_gate_each_role_opens_only_its_pages(app_database, members, page):
    """A young person (nobody signed in) and each role open the page by its file: one
    AppTest per page, run once per person, rather than one AppTest per page and role."""
    at = app_test(page)
    _as(at, None)
    assert [e.value for e in at.error] == [SIGN_IN_FIRST]
    assert not at.title  # nothing of the page itself was rendered
    seen, expected = {}, {}
    for role, member_id in members.items():
        _as(at, member_id)
        seen[role] = ([e.value for e in at.error], bool(at.title))
        opens = STAFF_PAGES[page] in permissions_of(role)
        expected[role] = ([], True) if opens else ([NO_ACCESS], False)
    assert seen == expected


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


def _declared_gate(page: str) -> Permission | None:
    """The permission a page file's gate names (None: no gate), after checking that the gate
    is the first thing the page does: nothing is called before it."""
    tree = ast.parse((PROJECT_ROOT / page).read_text(encoding="utf-8"))
    gates = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "staff_page"
    ]
    if not gates:
        return None
    assert len(gates) == 1, f"{page} calls staff_page more than once"
    first_call = next(
        statement
        for statement in tree.body
        if any(isinstance(node, ast.Call) for node in ast.walk(statement))
    )
    assert gates[0] in ast.walk(first_call), f"{page} does something before its gate"
    [argument] = gates[0].args
    assert isinstance(argument, ast.Attribute) and isinstance(argument.value, ast.Name)
    assert argument.value.id == "Permission", f"{page}: staff_page(Permission.X), not roles"
    return Permission[argument.attr]


PAGE_FILES = sorted(f"pages/{path.name}" for path in (PROJECT_ROOT / "pages").glob("*.py"))


def test_role_gate_every_page_is_in_the_navigation_once():
    listed = [f"pages/{e.name}.py" for e in (*PUBLIC_PAGES, SIGN_IN)] + list(STAFF_PAGES)
    assert sorted(listed) == PAGE_FILES
    assert all(permission is not None for permission in STAFF_PAGES.values())


@pytest.mark.parametrize("page", PAGE_FILES)
def test_role_gate_every_page_declares_the_permission_that_opens_it_or_is_public(page):
    if page in PUBLIC:
        assert _declared_gate(page) is None
    else:
        assert _declared_gate(page) == STAFF_PAGES[page]


@pytest.mark.parametrize("role", list(Role))
def test_role_gate_navigation_shows_a_member_exactly_the_pages_their_permissions_open(
    app_database, db, role
):
    opens = {page for page in STAFF_PAGES if may(StaffMember(0, "x", "x", role), _gate(page))}
    member = create_user(db, username=f"{role.value}-user", password=PASSWORD, role=role)
    listed = {f"pages/{e.name}.py" for es in staff_entries(member).values() for e in es}
    assert listed == opens
    at = app_test("app.py")
    at.session_state["staff_user_id"] = member.id
    at.run()
    for page in STAFF_PAGES:  # the menu the app really builds
        if page in opens:
            at.switch_page(page)
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)


def _gate(page: str) -> Permission:
    gate = _declared_gate(page)
    assert gate is not None
    return gate
