"""Fixtures for the theme-tagging tests: the real codebook and training data, the model
trained once per test run into the run's temporary folder (tests/conftest.py), and a
rules-only tagger."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.tagger import Tagger
from tests.support import build_rules_pipeline, dev_file

REPO = Path(__file__).resolve().parents[2]
CODEBOOK = REPO / "data" / "codebook.yaml"
TRAINING = REPO / "data" / "training"
# The shared development set (evaluation only, never trained on).
DEV_FILE = dev_file()


@pytest.fixture(scope="session")
def model_dir(theme_model_dir: Path) -> Path:
    """The model for the real codebook and training data, trained once per test run."""
    return theme_model_dir


@pytest.fixture(scope="session")
def tagger(model_dir: Path) -> Tagger:
    return Tagger.from_disk(model_dir)


@pytest.fixture(scope="session")
def rules_tagger() -> Tagger:
    """Rules alone (no model), straight from the codebook."""
    return Tagger(build_rules_pipeline(CODEBOOK), model_version="rules-only")


def theme_ids(tags: list) -> set[str]:
    return {tag.theme_id for tag in tags}
