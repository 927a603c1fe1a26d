"""Tag survey answers with codebook themes: rules and model, one decision per theme.

How rules and model combine, for each theme of the codebook (in codebook order):

1. A positive rule hit tags the theme (source "rule", score 1.0, the matched spans as
   evidence). Rules are precise by construction, so the model cannot overrule them.
2. A theme the writer denies ("the park is fine", "not scared of the lads", "cameras
   won't help") or only uses to locate something ("the alley by the station") is never
   tagged, whatever the model says: the rules saw the words and know they are not meant.
3. An ask mentioned without a cue ("police" in "the police were there") is tagged only
   when the model agrees with at least WEAK_THRESHOLD (source "model", with the span).
4. Otherwise the model alone tags a theme only at MODEL_THRESHOLD or above (source
   "model", its score, no spans): it catches wordings the codebook lacks, and must be
   sure to.

The Tagger is safe to share between threads: the pipeline is never changed after loading,
and calls into it are serialised by a lock (spaCy's tokenizer caches are not thread-safe;
under the GIL the lock costs nothing measurable).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import spacy
from spacy.attrs import IDX, LENGTH  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.tokens import Doc

from nlp import pipeline as _pipeline  # noqa: F401  (registers factory and architecture)
from nlp.pipeline import LOAD_OVERRIDES, RULES_NAME, TEXTCAT_NAME
from nlp.rules import RESULT_KEY, ThemeRules
from nlp.textprep import Prepared, prepare
from nlp.training import (
    MODEL_PREFIX,
    current_model_dir,
    is_trained,
    model_dir_for,
    train_model,
)

RULE_SCORE = 1.0
# The bag-of-words model sums its features, so on a very long text its scores saturate
# (50,000 "x"s score 1.0 for something). Answers are short (the survey caps them at 5,000
# characters; the dev set's longest is 88 words): beyond this the model tags nothing alone.
MODEL_MAX_TOKENS = 400
# Chosen by 5-fold cross-validation over data/training (never on the dev file): model-only
# tags at >= 0.75, cue-less asks at >= 0.35 scored best; lower model thresholds lost precision.
MODEL_THRESHOLD = 0.75
WEAK_THRESHOLD = 0.35
SOURCE_RULE, SOURCE_MODEL = "rule", "model"


@dataclass(frozen=True)
class Evidence:
    """A matched stretch of the original answer: text == answer[start:end]."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ThemeTag:
    """One theme on one answer, with where the decision came from."""

    theme_id: str
    source: str
    score: float
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Thresholds:
    model: float = MODEL_THRESHOLD
    weak: float = WEAK_THRESHOLD


