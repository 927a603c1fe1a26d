"""Getting a database ready: migrate, record the questionnaire, load demo data once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from survey.core.database import migrate
from survey.core.dimensions import Dimensions, load_dimensions
from survey.core.models import Response
from survey.core.settings import Settings
from survey.demo import load_demo_responses
from survey.questionnaire import Questionnaire, load_questionnaire
from survey.questionnaire_versions import ensure_questionnaire_version
from survey.response_summary import rebuild_missing_summaries
from survey.themes import ThemeTagger


@dataclass(frozen=True)
class SurveyDefinition:
    """What the survey asks and the vocabulary it uses, as loaded from `data/`."""

    questionnaire: Questionnaire
    dimensions: Dimensions


def load_survey_definition(settings: Settings) -> SurveyDefinition:
    dimensions = load_dimensions(settings.dimensions_path)
    questionnaire = load_questionnaire(
        settings.questionnaire_path, dimensions, max_text_length=settings.max_text_length
    )
    return SurveyDefinition(questionnaire, dimensions)


def prepare_database(
    engine: Engine,
    settings: Settings,
    definition: SurveyDefinition,
    *,
    demo: bool,
    tagger: ThemeTagger | None = None,
    accept_removed_questions: bool = False,
) -> int:
    """Migrate, record the questionnaire version, and on an empty database load demo data.

    Returns the number of demo responses loaded (0 when there was data already). Raises
    QuestionsRemoved if the questionnaire drops questions the last recorded version asked,
    unless `accept_removed_questions`.
    """
    migrate(engine)
    now = datetime.now(ZoneInfo(settings.timezone))
    with Session(engine) as db:
        ensure_questionnaire_version(
            db,
            definition.questionnaire,
            now.date(),
            accept_removed_questions=accept_removed_questions,
            path=settings.questionnaire_path,
        )
        rebuild_missing_summaries(db, definition.dimensions)
        empty = db.exec(select(func.count()).select_from(Response)).one() == 0
        if not (demo and empty):
            return 0
        return load_demo_responses(
            db,
            definition.questionnaire,
            definition.dimensions,
            settings.data_dir / "demo" / "free_text.yaml",
            timezone=settings.timezone,
            tagger=tagger,
        )
