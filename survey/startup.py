"""Loading what the survey is (questionnaire, vocabulary, codebook) and getting a database
ready: migrate, record the questionnaire, load demo data once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from nlp.codebook import Codebook, load_codebook
from survey.core.data_files import reloaded_on_change
from survey.core.database import migrate
from survey.core.dimensions import Dimensions, check_codebook, load_dimensions
from survey.core.models import Response
from survey.core.settings import Settings
from survey.demo import load_demo_responses
from survey.questionnaire import Questionnaire, load_questionnaire
from survey.questionnaire_versions import ensure_questionnaire_version
from survey.response_summary import rebuild_missing_summaries
from survey.themes import ThemeTagger


@dataclass(frozen=True)
class SurveyDefinition:
    """What the survey asks, the vocabulary it uses and the themes it tags, as loaded from
    `data/` and checked against each other."""

    questionnaire: Questionnaire
    dimensions: Dimensions
    codebook: Codebook


def load_survey_definition(settings: Settings) -> SurveyDefinition:
    """Read the dimensions, the codebook and the questionnaire, and check every name the
    codebook and the questionnaire use (strands, place types, districts, age bands, themes)
    against the dimensions and the codebook. The app at start, `youthvoice prepare` and every
    command that reads the questionnaire go through here."""
    return _definition(
        settings.dimensions_path,
        settings.codebook_path,
        settings.questionnaire_path,
        settings.max_text_length,
    )


def cached_survey_definition(settings: Settings) -> SurveyDefinition:
    """`load_survey_definition` by the loading rule: read again when one of its files changes."""
    return _cached_definition(
        settings.dimensions_path,
        settings.codebook_path,
        settings.questionnaire_path,
        settings.max_text_length,
    )


def _definition(
    dimensions_path: Path, codebook_path: Path, questionnaire_path: Path, max_text_length: int
) -> SurveyDefinition:
    dimensions = load_dimensions(dimensions_path)
    codebook = load_codebook(codebook_path)
    check_codebook(codebook, dimensions, dimensions_path)
    questionnaire = load_questionnaire(
        questionnaire_path,
        dimensions,
        max_text_length=max_text_length,
        theme_ids=codebook.theme_ids,
    )
    return SurveyDefinition(questionnaire, dimensions, codebook)


_cached_definition = reloaded_on_change(
    lambda dimensions_path, codebook_path, questionnaire_path, max_text_length: (
        dimensions_path,
        codebook_path,
        questionnaire_path,
    )
)(_definition)


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
