"""Spot a safeguarding disclosure in a young person's answer.

`detect_disclosure(text)` says whether an answer reads as a disclosure a safeguarding lead must
see (harm at home, sexual abuse or exploitation, grooming, being made to carry or sell drugs,
self-harm or suicidal thoughts, a threat now, a known adult hurting or grooming them), under which
categories, and which words made it so. The cues live in `data/safeguarding_cues.yaml`, which a
partnership may edit; the file is checked when it is loaded and a bad cue is reported by file,
category and cue. Missing a disclosure is worse than a false alarm, so cues lean towards flagging.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from survey.core.data_files import (
    DataFileError,
    errors_as,
    read_yaml,
    reloaded_on_change,
    validate_file,
)
from survey.core.settings import get_settings
from survey.privacy.redaction import normalise_with_map

CUES_FILE = "safeguarding_cues.yaml"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_SPACES = re.compile(r"[^\S\n]")  # any space but a newline becomes " "
_KEPT = re.compile(r"(?!')(?!(?<= ) )[\s\S]")  # drop apostrophes and a space after a space
MAX_EVIDENCE = 10  # per category: enough for a worker to see why, bounded for huge input
_SENTENCE_REACH = 300  # an `unless` looks this far either side of a cue, within its sentence


class CuesError(DataFileError):
    """The safeguarding cues file is malformed; the message names the file, category and cue."""


@dataclass(frozen=True)
class Disclosure:
    """Whether an answer needs a safeguarding lead, why, and the words that showed it."""

    flagged: bool
    categories: list[str] = field(default_factory=list)
    evidence: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class _Cue:
    parts: tuple[re.Pattern[str], ...]  # all must match; the first gives the evidence span
    gates: tuple[re.Pattern[str], ...] = ()  # cheap necessary conditions, checked first


@dataclass(frozen=True)
class _Category:
    id: str
    label: str
    cues: tuple[_Cue, ...]
    unless: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class CueBook:
    """The loaded cues: categories in file order, and their human labels."""

    path: Path
    categories: tuple[_Category, ...]

    @property
    def labels(self) -> dict[str, str]:
        return {c.id: c.label for c in self.categories}


def detect_disclosure(text: str, *, cues: CueBook | None = None) -> Disclosure:
    """Flag `text` when it reads as a disclosure; list the categories and evidence spans.

    Evidence offsets and text refer to `text` as given (redacted or not).
    """
    if not text or not text.strip():
        return Disclosure(flagged=False)
    book = cues or load_cues()
    norm, index = _prepare(text)
    categories: list[str] = []
    evidence: list[dict[str, object]] = []
    for category in book.categories:
        spans = _category_spans(category, norm)
        if not spans:
            continue
        categories.append(category.id)
        for start, end in spans:
            s, e = index[start], index[end - 1] + 1
            evidence.append({"text": text[s:e], "start": s, "end": e, "category": category.id})
    return Disclosure(flagged=bool(categories), categories=categories, evidence=evidence)


def _category_spans(category: _Category, norm: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    used = bytearray(len(norm))
    for cue in category.cues:
        first, *rest = cue.parts
        if not all(p.search(norm) for p in (*cue.gates, *rest)):
            continue
        for m in first.finditer(norm):
            start, end = m.span()
            fresh = end > start and not any(used[start:end])
            if fresh and not _excused(category, norm, start, end):
                spans.append((start, end))
                used[start:end] = b"\x01" * (end - start)
                if len(spans) >= MAX_EVIDENCE:
                    return sorted(spans)
    return sorted(spans)


def _excused(category: _Category, norm: str, start: int, end: int) -> bool:
    """A cue is ignored when an `unless` pattern matches in the sentence it sits in."""
    if not category.unless:
        return False
    lo, hi = max(0, start - _SENTENCE_REACH), min(len(norm), end + _SENTENCE_REACH)
    left = max(norm.rfind(mark, lo, start) for mark in ".!?\n") + 1 or lo
    rights = [i for i in (norm.find(mark, end, hi) for mark in ".!?\n") if i >= 0]
    sentence = norm[max(left, lo) : min(rights, default=hi)]
    return any(p.search(sentence) for p in category.unless)


def _prepare(text: str) -> tuple[str, list[int]]:
    """Lower-case, drop apostrophes and squeeze spaces, keeping each character's original index."""
    clean, index = normalise_with_map(text)
    clean = _SPACES.sub(" ", clean.lower() if len(clean.lower()) == len(clean) else clean)
    keep = [m.start() for m in _KEPT.finditer(clean)]
    return "".join(clean[i] for i in keep), [index[i] for i in keep]


