"""The learned half of the disclosure check: a small text classifier trained on the project's
own labelled answers (`data/safeguarding/train.jsonl`), OR'd with the cues.

It is a multinomial logistic regression over "none" and the safeguarding categories, on
features that survive the way young people write: words and word pairs, character 4-grams
inside each word ("cuttin", "harmin", "myslef" share most of theirs with the spelled
forms), a few text-speak spellings folded ("u" -> "you", "wen" -> "when"), and one feature per
cue-file vocabulary entry that matches (a family member, a harm word, an online platform, an
older person), alone and in pairs, so an unseen word in a known family still counts.

Why not spaCy's `textcat`: its bag-of-words model is the same kind of classifier (hashed word
n-grams into a logistic regression) but has no character n-grams, and it would need a model
folder trained and kept on disk. This one trains from the JSONL in well under a second when the
cues file or the training file changes (the loading rule, survey/core/data_files.py), so there
is nothing to ship, version or forget to retrain; it is deterministic for a given file.

The training file is the only data it learns from; the held-out split
(`data/safeguarding/heldout.jsonl`) and the shared dev file are never read here.
"""

from __future__ import annotations

import math
import os
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, StrictStr

from survey.core.data_files import DataFileError, read_jsonl, validate_row

NONE = "none"
Band = Literal["alert", "check", "none"]

_TOKEN = re.compile(r"[^\W_]+|[\U0001F300-\U0001FAFF]", re.UNICODE)
# Common text-speak and dropped letters, folded to one spelling (the original is kept too).
_FOLD = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "n": "and",
    "wen": "when",
    "wiv": "with",
    "cos": "because",
    "coz": "because",
    "cuz": "because",
    "bc": "because",
    "bcos": "because",
    "nite": "night",
    "fink": "think",
    "dnt": "dont",
    "wnt": "want",
    "wud": "would",
    "wld": "would",
    "cud": "could",
    "shud": "should",
    "sum1": "someone",
    "some1": "someone",
    "any1": "anyone",
    "every1": "everyone",
    "evry1": "everyone",
    "no1": "noone",
    "ppl": "people",
    "pix": "pics",
    "wanna": "want",
    "wana": "want",
    "gonna": "going",
    "tryna": "trying",
    "rly": "really",
    "mam": "mum",
    "mom": "mum",
    "ma": "mum",
    "da": "dad",
    "myslef": "myself",
    "meself": "myself",
    "tbh": "honestly",
    "fr": "really",
}


class _TrainingRow(BaseModel):
    model_config = ConfigDict(extra="allow")
    text: StrictStr
    band: Band
    category: StrictStr | None = None


@dataclass(frozen=True)
class Example:
    text: str  # as written; the classifier normalises it the way the cues do
    label: str  # "none" or a category id


def read_examples(path: Path, categories: Iterable[str]) -> list[Example]:
    """Labelled lines from a training JSONL file (`text`, `band`, `category`).

    A line whose band is alert or check must name one of `categories`; a bad line raises a
    DataFileError naming the file and the line.
    """
    known = set(categories)
    examples: list[Example] = []
    for number, row in read_jsonl(path):
        parsed = validate_row(path, number, row, _TrainingRow)
        if parsed.band == NONE:
            examples.append(Example(parsed.text, NONE))
            continue
        if parsed.category not in known:
            raise DataFileError(
                path,
                f"category {parsed.category!r} is not a category of the cues file "
                f"(known: {', '.join(sorted(known))})",
                f"line {number}",
            )
        examples.append(Example(parsed.text, parsed.category))
    return examples


def features(norm: str, lexicon: Sequence[tuple[str, re.Pattern[str]]] = ()) -> set[str]:
    """The features of one normalised text (lower-cased, apostrophes dropped)."""
    raw = _TOKEN.findall(norm)
    tokens = [_FOLD.get(t, t) for t in raw]
    found: set[str] = set()
    for t in raw:
        if t not in _FOLD:
            continue
        found.add("w:" + t)
    previous = "<s>"
    for t in tokens:
        found.add("w:" + t)
        found.add("b:" + previous + " " + t)
        previous = t
        padded = f"<{t}>"
        for i in range(len(padded) - 3):
            found.add("c:" + padded[i : i + 4])
    found.add("b:" + previous + " </s>")
    hits = [name for name, pattern in lexicon if pattern.search(norm)]
    for i, name in enumerate(hits):
        found.add("v:" + name)
        for other in hits[i + 1 :]:
            found.add("v:" + name + "&" + other)
    return found


@dataclass(frozen=True)
class Prediction:
    concern: float  # probability that the text is a disclosure (any category)
    category: str  # the likeliest category, were it one


