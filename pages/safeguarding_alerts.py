"""Safeguarding alerts (worker, safeguarding lead): answers that may be disclosures,
followed up new -> seen -> actioned. Opening an answer's text is written to the audit log."""

import streamlit as st

from insights.evidence import MarkedSpan, evidence_html
from survey.safeguarding.alert_times import Lateness, alert_timings
from survey.safeguarding.alerts import (
    ALERT,
    CHECK,
    NEXT_STATES,
    AlertState,
    alerts_for,
    change_alert_state,
    read_flagged_text,
)
from survey.safeguarding.notices import email_setup_words
from survey.staff.permissions import Permission
from ui.plain_text import as_plain_markdown
from ui.resources import db_session, settings, survey_definition
from ui.staff_gate import staff_page

member = staff_page(Permission.FOLLOW_UP_ALERTS)
free_text_questions = survey_definition().questionnaire.free_text_ids
st.title("Safeguarding alerts")
st.caption(
    "Follow your organisation's safeguarding procedure. Every opening of an answer's "
    "text here is recorded in the audit log."
)
show_all = st.toggle("Include actioned alerts")
with db_session() as db:
    alerts = alerts_for(db, member, open_only=not show_all)
    emails_reach_someone, email_words = email_setup_words(db, settings())
    timings = alert_timings(db, member, [a.id for a in alerts], settings())
if emails_reach_someone:
    st.caption(as_plain_markdown(email_words))
else:
    st.warning(as_plain_markdown(email_words))

# ?alert=ID (the link in an alert email): that alert first.
linked = st.query_params.get("alert", "")
linked_id = int(linked) if linked.isdigit() else None
if linked_id is not None:
    if any(a.id == linked_id for a in alerts):
        alerts.sort(key=lambda a: a.id != linked_id)  # stable: the rest keep their order
    else:
        st.info(
            f"Alert {linked_id} isn't in your open alerts: it may be actioned already (include "
            "actioned alerts to see it), or in another worker's queue."
        )
if not alerts:
    st.success("No open alerts.")
    st.stop()

LATENESS_COLOUR = {Lateness.OVERDUE: "orange", Lateness.LATE: "red"}

for alert in alerts:
    where = as_plain_markdown(alert.session_name or "open survey")
    timing = timings.get(alert.id)
    with st.container(border=True):
        from_email = " · from your email" if alert.id == linked_id else ""
        kind = "Alert" if alert.band == ALERT else "Check"
        st.subheader(f"{kind} {alert.id} · {alert.state}{from_email}")
        st.write(f"{alert.raised_on:%d %b %Y} · {where} · {', '.join(alert.categories)}")
        if alert.band == CHECK:
            st.caption("A possible concern: read it within a working day.")
        if alert.language is not None:
            st.info(
                f"Written in {as_plain_markdown(alert.language)}: no machine could read it, "
                "so nothing was flagged or tagged. Please read it, with a translation "
                "service your organisation trusts if needed."
            )
        if timing is not None and timing.age is not None:
            age = timing.age
            if age.lateness in LATENESS_COLOUR:  # the words say it; the colour only repeats it
                colour = LATENESS_COLOUR[age.lateness]
                st.markdown(f":{colour}-badge[{age.lateness_words}] {age.words}")
            else:
                st.markdown(age.words)
        for line in timing.notices if timing is not None else []:
            if line.failed:
                st.warning(as_plain_markdown(line.words))
            else:
                st.caption(as_plain_markdown(line.words))
        if st.toggle("Show the answer", key=f"show-{alert.id}"):
            with db_session() as db:
                flagged = read_flagged_text(
                    db, member, alert.id, text_questions=free_text_questions
                )
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
