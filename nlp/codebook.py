"""The theme codebook: a YAML file of themes, groups, strands, phrases and cues.

The codebook is data so that a partnership can add a theme without touching code. It is
validated on load; every error names the file, the theme and the field. Its version is a
short hash of the file's content, so a tag can always be traced back to the codebook it
came from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

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


class CodebookError(ValueError):
    """The codebook file is missing, unreadable or invalid; the message says where."""


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    description: str
    cues: tuple[str, ...] = ()
    suppress_located: bool = False


@dataclass(frozen=True)
class Strand:
    id: str
    label: str


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
    strands: list[Strand]
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

    def themes_by_group(self) -> dict[str, list[Theme]]:
        """Themes under each group id, both in codebook order (for grouped display)."""
        grouped: dict[str, list[Theme]] = {g.id: [] for g in self.groups}
        for theme in self.themes:
            grouped[theme.group].append(theme)
        return grouped

    def themes_in_strand(self, strand_id: str) -> list[Theme]:
        return [t for t in self.themes if strand_id in t.strands]


def content_version(data: bytes) -> str:
    """The version of a codebook: the first 12 hex digits of the SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()[:12]


def load_codebook(path: Path | str) -> Codebook:
    """Read and validate a codebook file; raise CodebookError naming what is wrong."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CodebookError(f"{path}: cannot read the codebook ({exc.strerror})") from exc
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CodebookError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    try:
        data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        # The line and the problem, not PyYAML's several-line excerpt of the file.
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or " ".join(str(exc).split())
        raise CodebookError(f"{path}: {where}not valid YAML: {problem}") from exc
    return _Validator(path).codebook(data, content_version(raw))


class _Validator:
    """Turns parsed YAML into a Codebook, with messages that name file, theme and field."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> CodebookError:
        return CodebookError(f"{self.path}: {where}: {message}")

    def codebook(self, data: Any, version: str) -> Codebook:
        if not isinstance(data, Mapping):
            raise CodebookError(f"{self.path}: the codebook must be a mapping with 'themes'")
        if data.get("schema", SCHEMA) != SCHEMA:
            raise self.fail("field 'schema'", f"must be {SCHEMA}")
        strands = self.strands(data.get("strands", []))
        groups = self.groups(data.get("groups"))
        themes = self.themes(data.get("themes"), {g.id for g in groups}, {s.id for s in strands})
        return Codebook(
            path=self.path,
            version=version,
            themes=themes,
            groups=groups,
            strands=strands,
            cues=self.cues(data.get("cues", {})),
            spellings=self.spellings(data.get("spellings", {})),
        )

    def strands(self, value: Any) -> list[Strand]:
        items = self.mapping_list(value, "field 'strands'")
        return [
            Strand(id=self.text(s, "id", f"strand {i}"), label=self.text(s, "label", f"strand {i}"))
            for i, s in enumerate(items)
        ]

    def groups(self, value: Any) -> list[Group]:
        groups = []
        for i, item in enumerate(self.mapping_list(value, "field 'groups'")):
            gid = self.text(item, "id", f"group {i}")
            where = f"group '{gid}'"
            groups.append(
                Group(
                    id=gid,
                    label=self.text(item, "label", where),
                    description=self.text(item, "description", where, required=False),
                    cues=tuple(self.strings(item.get("cues", []), f"{where}: field 'cues'")),
                    suppress_located=self.flag(item, "suppress_located", where),
                )
            )
        if not groups:
            raise self.fail("field 'groups'", "must list at least one group")
        return groups

    def themes(self, value: Any, group_ids: set[str], strand_ids: set[str]) -> list[Theme]:
        themes: list[Theme] = []
        seen: set[str] = set()
        for i, item in enumerate(self.mapping_list(value, "field 'themes'")):
            theme = self.theme(item, i, group_ids, strand_ids)
            if theme.id in seen:
                raise self.fail(f"theme '{theme.id}'", "the id is used twice")
            seen.add(theme.id)
            themes.append(theme)
        if not themes:
            raise self.fail("field 'themes'", "must list at least one theme")
        return themes

    def theme(self, item: Mapping, i: int, group_ids: set[str], strand_ids: set[str]) -> Theme:
        tid = self.text(item, "id", f"theme {i}")
        where = f"theme '{tid}'"
        if not THEME_ID.match(tid):
            raise self.fail(where, "field 'id' must look like 'kind.name' (lower case, a-z0-9_)")
        group = self.text(item, "group", where)
        if group not in group_ids:
            raise self.fail(where, f"field 'group' must be one of {sorted(group_ids)}")
        strands = self.strings(item.get("strands", []), f"{where}: field 'strands'")
        unknown = sorted(set(strands) - strand_ids)
        if unknown:
            raise self.fail(where, f"field 'strands' names unknown strand(s) {unknown}")
        lists = {f: self.phrases(item.get(f, []), f"{where}: field '{f}'") for f in PHRASE_FIELDS}
        return Theme(
            id=tid,
            label=self.text(item, "label", where),
            description=self.text(item, "description", where),
            group=group,
            strands=strands,
            include=self.text(item, "include", where, required=False),
            exclude=self.text(item, "exclude", where, required=False),
            patterns=self.patterns(item.get("patterns", []), f"{where}: field 'patterns'"),
            can_locate=self.flag(item, "can_locate", where, default=True),
            **lists,
        )

    def cues(self, value: Any) -> dict[str, list[str]]:
        if not isinstance(value, Mapping):
            raise self.fail("field 'cues'", "must be a mapping of cue lists")
        cues = {}
        for name in CUE_LIST_FIELDS:
            if name not in value and name in OPTIONAL_CUE_FIELDS:
                continue
            read = self.strings if name in LITERAL_CUE_FIELDS else self.phrases
            cues[name] = read(value.get(name, []), f"cues: field '{name}'")
        unknown = sorted(set(value) - set(CUE_LIST_FIELDS))
        if unknown:
            raise self.fail("field 'cues'", f"unknown cue list(s) {unknown}")
        return cues

    def spellings(self, value: Any) -> dict[str, list[str]]:
        if not isinstance(value, Mapping):
            raise self.fail("field 'spellings'", "must map a word to a list of its spellings")
        out = {}
        for word, variants in value.items():
            if not isinstance(word, str) or not word.strip():
                raise self.fail("field 'spellings'", f"key {word!r} must be a word")
            out[word.lower()] = [v.lower() for v in self.strings(variants, f"spellings: '{word}'")]
        return out

    # -- small typed readers -------------------------------------------------------------

    def mapping_list(self, value: Any, where: str) -> list[Mapping]:
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise self.fail(where, "must be a list of mappings")
        return value

    def text(self, item: Mapping, key: str, where: str, required: bool = True) -> str:
        value = item.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(where, f"field '{key}' must be a non-empty string")
        return value.strip()

    def flag(self, item: Mapping, key: str, where: str, default: bool = False) -> bool:
        value = item.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(where, f"field '{key}' must be true or false")
        return value

    def strings(self, value: Any, where: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(where.split(": ", 1)[0], f"{_field(where)} must be a list of strings")
        return list(value)

    def phrases(self, value: Any, where: str) -> list[str]:
        phrases = self.strings(value, where)
        for phrase in phrases:
            problem = _choice_problem(phrase)
            if problem:
                raise self.fail(where.split(": ", 1)[0], f"{_field(where)}: {phrase!r} {problem}")
        return phrases

    def patterns(self, value: Any, where: str) -> list[list[dict[str, Any]]]:
        ok = isinstance(value, list) and all(
            isinstance(p, list) and p and all(isinstance(t, Mapping) and t for t in p)
            for p in value
        )
        if not ok:
            raise self.fail(
                where.split(": ", 1)[0],
                f"{_field(where)} must be a list of token patterns (lists of mappings)",
            )
        return [[dict(t) for t in p] for p in value]


def _field(where: str) -> str:
    return where.split(": ", 1)[1] if ": " in where else where


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
