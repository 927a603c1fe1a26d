"""The young person's survey: welcome (and joining a session), one form per section,
thank-you.

Answers live in session state until the last form's submit sends them all at once to
`submit_response`; nothing reaches the database question by question. At Start, Next and
Back they are also kept as a sealed draft for two hours (ui/survey_draft.py), so the
phone's Back, a reload or a dropped connection loses nothing; sending deletes it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from survey.answers import AnswerError, NothingAnswered
from survey.core.limits import LimitReached
from survey.drafts import Draft
from survey.participation.sessions import SessionClosed, SessionError, join_session
from survey.questionnaire import Questionnaire, Section, sections_ahead, visible_questions
from survey.responses import SubmitFailed, submit_response
from survey.safeguarding.alerts import CHECK
from ui.client import device_token, keep_device_token, this_client
from ui.help_contacts import show_contacts, show_quick_links
from ui.plain_text import as_plain_markdown
from ui.question_widgets import clear_widgets, question_widget, restore_widget_state, widget_value
from ui.resources import db_session, help_contacts, limits, settings, survey_definition, tagger
from ui.survey_draft import (
    DraftState,
    discard_draft,
    draft_sent,
    draft_to_restore,
    keep_draft,
    tell_the_browser,
)

_STATE = "survey_flow"
CANNOT_REACH = "We can't reach the survey's database just now. Please try again in a minute."
_PREFIX = "q"
# The keys of the buttons acted on before drawing (never starting with _PREFIX).
_START, _BACK, _NEXT = "survey_start", "survey_back", "survey_next"


@dataclass
class SurveyFlow:
    step: int = 0  # 0 welcome, 1..n sections, n+1 thank-you
    answers: dict[str, Any] = field(default_factory=dict)
    # Made when the form is first shown; a double click or rerun reuses it: stored once.
    submission_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    problems: dict[str, str] = field(default_factory=dict)
    failure: str | None = None
    # The session joined by code (nothing about the young person).
    session_id: int | None = None
    session_name: str | None = None
    join_message: str | None = None
    tried_link_code: str | None = None
    needs_help: bool = False  # an answer read as a likely disclosure: the help page
    band: str | None = None  # the safeguarding band the response raised, if any
    asked_for_help: bool = False  # they said they'd like help: the help page too
    # How many more answers this phone may send here today (limits live in the database).
    device_answers_left: int | None = None
    # The session closed while they answered: the send offers the open survey instead.
    session_closed: bool = False
    # The unfinished answers kept for two hours under a random token (ui/survey_draft.py).
    draft: DraftState = field(default_factory=DraftState)


def _flow() -> SurveyFlow:
    if _STATE not in st.session_state:
        st.session_state[_STATE] = SurveyFlow()
    return st.session_state[_STATE]


def render_survey() -> None:
    questionnaire = survey_definition().questionnaire
    flow = _flow()
    _restore_draft(questionnaire, flow)
    _join_from_link(flow)
    _act_on_the_press(questionnaire, flow)
    sections = sections_ahead(questionnaire, flow.answers)
    if flow.draft.restored and flow.step <= len(sections):
        _welcome_back(flow)
    if flow.step == 0:
        _welcome(questionnaire, flow)
    elif flow.step > len(sections):
        _thank_you(flow)
    else:
        _section_form(questionnaire, flow, sections)
    tell_the_browser(flow.draft)
    keep_device_token(again=flow.step == 0)


def _restore_draft(questionnaire: Questionnaire, flow: SurveyFlow) -> None:
    """A new browser session (a reload, Back then Forward, a connection that dropped for
    long) that comes with a draft cookie gets its answers, its part and its session back."""
    if flow.draft.checked:
        return
    if flow.step != 0 or flow.answers:  # begun in this browser session: nothing to bring back
        flow.draft.checked = True
        return
    draft = draft_to_restore(flow.draft)
    if draft is None:
        return
    known = {q.id for q in questionnaire.questions}  # the questionnaire may have changed
    flow.answers = {qid: value for qid, value in draft.answers.items() if qid in known}
    flow.step = min(draft.step, len(sections_ahead(questionnaire, flow.answers)))
    flow.submission_id = draft.submission_id  # a send after the reload still stores once
    flow.session_id, flow.session_name = draft.session_id, draft.session_name
    clear_widgets(_PREFIX)  # the widgets take the restored answers


def _keep_draft(flow: SurveyFlow) -> None:
    keep_draft(
        flow.draft, Draft(flow.step, dict(flow.answers), flow.submission_id, flow.session_id)
    )


def _welcome_back(flow: SurveyFlow) -> None:
    """Say the answers came back, and let someone else on a shared phone start afresh."""
    st.info("Welcome back. We kept the answers you gave on this phone, so you can carry on.")
    if st.button("These aren't my answers: start afresh", key="survey_afresh"):
        clear_widgets(_PREFIX)
        st.session_state[_STATE] = SurveyFlow(
            tried_link_code=flow.tried_link_code, draft=discard_draft(flow.draft)
        )
        st.rerun()


def _pressed(key: str) -> bool:
    """Whether the button with this key was pressed in the page the browser shows. A keyed
    button's press is in session state when the run starts, before the button is drawn."""
    return st.session_state.get(key) is True


