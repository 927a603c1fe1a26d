"""Paper forms (worker): type in the answers young people wrote on paper in a session."""

import uuid

import streamlit as st

from survey.answers import AnswerError, NothingAnswered
from survey.participation.paper_forms import enter_paper_form
from survey.responses import SubmitFailed
from survey.staff.permissions import Permission
from ui.question_widgets import clear_widgets, question_widget, widget_value
from ui.resources import db_session, survey_definition, tagger
from ui.session_picker import pick_session
from ui.staff_gate import staff_page

PREFIX = "pf"  # widget keys; page state keys start "paper_"
member = staff_page(Permission.ENTER_PAPER_FORMS)
definition = survey_definition()
st.title("Paper forms")
st.caption(
    "Each form is saved once, with the same checks as the online survey. Names, phone "
    "numbers and addresses in the text are removed before saving."
)
session = pick_session(member, "Session the forms came from")
if session is None:
    st.stop()
# Made when the blank form is shown, so pressing save twice stores the form once.
form_id = st.session_state.setdefault("paper_submission_id", str(uuid.uuid4()))
problems: dict[str, str] = st.session_state.get("paper_problems", {})
with st.form("paper-form"):
    for question in definition.questionnaire.questions:
        question_widget(PREFIX, question, problems.get(question.id))
    saved = st.form_submit_button("Save this form", type="primary")
if saved:
    answers = {q.id: widget_value(PREFIX, q) for q in definition.questionnaire.questions}
    try:
        with db_session() as db:
            result = enter_paper_form(
                db,
                member,
                session_id=session.id,
                definition=definition,
                answers=answers,
                submission_id=form_id,
                tagger=tagger(),
            )
    except NothingAnswered:
        st.error("This form is blank, so nothing was saved: enter at least one answer first.")
    except AnswerError as error:
        st.session_state["paper_problems"] = {p.question_id: p.message for p in error.problems}
        st.rerun()
    except SubmitFailed as failure:
        st.error(str(failure))
    else:
        st.session_state.pop("paper_problems", None)
        st.session_state["paper_submission_id"] = str(uuid.uuid4())
        st.session_state["paper_saved"] = result.response_id
        clear_widgets(PREFIX)
        st.rerun()
if st.session_state.get("paper_saved"):
    st.success("Form saved. The form is blank again for the next one.")
