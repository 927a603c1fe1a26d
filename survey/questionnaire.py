"""The questionnaire as data: loaded from YAML, validated, resolved, and versioned.

A questionnaire version is the hash of its resolved definition (wording, choices and the
dimension vocabularies it draws on), so every response points at exactly what was asked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from survey.core.data_files import DataFileError, check_known, read_yaml, validate_file
from survey.core.dimensions import VOCABULARIES, Dimensions, check_name

PREFER_NOT_TO_SAY = "prefer_not_to_say"
DEFAULT_MAX_TEXT = 5000
# Questions the product reads as a dimension (a response's district and age band, the board's
# genders, time bands and places): their `choices` are values of that vocabulary of
# data/dimensions.yaml, best drawn with `choices_from`; `extra_choices` add answers outside
# it ("I'm not sure").
DIMENSION_QUESTIONS = {
    "district": "districts",
    "age_band": "age_bands",
    "gender": "genders",
    "unsafe_times": "time_bands",
    "unsafe_places": "place_types",
}


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    SCALE = "scale"
    FREE_TEXT = "free_text"


CHOICE_TYPES = (QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE)


# --- the file's shape (pydantic validates it and names what is wrong) ---------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChoiceSpec(_Strict):
    value: str = Field(min_length=1)
    label: str = Field(min_length=1)
    theme: str | None = None


class ScaleSpec(_Strict):
    min: int
    max: int
    min_label: str
    max_label: str

    @model_validator(mode="after")
    def _range(self) -> ScaleSpec:
        if not 2 <= self.max - self.min + 1 <= 11:
            raise ValueError("a scale needs between 2 and 11 points")
        return self


class ShowIfSpec(_Strict):
    question: str
    in_: list[str] = Field(alias="in", min_length=1)


class QuestionSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: QuestionType
    text: str = Field(min_length=1)
    help: str | None = None
    choices: list[ChoiceSpec] | None = None
    choices_from: str | None = None
    extra_choices: list[ChoiceSpec] = []
    prefer_not_to_say: bool = False
    scale: ScaleSpec | None = None
    max_length: int | None = Field(default=None, gt=0)
    show_if: ShowIfSpec | None = None
    tag_themes: str | None = None
    # The answer that says "I'd like help": it shows the help page at once and puts the
    # response in the check queue, with no free text needed (single choice only).
    asks_for_help_when: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _fits_type(self) -> QuestionSpec:
        if self.type in CHOICE_TYPES:
            if not self.choices and not self.choices_from:
                raise ValueError(f"a {self.type} question needs 'choices' or 'choices_from'")
            if self.choices_from and self.choices_from not in VOCABULARIES:
                known = ", ".join(VOCABULARIES)
                raise ValueError(f"choices_from '{self.choices_from}' is not one of: {known}")
        elif self.choices or self.choices_from or self.extra_choices:
            raise ValueError(f"a {self.type} question cannot have choices")
        if self.type == QuestionType.SCALE and self.scale is None:
            raise ValueError("a scale question needs 'scale' with min, max, min_label, max_label")
        if self.tag_themes and self.type != QuestionType.FREE_TEXT:
            raise ValueError("only free_text questions can have tag_themes")
        if self.asks_for_help_when is not None and self.type != QuestionType.SINGLE_CHOICE:
            raise ValueError("only single_choice questions can have asks_for_help_when")
        return self


class SectionSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    intro: str | None = None
    questions: list[QuestionSpec] = Field(min_length=1)


class QuestionnaireSpec(_Strict):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    version_label: str = Field(min_length=1)
    prefer_not_to_say: str = "I'd rather not say"
    sections: list[SectionSpec] = Field(min_length=1)


# --- the resolved questionnaire the rest of the product uses -------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    theme: str | None = None


@dataclass(frozen=True)
class ShowIf:
    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: str
    help: str | None
    choices: tuple[Choice, ...]
    scale: ScaleSpec | None
    max_length: int
    show_if: ShowIf | None
    tag_themes: str | None
    asks_for_help_when: str | None = None  # the choice that says "I'd like help"

    def choice_values(self) -> set[str]:
        return {c.value for c in self.choices}

    def options(self) -> list[str]:
        """Every value a single-choice or scale widget offers, in order."""
        points = []
        if self.type == QuestionType.SCALE and self.scale is not None:
            points = [str(p) for p in range(self.scale.min, self.scale.max + 1)]
        return points + [c.value for c in self.choices]

    def label_for(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str | None
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: str
    version_label: str
    sections: tuple[Section, ...]
    version: str = field(default="")

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    @property
    def free_text_ids(self) -> frozenset[str]:
        """The questions answered in the young person's own words."""
        return frozenset(q.id for q in self.questions if q.type == QuestionType.FREE_TEXT)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def asks_for_help(self, answers: dict[str, Any]) -> bool:
        """Whether the answers say the young person would like help (a question's
        `asks_for_help_when` choice was picked)."""
        return any(
            q.asks_for_help_when is not None and answers.get(q.id) == q.asks_for_help_when
            for q in self.questions
        )

    def definition(self) -> dict[str, Any]:
        """A JSON-ready copy of what was asked, stored with the version."""
        return json.loads(json.dumps(asdict(self), default=_jsonable))


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump()
    return str(value)


