"""The project's own labelled safeguarding data (`data/safeguarding/`): well formed, split
cleanly, varied, and never a paraphrase of the shared dev file.

- train.jsonl: what the classifier learns from (and nothing else). It also holds the earlier
  held-out splits and ordinary set, folded in once they had been looked at.
- heldout.jsonl: written after all tuning, never trained on; the figures in
  docs/safeguarding.md come from it.
- ordinary.jsonl: ordinary answers (no disclosure) for the check band's false-alarm rate.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pytest

from survey.core.data_files import read_jsonl
from survey.core.settings import get_settings
from survey.safeguarding.disclosures import load_cues
from survey.safeguarding.evaluation import LabelledAnswer, read_labelled
from tests.support import dev_file

FOLDER = get_settings().data_dir / "safeguarding"
FILES = ["train", "heldout", "ordinary"]
ORDINARY = {"ordinary"}
DEV_FILE = dev_file()
MAX_SIMILARITY_TO_DEV = 0.5
MAX_SIMILARITY_TO_TRAINING = 0.8  # a held-out line is not a copy of a training line
HARD_NEGATIVES = {"game", "sport", "joke", "exam", "street_seen", "news", "other_person", "place"}


def rows(name: str) -> list[LabelledAnswer]:
    return read_labelled(FOLDER / f"{name}.jsonl")


def test_data_every_file_reads_with_the_projects_jsonl_reader() -> None:
    for name in FILES:
        raw = list(read_jsonl(FOLDER / f"{name}.jsonl"))
        assert raw, name
        for number, row in raw:
            assert set(row) >= {"id", "question", "text", "band", "category"}, (name, number)
            assert row["question"] in ("unsafe_place", "feel_safer"), (name, number)
            assert row["text"].strip() == row["text"] and row["text"], (name, number)
            if row["band"] == "none":
                assert row["category"] is None and row.get("kind"), (name, number)


def test_data_categories_are_the_cue_files() -> None:
    known = set(load_cues().labels)
    for name in FILES:
        for row in rows(name):
            assert row.category is None or row.category in known, (name, row.id)


def test_data_ids_are_unique_and_no_text_is_in_two_places() -> None:
    ids: Counter[str] = Counter()
    texts: dict[str, str] = {}
    for name in FILES:
        for row in rows(name):
            ids[row.id] += 1
            key = " ".join(_tokens(row.text))
            assert key not in texts, f"{row.id} repeats {texts.get(key)}"
            texts[key] = row.id
    assert not [i for i, n in ids.items() if n > 1]


def test_data_counts_by_band_and_category() -> None:
    train, heldout = rows("train"), rows("heldout")
    assert len(train) >= 500 and len(heldout) >= 150
    for name in ORDINARY:
        ordinary = rows(name)
        assert len(ordinary) >= 200 and all(r.label == "none" for r in ordinary)
    categories = set(load_cues().labels)
    for split in (train, heldout):
        bands = Counter(r.label for r in split)
        assert bands["alert"] >= 50 and bands["check"] >= 30 and bands["none"] >= 50
        assert {r.category for r in split if r.positive} == categories
        assert {r.kind for r in split if not r.positive} >= HARD_NEGATIVES


def test_data_the_classifier_learns_from_the_training_file_only() -> None:
    model = load_cues().model
    assert model is not None
    assert model.training == ((FOLDER / "train.jsonl").resolve(),)


# --- similarity: a small TF-IDF, written out so the test needs nothing more -------------


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("’", ""))


def _vectors(texts: list[str], idf: dict[str, float]) -> list[dict[str, float]]:
    vectors = []
    for text in texts:
        counts = Counter(_tokens(text))
        weights = {w: n * idf[w] for w, n in counts.items()}
        norm = math.sqrt(sum(x * x for x in weights.values())) or 1.0
        vectors.append({w: x / norm for w, x in weights.items()})
    return vectors


def _idf(texts: list[str]) -> dict[str, float]:
    """Smoothed inverse document frequency, as scikit-learn computes it."""
    df = Counter(w for text in texts for w in set(_tokens(text)))
    n = len(texts)
    return {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}


def _most_similar(
    ours: list[LabelledAnswer], theirs: list[str], idf: dict[str, float]
) -> tuple[float, str, str]:
    """The highest cosine between any of `ours` and any of `theirs`, and the pair."""
    their_vectors = _vectors(theirs, idf)
    best = (0.0, "", "")
    for row, vector in zip(ours, _vectors([r.text for r in ours], idf), strict=True):
        for text, other in zip(theirs, their_vectors, strict=True):
            small, large = (vector, other) if len(vector) < len(other) else (other, vector)
            cosine = sum(x * large.get(w, 0.0) for w, x in small.items())
            if cosine > best[0]:
                best = (cosine, row.id, text)
    return best


def test_data_no_line_paraphrases_the_dev_file() -> None:
    """Every training and test line against every dev line: TF-IDF cosine below 0.5 (the IDF
    fitted on the dev file and all of ours together)."""
    if not DEV_FILE.exists():
        pytest.skip(f"the labelled dev file is missing: {DEV_FILE}")
    dev = [str(row["text"]) for _, row in read_jsonl(Path(DEV_FILE))]
    ours = [r for name in FILES for r in rows(name)]
    idf = _idf(dev + [r.text for r in ours])
    cosine, row_id, dev_text = _most_similar(ours, dev, idf)
    assert cosine < MAX_SIMILARITY_TO_DEV, f"{row_id} is {cosine:.2f} like dev line {dev_text!r}"


def test_data_held_out_lines_are_not_copies_of_training_lines() -> None:
    train = rows("train")
    held = [r for name in FILES if name != "train" for r in rows(name)]
    idf = _idf([r.text for r in train + held])
    cosine, row_id, text = _most_similar(held, [r.text for r in train], idf)
    assert cosine < MAX_SIMILARITY_TO_TRAINING, f"{row_id} is {cosine:.2f} like {text!r}"
