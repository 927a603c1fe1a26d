"""The spaCy pipeline: component serialisation, a saved pipeline that needs no codebook,
the benchmark's pieces, and the nlp package's import boundary."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from nlp.bench import generate_texts, run_benchmark
from nlp.codebook import load_codebook
from nlp.compile import compile_rules
from nlp.pipeline import LOAD_OVERRIDES, RULES_NAME, TOKENIZER
from nlp.tagger import Tagger
from tests.nlp.conftest import CODEBOOK, REPO, TRAINING
from tests.support import build_rules_pipeline

TEXTS = [
    "the park is fine, its the bus stn at nite",
    "not scared of the lads just the dark",
    "more police and cctv",
]


def spans(nlp: spacy.Language, text: str) -> list[tuple[str, str, str]]:
    doc = nlp(text)
    return [
        (key, s.label_, s.text)
        for key in ("themes", "themes_denied")
        for s in doc.spans.get(key, [])
    ]


def test_pipeline_rules_round_trip_through_disk_and_bytes(tmp_path: Path) -> None:
    nlp = build_rules_pipeline(CODEBOOK)
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    from_bytes = build_rules_pipeline(CODEBOOK)
    from_bytes.get_pipe(RULES_NAME).from_bytes(nlp.get_pipe(RULES_NAME).to_bytes())
    for text in TEXTS:
        assert spans(loaded, text) == spans(nlp, text) == spans(from_bytes, text)
        assert spans(nlp, text)


def test_pipeline_saved_model_needs_no_codebook(tmp_path: Path, model_dir: Path) -> None:
    moved = tmp_path / model_dir.name
    shutil.copytree(model_dir, moved)
    tagger = Tagger.from_disk(moved)  # the codebook path in its config is never read
    assert tagger.tag("the station") and tagger.model_version == model_dir.name[7:]


GLUED = ["the park.Then the bus stn", "dont go there at 10pm!! its v.dark", "Mr.Smith e.g. lol"]


def test_pipeline_tokenizer_splits_glued_full_stops_as_the_old_callback_did(
    tmp_path: Path,
) -> None:
    # Pipelines saved before the tokenizer existed added the full-stop rule after creation
    # (re-adding spaCy's special cases); loading builds the new tokenizer for them instead.
    old = spacy.blank(
        "en",
        config={"nlp": {"after_creation": {"@callbacks": "youthvoice.split_glued_full_stops.v1"}}},
    )
    new = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    old.to_disk(tmp_path / "old")
    loaded = spacy.load(tmp_path / "old", exclude=["tokenizer"], config=LOAD_OVERRIDES)
    assert loaded.config["nlp"]["tokenizer"] == {"@tokenizers": TOKENIZER}
    for text in GLUED:
        tokens = [t.text for t in old(text)]
        assert [t.text for t in new(text)] == [t.text for t in loaded(text)] == tokens
    assert [t.text for t in new("the park.Then")] == ["the", "park", ".", "Then"]


def test_pipeline_spellings_become_token_norms(rules_tagger: Tagger) -> None:
    doc = rules_tagger.nlp("Bus STN feds ppl")
    assert [t.norm_ for t in doc] == ["bus", "station", "police", "people"]


def test_pipeline_compiles_big_choices_into_sequences() -> None:
    rules = compile_rules(load_codebook(CODEBOOK))
    assert rules.sequences, "large choice phrases should become slot sequences"
    patterns = sum(len(v) for v in rules.phrases.values()) or sum(
        len(v) for v in rules.norm_phrases.values()
    )
    assert patterns < 25_000  # keeps loading well under a second


def test_pipeline_bench_texts_are_reproducible_and_survey_sized() -> None:
    theme_ids = load_codebook(CODEBOOK).theme_ids
    texts = generate_texts(TRAINING, theme_ids, 500, seed=3)
    assert texts == generate_texts(TRAINING, theme_ids, 500, seed=3)
    assert 10 <= statistics.median(len(t.split()) for t in texts) <= 25


@pytest.mark.slow
def test_pipeline_benchmark_reports_sane_figures(tagger: Tagger) -> None:
    texts = generate_texts(TRAINING, tagger.theme_ids, 300)
    result = run_benchmark(tagger, texts, load_seconds=0.5)
    assert result.n_texts == 300
    assert 0 < result.ratio <= 1.5
    assert 0 < result.p50_ms <= result.p99_ms
    assert result.peak_memory_mb > 50


def test_pipeline_nlp_imports_nothing_from_the_rest_of_the_project() -> None:
    code = (
        "import sys, nlp.tagger, nlp.training, nlp.evaluation, nlp.bench;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('survey', 'cli', 'streamlit')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
