"""Signing out forgets the whole browser session: a board pack with young people's quotes,
the chosen session, a CSV of the audit log; nothing of it outlives the sign-in."""

from __future__ import annotations

from sqlmodel import select

from survey.core.models import User
from survey.staff.users import Role
from tests.board_fixtures import add_incidents, add_responses
from tests.support import app_test, click, recent_events, staff

STAFF_STATE = {"staff_user_id", "board_pack", "worker_session_id", "audit_csv", "board_districts"}


def test_sign_out_clears_the_whole_staff_session(app_database, db, definition):
    add_responses(db, definition, "Dover", ["groups_of_men"], 8)
    add_incidents(db, "Dover", 30)
    board = staff(db, "bea", Role.BOARD)
    app = app_test("app.py")
    app.session_state["staff_user_id"] = board.id
    app.session_state["worker_session_id"] = 7  # as a worker page would have left it
    app.session_state["some_later_page_state"] = "kept by a page written next year"
    app.run()
    app.switch_page("pages/board_overview.py").run()
    click(app, "Prepare the board pack")
    assert "board_pack" in app.session_state  # the pack, quotes and all, is in the session

    app.switch_page("pages/sign_in.py").run()
    click(app, "Sign out")

    assert not app.exception
    left = set(app.session_state.keys())
    assert not left & (STAFF_STATE | {"some_later_page_state"}), left
    assert [t.value for t in app.title] == ["Staff sign in"]  # back at the sign-in form
    assert recent_events(db, action="sign_out")[0].actor == "bea"


def test_sign_out_a_deactivated_member_loses_the_session_too(app_database, db):
    board = staff(db, "bea", Role.BOARD)
    page = app_test("pages/sign_in.py")
    page.session_state["staff_user_id"] = board.id
    page.session_state["board_pack"] = ("filters", "a pack with quotes")
    page.run()
    assert [t.value for t in page.title] == ["Signed in"]
    user = db.exec(select(User).where(User.username == "bea")).one()
    user.active = False  # an admin deactivates the account while it is signed in
    db.add(user)
    db.commit()
    page.run()
    assert [t.value for t in page.title] == ["Staff sign in"]
    assert not set(page.session_state.keys()) & STAFF_STATE
