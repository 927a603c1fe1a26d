"""Who is signed in, and the server-side permission check every staff page starts with."""

from __future__ import annotations

import streamlit as st

from survey.staff.permissions import Permission, StaffMember, may
from survey.staff.users import active_member
from ui.navigation import served_through_app
from ui.resources import db_session

_STAFF_KEY = "staff_user_id"


def current_member() -> StaffMember | None:
    """The signed-in staff member, re-read from the database on every run."""
    user_id = st.session_state.get(_STAFF_KEY)
    if user_id is None:
        return None
    with db_session() as db:
        member = active_member(db, int(user_id))
    if member is None:  # deactivated or deleted since signing in
        forget_sign_in()
    return member


def remember_sign_in(member: StaffMember) -> None:
    st.session_state[_STAFF_KEY] = member.id


def forget_sign_in() -> None:
    """Forget the whole browser session, not only who signed in: staff pages keep what they
    showed in it (a board pack with young people's quotes, the chosen session, a CSV of the
    audit log), and none of it may outlive the sign-in on a shared computer."""
    st.session_state.clear()


def staff_page(permission: Permission) -> StaffMember:
    """Stop the page unless the signed-in staff member `may` open it (survey.staff.permissions).

    Checked on the server on every run, so opening a page by its URL is refused too.
    """
    served_through_app()
    member = current_member()
    if member is None:
        refusal = "Please sign in as staff to open this page."
    elif not may(member, permission):
        refusal = "Your account doesn't have access to this page."
    else:
        return member
    st.error(refusal)
    st.stop()
    raise AssertionError("unreachable: st.stop() ends the run")
