"""Safeguarding alerts (worker, safeguarding lead): answers that may be disclosures,
followed up new -> seen -> actioned. Opening an answer's text is written to the audit log."""

import streamlit as st

from insights.evidence import MarkedSpan, evidence_html
from survey.safeguarding.alerts import (
    NEXT_STATES,
    AlertState,
    alerts_for,
    change_alert_state,
    read_flagged_text,
)
from survey.staff.permissions import Permission
from ui.plain_text import as_plain_markdown
from ui.resources import db_session
from ui.staff_gate import staff_page

member = staff_page(Permission.FOLLOW_UP_ALERTS)
st.title("Safeguarding alerts")
st.caption(
    "Follow your organisation's safeguarding procedure. Every opening of an answer's "
    "text here is recorded in the audit log."
)
show_all = st.toggle("Include actioned alerts")
with db_session() as db:
    alerts = alerts_for(db, member, open_only=not show_all)
if not alerts:
    st.success("No open alerts.")
    st.stop()

for alert in alerts:
    where = as_plain_markdown(alert.session_name or "open survey")
    with st.container(border=True):
        st.subheader(f"Alert {alert.id} · {alert.state}")
        st.write(f"{alert.raised_on:%d %b %Y} · {where} · {', '.join(alert.categories)}")
        if st.toggle("Show the answer", key=f"show-{alert.id}"):
            with db_session() as db:
                flagged = read_flagged_text(db, member, alert.id)
            for question, text in flagged["texts"].items():
                spans = [
                    MarkedSpan(e["start"], e["end"], e["category"])
                    for e in flagged["evidence"]
                    if e["question"] == question
                ]
                st.html(evidence_html(text, spans))  # escaped: never read as HTML
        for state, by, at, note in alert.history:
            who, said = as_plain_markdown(by), as_plain_markdown(note)
            st.caption(f"{state} by {who}, {at:%d %b %Y %H:%M}: {said}")
        choices = NEXT_STATES[alert.state]
        if choices:
            note = st.text_area("Note (what was done, who was told)", key=f"note-{alert.id}")
            for column, state in zip(st.columns(len(choices)), choices, strict=True):
                if column.button(f"Mark {state}", key=f"{state}-{alert.id}"):
                    try:
                        with db_session() as db:
                            change_alert_state(db, member, alert.id, AlertState(state), note)
                        st.rerun()
                    except ValueError as problem:
                        st.error(str(problem))
