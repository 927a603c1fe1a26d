"""Recording the questionnaire version responses answer, and refusing one that drops questions.

A `data/questionnaire.yaml` cut short (a bad copy, a half-saved edit) can still be valid
YAML; recorded as a new version, it would quietly stop asking the questions it lost, and
trends across versions would break without anyone deciding so. So a new version that no
longer asks questions the last recorded version asked is refused, naming the file and the
questions, until someone accepts it (`youthvoice prepare --accept-removed-questions`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from survey.core.audit import record_event
from survey.core.data_files import DataFileError
from survey.core.models import QuestionnaireVersion
from survey.core.settings import get_settings
from survey.questionnaire import Questionnaire

ACCEPT_OPTION = "youthvoice prepare --accept-removed-questions"


class QuestionsRemoved(DataFileError):
    """The questionnaire file no longer asks questions that the last recorded version asked."""

    def __init__(self, path: Path | str, dropped: list[str], last_version: str) -> None:
        self.dropped = dropped
        self.last_version = last_version
        super().__init__(
            path,
            f"no longer asks {len(dropped)} question(s) that the last recorded version "
            f"({last_version}) asked: {', '.join(dropped)}. If the file was cut short, restore "
            f"it; if the questions were removed on purpose, run `{ACCEPT_OPTION}`",
        )


def ensure_questionnaire_version(
    db: Session,
    questionnaire: Questionnaire,
    today: date,
    *,
    accept_removed_questions: bool = False,
    path: Path | None = None,
) -> None:
    """Record the questionnaire version (once) so responses can point at what was asked.

    Raises QuestionsRemoved, recording nothing, when the new version drops questions the
    last recorded version asked, unless `accept_removed_questions`. `path` names the file in
    that message (default: the questionnaire file of the settings).
    """
    if db.get(QuestionnaireVersion, questionnaire.version) is not None:
        return
    dropped, last_version = removed_questions(db, questionnaire)
    if dropped and last_version is not None:
        if not accept_removed_questions:
            raise QuestionsRemoved(path or get_settings().questionnaire_path, dropped, last_version)
        # Accepted on purpose: say so where an auditor looks for who changed what was asked.
        record_event(
            db,
            action="questionnaire.questions_removed",
            actor=None,
            target=questionnaire.version,
            detail={"dropped": dropped, "last_version": last_version},
        )
    db.add(
        QuestionnaireVersion(
            id=questionnaire.version,
            questionnaire_id=questionnaire.id,
            version_label=questionnaire.version_label,
            definition=questionnaire.definition(),
            first_used_on=today,
        )
    )
    try:
        db.commit()
    except IntegrityError:  # another process recorded it first
        db.rollback()


def removed_questions(db: Session, questionnaire: Questionnaire) -> tuple[list[str], str | None]:
    """Question ids the last recorded version of this questionnaire asked and it does not.

    Returns the ids (in the old order) and that version's id; ([], None) when none is
    recorded. Versions carry only the day they were first used, so when several share the
    latest day, the one this questionnaire drops least from counts: a refusal must be sure.
    """
    latest = db.exec(
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire.id)
        .order_by(col(QuestionnaireVersion.first_used_on).desc())
    ).all()
    if not latest:
        return [], None
    last_day = latest[0].first_used_on
    asked = {q.id for q in questionnaire.questions}
    candidates = [
        ([q for q in question_ids(v.definition) if q not in asked], v.id)
        for v in latest
        if v.first_used_on == last_day
    ]
    return min(candidates, key=lambda pair: (len(pair[0]), pair[1]))


def question_ids(definition: dict[str, Any]) -> list[str]:
    """The question ids of a stored questionnaire definition, in the order they were asked."""
    sections: Iterable[Any] = definition.get("sections") or []
    return [
        str(q["id"])
        for s in sections
        if isinstance(s, dict)
        for q in s.get("questions") or []
        if isinstance(q, dict) and "id" in q
    ]