def _act_on_the_press(questionnaire: Questionnaire, flow: SurveyFlow) -> None:
    """Act on Start, Back, Next or Send before anything is drawn, so the page the press
    leads to is drawn in this same run: one run per press, not a run that draws the old
    page and then `st.rerun()` (which doubled the server's work per young person)."""
    if flow.step == 0:
        if _pressed(_START) and (flow.session_id is not None or settings().open_survey_allowed):
            flow.step = 1
            _keep_draft(flow)
        return
    sections = sections_ahead(questionnaire, flow.answers)
    if flow.step > len(sections):
        return
    section = sections[flow.step - 1]
    back, forward = _pressed(_key(_BACK, section)), _pressed(_key(_NEXT, section))
    if not (back or forward):
        return
    # The questions shown in that form: the answers have not changed since it was drawn.
    for question in visible_questions(section, flow.answers):
        flow.answers[question.id] = widget_value(_PREFIX, question)
    flow.problems, flow.failure = {}, None
    if back:
        flow.step = max(0, flow.step - 1)
        _keep_draft(flow)
    elif flow.step == len(sections):
        _send(questionnaire, flow)
    else:
        flow.step += 1
        _keep_draft(flow)


def _key(button: str, section: Section) -> str:
    return f"{button}_{section.id}"


def _join(flow: SurveyFlow, typed: str) -> None:
    try:
        with db_session() as db:
            outcome = join_session(
                db,
                typed,
                client=this_client(),
                limits=limits(),
                open_survey_allowed=settings().open_survey_allowed,
            )
    except SQLAlchemyError:
        flow.join_message = CANNOT_REACH
        return
    if outcome.session is None:
        flow.session_id, flow.session_name, flow.join_message = None, None, outcome.message
    else:
        flow.session_id, flow.session_name = outcome.session.id, outcome.session.name
        flow.join_message = None


def _join_from_link(flow: SurveyFlow) -> None:
    """A QR code opens /?code=XXXXXX: join that session once, on arrival."""
    code = st.query_params.get("code")
    if code and code != flow.tried_link_code and flow.step == 0:
        flow.tried_link_code = code
        _join(flow, code)


def _welcome(questionnaire: Questionnaire, flow: SurveyFlow) -> None:
    st.title(questionnaire.title)
    st.write(
        "We want to know where and when you feel unsafe, and what would help. "
        "Your answers help the people who run your area decide what to do."
    )
    with st.container(border=True):
        st.header("Your privacy", anchor=False)
        st.markdown(PRIVACY_NOTICE)
    _session_box(flow)
    if flow.session_id is None and not settings().open_survey_allowed:
        st.info("To answer, you need the code from the person running your session.")
        return
    # Acted on at the start of the next run (_act_on_the_press).
    st.button("Start the survey", key=_START, type="primary", width="stretch")
    _footer_links()