def load_questionnaire(
    path: Path,
    dimensions: Dimensions,
    *,
    max_text_length: int = DEFAULT_MAX_TEXT,
    theme_ids: Collection[str] | None = None,
) -> Questionnaire:
    """Load, validate and resolve a questionnaire file; raise DataFileError if it is wrong.

    Dimension questions are checked against `dimensions`, and with `theme_ids` (the
    codebook's) every choice's `theme` too: survey/startup.py loads them all together.
    """
    raw = read_yaml(path)
    spec = validate_file(path, raw, QuestionnaireSpec)
    _check_dimension_questions(path, spec, dimensions)
    sections = tuple(
        _resolve_section(path, spec, s, dimensions, max_text_length) for s in spec.sections
    )
    questionnaire = Questionnaire(spec.id, spec.title, spec.version_label, sections)
    _check_references(path, questionnaire)
    if theme_ids is not None:
        check_choice_themes(path, questionnaire, theme_ids)
    digest = hashlib.sha256(json.dumps(questionnaire.definition(), sort_keys=True).encode())
    version = f"{spec.id}-{spec.version_label}-{digest.hexdigest()[:10]}"
    return Questionnaire(spec.id, spec.title, spec.version_label, sections, version)


def _check_dimension_questions(path: Path, spec: QuestionnaireSpec, dims: Dimensions) -> None:
    """A question read as a dimension offers that vocabulary's values (see DIMENSION_QUESTIONS)."""
    for section in spec.sections:
        for q in section.questions:
            vocabulary = DIMENSION_QUESTIONS.get(q.id)
            if vocabulary is None:
                continue
            where = f"section '{section.id}' > question '{q.id}'"
            if q.choices_from and q.choices_from != vocabulary:
                raise DataFileError(
                    path,
                    f"choices_from '{q.choices_from}' does not fit: the answer is read as "
                    f"one of the {vocabulary} of the dimensions, so use 'choices_from: "
                    f"{vocabulary}'",
                    where,
                )
            for choice in q.choices or []:
                check_name(
                    dims, vocabulary, path, f"{where} > choice '{choice.value}'", choice.value
                )


def check_choice_themes(
    path: Path, questionnaire: Questionnaire, theme_ids: Collection[str]
) -> None:
    """Every choice's `theme` is a theme of the codebook."""
    known = list(theme_ids)
    for section in questionnaire.sections:
        for q in section.questions:
            for choice in q.choices:
                if choice.theme is not None:
                    where = f"section '{section.id}' > question '{q.id}' > choice '{choice.value}'"
                    check_known(path, f"{where} > theme", "theme", choice.theme, known)