# --- loading and checking the cues file --------------------------------------------------------


def _regex(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _cue_shape(value: Any) -> Any:
    """A cue is a regular expression, or {all: [two or more regular expressions]}."""
    if _regex(value):
        return value
    if isinstance(value, dict) and set(value) == {"all"}:
        parts = value["all"]
        if isinstance(parts, list) and len(parts) >= 2 and all(_regex(p) for p in parts):
            return value
    raise ValueError(
        "a cue must be a non-empty regular expression, or {all: [two or more regexes]}"
    )


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must be a non-empty regular expression")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Regex = Annotated[str, AfterValidator(_nonblank)]  # spaces in a regex are kept: they match
CueSpec = Annotated[Any, AfterValidator(_cue_shape)]


class _CategorySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: Text  # a short human name
    cues: list[CueSpec] = Field(min_length=1)
    unless: list[Regex] | None = None


class _CuesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = 1
    vocab: dict[str, Text] | None = None
    categories: dict[str, _CategorySpec] = Field(min_length=1)


def load_cues(path: Path | None = None) -> CueBook:
    """The cues file (default `data/safeguarding_cues.yaml`), checked, by the loading rule
    (survey/core/data_files.py): read once, and again when the file changes."""
    return _cached_cues(Path(path or get_settings().data_dir / CUES_FILE))


@reloaded_on_change(lambda path: [path])
def _cached_cues(path: Path) -> CueBook:
    return parse_cues(path)


def parse_cues(path: Path) -> CueBook:
    """Read and validate a cues file; raise `CuesError` naming the file, category and problem."""
    with errors_as(CuesError):
        spec = validate_file(path, read_yaml(path), _CuesFile)
        vocab: dict[str, str] = {}
        for name, value in (spec.vocab or {}).items():
            vocab[name] = value
            _compile(path, f"vocab > {name}", value)
        categories = tuple(
            _category(path, cid, body, vocab) for cid, body in spec.categories.items()
        )
    return CueBook(path=path, categories=categories)


def _category(path: Path, cid: str, body: _CategorySpec, vocab: dict[str, str]) -> _Category:
    where = f"categories > {cid}"
    return _Category(
        id=cid,
        label=body.label,
        cues=tuple(
            _cue(path, f"{where} > cues > item {n}", c, vocab) for n, c in enumerate(body.cues, 1)
        ),
        unless=tuple(
            _pattern(path, f"{where} > unless > item {n}", u, vocab)
            for n, u in enumerate(body.unless or [], 1)
        ),
    )


def _cue(path: Path, where: str, raw: str | dict[str, list[str]], vocab: dict[str, str]) -> _Cue:
    if isinstance(raw, dict):  # {all: [...]}, its shape checked on validation
        return _Cue(tuple(_pattern(path, where, p, vocab) for p in raw["all"]))
    pattern = _pattern(path, where, raw, vocab)
    return _Cue((pattern,), _gates(pattern.pattern))


_GAP = re.compile(r"\[\^\.!\?\\n\]\{0,\d+\}\??")  # the "[^.!?\n]{0,60}" between two parts


def _gates(source: str) -> tuple[re.Pattern[str], ...]:
    """The part after a top-level gap must match somewhere before the whole cue can.

    Searching for it first keeps a long answer full of cue openings ("mr ... mr ...") fast.
    """
    for gap in _GAP.finditer(source):
        head = source[: gap.start()]
        if head.count("(") - head.count("\\(") != head.count(")") - head.count("\\)"):
            continue  # the gap sits inside a group: its tail is not a necessary condition
        try:
            return (re.compile(source[gap.end() :]),)
        except re.error:
            return ()
    return ()


def _pattern(path: Path, where: str, raw: str, vocab: dict[str, str]) -> re.Pattern[str]:
    def expand(m: re.Match[str]) -> str:
        if m.group(1) not in vocab:
            raise CuesError(path, f"uses {{{m.group(1)}}}, which 'vocab' does not define", where)
        return vocab[m.group(1)]

    return _compile(path, where, _PLACEHOLDER.sub(expand, raw))


def _compile(path: Path, where: str, source: str) -> re.Pattern[str]:
    try:
        pattern = re.compile(source)
    except re.error as exc:
        raise CuesError(path, f"not a valid regular expression: {exc}", where) from None
    if pattern.search(""):
        raise CuesError(path, "matches empty text, so it would flag every answer", where)
    return pattern