class Tagger:
    """A loaded theme pipeline; `tag` one answer, or `tag_many` in batches with nlp.pipe."""

    def __init__(
        self, nlp: Language, *, model_version: str, thresholds: Thresholds | None = None
    ) -> None:
        self._nlp = nlp
        self._lock = threading.Lock()
        rules = nlp.get_pipe(RULES_NAME)
        assert isinstance(rules, ThemeRules) and rules.rules is not None
        self.codebook_version: str = rules.rules.codebook_version
        self.theme_ids: list[str] = list(rules.rules.theme_ids)
        self.model_version = model_version
        self.model_labels: frozenset[str] = frozenset(
            nlp.get_pipe(TEXTCAT_NAME).labels if TEXTCAT_NAME in nlp.pipe_names else ()  # type: ignore[attr-defined]
        )
        self.thresholds = thresholds or Thresholds()

    @property
    def nlp(self) -> Language:
        """The loaded spaCy pipeline (read-only use: benchmarks, inspection)."""
        return self._nlp

    @classmethod
    def from_disk(cls, model_dir: Path, thresholds: Thresholds | None = None) -> Tagger:
        """Load a trained pipeline folder (as written by train_model)."""
        model_dir = Path(model_dir)
        # the tokenizer is rebuilt from the config (see nlp.pipeline.build_pipeline), and
        # the tagger reads the rules' compact result rather than doc.spans
        nlp = spacy.load(
            model_dir,
            exclude=["tokenizer"],
            config={**LOAD_OVERRIDES, f"components.{RULES_NAME}.write_spans": False},
        )
        version = model_dir.name.removeprefix(MODEL_PREFIX)
        return cls(nlp, model_version=version, thresholds=thresholds)

    def tag(self, text: str) -> list[ThemeTag]:
        """The themes of one answer, in codebook order."""
        prepared = prepare(text)
        if not prepared.text.strip():
            return []
        with self._lock:
            doc = self._nlp(prepared.text)
        return decide(doc, prepared, self.theme_ids, self.thresholds)

    def tag_many(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[list[ThemeTag]]:
        """The themes of each answer, in input order; batches go through nlp.pipe."""
        items = iter(texts)
        while batch := [prepare(t) for t in islice(items, batch_size)]:
            filled = [p for p in batch if p.text.strip()]
            # the lock is held per batch, never across a yield
            with self._lock:
                docs = iter(list(self._nlp.pipe((p.text for p in filled), batch_size=batch_size)))
            for prepared in batch:
                if prepared.text.strip():
                    yield decide(next(docs), prepared, self.theme_ids, self.thresholds)
                else:
                    yield []


def decide(
    doc: Doc, prepared: Prepared, theme_ids: list[str], thresholds: Thresholds
) -> list[ThemeTag]:
    """Combine the rule result and model scores of a processed doc into theme tags."""
    positive_hits, denied_hits, weak_hits = doc.user_data.get(RESULT_KEY, ((), (), ()))
    cats = doc.cats
    lowest = min(thresholds.model, thresholds.weak)
    if not positive_hits and not any(score >= lowest for score in cats.values()):
        return []  # most answers: nothing to combine
    if len(doc) > MODEL_MAX_TOKENS:
        cats = {}
    offsets = _CharOffsets(doc, prepared)
    positive = _by_theme(positive_hits)
    weak = _by_theme(weak_hits)
    denied = {hit[0] for hit in denied_hits}
    tags = []
    for theme in theme_ids:
        if theme in positive:
            evidence = offsets.evidence(positive[theme])
            tags.append(ThemeTag(theme, SOURCE_RULE, RULE_SCORE, evidence))
            continue
        score = cats.get(theme)
        if score is None or theme in denied:
            continue
        if theme in weak and score >= thresholds.weak:
            evidence = offsets.evidence(weak[theme])
            tags.append(ThemeTag(theme, SOURCE_MODEL, round(score, 4), evidence))
        elif score >= thresholds.model:
            tags.append(ThemeTag(theme, SOURCE_MODEL, round(score, 4)))
    return tags


def _by_theme(hits: Iterable[tuple]) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for theme, start, end, *_ in hits:
        out.setdefault(theme, []).append((start, end))
    return out


class _CharOffsets:
    """Token spans to Evidence in the original text, from one array read per doc."""

    def __init__(self, doc: Doc, prepared: Prepared) -> None:
        self.idx: list[list[int]] = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
        self.prepared = prepared

    def evidence(self, spans: list[tuple[int, int]]) -> tuple[Evidence, ...]:
        seen: dict[tuple[int, int], None] = {}
        for start, end in sorted(spans):
            first, last = self.idx[start], self.idx[end - 1]
            seen[self.prepared.span(first[0], last[0] + last[1])] = None
        text = self.prepared.original
        return tuple(Evidence(text[s:e], s, e) for s, e in seen)


def tag_record(text: str, tags: Iterable[ThemeTag]) -> dict[str, Any]:
    """The JSON shape of one tagged answer, as `youthvoice tag` prints it."""
    return {
        "text": text,
        "themes": [
            {
                "id": tag.theme_id,
                "source": tag.source,
                "score": tag.score,
                "evidence": [
                    {"text": e.text, "start": e.start, "end": e.end} for e in tag.evidence
                ],
            }
            for tag in tags
        ],
    }


def load_tagger(codebook_path: Path, models_dir: Path, training_dir: Path) -> Tagger:
    """The tagger for the current codebook and training data, training it first if needed.

    A model retrained with reviewers' corrections (`youthvoice train`) is preferred while
    the codebook and training files are unchanged since.
    """
    model_dir = model_dir_for(codebook_path, training_dir, models_dir)
    current = current_model_dir(models_dir, model_dir)
    if current is not None:
        return Tagger.from_disk(current)
    if not is_trained(model_dir):
        model_dir = train_model(codebook_path, training_dir, models_dir)
    return Tagger.from_disk(model_dir)
