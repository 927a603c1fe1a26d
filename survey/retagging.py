"""Re-tagging stored responses when the codebook or the model changes (`youthvoice retag`)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select

from survey.core.models import Answer, Response, ResponseTheme
from survey.questionnaire import Questionnaire
from survey.response_summary import refresh_summaries
from survey.themes import TAGGER_SOURCES, ThemeTagger, mark_tagged, tagged_questions, theme_rows


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
        tags = tagger.tag_many((value for _, _, value in texts), batch_size=256)
        db.exec(
            delete(ResponseTheme).where(
                col(ResponseTheme.response_id).in_(ids),
                col(ResponseTheme.source).in_(TAGGER_SOURCES),
            )
        )
        for (response_id, question_id, _), found in zip(texts, tags, strict=True):
            db.add_all(theme_rows(response_id, question_id, found, tagger))
        for response in db.exec(select(Response).where(col(Response.id).in_(ids))).all():
            mark_tagged(response, tagger)
            db.add(response)
        refresh_summaries(db, ids)
        db.commit()
        retagged += len(ids)
        if on_batch:
            on_batch(len(ids))
    return retagged
