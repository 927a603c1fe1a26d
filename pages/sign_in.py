"""Staff sign in and sign out.

Also the page a signed-out visitor meets at a staff page's own address (a bookmark, an alert
email's link, a reload after the session ended): "Please sign in to see this page", and once
signed in, the same address opens that page (ui/navigation.py).
"""

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from survey.staff.permissions import may
from survey.staff.users import SignInRefused, sign_in, sign_out
from ui.client import client_address
from ui.navigation import (
    SIGN_IN,
    alert_link_followed,
    page,
    page_asked_for,
    served_through_app,
    staff_pages,
)
from ui.plain_text import as_plain_markdown
from ui.resources import db_session, limits, settings
from ui.staff_gate import (
    SSO_REFUSAL,
    current_member,
    forget_sign_in,
    remember_sign_in,
    signed_in_session,
    single_sign_on,
)

_NO_ACCESS = "_sign_in_no_access"  # the page asked for, which this account cannot open

served_through_app()
member = current_member()
if member is not None:
    st.title("Signed in")
    st.write(f"You are signed in as **{as_plain_markdown(member.display_name)}** ({member.role}).")
    if (wanted := st.session_state.pop(_NO_ACCESS, None)) is not None:
        st.warning(f"Your account doesn't have access to {as_plain_markdown(wanted)}.")
    for group, group_pages in staff_pages(member).items():
        st.subheader(group)
        for staff_page in group_pages:
            st.page_link(staff_page)
    if st.button("Sign out", type="primary"):
        with db_session() as db:
            sign_out(db, member, signed_in_session())
        forget_sign_in()  # and the browser is asked to drop its cookie
        st.rerun()
    st.stop()

asked_for = page_asked_for()
st.title("Staff sign in")
st.caption("For participation workers, analysts, board members and admins.")
if (alert := alert_link_followed()) is not None:  # an alert email's link
    st.info(f"Sign in to open alert {alert}.")
elif asked_for is not None:
    st.info("Please sign in to see this page.")
if (refusal := st.session_state.pop(SSO_REFUSAL, None)) is not None:
    st.error(refusal)
with st.form("sign-in"):
    username = st.text_input("Username", autocomplete="username")
    password = st.text_input("Password", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Sign in", type="primary")
if (sso := single_sign_on()) is not None:
    st.caption("Or, with the account your organisation gave you:")
    if st.button(sso.button):
        st.login(settings().sso_provider)
if submitted:
    try:
        with db_session() as db:
            signed_in = sign_in(
                db, username=username, password=password, address=client_address(), limits=limits()
            )
    except SignInRefused as refusal:
        st.error(str(refusal))
    except SQLAlchemyError:
        st.error("Signing in isn't possible just now: the database can't be reached.")
    else:
        remember_sign_in(signed_in)
        if asked_for is not None and not may(signed_in, asked_for.opens_with):
            st.session_state[_NO_ACCESS] = asked_for.title
            st.switch_page(page(SIGN_IN))  # this address has no page for them
        st.rerun()  # the same address, now the page itself (or "Signed in")
