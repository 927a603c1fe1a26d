"""Sessions (worker): create a session, show its code and QR, close, reopen or archive it,
and download its report."""

from datetime import date

import streamlit as st

from insights.session_report import report_csv, report_html, session_report
from survey.participation.sessions import (
    VENUE_TYPES,
    SessionError,
    archive_session,
    close_session,
    join_url,
    open_session,
    qr_code_svg,
    reopen_session,
    unarchive_session,
)
from survey.staff.permissions import Permission
from ui.address_notice import show_address_notice
from ui.plain_text import as_plain_markdown
from ui.resources import codebook, db_session, settings, survey_definition
from ui.session_picker import pick_session
from ui.staff_gate import staff_page

member = staff_page(Permission.RUN_SESSIONS)
definition = survey_definition()
config = settings()
st.title("Sessions")
show_address_notice()
_NOTICE = "sessions_notice"  # said once, after the rerun an archive needs
if notice := st.session_state.pop(_NOTICE, None):
    st.success(notice)

with st.expander("New session", expanded=False), st.form("new-session"):
    name = st.text_input("Name", placeholder="e.g. Year 9, Hartsdown Academy")
    venue = st.selectbox("Venue", list(VENUE_TYPES), format_func=VENUE_TYPES.get)
    district = st.selectbox("District", definition.dimensions.district_names)
    held_on = st.date_input("Date", value=date.today(), format="DD/MM/YYYY")
    ages = {a.id: a.label for a in definition.dimensions.age_bands} | {"mixed": "Mixed ages"}
    age_group = st.selectbox("Expected age group", list(ages), format_func=ages.get)
    created = st.form_submit_button("Create session", type="primary")
if created:
    try:
        with db_session() as db:  # pressed twice: the same session (open_session)
            new = open_session(
                db,
                worker=member,
                name=name,
                venue_type=venue,
                district=district,
                held_on=held_on,
                age_group=age_group,
                districts=definition.dimensions.district_names,
                days=config.session_code_days,
            )
        st.success(f"Session created. Its join code is {new.code}.")
    except SessionError as problem:  # it may repeat what was typed
        st.error(as_plain_markdown(problem))

show_archived = st.toggle("Show archived sessions", key="sessions_show_archived")
session = pick_session(member, include_archived=show_archived)
if session is None:
    st.stop()
link = join_url(config.public_url, session.code)
st.subheader(f"Join code: {session.code}")
left, right = st.columns([1, 2])
left.image(qr_code_svg(link, scale=4), caption="Scan to join", width=160)
right.write(f"Join link: {link}")
archived = " · archived" if session.archived else ""
right.write(f"State: **{session.state}**{archived} · answers so far: **{session.answers}**")
right.write(f"Code works until {session.expires_at:%d %b %Y %H:%M} (UTC).")
if session.state != "open" and config.open_survey_allowed:
    right.caption("Phones still answering are offered the open survey when they send.")
close_col, reopen_col, archive_col = right.columns(3)
if close_col.button("Close session", disabled=session.state != "open"):
    with db_session() as db:
        close_session(db, member, session.id)
    st.rerun()
if reopen_col.button("Reopen session", disabled=session.state == "open"):
    with db_session() as db:
        reopen_session(db, member, session.id, days=config.session_code_days)
    st.rerun()
if session.archived:
    if archive_col.button("Back to the list", help="Shown in your sessions again (still closed)."):
        with db_session() as db:
            unarchive_session(db, member, session.id)
        st.rerun()
elif archive_col.button(
    "Archive session", help="Closes it and takes it out of your list; its answers stay."
):
    with db_session() as db:
        archive_session(db, member, session.id)
    st.session_state[_NOTICE] = (
        f"Archived: {as_plain_markdown(session.name)}. Its answers stay in the reports and "
        "for the board; “Show archived sessions” finds it again."
    )
    st.rerun()

st.subheader("Session report")
labels = {t.id: t.label for t in codebook().themes}
with db_session() as db:
    report = session_report(
        db, member, session, definition.questionnaire, labels, config.small_number_threshold
    )
st.caption(
    f"{report.answers} answers. Counts below {config.small_number_threshold} are hidden; "
    "only approved quotes are included."
)
csv_col, html_col = st.columns(2)
csv_col.download_button(
    "Download CSV", report_csv(report), f"session-{session.code}.csv", mime="text/csv"
)
html_col.download_button(
    "Download page (HTML)", report_html(report), f"session-{session.code}.html", mime="text/html"
)
