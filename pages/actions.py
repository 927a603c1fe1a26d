"""Actions (board, admin): record what the partnership did about what young people said.
Young people see them on the public "You said, we did" page."""

from datetime import date

import streamlit as st

from survey.participation.actions import STATUS_WORDS, ActionStatus, list_actions, record_action
from survey.staff.permissions import Permission
from ui.plain_text import as_plain_markdown
from ui.resources import codebook, db_session, survey_definition
from ui.staff_gate import staff_page

member = staff_page(Permission.RECORD_ACTIONS)
book = codebook()
labels = {t.id: t.label for t in book.themes}
districts = survey_definition().dimensions.district_names
st.title("Actions: you said, we did")
with st.form("new-action", clear_on_submit=True):
    theme = st.selectbox("What young people raised", book.theme_ids, format_func=labels.get)
    district = st.selectbox(
        "Where", [None, *districts], format_func=lambda d: "The whole area" if d is None else d
    )
    asked = st.text_area("You said (in young people's words, plainly)")
    done = st.text_area("We did (or will do)")
    owner = st.text_input("Who owns it")
    status = st.selectbox("Status", list(ActionStatus), format_func=lambda s: STATUS_WORDS[s])
    when = st.date_input("Date", value=date.today(), format="DD/MM/YYYY")
    saved = st.form_submit_button("Record action", type="primary")
if saved:
    try:
        with db_session() as db:
            record_action(
                db,
                member,
                theme_id=theme,
                district=district,
                asked=asked,
                done=done,
                owner=owner,
                status=status,
                action_date=when,
                theme_ids=book.theme_ids,
                districts=districts,
            )
        st.success("Action recorded. It now shows on the public “You said, we did” page.")
    except ValueError as problem:  # it may repeat what was chosen
        st.error(as_plain_markdown(problem))
with db_session() as db:
    actions = list_actions(db)
if actions:
    st.dataframe(
        [
            {
                "theme": labels.get(a.theme_id, a.theme_id),
                "where": a.district or "Whole area",
                "you said": a.asked,
                "we did": a.done,
                "owner": a.owner,
                "status": STATUS_WORDS[a.status],
                "date": a.action_date,
            }
            for a in actions
        ],
        hide_index=True,
        width="stretch",
    )
