"""Staff accounts (admin): who has an account, lifting the sign-in limits on one, where each
one's safeguarding alert emails go, a new password, and deactivating or reactivating one."""

import streamlit as st

from survey.staff.permissions import Permission
from survey.staff.users import (
    reset_password,
    set_active,
    set_email,
    staff_accounts,
    unlock_user,
)
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

st.subheader("Reset a password")
st.caption(
    "Type a new password for someone who has forgotten theirs, and tell it to them in "
    "person or by phone, never by email. They are signed out everywhere, and any sign-in "
    "limits on the account are lifted. This is audited (never the password)."
)
with st.form("reset-password", clear_on_submit=True):
    reset_for = st.selectbox(
        "Account", list(accounts["Username"]), index=None, placeholder="Choose an account"
    )
    new_password = st.text_input(
        "New password (12 or more characters)", type="password", autocomplete="new-password"
    )
    again = st.text_input("The same password again", type="password", autocomplete="new-password")
    reset = st.form_submit_button("Set the new password")
if reset:
    if reset_for is None:
        st.error("Choose the account whose password to reset.")
    elif new_password != again:
        st.error("The two passwords differ: nothing was changed.")
    else:
        try:
            with db_session() as db:
                ended = reset_password(db, member, reset_for, new_password)
        except ValueError as problem:
            st.error(f"Not changed: {as_plain_markdown(str(problem))}")
        else:
            signed_out = f" and signed out of {ended} browser(s)" if ended else ""
            st.success(f"{as_plain_markdown(reset_for)} has a new password{signed_out}.")

st.subheader("Deactivate or reactivate an account")
st.caption(
    "A deactivated account cannot sign in, and every browser signed in to it is signed out "
    "at once. Its name stays in the audit log. Reactivate it to let them sign in again. "
    "This is audited."
)
with st.form("set-active"):
    active_for = st.selectbox(
        "Account", list(accounts["Username"]), index=None, placeholder="Choose an account"
    )
    deactivate_now = st.form_submit_button("Deactivate")
    reactivate_now = st.form_submit_button("Reactivate")
if deactivate_now or reactivate_now:
    if active_for is None:
        st.error("Choose the account to deactivate or reactivate.")
    else:
        try:
            with db_session() as db:
                ended = set_active(db, member, active_for, bool(reactivate_now))
        except ValueError as problem:
            st.error(f"Not changed: {as_plain_markdown(str(problem))}")
        else:
            name = as_plain_markdown(active_for)
            if reactivate_now:
                st.success(f"{name} can sign in again.")
            else:
                signed_out = f", and signed out of {ended} browser(s)" if ended else ""
                st.success(f"{name} is deactivated{signed_out}.")
