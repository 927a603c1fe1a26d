"""Spot a safeguarding disclosure in a young person's answer, in one of two bands.

`detect_disclosure(text)` says whether an answer reads as a disclosure a safeguarding lead must
see (harm at home, sexual abuse or exploitation, intimate images shared or threatened, grooming,
being made to carry or sell drugs, self-harm or suicidal thoughts, a threat now, a known adult
hurting or grooming them, carrying a weapon), how sure it is, under which categories, and which
words made it so:

- band "alert": high confidence. The young person is shown the help page at once and the
  safeguarding leads are told (survey/safeguarding/alerts.py).
- band "check": a possible concern. A worker reads it within a working day; the young person
  sees nothing different.

Two sources, OR'd. The cues in `data/safeguarding_cues.yaml` (a partnership may edit them; the
file is checked when it is loaded and a bad cue is reported by file, category and cue), each in
a band; and a classifier trained on `data/safeguarding/train.jsonl` (survey/safeguarding/
classifier.py), which adds a check where no cue fired (it raises an alert only if the cues
file gives it an `alert_threshold` and a check cue agrees; the shipped file does not). Guards in
the cues file keep games, sport, jokes and exams ("killed me in Fortnite", "exams are killing
me") from reading as harm, for the cues and the classifier alike. Missing a disclosure is worse
than a false alarm, so doubtful wordings sit in the check band rather than nowhere.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

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

if TYPE_CHECKING:
    from survey.safeguarding.classifier import Classifier

CUES_FILE = "safeguarding_cues.yaml"
ALERT, CHECK = "alert", "check"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_SPACES = re.compile(r"[^\S\n]")  # any space but a newline becomes " "
_KEPT = re.compile(r"(?!')(?!(?<= ) )[\s\S]")  # drop apostrophes and a space after a space
_SENTENCE_END = re.compile(r"[.!?\n]+")
_WORD = re.compile(r"[^\W_]+")
# A disclosure is about the writer: the classifier only reads sentences that say I, me, my...
_FIRST_PERSON = re.compile(r"\b(?:i|im|ive|id|ill|me|my|myself|mine|meself|we|us|our|ourselves)\b")
MAX_EVIDENCE = 10  # per category: enough for a worker to see why, bounded for huge input
_SENTENCE_REACH = 300  # an `unless` or a guard looks this far either side, within the sentence
MODEL_REACH = 5000  # the classifier reads this many characters (the longest answer kept)
_MODEL_SENTENCES = 40  # and scores at most this many sentences of it one by one


class CuesError(DataFileError):
    """The safeguarding cues file is malformed; the message names the file, category and cue."""


@dataclass(frozen=True)
class Disclosure:
    """Whether an answer needs a safeguarding lead, how urgently, why, and the words that
    showed it.

    `band` is "alert", "check" or None; `flagged` is true for either band. Each evidence item
    has `text`, `start`, `end` (offsets into the text as given), `category`, `band`, and
    `source` ("cue" or "model"; a model item also carries its `score`).
    """

    flagged: bool
    categories: list[str] = field(default_factory=list)
    evidence: list[dict[str, object]] = field(default_factory=list)
    band: str | None = None


@dataclass(frozen=True)
class _Cue:
    parts: tuple[re.Pattern[str], ...]  # all must match; the first gives the evidence span
    gates: tuple[re.Pattern[str], ...] = ()  # cheap necessary conditions, checked first


@dataclass(frozen=True)
class _Category:
    id: str
    label: str
    cues: tuple[_Cue, ...]  # the alert band
    checks: tuple[_Cue, ...]  # the check band
    unless: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class _Guard:
    id: str
    label: str
    scope: str  # "span": a match must overlap the cue; "sentence": anywhere in its sentence
    effect: str  # "silence" drops the cue; "check" turns an alert into a check
    silences: frozenset[str]
    when: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]  # the file's `except`


@dataclass(frozen=True)
class ModelSettings:
    training: tuple[Path, ...]
    check_threshold: float
    alert_threshold: float | None
    prior: float | None = None
    min_words: int = 3


@dataclass(frozen=True)
class CueBook:
    """The loaded cues: categories in file order, guards, vocabulary and the model settings."""

    path: Path
    categories: tuple[_Category, ...]
    guards: tuple[_Guard, ...] = ()
    vocab: tuple[tuple[str, re.Pattern[str]], ...] = ()
    model: ModelSettings | None = None

    @property
    def labels(self) -> dict[str, str]:
        return {c.id: c.label for c in self.categories}


@dataclass(frozen=True)
class _Hit:
    start: int  # in the normalised text
    end: int
    category: str
    band: str
    source: str = "cue"
    score: float | None = None


def detect_disclosure(
    text: str, *, cues: CueBook | None = None, use_model: bool = True
) -> Disclosure:
    """Flag `text` when it reads as a disclosure; give its band, categories and evidence.

    Evidence offsets and text refer to `text` as given (redacted or not). `use_model=False`
    leaves the classifier out (the cues alone; tests of the cues use it).
    """
    if not text or not text.strip():
        return Disclosure(flagged=False)
    book = cues or load_cues()
    norm, index = _prepare(text)
    hits: list[_Hit] = []
    for category in book.categories:
        hits.extend(_category_hits(book, category, norm))
    if use_model and book.model is not None and not any(h.band == ALERT for h in hits):
        hits.extend(_model_hits(book, book.model, norm, hits))
    if not hits:
        return Disclosure(flagged=False)
    band = ALERT if any(h.band == ALERT for h in hits) else CHECK
    hits.sort(key=lambda h: (h.band != ALERT, h.start))
    categories: list[str] = []
    evidence: list[dict[str, object]] = []
    for hit in hits:
        if hit.category not in categories:
            categories.append(hit.category)
        s, e = index[hit.start], index[hit.end - 1] + 1
        item: dict[str, object] = {
            "text": text[s:e],
            "start": s,
            "end": e,
            "category": hit.category,
            "band": hit.band,
            "source": hit.source,
        }
        if hit.score is not None:
            item["score"] = round(hit.score, 3)
        evidence.append(item)
    return Disclosure(flagged=True, categories=categories, evidence=evidence, band=band)


def _category_hits(book: CueBook, category: _Category, norm: str) -> list[_Hit]:
    hits: list[_Hit] = []
    used = bytearray(len(norm))
    for band, cues in ((ALERT, category.cues), (CHECK, category.checks)):
        found = 0
        for cue in cues:
            first, *rest = cue.parts
            if not all(p.search(norm) for p in (*cue.gates, *rest)):
                continue
            for m in first.finditer(norm):
                start, end = m.span()
                if end <= start or any(used[start:end]):
                    continue
                sentence = _sentence(norm, start, end)
                if _excused(category, norm, sentence):
                    continue
                kept = _guarded(book, category.id, band, norm, sentence, start, end)
                if kept is None:
                    continue
                hits.append(_Hit(start, end, category.id, kept))
                used[start:end] = b"\x01" * (end - start)
                found += 1
                if found >= MAX_EVIDENCE:
                    break
            if found >= MAX_EVIDENCE:
                break
    return hits


def _sentence(norm: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around norm[start:end], at most _SENTENCE_REACH either side."""
    lo, hi = max(0, start - _SENTENCE_REACH), min(len(norm), end + _SENTENCE_REACH)
    left = max(norm.rfind(mark, lo, start) for mark in ".!?\n") + 1 or lo
    rights = [i for i in (norm.find(mark, end, hi) for mark in ".!?\n") if i >= 0]
    return max(left, lo), min(rights, default=hi)


