"""Themes of free-text answers: tagging on submit, re-tagging in bulk, reading them back.

The tagger (nlp/) gives each theme with its evidence; here they become rows that carry
the codebook and model versions, so a newer codebook or model can find what to re-tag.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select

from nlp.tagger import ThemeTag
from survey.models import Answer, Response, ResponseTheme
from survey.questionnaire import Questionnaire


class ThemeTagger(Protocol):
    """What the survey needs of a tagger (nlp.tagger.Tagger provides it)."""

    codebook_version: str
    model_version: str

    def tag(self, text: str) -> list[ThemeTag]: ...

    def tag_many(self, texts: Iterable[str], batch_size: int = 256) -> Iterable[list[ThemeTag]]: ...


def tagged_questions(questionnaire: Questionnaire) -> set[str]:
    return {q.id for q in questionnaire.questions if q.tag_themes}


def theme_rows(
    response_id: int, question_id: str, tags: list[ThemeTag], tagger: ThemeTagger
) -> list[ResponseTheme]:
    return [
        ResponseTheme(
            response_id=response_id,
            question_id=question_id,
            theme_id=tag.theme_id,
            source=tag.source,
            score=round(float(tag.score), 4),
            evidence=[{"text": e.text, "start": e.start, "end": e.end} for e in tag.evidence],
            codebook_version=tagger.codebook_version,
            model_version=tagger.model_version,
        )
        for tag in tags
    ]


def tag_answers(
    questionnaire: Questionnaire, answers: dict[str, Any], tagger: ThemeTagger
) -> dict[str, list[ThemeTag]]:
    """Tag every free-text answer of a question marked `tag_themes`."""
    return {
        qid: tagger.tag(answers[qid]) for qid in tagged_questions(questionnaire) if qid in answers
    }


def mark_tagged(response: Response, tagger: ThemeTagger) -> None:
    response.themes_codebook_version = tagger.codebook_version
    response.themes_model_version = tagger.model_version


def responses_to_retag(db: Session, tagger: ThemeTagger) -> int:
    return len(_stale_ids(db, tagger))


def _stale_ids(db: Session, tagger: ThemeTagger, limit: int | None = None) -> list[int]:
    query = (
        select(Response.id)
        .where(
            or_(
                col(Response.themes_codebook_version).is_(None),
                col(Response.themes_model_version).is_(None),
                col(Response.themes_codebook_version) != tagger.codebook_version,
                col(Response.themes_model_version) != tagger.model_version,
            )
        )
        .order_by(col(Response.id))
    )
    if limit:
        query = query.limit(limit)
    return [i for i in db.exec(query).all() if i is not None]


def retag_responses(
    db: Session,
    questionnaire: Questionnaire,
    tagger: ThemeTagger,
    *,
    batch_size: int = 500,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Re-tag every response tagged by another codebook or model version (or not at all).

    Each batch is committed with its new versions, so an interrupted run resumes where it
    stopped: the next run finds only what is still stale. Returns how many were re-tagged.
    """
    questions = tagged_questions(questionnaire)
    retagged = 0
    while ids := _stale_ids(db, tagger, limit=batch_size):
        texts = db.exec(
            select(Answer.response_id, Answer.question_id, Answer.value).where(
                col(Answer.response_id).in_(ids), col(Answer.question_id).in_(questions)
            )
        ).all()
        tags = tagger.tag_many((t.value for t in texts), batch_size=256)
        db.exec(
            delete(ResponseTheme).where(
                col(ResponseTheme.response_id).in_(ids), col(ResponseTheme.source) != "reviewer"
            )
        )
        for text, found in zip(texts, tags, strict=True):
            db.add_all(theme_rows(text.response_id, text.question_id, found, tagger))
        for response in db.exec(select(Response).where(col(Response.id).in_(ids))).all():
            mark_tagged(response, tagger)
            db.add(response)
        db.commit()
        retagged += len(ids)
        if on_batch:
            on_batch(len(ids))
    return retagged


def themes_of_response(db: Session, response_id: int) -> list[ResponseTheme]:
    query = (
        select(ResponseTheme)
        .where(ResponseTheme.response_id == response_id)
        .order_by(col(ResponseTheme.id))
    )
    return list(db.exec(query).all())