def _footer_links() -> None:
    st.divider()
    # Plain links to the pages' addresses (young people have no sidebar).
    st.markdown(
        "[You said, we did: what has been done](/you_said_we_did) · [Staff sign in](/sign_in)"
    )


PRIVACY_NOTICE = (
    "- **It's anonymous.** We don't ask your name, and we don't keep your IP address, "
    "your location or anything about your phone.\n"
    "- Your phone keeps a random code for a day, so no one can send lots of answers from "
    "it. The code says nothing about you.\n"
    "- **We keep** your answers, the date, and roughly what time of day it was.\n"
    "- Until you send them, your answers are kept for 2 hours, locked with a random code "
    "only your phone has, so going back or reloading the page doesn't lose them. No one "
    "can read them without your phone, and they're deleted when you send them.\n"
    "- If you write a name, phone number or address, we remove it before saving.\n"
    "- **Every question is optional.** Skip anything you like.\n"
    "- If something you write makes us worried about your safety, we'll show you where to "
    "get help, and a trained adult may follow it up.\n"
    "- **Need to leave quickly?** Tap **Leave this site** at the top of the screen, or press "
    "Esc on a keyboard. It opens a different website straight away.\n"
    "- Want to talk to someone now? Call **Childline on 0800 1111** (free, any time), or a "
    "teacher or youth worker you trust. In an emergency call **999**."
)


def _session_box(flow: SurveyFlow) -> None:
    if flow.session_id is not None:
        st.success(
            f"You're answering as part of the session: {as_plain_markdown(flow.session_name)}"
        )
        return
    with st.form("join-session", border=False):
        code = st.text_input(
            "Got a session code? Type it here", max_chars=12, placeholder="e.g. K7MX4P"
        )
        joined = st.form_submit_button("Join session")
    if joined and code.strip():
        _join(flow, code)
        st.rerun()
    if flow.join_message:
        st.warning(flow.join_message)


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
            restore_widget_state(_PREFIX, question, flow.answers.get(question.id))
            question_widget(_PREFIX, question, flow.problems.get(question.id))
        # Acted on at the start of the next run (_act_on_the_press).
        back_col, next_col = st.columns(2)
        back_col.form_submit_button("Back", key=_key(_BACK, section), width="stretch")
        next_col.form_submit_button(
            "Send my answers" if last else "Next",
            key=_key(_NEXT, section),
            type="primary",
            width="stretch",
        )
    if flow.failure:
        st.error(flow.failure)
        if flow.session_closed:
            _offer_open_survey()
        if questionnaire.asks_for_help(flow.answers):
            _help_before_saving(flow)


def _offer_open_survey() -> None:
    """The session closed while they answered: their answers stay on screen, and, when the
    open survey is allowed, one press sends them there instead of stranding them."""
    if not settings().open_survey_allowed:
        st.info(
            "Your answers are still here. Ask the person running the session to reopen it, "
            "then press “Send my answers” again."
        )
        return
    st.info(
        "Your answers are still here. You can send them to the open survey instead: they "
        "count just the same, only not as part of the session."
    )
    st.button(
        "Send to the open survey instead",
        key="survey_send_open",
        type="primary",
        width="stretch",
        on_click=_send_to_open_survey,  # before the run, like every press here: one run
    )


def _send_to_open_survey() -> None:
    flow = _flow()
    if not flow.session_closed or not settings().open_survey_allowed:
        return  # a stale press (the page changed since): nothing to do
    flow.session_id, flow.session_name = None, None
    flow.problems, flow.failure = {}, None
    # The same submission id: nothing was stored for the session, and a double tap stores once.
    _send(survey_definition().questionnaire, flow)


