"""Review desk (worker): check and correct the themes of your sessions' answers, and
approve quotes for the board. An answer that raised a safeguarding alert or check is marked,
links to its alert, and is never offered as a quote."""

import streamlit as st

from insights.evidence import MarkedSpan, evidence_html
from survey.participation.quotes import QuoteError, approve_quote, withdraw_quote
from survey.participation.review import decide_theme, mark_reviewed, responses_for_review
from survey.safeguarding.alerts import ALERT
from survey.staff.permissions import Permission, may
from survey.themes import tagged_questions
from ui.plain_text import as_plain_markdown
from ui.resources import codebook, db_session, survey_definition
from ui.staff_gate import staff_page

member = staff_page(Permission.REVIEW_THEMES)
book = codebook()
labels = {t.id: t.label for t in book.themes}
st.title("Review desk")
unreviewed = st.toggle("Only answers not yet reviewed", value=True)
with db_session() as db:
    items = responses_for_review(
        db,
        member,
        tagged_questions(survey_definition().questionnaire),
        unreviewed_only=unreviewed,
        limit=10,
    )
if not items:
    st.info("Nothing to review: answers from your sessions appear here.")
    st.stop()


def decide(response_id: int, question_id: str, theme_id: str, present: bool) -> None:
    with db_session() as db:
        decide_theme(
            db,
            member,
            response_id=response_id,
            question_id=question_id,
            theme_id=theme_id,
            present=present,
            codebook_version=book.version,
        )


for item in items:
    key = f"{item.response_id}-{item.question_id}"
    where = as_plain_markdown(item.session_name or "open survey")
    with st.container(border=True):
        st.caption(
            f"Response {item.response_id} · {where} · "
            f"{item.submitted_on:%d %b %Y}" + (" · reviewed" if item.reviewed_by else "")
        )
        spans = [
            MarkedSpan(e["start"], e["end"], t.theme_id)
            for t in item.themes
            if t.present
            for e in t.evidence
        ]
        if item.alert_id is not None:
            raised = "Raised an alert" if item.band == ALERT else "Raised a check"
            link = (
                f" · [Open alert {item.alert_id}](/safeguarding_alerts?alert={item.alert_id})"
                if may(member, Permission.FOLLOW_UP_ALERTS)
                else ""
            )
            st.warning(f"**{raised}** for safeguarding: never a quote{link}", icon="⚠️")
        st.html(evidence_html(item.text, spans))  # escaped: never read as HTML
        for theme in item.themes:
            left, right = st.columns([4, 1])
            how = f"{theme.found_by} {theme.score:.2f}" if theme.found_by else "added"
            state = "" if theme.present else " (removed)"
            left.write(f"{labels.get(theme.theme_id, theme.theme_id)}{state} · {how}")
            label, present = ("Remove", False) if theme.present else ("Put back", True)
            right.button(
                label,
                key=f"{key}-{theme.theme_id}",
                on_click=decide,
                args=(item.response_id, item.question_id, theme.theme_id, present),
            )
        shown = {t.theme_id for t in item.themes}
        add_col, add_button = st.columns([4, 1])
        extra = add_col.selectbox(
            "Add a theme",
            [t for t in book.theme_ids if t not in shown],
            format_func=lambda t: labels.get(t, t),
            key=f"{key}-add",
            index=None,
            placeholder="Add a theme…",
        )
        if add_button.button("Add", key=f"{key}-add-button", disabled=extra is None):
            decide(item.response_id, item.question_id, str(extra), True)
            st.rerun()
        quoting = may(member, Permission.APPROVE_QUOTES)
        flagged = item.alert_id is not None  # approve_quote refuses it too
        if quoting and item.approved_quote is not None:
            st.text(f"Approved for the board: “{item.approved_quote}”")  # never Markdown
            if st.button("Withdraw quote", key=f"{key}-withdraw"):
                with db_session() as db:
                    withdraw_quote(
                        db, member, response_id=item.response_id, question_id=item.question_id
                    )
                st.rerun()
        if quoting and not flagged:
            quote = st.text_input(
                "Quote for the board (trim to a sentence if you like)",
                value=item.text,
                key=f"{key}-quote",
            )
        approve_col, done_col = st.columns(2)
        if quoting and not flagged and approve_col.button("Approve quote", key=f"{key}-approve"):
            try:
                with db_session() as db:
                    approve_quote(
                        db,
                        member,
                        response_id=item.response_id,
                        question_id=item.question_id,
                        text=quote,
                    )
                st.success("Quote approved.")
            except QuoteError as problem:
                st.error(str(problem))
        if done_col.button("Mark reviewed", key=f"{key}-done", type="primary"):
            with db_session() as db:
                mark_reviewed(db, member, item.response_id, book.version)
            st.rerun()
