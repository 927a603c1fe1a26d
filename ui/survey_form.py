"""The young person's survey: welcome, one form per section, thank-you.

Answers live in session state until the last form's submit sends them all at once to
`submit_response`; nothing reaches the database question by question.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from survey.answers import AnswerError
from survey.questionnaire import (
    Question,
    Questionnaire,
    QuestionType,
    Section,
    sections_ahead,
    visible_questions,
)
from survey.responses import SubmitFailed, submit_response
from ui.resources import db_session, survey_definition

_STATE = "survey_flow"


@dataclass
class SurveyFlow:
    step: int = 0  # 0 welcome, 1..n sections, n+1 thank-you
    answers: dict[str, Any] = field(default_factory=dict)
    # Made when the form is first shown; a double click or rerun reuses it: stored once.
    submission_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    problems: dict[str, str] = field(default_factory=dict)
    failure: str | None = None


def _flow() -> SurveyFlow:
    if _STATE not in st.session_state:
        st.session_state[_STATE] = SurveyFlow()
    return st.session_state[_STATE]


def render_survey() -> None:
    questionnaire = survey_definition().questionnaire
    flow = _flow()
    sections = sections_ahead(questionnaire, flow.answers)
    if flow.step == 0:
        _welcome(questionnaire, flow)
    elif flow.step > len(sections):
        _thank_you(flow)
    else:
        _section_form(questionnaire, flow, sections)


def _welcome(questionnaire: Questionnaire, flow: SurveyFlow) -> None:
    st.title(questionnaire.title)
    st.write(
        "We want to know where and when you feel unsafe, and what would help. "
        "Your answers help the people who run your area decide what to do."
    )
    with st.container(border=True):
        st.subheader("Your privacy")
        st.markdown(
            "- **It's anonymous.** We don't ask your name, and we don't keep your IP address, "
            "your location or anything about your phone.\n"
            "- **We keep** your answers, the date, and roughly what time of day it was.\n"
            "- Please don't write anyone's name, phone number or address.\n"
            "- **Every question is optional.** Skip anything you like.\n"
            "- If something you write makes us worried about your safety, we'll show you "
            "where to get help, and a trained adult may follow it up.\n"
            "- Want to talk to someone now? Call **Childline on 0800 1111** (free, any time), "
            "or a teacher or youth worker you trust. In an emergency call **999**."
        )
    if st.button("Start the survey", type="primary", width="stretch"):
        flow.step = 1
        st.rerun()


def _section_form(questionnaire: Questionnaire, flow: SurveyFlow, sections: list[Section]) -> None:
    section = sections[flow.step - 1]
    last = flow.step == len(sections)
    st.progress(flow.step / len(sections), text=f"Part {flow.step} of {len(sections)}")
    st.header(section.title)
    if section.intro:
        st.caption(section.intro)
    questions = visible_questions(section, flow.answers)
    with st.form(f"section-{section.id}"):
        for question in questions:
            _restore_widget_state(question, flow.answers.get(question.id))
            _question_widget(question, flow.problems.get(question.id))
        back_col, next_col = st.columns(2)
        back = back_col.form_submit_button("Back", width="stretch")
        forward = next_col.form_submit_button(
            "Send my answers" if last else "Next", type="primary", width="stretch"
        )
    if flow.failure:
        st.error(flow.failure)
    if back or forward:
        for question in questions:
            flow.answers[question.id] = _widget_value(question)
        flow.problems, flow.failure = {}, None
        if back:
            flow.step = max(0, flow.step - 1)
        elif last:
            _send(questionnaire, flow)
        else:
            flow.step += 1
        st.rerun()


def _send(questionnaire: Questionnaire, flow: SurveyFlow) -> None:
    definition = survey_definition()
    try:
        with db_session() as db:
            submit_response(
                db=db,
                questionnaire=questionnaire,
                dimensions=definition.dimensions,
                answers=flow.answers,
                submission_id=flow.submission_id,
            )
    except AnswerError as error:
        flow.problems = {p.question_id: p.message for p in error.problems}
        flow.failure = "Some answers need a change before we can save them: see the messages."
        first = sections_ahead(questionnaire, flow.answers)
        flow.step = next(
            (i + 1 for i, s in enumerate(first) if any(q.id in flow.problems for q in s.questions)),
            flow.step,
        )
    except SubmitFailed as failure:
        # The answers stay in the form: the young person can simply press send again.
        flow.failure = str(failure)
    else:
        flow.step = len(sections_ahead(questionnaire, flow.answers)) + 1


def _thank_you(flow: SurveyFlow) -> None:
    st.title("Thank you")
    st.success("Your answers have been saved.")
    st.write(
        "Thank you for telling us. Your answers go together with other young people's to "
        "show what needs to change. You can see what has been done on the "
        "“You said, we did” page."
    )
    st.info(
        "If anything is worrying you, you can talk to Childline on 0800 1111 (free, any time) "
        "or at childline.org.uk. In an emergency, call 999."
    )
    if st.button("Start again (for someone else)", width="stretch"):
        _clear_widgets()
        st.session_state[_STATE] = SurveyFlow()
        st.rerun()


# --- widgets: one per question type, their state kept in session state ------------------


def _key(question: Question, choice: str | None = None) -> str:
    return f"q_{question.id}" if choice is None else f"q_{question.id}__{choice}"


def _restore_widget_state(question: Question, answer: Any) -> None:
    """Put a stored answer back into its widget's state (e.g. after pressing Back)."""
    if question.type == QuestionType.MULTI_CHOICE:
        ticked = set(answer or [])
        for choice in question.choices:
            st.session_state.setdefault(_key(question, choice.value), choice.value in ticked)
    else:
        st.session_state.setdefault(_key(question), answer if answer != "" else None)


def _question_widget(question: Question, problem: str | None) -> None:
    # The question in bold and its help as visible text, not a tooltip: on a phone a
    # tooltip is easy to miss. The widget keeps its label for screen readers.
    key = _key(question)
    st.markdown(f"**{question.text}**")
    if question.help:
        st.caption(question.help)
    if question.type == QuestionType.FREE_TEXT:
        # No max_chars: a browser would cut a long paste silently; the check on send
        # says how long it is and keeps the text so it can be shortened.
        st.text_area(question.text, key=key, label_visibility="collapsed")
    elif question.type == QuestionType.MULTI_CHOICE:
        for choice in question.choices:
            st.checkbox(choice.label, key=_key(question, choice.value))
    else:
        # No index: the value comes from session state (None until chosen).
        st.radio(
            question.text, question.options(), key=key, label_visibility="collapsed",
            format_func=_label_function(question),
            horizontal=question.type == QuestionType.SCALE,
        )
    if problem:
        st.error(problem)


def _label_function(question: Question) -> Any:
    if question.type != QuestionType.SCALE or question.scale is None:
        return question.label_for
    scale = question.scale
    ends = {str(scale.min): scale.min_label, str(scale.max): scale.max_label}

    def label(value: str) -> str:
        if value in ends:
            return f"{value} {ends[value]}"
        return question.label_for(value)

    return label


def _widget_value(question: Question) -> Any:
    if question.type == QuestionType.MULTI_CHOICE:
        return [c.value for c in question.choices if st.session_state.get(_key(question, c.value))]
    return st.session_state.get(_key(question))


def _clear_widgets() -> None:
    for key in [k for k in st.session_state if str(k).startswith("q_")]:
        del st.session_state[key]


