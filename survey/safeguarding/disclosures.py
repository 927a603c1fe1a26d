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

import yaml

from survey.core.data_files import yaml_error_parts
from survey.core.settings import get_settings
from survey.privacy.redaction import normalise_with_map

CUES_FILE = "safeguarding_cues.yaml"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_CATEGORY_KEYS = {"label", "cues", "unless"}
_SPACES = re.compile(r"[^\S\n]")  # any space but a newline becomes " "
_KEPT = re.compile(r"(?!')(?!(?<= ) )[\s\S]")  # drop apostrophes and a space after a space
MAX_EVIDENCE = 10  # per category: enough for a worker to see why, bounded for huge input
_SENTENCE_REACH = 300  # an `unless` looks this far either side of a cue, within its sentence


class CuesError(ValueError):
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

_LOADED: dict[Path, CueBook] = {}


def load_cues(path: Path | None = None) -> CueBook:
    """Load and check the cues file (default `data/safeguarding_cues.yaml`), once per process."""
    path = Path(path or get_settings().data_dir / CUES_FILE)
    if path not in _LOADED:
        _LOADED[path] = parse_cues(path)
    return _LOADED[path]


def parse_cues(path: Path) -> CueBook:
    """Read and validate a cues file; raise `CuesError` naming the file, category and problem."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CuesError(f"{path}: cannot read the safeguarding cues ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise CuesError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except yaml.YAMLError as exc:
        where, problem = yaml_error_parts(exc)
        raise CuesError(f"{path}: {where + ': ' if where else ''}{problem}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("categories"), dict):
        raise CuesError(f"{path}: expected a mapping with a 'categories' mapping")
    if not doc["categories"]:
        raise CuesError(f"{path}: 'categories' is empty")
    vocab = _vocab(path, doc.get("vocab") or {})
    categories = tuple(
        _category(path, str(cid), body, vocab) for cid, body in doc["categories"].items()
    )
    return CueBook(path=path, categories=categories)


def _vocab(path: Path, raw: object) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise CuesError(f"{path}: 'vocab' must map names to regular expressions")
    vocab: dict[str, str] = {}
    for name, value in raw.items():
        if not isinstance(value, str) or not value.strip():
            raise CuesError(f"{path}: vocab '{name}' must be a non-empty regular expression")
        vocab[str(name)] = value.strip()
        _compile(path, f"vocab '{name}'", vocab[str(name)])
    return vocab


def _category(path: Path, cid: str, body: object, vocab: dict[str, str]) -> _Category:
    where = f"category '{cid}'"
    if not isinstance(body, dict):
        raise CuesError(f"{path}: {where} must be a mapping with 'label' and 'cues'")
    unknown = set(body) - _CATEGORY_KEYS
    if unknown:
        raise CuesError(f"{path}: {where} has unknown key(s) {', '.join(sorted(unknown))}")
    label = body.get("label")
    if not isinstance(label, str) or not label.strip():
        raise CuesError(f"{path}: {where} needs a 'label' (a short human name)")
    cues = body.get("cues")
    if not isinstance(cues, list) or not cues:
        raise CuesError(f"{path}: {where} needs a non-empty list of 'cues'")
    unless = body.get("unless") or []
    if not isinstance(unless, list):
        raise CuesError(f"{path}: {where}: 'unless' must be a list of regular expressions")
    return _Category(
        id=cid,
        label=label.strip(),
        cues=tuple(_cue(path, f"{where}, cue {n}", c, vocab) for n, c in enumerate(cues, 1)),
        unless=tuple(
            _pattern(path, f"{where}, unless {n}", u, vocab) for n, u in enumerate(unless, 1)
        ),
    )


def _cue(path: Path, where: str, raw: object, vocab: dict[str, str]) -> _Cue:
    if isinstance(raw, dict):
        parts = raw.get("all")
        if set(raw) != {"all"} or not isinstance(parts, list) or len(parts) < 2:
            raise CuesError(
                f"{path}: {where}: a mapping cue must be {{all: [two or more regexes]}}"
            )
        return _Cue(tuple(_pattern(path, where, p, vocab) for p in parts))
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


def _pattern(path: Path, where: str, raw: object, vocab: dict[str, str]) -> re.Pattern[str]:
    if not isinstance(raw, str) or not raw.strip():
        raise CuesError(f"{path}: {where} must be a non-empty regular expression")

    def expand(m: re.Match[str]) -> str:
        if m.group(1) not in vocab:
            raise CuesError(f"{path}: {where} uses {{{m.group(1)}}}, which 'vocab' does not define")
        return vocab[m.group(1)]

    return _compile(path, where, _PLACEHOLDER.sub(expand, raw))


def _compile(path: Path, where: str, source: str) -> re.Pattern[str]:
    try:
        pattern = re.compile(source)
    except re.error as exc:
        raise CuesError(f"{path}: {where} is not a valid regular expression: {exc}") from exc
    if pattern.search(""):
        raise CuesError(f"{path}: {where} matches empty text, so it would flag every answer")
    return pattern
