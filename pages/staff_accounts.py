"""Staff accounts (admin): who has an account, lifting the sign-in limits on one, and where
each one's safeguarding alert emails go."""

import streamlit as st

from survey.staff.permissions import Permission
from survey.staff.users import set_email, staff_accounts, unlock_user
from ui.plain_text import as_plain_markdown
from ui.resources import db_session
from ui.staff_gate import staff_page

member = staff_page(Permission.MANAGE_STAFF)
st.title("Staff accounts")
with db_session() as db:
    accounts = staff_accounts(db, member)
# A dataframe shows a display name as text, never as Markdown or HTML.
st.dataframe(accounts, hide_index=True, width="stretch")

st.subheader("Lift sign-in limits")
st.caption(
    "After too many wrong passwords an account has to wait before trying again. When you "
    "know it is really them, lift the limits so they can sign in now. This is audited."
)
with st.form("lift-limits"):
    username = st.selectbox(
        "Username", list(accounts["Username"]), index=None, placeholder="Choose an account"
    )
    lift = st.form_submit_button("Lift sign-in limits", type="primary")
if lift:
    if username is None:
        st.error("Choose the account whose limits to lift.")
    else:
        try:
            with db_session() as db:
                lifted = unlock_user(db, member, username)
        except ValueError as problem:
            st.error(str(problem))
        else:
            name = as_plain_markdown(username)
            if lifted:
                st.success(f"Sign-in limits lifted: {name} can sign in now.")
            else:
                st.info(f"{name} had no sign-in limits to lift.")

st.subheader("Email for safeguarding alerts")
st.caption(
    "Safeguarding leads (and a session's worker) with an email address are told when an "
    "alert is raised: the email holds only a link, never what was written. Leave it empty "
    "to stop emails to that account. This is audited."
)
with st.form("set-email"):
    email_for = st.selectbox(
        "Account", list(accounts["Username"]), index=None, placeholder="Choose an account"
    )
    address = st.text_input("Email address", placeholder="name@example.org")
    save_email = st.form_submit_button("Save email address")
if save_email:
    if email_for is None:
        st.error("Choose the account whose email address to set.")
    else:
        try:
            with db_session() as db:
                stored = set_email(db, member, email_for, address)
        except ValueError as problem:
            st.error(as_plain_markdown(str(problem)))
        else:
            name = as_plain_markdown(email_for)
            if stored:
                st.success(f"Alert emails for {name} go to {as_plain_markdown(stored)}.")
            else:
                st.info(f"{name} has no email address now: no alert emails go to them.")
