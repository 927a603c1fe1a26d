"""Train the theme classifier on the project's own labelled examples (data/training/*.jsonl).

Training is deterministic (fixed seed, seeded shuffling) and takes seconds, because it runs
on `make run` whenever no model matches the current data. A model is saved under
`models_dir/themes-<version>`, where the version hashes everything that shapes it: the
training files, any extra examples (reviewer-corrected answers), the codebook version, the
training settings, the seed and the spaCy version. Same inputs, same folder, same model.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from pydantic import BaseModel, ConfigDict, StrictStr
from spacy.training import Example
from spacy.util import compounding, fix_random_seed, minibatch

from nlp.codebook import Codebook, CodebookError, load_codebook
from nlp.file_formats import (
    DataFileError,
    check_known,
    errors_as,
    read_jsonl,
    validate_item,
    validate_row,
)
from nlp.pipeline import MODEL_CONFIG, TEXTCAT_NAME, build_pipeline

MODEL_PREFIX = "themes-"
META_FILE = "training.json"
# Bump when a change to this module would change what the same data trains into.
TRAINING_FORMAT = 5  # also covers the saved rules format (nlp/compile.py)
SETTINGS: dict[str, Any] = {
    "epochs": 12,
    "dropout": 0.2,
    # large batches: each optimizer step updates the whole weight table, so fewer steps
    # train in a third of the time with the same cross-validated quality
    "batch_start": 16.0,
    "batch_stop": 64.0,
    "batch_compound": 1.001,
    "model": MODEL_CONFIG,
    "format": TRAINING_FORMAT,
}

ExtraExample = tuple[str, Sequence[str]] | Mapping[str, Any]


@dataclass(frozen=True)
class LabelledText:
    text: str
    themes: tuple[str, ...]
    source: str  # "file.jsonl:12" or "extra:3", for error messages


class TrainingDataError(DataFileError):
    """A training file or extra example is malformed; the message says where."""


class _Row(BaseModel):
    """A labelled line: the text and its theme ids (other keys, like "question", are kept
    in the file for people and ignored here)."""

    model_config = ConfigDict(extra="ignore")
    text: StrictStr
    themes: list[StrictStr]


def read_training_dir(training_dir: Path, theme_ids: Iterable[str]) -> list[LabelledText]:
    """Every example in training_dir/*.jsonl (sorted by file name), validated."""
    known = list(theme_ids)
    examples = []
    files = sorted(Path(training_dir).glob("*.jsonl"))
    if not files:
        raise TrainingDataError(training_dir, "no training files (*.jsonl)")
    with errors_as(TrainingDataError):
        for file in files:
            for number, raw in read_jsonl(file):
                row = validate_row(file, number, raw, _Row)
                where = f"line {number}"
                examples.append(_labelled(row, file, where, f"{file}:{number}", known))
    return examples


def _labelled(
    row: _Row, path: Path | str, where: str, source: str, known: list[str]
) -> LabelledText:
    for theme in row.themes:
        check_known(path, f"{where} > themes", "theme", theme, known)
    return LabelledText(row.text, tuple(dict.fromkeys(row.themes)), source)


def extra_labelled(extra: Iterable[ExtraExample], theme_ids: Iterable[str]) -> list[LabelledText]:
    """Extra examples, as (text, themes) pairs or {"text", "themes"} mappings, validated."""
    known = list(theme_ids)
    out = []
    with errors_as(TrainingDataError):
        for i, item in enumerate(extra, 1):
            if isinstance(item, Mapping):
                raw = {"text": item.get("text"), "themes": item.get("themes")}
            else:
                text, themes = item
                raw = {"text": text, "themes": list(themes)}
            where = f"example {i}"
            row = validate_item(EXTRA, raw, _Row, where)
            out.append(_labelled(row, EXTRA, where, f"extra:{i}", known))
    return out


EXTRA = "extra examples"


def model_version(
    codebook: Codebook, training_dir: Path, extra: Sequence[LabelledText], seed: int
) -> str:
    """A short hash of everything that shapes the trained model."""
    digest = hashlib.sha256()
    parts: list[Any] = [TRAINING_FORMAT, spacy.__version__, codebook.version, SETTINGS, seed]
    for file in sorted(Path(training_dir).glob("*.jsonl")):
        parts.append([file.name, hashlib.sha256(file.read_bytes()).hexdigest()])
    parts.append([[e.text, list(e.themes)] for e in extra])
    digest.update(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()[:12]


def model_dir_for(
    codebook_path: Path,
    training_dir: Path,
    models_dir: Path,
    extra_examples: Iterable[ExtraExample] = (),
    seed: int = 0,
) -> Path:
    """Where the model for these inputs lives (whether or not it has been trained yet)."""
    codebook = load_codebook(codebook_path)
    extra = extra_labelled(extra_examples, codebook.theme_ids)
    version = model_version(codebook, Path(training_dir), extra, seed)
    return Path(models_dir) / f"{MODEL_PREFIX}{version}"


def is_trained(model_dir: Path) -> bool:
    return (Path(model_dir) / META_FILE).exists()


def train_model(
    codebook_path: Path,
    training_dir: Path,
    models_dir: Path,
    extra_examples: Iterable[ExtraExample] = (),
    seed: int = 0,
) -> Path:
    """Train the classifier on the training files plus extra examples; return its folder.

    Reuses the folder when a model for exactly these inputs is already there.
    """
    codebook_path, training_dir, models_dir = (
        Path(codebook_path),
        Path(training_dir),
        Path(models_dir),
    )
    codebook = load_codebook(codebook_path)
    extra = extra_labelled(extra_examples, codebook.theme_ids)
    data = read_training_dir(training_dir, codebook.theme_ids) + extra
    version = model_version(codebook, training_dir, extra, seed)
    target = models_dir / f"{MODEL_PREFIX}{version}"
    if is_trained(target):
        return target
    started = time.perf_counter()
    nlp, labels = _fit(codebook, codebook_path, data, seed)
    meta = {
        "version": version,
        "codebook_version": codebook.version,
        "seed": seed,
        "settings": SETTINGS,
        "labels": labels,
        "examples": len(data),
        "extra_examples": len(extra),
        "seconds": round(time.perf_counter() - started, 2),
    }
    _save(nlp, meta, target)
    return target


def _fit(
    codebook: Codebook, codebook_path: Path, data: list[LabelledText], seed: int
) -> tuple[spacy.Language, list[str]]:
    fix_random_seed(seed)
    # the model learns only themes it has examples of; a new theme is tagged by rules alone
    present = {t for e in data for t in e.themes}
    labels = [t for t in codebook.theme_ids if t in present]
    if not labels:
        raise CodebookError(codebook.path, "no training example carries any of its themes")
    nlp = build_pipeline(codebook_path)
    textcat = nlp.get_pipe(TEXTCAT_NAME)
    for label in labels:
        textcat.add_label(label)  # type: ignore[attr-defined]

    def examples() -> list[Example]:
        # built lazily: the rules component, initialised first, teaches the tokenizer the
        # codebook's spellings, and the model must see the same norms it will see later
        return [
            Example.from_dict(
                nlp.make_doc(e.text),
                {"cats": {label: float(label in e.themes) for label in labels}},
            )
            for e in data
        ]

    optimizer = nlp.initialize(examples)
    train = examples()
    rng = random.Random(seed)
    sizes = compounding(SETTINGS["batch_start"], SETTINGS["batch_stop"], SETTINGS["batch_compound"])
    for _ in range(SETTINGS["epochs"]):
        rng.shuffle(train)
        for batch in minibatch(train, size=sizes):
            nlp.update(batch, drop=SETTINGS["dropout"], sgd=optimizer)
    return nlp, labels


def _save(nlp: spacy.Language, meta: dict[str, Any], target: Path) -> None:
    # write beside the target and rename, so a half-written model is never loaded
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{time.time_ns()}"
    nlp.to_disk(tmp)
    (tmp / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    try:
        tmp.rename(target)
    except OSError:
        # another process trained the same version first: keep theirs
        shutil.rmtree(tmp, ignore_errors=True)
        if not is_trained(target):
            raise


CURRENT_FILE = "current.json"


def remember_current(models_dir: Path, model_dir: Path, base_dir: Path) -> None:
    """Make `model_dir` (trained with extra, reviewed examples) the one to load, for as long
    as the codebook and training files still give `base_dir`."""
    pointer = {"model": Path(model_dir).name, "base": Path(base_dir).name}
    (Path(models_dir) / CURRENT_FILE).write_text(json.dumps(pointer), encoding="utf-8")


def current_model_dir(models_dir: Path, base_dir: Path) -> Path | None:
    """The remembered model, if it was trained on top of today's `base_dir` inputs."""
    path = Path(models_dir) / CURRENT_FILE
    try:
        pointer = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    model = Path(models_dir) / str(pointer.get("model"))
    return model if pointer.get("base") == Path(base_dir).name and is_trained(model) else None
