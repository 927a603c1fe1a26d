"""Synthetic demo responses, seeded, so a fresh install has something to show.

Every demo response is stored with source 'demo' through the same submit path as a real
one, and every page that shows them labels them "synthetic demo data".
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import RootModel, StrictStr
from sqlmodel import Session

from survey.core.data_files import check_known, read_yaml, validate_file
from survey.core.dimensions import Dimensions
from survey.questionnaire import PREFER_NOT_TO_SAY, Question, Questionnaire, QuestionType
from survey.responses import submit_response
from survey.themes import ThemeTagger

DEMO_SOURCE = "demo"


def load_demo_texts(path: Path, questionnaire: Questionnaire) -> dict[str, list[str]]:
    """Demo answers by free-text question; a misspelt question id is an error, not ignored."""
    texts = validate_file(path, read_yaml(path), _DemoTexts).root
    free_text = sorted(questionnaire.free_text_ids)
    for question_id in texts:
        check_known(path, question_id, "free-text question", question_id, free_text)
    return texts


class _DemoTexts(RootModel[dict[str, list[StrictStr]]]):
    """Question ids, each with a list of texts."""


def generate_demo_answers(
    questionnaire: Questionnaire,
    dimensions: Dimensions,
    texts: dict[str, list[str]],
    rng: random.Random,
) -> dict[str, Any]:
    """One plausible set of answers (skip logic respected by check_answers on submit)."""
    weights = [d.aged_10_25 for d in dimensions.districts]
    answers: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.asks_for_help_when is not None:
            continue  # demo answers never ask for help: the check queue is for real ones
        if rng.random() < 0.08:  # every question is optional, and some are skipped
            continue
        if question.id == "district":
            answers["district"] = rng.choices(dimensions.district_names, weights)[0]
        elif question.type == QuestionType.FREE_TEXT:
            bank = texts.get(question.id)
            if bank and rng.random() < 0.6:
                answers[question.id] = rng.choice(bank)
        else:
            answers[question.id] = _pick(question, rng)
    return answers


def _pick(question: Question, rng: random.Random) -> Any:
    if question.type == QuestionType.SCALE:
        assert question.scale is not None
        return str(
            rng.choices(range(question.scale.min, question.scale.max + 1), [1, 2, 4, 5, 3])[0]
        )
    values = [c.value for c in question.choices if c.value != PREFER_NOT_TO_SAY]
    if question.id == "feels_unsafe_somewhere":
        return rng.choices(["yes", "no", "not_sure"], [6, 3, 1])[0]
    if question.type == QuestionType.SINGLE_CHOICE:
        return rng.choice(values)
    return rng.sample(values, k=min(len(values), rng.choice([1, 1, 2, 2, 3])))


def load_demo_responses(
    db: Session,
    questionnaire: Questionnaire,
    dimensions: Dimensions,
    texts_path: Path,
    *,
    count: int = 600,
    seed: int = 2026,
    today: datetime | None = None,
    timezone: str,
    tagger: ThemeTagger | None = None,
) -> int:
    """Store `count` seeded demo responses over the past year; returns how many were stored."""
    rng = random.Random(seed)
    texts = load_demo_texts(texts_path, questionnaire)
    today = today or datetime.now(ZoneInfo(timezone))
    stored = 0
    for i in range(count):
        when = today - timedelta(days=rng.randrange(365))
        when = when.replace(
            hour=rng.choices([10, 11, 13, 14, 16, 17, 19], [3, 3, 3, 3, 2, 2, 1])[0]
        )
        result = submit_response(
            db=db,
            questionnaire=questionnaire,
            dimensions=dimensions,
            answers=generate_demo_answers(questionnaire, dimensions, texts, rng),
            submission_id=str(uuid.UUID(int=rng.getrandbits(128) ^ i, version=4)),
            now=when,
            source=DEMO_SOURCE,
            tagger=tagger,
        )
        stored += not result.already_stored
    return stored
