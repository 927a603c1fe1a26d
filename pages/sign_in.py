"""Staff sign in and sign out."""

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from survey.staff.users import SignInRefused, sign_in, sign_out
from ui.client import client_address
from ui.navigation import alert_link_followed, served_through_app, staff_pages
from ui.plain_text import as_plain_markdown
from ui.resources import db_session, limits
from ui.staff_gate import current_member, forget_sign_in, remember_sign_in

served_through_app()
member = current_member()
if member is not None:
    st.title("Signed in")
    st.write(f"You are signed in as **{as_plain_markdown(member.display_name)}** ({member.role}).")
    for group, group_pages in staff_pages(member).items():
        st.subheader(group)
        for staff_page in group_pages:
            st.page_link(staff_page)
    if st.button("Sign out", type="primary"):
        with db_session() as db:
            sign_out(db, member)
        forget_sign_in()
        st.rerun()
    st.stop()

st.title("Staff sign in")
st.caption("For participation workers, analysts, board members and admins.")
if (alert := alert_link_followed()) is not None:  # an alert email's link
    st.info(f"Sign in to open alert {alert}.")
with st.form("sign-in"):
    username = st.text_input("Username", autocomplete="username")
    password = st.text_input("Password", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Sign in", type="primary")
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
        st.rerun()
