"""Training: the project's labelled data, versioned model folders, deterministic results,
extra (reviewer-corrected) examples, and a codebook theme the model has not seen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.codebook import load_codebook
from nlp.tagger import Tagger
from nlp.training import (
    TrainingDataError,
    extra_labelled,
    model_dir_for,
    read_training_dir,
    train_model,
)
from tests.nlp.conftest import CODEBOOK, TRAINING, theme_ids
from tests.support import build_rules_pipeline

NEW_THEME = """
  - id: place.library
    label: Libraries
    group: places
    strands: []
    description: The library and the space around it.
    phrases: [library, (the|) libary]
"""


def test_training_data_is_valid_and_covers_every_theme() -> None:
    codebook = load_codebook(CODEBOOK)
    examples = read_training_dir(TRAINING, codebook.theme_ids)
    assert len(examples) >= 500
    labelled = {t for e in examples for t in e.themes}
    assert labelled == set(codebook.theme_ids)
    assert sum(not e.themes for e in examples) >= 30  # "idk", "i feel safe", ...
    questions = set()
    for file in TRAINING.glob("*.jsonl"):
        questions |= {json.loads(line)["question"] for line in file.read_text().splitlines()}
    assert questions == {"unsafe_place", "feel_safer"}


def test_training_data_errors_name_file_and_line(tmp_path: Path) -> None:
    file = tmp_path / "bad.jsonl"
    file.write_text('{"text": "ok", "themes": []}\n{"text": "x", "themes": ["place.moon"]}\n')
    with pytest.raises(
        TrainingDataError,
        match=r"bad\.jsonl: line 2 > themes: unknown theme 'place\.moon' \(known: place\.park\)",
    ):
        read_training_dir(tmp_path, ["place.park"])
    file.write_text("not json\n")
    with pytest.raises(TrainingDataError, match=r"bad\.jsonl: line 1: not valid JSON"):
        read_training_dir(tmp_path, ["place.park"])


def test_training_accepts_extra_examples_as_pairs_or_mappings() -> None:
    extra = extra_labelled(
        [("the rec", ["place.park"]), {"text": "idk", "themes": []}], ["place.park"]
    )
    assert [(e.text, e.themes, e.source) for e in extra] == [
        ("the rec", ("place.park",), "extra:1"),
        ("idk", (), "extra:2"),
    ]
    with pytest.raises(
        TrainingDataError, match="extra examples: example 1 > themes: unknown theme"
    ):
        extra_labelled([("x", ["place.moon"])], ["place.park"])


def test_training_model_folder_is_named_by_all_its_inputs(tmp_path: Path) -> None:
    base = model_dir_for(CODEBOOK, TRAINING, tmp_path)
    assert base.parent == tmp_path and base.name.startswith("themes-")
    assert model_dir_for(CODEBOOK, TRAINING, tmp_path) == base
    assert model_dir_for(CODEBOOK, TRAINING, tmp_path, seed=1) != base
    extra = [("the rec", ["place.park"])]
    assert model_dir_for(CODEBOOK, TRAINING, tmp_path, extra_examples=extra) != base
    changed = tmp_path / "codebook.yaml"
    changed.write_text(CODEBOOK.read_text() + "\n# edited\n")
    assert model_dir_for(changed, TRAINING, tmp_path) != base


@pytest.mark.slow
def test_training_is_deterministic(tagger: Tagger, model_dir: Path, tmp_path: Path) -> None:
    again = train_model(CODEBOOK, TRAINING, tmp_path, seed=0)
    assert again.name == model_dir.name
    retrained = Tagger.from_disk(again)
    texts = [e.text for e in read_training_dir(TRAINING, tagger.theme_ids)[::7]]
    for doc_a, doc_b in zip(tagger.nlp.pipe(texts), retrained.nlp.pipe(texts), strict=True):
        assert doc_a.cats == doc_b.cats


def test_training_rules_tag_a_theme_added_to_the_codebook(tmp_path: Path) -> None:
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(CODEBOOK.read_text() + NEW_THEME)
    tagger = Tagger(build_rules_pipeline(codebook), model_version="rules-only")
    tags = {t.theme_id: t for t in tagger.tag("the libary at night is creepy")}
    assert tags["place.library"].source == "rule"
    assert tags["place.library"].evidence[0].text == "the libary"
    assert "time.night" in tags


@pytest.mark.slow
def test_training_leaves_a_new_unlabelled_theme_to_the_rules(tmp_path: Path) -> None:
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(CODEBOOK.read_text() + NEW_THEME)
    tagger = Tagger.from_disk(train_model(codebook, TRAINING, tmp_path / "models"))
    assert "place.library" not in tagger.model_labels
    assert "place.library" in theme_ids(tagger.tag("outside the library"))