def _send(questionnaire: Questionnaire, flow: SurveyFlow) -> None:
    definition = survey_definition()
    flow.session_closed = False
    try:
        with db_session() as db:
            result = submit_response(
                db=db,
                questionnaire=questionnaire,
                dimensions=definition.dimensions,
                answers=flow.answers,
                submission_id=flow.submission_id,
                tagger=tagger(),
                session_id=flow.session_id,
                device=device_token(),
                limits=limits(),
                draft_token=flow.draft.token,  # deleted with the response's commit
            )
    except NothingAnswered as nothing:
        flow.failure = str(nothing)
    except AnswerError as error:
        flow.problems = {p.question_id: p.message for p in error.problems}
        flow.failure = "Some answers need a change before we can save them: see the messages."
        shown = sections_ahead(questionnaire, flow.answers)
        flow.step = next(
            (i + 1 for i, s in enumerate(shown) if any(q.id in flow.problems for q in s.questions)),
            flow.step,
        )
    except SessionClosed as closed:  # closed while they answered: offer the open survey
        flow.failure, flow.session_closed = str(closed), True
    except (SubmitFailed, SessionError, LimitReached) as failure:
        # The answers stay in the form: the young person can simply press send again.
        flow.failure = str(failure)
    except SQLAlchemyError:  # the database went away before the submit could begin
        flow.failure = "We couldn't save that. Please try again."
    else:
        draft_sent(flow.draft)
        flow.needs_help = result.needs_help
        flow.band = result.band
        flow.asked_for_help = questionnaire.asks_for_help(flow.answers)
        if result.device_answers_left is not None:
            flow.device_answers_left = result.device_answers_left
        flow.step = len(sections_ahead(questionnaire, flow.answers)) + 1
    if flow.failure:  # not sent: the last part's answers go into the draft too
        _keep_draft(flow)


def _district(flow: SurveyFlow) -> str | None:
    """The district the young person chose (None: not one), for their local contacts."""
    district = flow.answers.get("district")
    return district if isinstance(district, str) else None


def _help_page(flow: SurveyFlow) -> None:
    """Shown straight after sending when an answer suggests the young person may need
    help, or they said they'd like help. Calm, practical, and it never says the answer was
    flagged."""
    st.title("Thank you for telling us")
    st.success("Your answers have been saved.")
    st.write(
        "It sounds like things might be hard right now. You don't have to deal with it on "
        "your own: there are people who want to help, and talking to them is free."
    )
    show_contacts(help_contacts().for_district(_district(flow)))
    st.write(
        "You can also talk to a teacher, youth worker or another adult you trust. "
        "If you're in danger right now, call 999."
    )


def _help_before_saving(flow: SurveyFlow) -> None:
    """They said they'd like help, and the answers could not be saved yet: help does not
    wait for the database."""
    st.write("You don't have to wait for your answers to be saved to get help:")
    show_contacts(help_contacts().for_district(_district(flow)))


def _thank_you(flow: SurveyFlow) -> None:
    if flow.needs_help or flow.asked_for_help:
        _help_page(flow)
    else:
        _thanks(flow)
    _start_again(flow)


def _thanks(flow: SurveyFlow) -> None:
    st.title("Thank you")
    st.success("Your answers have been saved.")
    st.write(
        "Thank you for telling us. Your answers go together with other young people's to "
        "show what needs to change. You can see what has been done on the "
        "“You said, we did” page."
    )
    contacts = help_contacts()
    if flow.band == CHECK:  # a possible concern: the help, calmly, with the thanks
        st.subheader("If you'd like to talk to someone", anchor=False)
        st.write(
            "If anything is on your mind, these people are there for you. Talking to them "
            "is free, and you can get in touch any time."
        )
        show_contacts(contacts.for_district(_district(flow)))
        return
    st.info("If anything is worrying you, you can talk to someone, free, any time:")
    show_quick_links(contacts.for_district(None))


def _start_again(flow: SurveyFlow) -> None:
    if flow.device_answers_left == 0:
        st.caption("This phone has sent the most answers one phone can send here today.")
        return
    if st.button("Start again (for someone else)", width="stretch"):
        clear_widgets(_PREFIX)
        st.session_state[_STATE] = SurveyFlow(
            session_id=flow.session_id,
            session_name=flow.session_name,
            tried_link_code=flow.tried_link_code,
            device_answers_left=flow.device_answers_left,
            draft=DraftState(checked=True),  # the last draft ended with the send
        )
        st.rerun()