def _resolve_section(
    path: Path, spec: QuestionnaireSpec, section: SectionSpec, dims: Dimensions, max_text: int
) -> Section:
    questions = []
    for q in section.questions:
        choices: list[Choice] = [Choice(c.value, c.label, c.theme) for c in q.choices or []]
        if q.choices_from:
            theme_ids = q.choices_from == "place_types"
            choices += [
                Choice(value, label, value if theme_ids else None)
                for value, label in dims.vocabulary(q.choices_from)
            ]
        choices += [Choice(c.value, c.label, c.theme) for c in q.extra_choices]
        if q.prefer_not_to_say:
            choices.append(Choice(PREFER_NOT_TO_SAY, spec.prefer_not_to_say))
        values = [c.value for c in choices]
        duplicate = next((v for v in values if values.count(v) > 1), None)
        where = f"section '{section.id}' > question '{q.id}'"
        if duplicate:
            raise DataFileError(path, f"choice '{duplicate}' appears twice", where)
        if q.max_length and q.max_length > max_text:
            raise DataFileError(path, f"max_length may be at most {max_text}", where)
        if q.asks_for_help_when is not None and q.asks_for_help_when not in values:
            raise DataFileError(
                path,
                f"asks_for_help_when '{q.asks_for_help_when}' is not one of its choices "
                f"({', '.join(values)})",
                where,
            )
        show_if = ShowIf(q.show_if.question, tuple(q.show_if.in_)) if q.show_if else None
        questions.append(
            Question(
                q.id,
                q.type,
                q.text,
                q.help,
                tuple(choices),
                q.scale,
                q.max_length or max_text,
                show_if,
                q.tag_themes,
                q.asks_for_help_when,
            )
        )
    return Section(section.id, section.title, section.intro, tuple(questions))


def _check_references(path: Path, questionnaire: Questionnaire) -> None:
    """Ids are unique, and skip logic points back at an earlier section's real choices.

    Earlier section only: a section is one form on screen, and a form cannot change
    while it is being filled in.
    """
    seen: dict[str, Question] = {}
    for section in questionnaire.sections:
        for q in section.questions:
            where = f"section '{section.id}' > question '{q.id}'"
            if q.id in seen or [x.id for x in section.questions].count(q.id) > 1:
                raise DataFileError(path, "question id is used twice", where)
            if q.show_if:
                target = seen.get(q.show_if.question)
                if target is None:
                    raise DataFileError(
                        path,
                        f"show_if refers to '{q.show_if.question}', which is not a question "
                        "in an earlier section",
                        where,
                    )
                unknown = set(q.show_if.values) - target.choice_values()
                if target.type not in CHOICE_TYPES or unknown:
                    raise DataFileError(
                        path,
                        f"show_if values {sorted(unknown)} are not choices of '{target.id}'",
                        where,
                    )
        for q in section.questions:
            seen[q.id] = q


def is_shown(question: Question, answers: dict[str, Any]) -> bool:
    """Skip logic: is this question shown, given the answers so far?"""
    if question.show_if is None:
        return True
    given = answers.get(question.show_if.question)
    given_values = given if isinstance(given, list | tuple | set) else [given]
    return any(v in question.show_if.values for v in given_values if v is not None)


def visible_questions(section: Section, answers: dict[str, Any]) -> list[Question]:
    return [q for q in section.questions if is_shown(q, answers)]


def sections_ahead(questionnaire: Questionnaire, answers: dict[str, Any]) -> list[Section]:
    """The sections a young person sees, given the answers so far.

    A section whose condition is on a question not reached yet still counts, so the
    progress bar only ever shrinks ("Part 3 of 6" -> "Part 3 of 5"), never grows.
    """
    return [
        s
        for s in questionnaire.sections
        if any(
            q.show_if is None or q.show_if.question not in answers or is_shown(q, answers)
            for q in s.questions
        )
    ]