def _excused(category: _Category, norm: str, sentence: tuple[int, int]) -> bool:
    """A cue is ignored when an `unless` pattern matches in the sentence it sits in."""
    if not category.unless:
        return False
    text = norm[sentence[0] : sentence[1]]
    return any(p.search(text) for p in category.unless)


def _guarded(
    book: CueBook,
    category: str,
    band: str,
    norm: str,
    sentence: tuple[int, int],
    start: int,
    end: int,
) -> str | None:
    """The band a hit keeps once the guards have looked at it (None: silenced)."""
    lo, hi = sentence
    text = norm[lo:hi]
    for guard in book.guards:
        if category not in guard.silences or (guard.effect == CHECK and band == CHECK):
            continue
        if any(p.search(text) for p in guard.unless):
            continue
        if guard.scope == "sentence":
            applies = any(p.search(text) for p in guard.when)
        else:
            applies = any(
                m.start() + lo < end and m.end() + lo > start
                for p in guard.when
                for m in p.finditer(text)
            )
        if not applies:
            continue
        if guard.effect == "silence":
            return None
        band = CHECK
    return band


def _model_hits(book: CueBook, settings: ModelSettings, norm: str, hits: list[_Hit]) -> list[_Hit]:
    """The classifier's view: the most worrying sentence (or the whole answer), when it is
    worrying enough and no guard excuses it."""
    model = load_model(book)
    reach = norm[:MODEL_REACH]
    spans = _sentence_spans(reach)
    candidates = spans[:_MODEL_SENTENCES]
    if len(spans) > 1:
        candidates.append((spans[0][0], spans[-1][1]))
    best: tuple[float, str, int, int] | None = None
    for start, end in candidates:
        if len(_WORD.findall(reach, start, end)) < settings.min_words:
            continue
        if not _FIRST_PERSON.search(reach, start, end):
            continue
        prediction = model.predict(reach[start:end])
        if best is None or prediction.concern > best[0]:
            best = (prediction.concern, prediction.category, start, end)
    if best is None or best[0] < settings.check_threshold:
        return []
    score, category, start, end = best
    # The model alone gives a check; it gives an alert only when very sure and a check cue
    # agrees (two independent signals), so an odd wording never alarms a young person.
    sure = settings.alert_threshold is not None and score >= settings.alert_threshold
    band = ALERT if sure and hits else CHECK
    if hits and band == CHECK:
        return []  # a cue has already put it in the check band, with better evidence
    sentence = _sentence(norm, start, end) if (start, end) in spans else (start, end)
    owner = next((c for c in book.categories if c.id == category), None)
    if owner is not None and _excused(owner, norm, sentence):
        return []  # what excuses a cue (a denial, another person) excuses the model too
    kept = _guarded(book, category, band, norm, sentence, start, end)
    if kept is None:
        return []
    return [_Hit(start, end, category, kept, source="model", score=score)]


