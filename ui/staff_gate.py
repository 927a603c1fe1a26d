"""Who is signed in, and the server-side permission check every staff page starts with.

A sign-in lasts across reloads, tabs and bookmarks: it is a server-side session carried by a
signed HttpOnly cookie (survey/staff/sessions.py), which the server's own routes set and
clear (ui/staff_routes.py) when a script on the page asks them to (`send_sign_in_to_browser`,
run by app.py). On every run `current_member` finds this browser session's sign-in (the
keys its own sign-in left in st.session_state, else the cookie the browser sent with the
websocket's handshake), checks the session's row and re-reads the member: a sign-out
elsewhere, an idle timeout, a password reset or a deactivation bites at the next run.

`st.session_state["staff_user_id"]` holds the member's id. Set alone, without a session
(the AppTest page tests do), it signs that member in for this browser session only.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import streamlit as st

from survey.core.server_secret import server_secret
from survey.staff.permissions import Permission, StaffMember, may
from survey.staff.sessions import (
    COOKIE_NAME,
    SessionKeys,
    SessionRules,
    begin_session,
    session_keys,
    session_member,
    token_from_cookie,
)
from survey.staff.single_sign_on import (
    SingleSignOnRefused,
    SsoRoles,
    cached_sso_roles,
    identity_from_claims,
    sso_sign_in,
)
from survey.staff.users import active_member
from ui.navigation import served_through_app
from ui.resources import data_files_put_right, db_session, settings
from ui.staff_routes import SESSION_PATH, SIGN_OUT_PATH

_STAFF_KEY = "staff_user_id"
_SESSION = "_staff_session"  # SessionKeys of this browser session's sign-in
_CODE = "_staff_sign_in_code"  # a code the browser has still to exchange for the cookie
_CLEAR_COOKIE = "_staff_clear_cookie"  # ask the browser to drop its cookie
_COOKIE_SPENT = "_staff_cookie_spent"  # the handshake's cookie is not to be used again
_SSO_TRIED = "_staff_sso_tried"  # st.user was looked at once in this browser session
SSO_REFUSAL = "_staff_sso_refusal"  # why single sign-on did not let them in (sign-in page)


def current_member() -> StaffMember | None:
    """The signed-in staff member, checked against their session and re-read from the
    database on every run (None: nobody, or their session has ended)."""
    keys = st.session_state.get(_SESSION)
    from_cookie = keys is None and not st.session_state.get(_COOKIE_SPENT)
    if from_cookie:
        keys = _cookie_keys()
    if keys is not None:
        with db_session() as db:
            member = session_member(db, keys, _rules())
        if member is not None:
            st.session_state[_SESSION] = keys
            st.session_state[_STAFF_KEY] = member.id
            return member
        if from_cookie:  # a cookie whose session has ended: drop it, and stop asking
            st.session_state[_COOKIE_SPENT] = True
            st.session_state[_CLEAR_COOKIE] = True
        else:  # this browser session's sign-in ended (idle, signed out elsewhere, reset)
            forget_sign_in()
        return _single_sign_on_arrival()
    user_id = st.session_state.get(_STAFF_KEY)
    if user_id is None:
        return _single_sign_on_arrival()
    with db_session() as db:  # a member set without a session (AppTest page tests)
        member = active_member(db, int(user_id))
    if member is None:  # deactivated or deleted since signing in
        forget_sign_in()
    return member


def remember_sign_in(member: StaffMember) -> None:
    """Start the member's session; the browser gets its cookie on the next run
    (`send_sign_in_to_browser`), and this browser session is signed in at once."""
    with db_session() as db:
        token = begin_session(db, member, _rules())
    st.session_state[_STAFF_KEY] = member.id
    st.session_state[_SESSION] = session_keys(token)
    st.session_state[_CODE] = token
    st.session_state[_COOKIE_SPENT] = True  # this sign-in, not an older cookie, from now on


def signed_in_session() -> SessionKeys | None:
    """This browser session's sign-in, to end it on sign-out (None: AppTest's path)."""
    keys = st.session_state.get(_SESSION)
    return keys if isinstance(keys, SessionKeys) else None


def forget_sign_in() -> None:
    """Forget the whole browser session, not only who signed in: staff pages keep what they
    showed in it (a board pack with young people's quotes, the chosen session, a CSV of the
    audit log), and none of it may outlive the sign-in on a shared computer. The browser is
    asked to drop its cookie too (its session has ended on the server already)."""
    st.session_state.clear()
    st.session_state[_COOKIE_SPENT] = True
    st.session_state[_CLEAR_COOKIE] = True
    st.session_state[_SSO_TRIED] = True  # st.user stays as it was at the handshake


def send_sign_in_to_browser() -> None:
    """Run by app.py on every run: after a sign-in, a script exchanges its one-time code for
    the cookie; after a sign-out (or a session that has ended), one clears the cookie."""
    code = st.session_state.pop(_CODE, None)
    if isinstance(code, str):
        _post_from_browser(SESSION_PATH, {"code": code})
    if st.session_state.pop(_CLEAR_COOKIE, False):
        _post_from_browser(SIGN_OUT_PATH, {})


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


def single_sign_on() -> SsoRoles | None:
    """The role mapping when single sign-on is on (YOUTHVOICE_SSO_PROVIDER); None when off.
    A mistake in data/sso_roles.yaml stops the page with its plain message."""
    if not settings().sso_provider:
        return None
    with data_files_put_right():
        return cached_sso_roles(settings().sso_roles_path)


def _single_sign_on_arrival() -> StaffMember | None:
    """Someone back from the provider's sign-in (st.user): their staff session starts here,
    once per browser session; a refusal is kept for the sign-in page to show."""
    if st.session_state.get(_SSO_TRIED):
        return None
    mapping = single_sign_on()
    # Without an [auth] section in secrets.toml st.user has no is_logged_in at all.
    if mapping is None or st.user.to_dict().get("is_logged_in") is not True:
        return None
    st.session_state[_SSO_TRIED] = True
    try:
        identity = identity_from_claims(st.user.to_dict(), mapping, datetime.now(UTC))
        with db_session() as db:
            member = sso_sign_in(db, identity)
    except SingleSignOnRefused as refusal:
        st.session_state[SSO_REFUSAL] = str(refusal)
        return None
    remember_sign_in(member)
    return member


def _cookie_keys() -> SessionKeys | None:
    try:
        sent = st.context.cookies.get(COOKIE_NAME)
    except (AttributeError, RuntimeError):  # no browser (AppTest)
        return None
    token = token_from_cookie(sent, server_secret(settings()))
    return session_keys(token) if token is not None else None


def _rules() -> SessionRules:
    return SessionRules.from_settings(settings())


def _post_from_browser(path: str, body: dict[str, str]) -> None:
    """A script that POSTs to one of the server's routes from the page, with its cookies."""
    # JSON is a safe JavaScript literal; "<" escaped, so no "</script>" can end the tag.
    literal = json.dumps({"path": path, "body": json.dumps(body)}).replace("<", "\\u003c")
    st.html(
        "<script>(function(){var r=" + literal + ";fetch(r.path,{method:'POST',"
        "credentials:'same-origin',headers:{'Content-Type':'application/json'},"
        "body:r.body});})();</script>",
        unsafe_allow_javascript=True,
    )
