"""The bare form that `youthvoice bench-load` measures Streamlit against: the whole survey as
one plain HTML form, and a POST that calls the same `submit_response` the survey page calls
(the same checks, redaction, safeguarding, tagging, limits and transaction). What Streamlit
costs beyond this is the price of its sessions and reruns.

Started by the bench with uvicorn on a free loopback port:
    python -m uvicorn cli.bench.bare_form:app --host 127.0.0.1 --port PORT
"""

from __future__ import annotations

import html
import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlmodel import Session
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

from nlp.tagger import load_tagger
from survey.core.database import make_engine, migrate
from survey.core.limits import limits_from_settings
from survey.core.settings import get_settings
from survey.questionnaire import QuestionType
from survey.responses import submit_response
from survey.safeguarding.disclosures import detect_disclosure
from survey.startup import load_survey_definition

DEVICE = "yv_device"
_ready: dict[str, Any] = {}


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Everything heavy once, at start, as the app does: database, survey, tagger, checks."""
    settings = get_settings()
    _ready["engine"] = engine = make_engine(settings.database_url)
    migrate(engine)
    _ready["definition"] = definition = load_survey_definition(settings)
    _ready["tagger"] = load_tagger(
        settings.codebook_path, settings.models_dir, settings.training_dir
    )
    _ready["limits"] = limits_from_settings(settings)
    detect_disclosure("warming up")
    _ready["form"] = _form_html(definition.questionnaire)
    yield
    engine.dispose()


def _form_html(questionnaire) -> str:
    rows = []
    for question in questionnaire.questions:
        name = html.escape(question.id)
        rows.append(f"<p><b>{html.escape(question.text)}</b></p>")
        if question.type == QuestionType.FREE_TEXT:
            rows.append(f'<textarea name="{name}"></textarea>')
        for value in question.options() if question.type != QuestionType.FREE_TEXT else ():
            kind = "checkbox" if question.type == QuestionType.MULTI_CHOICE else "radio"
            label = html.escape(question.label_for(value))
            rows.append(
                f'<label><input type="{kind}" name="{name}" value="{value}">{label}</label>'
            )
    return "\n".join(rows)


async def form_page(request: Request) -> HTMLResponse:
    submission = uuid.uuid4()  # made when the form is shown, as the survey page does
    page = HTMLResponse(
        f'<form method="post" action="/send"><input type="hidden" name="submission_id" '
        f'value="{submission}">{_ready["form"]}<button>Send my answers</button></form>'
    )
    if DEVICE not in request.cookies:
        page.set_cookie(DEVICE, secrets.token_urlsafe(24), max_age=86400, samesite="strict")
    return page


async def send(request: Request) -> PlainTextResponse:
    form = await request.form()
    questionnaire = _ready["definition"].questionnaire
    answers: dict[str, Any] = {
        q.id: form.getlist(q.id) if q.type == QuestionType.MULTI_CHOICE else form.get(q.id)
        for q in questionnaire.questions
    }
    submission_id = str(form.get("submission_id", ""))
    device = request.cookies.get(DEVICE)
    await run_in_threadpool(_store, answers, submission_id, device)
    return PlainTextResponse("Your answers have been saved.")


def _store(answers: dict[str, Any], submission_id: str, device: str | None) -> None:
    definition = _ready["definition"]
    with Session(_ready["engine"], expire_on_commit=False) as db:
        submit_response(
            db=db,
            questionnaire=definition.questionnaire,
            dimensions=definition.dimensions,
            answers=answers,
            submission_id=submission_id,
            tagger=_ready["tagger"],
            device=device,
            limits=_ready["limits"],
        )


app = Starlette(
    routes=[Route("/", form_page), Route("/send", send, methods=["POST"])], lifespan=lifespan
)