class Classifier:
    """A trained model: feature index, weights and the class labels."""

    def __init__(
        self,
        labels: Sequence[str],
        index: dict[str, int],
        weights: np.ndarray,
        bias: np.ndarray,
        lexicon: Sequence[tuple[str, re.Pattern[str]]],
    ) -> None:
        self.labels = tuple(labels)
        self._index = index
        self._weights = weights
        self._bias = bias
        self._lexicon = tuple(lexicon)
        self._none = self.labels.index(NONE)

    @property
    def size(self) -> int:
        return len(self._index)

    def predict(self, norm: str) -> Prediction:
        """Score one normalised text."""
        probabilities = self._probabilities(features(norm, self._lexicon))
        concern = 1.0 - float(probabilities[self._none])
        others = [(float(p), label) for p, label in zip(probabilities, self.labels, strict=True)]
        best = max((p, label) for p, label in others if label != NONE)
        return Prediction(concern, best[1])

    def _probabilities(self, found: set[str]) -> np.ndarray:
        ids = [self._index[f] for f in found if f in self._index]
        logits = self._bias.copy()
        if ids:
            logits += self._weights[ids].sum(axis=0) / math.sqrt(len(found))
        logits -= logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()


def train(
    examples: Sequence[Example],
    lexicon: Sequence[tuple[str, re.Pattern[str]]] = (),
    *,
    normalise: Callable[[str], str] = str.lower,
    prior: float | None = None,
    epochs: int = 25,
    rate: float = 0.4,
    l2: float = 3e-3,
    seed: int = 0,
) -> Classifier:
    """Fit the classifier by stochastic gradient descent (AdaGrad steps, L2), deterministically.

    `prior` is the share of real answers that are disclosures. The training file holds far
    more of them than real answers do (it has to, to teach every kind), so the "none" class's
    bias is moved by the difference of the two log-odds: the scores then read as they would
    on real answers, and a threshold means what it says.
    """
    labels = [NONE, *sorted({e.label for e in examples} - {NONE})]
    label_of = {label: i for i, label in enumerate(labels)}
    rows = [features(normalise(e.text), lexicon) for e in examples]
    index: dict[str, int] = {}
    for found in rows:
        for f in sorted(found):
            index.setdefault(f, len(index))
    encoded = [
        (np.array(sorted(index[f] for f in found), dtype=np.int64), 1.0 / math.sqrt(len(found)))
        for found in rows
    ]
    k = len(labels)
    weights = np.zeros((len(index), k))
    bias = np.zeros(k)
    squared = np.full((len(index), k), 1e-8)
    squared_bias = np.full(k, 1e-8)
    targets = np.eye(k)[[label_of[e.label] for e in examples]]
    order = list(range(len(examples)))
    shuffler = random.Random(seed)
    for _ in range(epochs):
        shuffler.shuffle(order)
        for n in order:
            ids, scale = encoded[n]
            logits = bias + weights[ids].sum(axis=0) * scale
            logits -= logits.max()
            p = np.exp(logits)
            p /= p.sum()
            error = p - targets[n]
            grad = scale * error[None, :] + l2 * weights[ids]
            squared[ids] += grad * grad
            weights[ids] -= rate * grad / np.sqrt(squared[ids])
            squared_bias += error * error
            bias -= rate * error / np.sqrt(squared_bias)
    if prior is not None:
        trained = sum(e.label != NONE for e in examples) / len(examples)
        if 0 < trained < 1:
            bias[0] += math.log((1 - prior) / prior) - math.log((1 - trained) / trained)
    return Classifier(labels, index, weights, bias, lexicon)


# Part of a kept model's name: change it when `train` or the features change, so a model
# trained by older code is never loaded.
MODEL_FORMAT = "1"


def save(classifier: Classifier, path: Path) -> None:
    """Write the trained model (atomically: a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with partial.open("wb") as out:
        np.savez(
            out,
            labels=np.array(classifier.labels),
            features=np.array(sorted(classifier._index, key=classifier._index.__getitem__)),
            weights=classifier._weights,
            bias=classifier._bias,
        )
    os.replace(partial, path)


def load(path: Path, lexicon: Sequence[tuple[str, re.Pattern[str]]]) -> Classifier:
    """A model written by `save`; the lexicon comes from the cues file it was trained with."""
    with np.load(path, allow_pickle=False) as saved:
        found = [str(f) for f in saved["features"]]
        return Classifier(
            [str(label) for label in saved["labels"]],
            {f: i for i, f in enumerate(found)},
            saved["weights"],
            saved["bias"],
            lexicon,
        )