def _sentence_spans(norm: str) -> list[tuple[int, int]]:
    """Each sentence of `norm` as (start, end), without its surrounding spaces."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(norm):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(norm)))
    trimmed = []
    for s, e in spans:
        while s < e and norm[s].isspace():
            s += 1
        while e > s and norm[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def _prepare(text: str) -> tuple[str, list[int]]:
    """Lower-case, drop apostrophes and squeeze spaces, keeping each character's original index."""
    clean, index = normalise_with_map(text)
    clean = _SPACES.sub(" ", clean.lower() if len(clean.lower()) == len(clean) else clean)
    keep = [m.start() for m in _KEPT.finditer(clean)]
    return "".join(clean[i] for i in keep), [index[i] for i in keep]


def normalise(text: str) -> str:
    """The text as the cues and the classifier read it (lower case, no apostrophes)."""
    return _prepare(text)[0]


# --- the classifier, trained once per change of its files ---------------------------------------


def load_model(book: CueBook) -> Classifier:
    """The classifier for `book`'s model settings, trained from its training files by the
    loading rule: once, and again when the cues file or a training file changes."""
    if book.model is None:
        raise CuesError(book.path, "has no 'model' section", "model")
    return _cached_model(book.path, book.model.training)


@reloaded_on_change(lambda cues_path, training: [cues_path, *training])
def _cached_model(cues_path: Path, training: tuple[Path, ...]) -> Classifier:
    """Trained once per content of the cues and training files and kept in the models
    folder, so a new process (the app, `youthvoice tag`) loads it instead of training it."""
    from survey.safeguarding import classifier

    book = load_cues(cues_path)
    digest = hashlib.sha256(classifier.MODEL_FORMAT.encode())
    for path in (cues_path, *training):
        digest.update(path.read_bytes())
    kept = get_settings().models_dir / f"safeguarding-{digest.hexdigest()[:16]}.npz"
    if kept.exists():
        return classifier.load(kept, book.vocab)
    examples = [e for path in training for e in classifier.read_examples(path, book.labels)]
    if not examples:
        raise CuesError(cues_path, "the model's training files hold no examples", "model")
    assert book.model is not None
    model = classifier.train(examples, book.vocab, normalise=normalise, prior=book.model.prior)
    classifier.save(model, kept)
    return model


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
Probability = Annotated[float, Field(gt=0, le=1)]


