"""One widget per question type, their values kept in session state under a key prefix
(the survey and the paper-form page each use their own prefix)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from survey.questionnaire import Question, QuestionType


def widget_key(prefix: str, question: Question, choice: str | None = None) -> str:
    base = f"{prefix}_{question.id}"
    return base if choice is None else f"{base}__{choice}"


def restore_widget_state(prefix: str, question: Question, answer: Any) -> None:
    """Put a stored answer back into its widget's state (e.g. after pressing Back)."""
    if question.type == QuestionType.MULTI_CHOICE:
        ticked = set(answer or [])
        for choice in question.choices:
            key = widget_key(prefix, question, choice.value)
            st.session_state.setdefault(key, choice.value in ticked)
    else:
        st.session_state.setdefault(widget_key(prefix, question), answer if answer != "" else None)


def question_widget(prefix: str, question: Question, problem: str | None) -> None:
    # The question in bold and its help as visible text, not a tooltip: on a phone a
    # tooltip is easy to miss. The widget keeps its label for screen readers.
    key = widget_key(prefix, question)
    if question.type != QuestionType.MULTI_CHOICE:
        st.session_state.setdefault(key, None)  # unanswered, never the first option
    st.markdown(f"**{question.text}**")
    if question.help:
        st.caption(question.help)
    if question.type == QuestionType.FREE_TEXT:
        # No max_chars: a browser would cut a long paste silently; the check on send
        # says how long it is and keeps the text so it can be shortened.
        st.text_area(question.text, key=key, label_visibility="collapsed")
    elif question.type == QuestionType.MULTI_CHOICE:
        for choice in question.choices:
            st.checkbox(choice.label, key=widget_key(prefix, question, choice.value))
    else:
        # No index: the value comes from session state (None until chosen).
        st.radio(
            question.text,
            question.options(),
            key=key,
            label_visibility="collapsed",
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


def widget_value(prefix: str, question: Question) -> Any:
    if question.type == QuestionType.MULTI_CHOICE:
        return [
            c.value
            for c in question.choices
            if st.session_state.get(widget_key(prefix, question, c.value))
        ]
    return st.session_state.get(widget_key(prefix, question))


def clear_widgets(prefix: str) -> None:
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}_")]:
        del st.session_state[key]
