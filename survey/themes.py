"""Themes of free-text answers: tagging on submit, re-tagging in bulk, reading them back.

The tagger (nlp/) gives each theme with its evidence; here they become rows that carry
the codebook and model versions, so a newer codebook or model can find what to re-tag.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlmodel import Session, col, select

from nlp.tagger import ThemeTag
from survey.core.models import Response, ResponseTheme
from survey.questionnaire import Questionnaire

REVIEWER = "reviewer"
TAGGER_SOURCES = ("rule", "model")
CHOICE = "choice"  # a theme the young person ticked (e.g. "Groups of men")


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


def choice_theme_rows(
    response_id: int, questionnaire: Questionnaire, answers: dict[str, Any]
) -> list[ResponseTheme]:
    """Themes the young person ticked (choices linked to a theme), stored beside the text's."""
    rows = []
    for question in questionnaire.questions:
        ticked = answers.get(question.id)
        values = ticked if isinstance(ticked, list) else [ticked]
        rows += [
            ResponseTheme(
                response_id=response_id,
                question_id=question.id,
                theme_id=c.theme,
                source=CHOICE,
                score=1.0,
                evidence=[],
                codebook_version="",
            )
            for c in question.choices
            if c.theme and c.value in values
        ]
    return rows


def mark_tagged(response: Response, tagger: ThemeTagger) -> None:
    response.themes_codebook_version = tagger.codebook_version
    response.themes_model_version = tagger.model_version


@dataclass(frozen=True)
class ReviewTheme:
    theme_id: str
    present: bool  # after the reviewer's decision, if any
    found_by: str | None  # rule or model, None if only a reviewer added it
    score: float | None
    evidence: list[dict[str, Any]]
    decided_by: str | None


def themes_by_answer(
    db: Session, response_ids: list[int]
) -> dict[tuple[int, str], list[ReviewTheme]]:
    rows = db.exec(
        select(ResponseTheme)
        .where(col(ResponseTheme.response_id).in_(response_ids))
        .order_by(col(ResponseTheme.id))
    ).all()
    grouped: dict[tuple[int, str], dict[str, list[ResponseTheme]]] = {}
    for row in rows:
        grouped.setdefault((row.response_id, row.question_id), {}).setdefault(
            row.theme_id, []
        ).append(row)
    return {
        key: [_combine(theme, found) for theme, found in by_theme.items()]
        for key, by_theme in grouped.items()
    }


def _combine(theme_id: str, rows: list[ResponseTheme]) -> ReviewTheme:
    tagged = next((r for r in rows if r.source in (*TAGGER_SOURCES, CHOICE)), None)
    decision = next((r for r in rows if r.source == REVIEWER), None)
    return ReviewTheme(
        theme_id=theme_id,
        present=decision.present if decision else True,
        found_by=tagged.source if tagged else None,
        score=tagged.score if tagged else None,
        evidence=tagged.evidence if tagged else [],
        decided_by=decision.reviewer if decision else None,
    )


def present_themes(db: Session, response_ids: list[int]) -> list[tuple[int, str]]:
    """(response, theme) for every theme present after review, once per response."""
    found: set[tuple[int, str]] = set()
    for (response_id, _question), themes in themes_by_answer(db, response_ids).items():
        found |= {(response_id, t.theme_id) for t in themes if t.present}
    return sorted(found)