class _CategorySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: Text  # a short human name
    cues: list[CueSpec] = Field(min_length=1)  # the alert band
    check: list[CueSpec] | None = None  # the check band
    unless: list[Regex] | None = None


class _GuardSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    label: Text
    scope: Literal["span", "sentence"] = "span"
    effect: Literal["silence", "check"] = "silence"
    silences: list[Text] = Field(min_length=1)
    when: list[Regex] = Field(min_length=1)
    except_: list[Regex] | None = Field(default=None, alias="except")


class _ModelSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    training: list[Text] = Field(min_length=1)  # JSONL files, relative to the cues file
    check_threshold: Probability = 0.5
    alert_threshold: Probability | None = None
    prior: Annotated[float, Field(gt=0, lt=1)] | None = None  # share of answers that disclose
    min_words: Annotated[int, Field(ge=1)] = 3  # shorter answers are left to the cues


class _CuesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = 1
    vocab: dict[str, Text] | None = None
    model: _ModelSpec | None = None
    categories: dict[str, _CategorySpec] = Field(min_length=1)
    guards: dict[str, _GuardSpec] | None = None


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
        compiled: list[tuple[str, re.Pattern[str]]] = []
        for name, value in (spec.vocab or {}).items():
            vocab[name] = value
            compiled.append((name, _compile(path, f"vocab > {name}", rf"\b{value}\b")))
        categories = tuple(
            _category(path, cid, body, vocab) for cid, body in spec.categories.items()
        )
        known = {c.id for c in categories}
        guards = tuple(
            _guard(path, gid, body, vocab, known) for gid, body in (spec.guards or {}).items()
        )
        model = None
        if spec.model is not None:
            if (
                spec.model.alert_threshold is not None
                and spec.model.alert_threshold < spec.model.check_threshold
            ):
                raise CuesError(path, "alert_threshold is below check_threshold", "model")
            model = ModelSettings(
                training=tuple((path.parent / p).resolve() for p in spec.model.training),
                check_threshold=spec.model.check_threshold,
                alert_threshold=spec.model.alert_threshold,
                prior=spec.model.prior,
                min_words=spec.model.min_words,
            )
    return CueBook(
        path=path, categories=categories, guards=guards, vocab=tuple(compiled), model=model
    )


def _category(path: Path, cid: str, body: _CategorySpec, vocab: dict[str, str]) -> _Category:
    where = f"categories > {cid}"
    return _Category(
        id=cid,
        label=body.label,
        cues=tuple(
            _cue(path, f"{where} > cues > item {n}", c, vocab) for n, c in enumerate(body.cues, 1)
        ),
        checks=tuple(
            _cue(path, f"{where} > check > item {n}", c, vocab)
            for n, c in enumerate(body.check or [], 1)
        ),
        unless=tuple(
            _pattern(path, f"{where} > unless > item {n}", u, vocab)
            for n, u in enumerate(body.unless or [], 1)
        ),
    )


def _guard(
    path: Path, gid: str, body: _GuardSpec, vocab: dict[str, str], known: set[str]
) -> _Guard:
    where = f"guards > {gid}"
    for cid in body.silences:
        if cid not in known:
            raise CuesError(
                path,
                f"silences unknown category {cid!r} (known: {', '.join(sorted(known))})",
                where,
            )
    return _Guard(
        id=gid,
        label=body.label,
        scope=body.scope,
        effect=body.effect,
        silences=frozenset(body.silences),
        when=tuple(
            _pattern(path, f"{where} > when > item {n}", p, vocab)
            for n, p in enumerate(body.when, 1)
        ),
        unless=tuple(
            _pattern(path, f"{where} > except > item {n}", p, vocab)
            for n, p in enumerate(body.except_ or [], 1)
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
