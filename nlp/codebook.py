"""The theme codebook: a YAML file of themes, groups, phrases and cues.

The codebook is data so that a partnership can add a theme without touching code. It is
validated on load (pydantic models, through nlp/file_formats.py); every error names the
file, the theme and the field. Its version is a short hash of the file's content, so a tag
can always be traced back to the codebook it came from.

Themes name their strands by id. The strands themselves are defined once, with the other
shared dimensions, in `data/dimensions.yaml`; nlp imports nothing of the project, so the
project checks a loaded codebook against them (survey/core/dimensions.py, check_codebook).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)

from nlp.file_formats import (
    DataFileError,
    check_known,
    decode,
    errors_as,
    parse_yaml,
    read_bytes,
    validate_file,
)

SCHEMA = 1
THEME_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
PHRASE_FIELDS = ("phrases", "exact_phrases", "cued_phrases", "not_phrases")
CUE_LIST_FIELDS = (
    "clause_boundaries",
    "sentence_boundaries",
    "contrast",
    "qualifiers",
    "deny_following",
    "deny_preceding",
    "ask_rejections",
    "ask_rejections_before",
    "reassurance",
    "reassurance_blockers",
    "others_worry",
    "locators",
    "negators",
    "negation_fillers",
)
OPTIONAL_CUE_FIELDS = frozenset({"negators"})
# Lists of single tokens taken literally: "(" here is a bracket, not a choice.
LITERAL_CUE_FIELDS = frozenset({"clause_boundaries", "sentence_boundaries", "negation_fillers"})


class CodebookError(DataFileError):
    """The codebook file is missing, unreadable or invalid; the message says where."""


# --- the file's shape (pydantic validates it and names what is wrong) ---------------------


def _phrase(value: str) -> str:
    problem = _choice_problem(value)
    if problem:
        raise ValueError(f"{value!r} {problem}")
    return value


def _theme_id(value: str) -> str:
    if not THEME_ID.match(value):
        raise ValueError(f"'{value}' must look like 'kind.name' (lower case, a-z0-9_)")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Note = Annotated[str, StringConstraints(strip_whitespace=True)]
Word = Annotated[str, StringConstraints(min_length=1)]
Phrase = Annotated[str, StringConstraints(min_length=1), AfterValidator(_phrase)]
TokenPattern = Annotated[list[Annotated[dict[str, Any], Field(min_length=1)]], Field(min_length=1)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GroupSpec(_Spec):
    id: Text
    label: Text
    description: Note = ""
    cues: list[Phrase] = []
    suppress_located: StrictBool = False


class ThemeSpec(_Spec):
    id: Annotated[str, AfterValidator(_theme_id)]
    label: Text
    description: Text
    group: Text
    strands: list[Word] = []  # ids of data/dimensions.yaml's strands
    include: Note = ""
    exclude: Note = ""
    phrases: list[Phrase] = []
    exact_phrases: list[Phrase] = []
    cued_phrases: list[Phrase] = []
    not_phrases: list[Phrase] = []
    patterns: list[TokenPattern] = []
    can_locate: StrictBool = True


class CuesSpec(_Spec):
    clause_boundaries: list[Word] = []
    sentence_boundaries: list[Word] = []
    contrast: list[Phrase] = []
    qualifiers: list[Phrase] = []
    deny_following: list[Phrase] = []
    deny_preceding: list[Phrase] = []
    ask_rejections: list[Phrase] = []
    ask_rejections_before: list[Phrase] = []
    reassurance: list[Phrase] = []
    reassurance_blockers: list[Phrase] = []
    others_worry: list[Phrase] = []
    locators: list[Phrase] = []
    negators: list[Phrase] | None = None
    negation_fillers: list[Word] = []


class CodebookSpec(_Spec):
    schema_: Literal[1] = Field(default=1, alias="schema")  # SCHEMA
    groups: list[GroupSpec] = Field(min_length=1)
    cues: CuesSpec = CuesSpec()
    spellings: dict[Word, list[Word]] = {}
    themes: list[ThemeSpec] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _strands_live_in_dimensions(cls, data: Any) -> Any:
        if isinstance(data, dict) and "strands" in data:
            raise ValueError(
                "'strands' is defined once, in dimensions.yaml: remove it from the codebook "
                "(each theme names its strands by id)"
            )
        return data


# --- the loaded codebook the rest of the product uses --------------------------------------


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    description: str
    cues: tuple[str, ...] = ()
    suppress_located: bool = False


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    description: str
    group: str
    strands: list[str]
    include: str = ""
    exclude: str = ""
    phrases: list[str] = field(default_factory=list)
    exact_phrases: list[str] = field(default_factory=list)
    cued_phrases: list[str] = field(default_factory=list)
    not_phrases: list[str] = field(default_factory=list)
    patterns: list[list[dict[str, Any]]] = field(default_factory=list)
    # False for a place that cannot locate another ("the group chat at school" is at school)
    can_locate: bool = True


@dataclass(frozen=True)
class Codebook:
    path: Path
    version: str
    themes: list[Theme]
    groups: list[Group]
    cues: dict[str, list[str]]
    spellings: dict[str, list[str]]

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id; KeyError if the codebook has none."""
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(f"{self.path}: no theme '{theme_id}'")

    def group(self, group_id: str) -> Group:
        for group in self.groups:
            if group.id == group_id:
                return group
        raise KeyError(f"{self.path}: no group '{group_id}'")


def content_version(data: bytes) -> str:
    """The version of a codebook: the first 12 hex digits of the SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()[:12]


def load_codebook(path: Path | str) -> Codebook:
    """Read and validate a codebook file; raise CodebookError naming what is wrong."""
    path = Path(path)
    with errors_as(CodebookError):
        raw = read_bytes(path)
        spec = validate_file(path, parse_yaml(path, decode(path, raw)), CodebookSpec)
        return _codebook(path, spec, content_version(raw))


def _codebook(path: Path, spec: CodebookSpec, version: str) -> Codebook:
    """The loaded codebook, once its references (groups, unique ids) are checked."""
    group_ids = [g.id for g in spec.groups]
    seen: set[str] = set()
    for theme in spec.themes:
        where = f"theme '{theme.id}'"
        if theme.id in seen:
            raise DataFileError(path, "the id is used twice", where)
        seen.add(theme.id)
        check_known(path, f"{where} > group", "group", theme.group, group_ids)
    cues = spec.cues.model_dump()
    if cues["negators"] is None:
        del cues["negators"]
    return Codebook(
        path=path,
        version=version,
        themes=[Theme(**theme.model_dump()) for theme in spec.themes],
        groups=[
            Group(g.id, g.label, g.description, tuple(g.cues), g.suppress_located)
            for g in spec.groups
        ],
        cues=cues,
        spellings={w.lower(): [v.lower() for v in vs] for w, vs in spec.spellings.items()},
    )


def _choice_problem(phrase: str) -> str:
    """Why a phrase's "(a|b)" choices cannot be expanded, or "" when they can."""
    depth = 0
    for char in phrase:
        if char == "(":
            depth += 1
            if depth > 1:
                return "has nested brackets"
        elif char == ")":
            depth -= 1
            if depth < 0:
                return "has a ')' without '('"
    if depth:
        return "has a '(' without ')'"
    if not phrase.replace("(", "").replace(")", "").replace("|", "").strip():
        return "is empty"
    return ""
