"""The two bands: an alert (help page now, leads told) or a check (a worker reads it within a
working day), each with its evidence; the cue families, the classifier OR'd with the cues, the
cues file's new sections and the loading rule for the classifier.

Every answer here was written for these tests; none comes from a labelled file.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from survey.core.settings import get_settings
from survey.privacy.redaction import redact
from survey.safeguarding.disclosures import (
    CuesError,
    Disclosure,
    detect_disclosure,
    load_cues,
    load_model,
    parse_cues,
)

# (band, category, answer): what a safeguarding lead would expect, by kind.
BANDED = [
    # hopelessness and suicidal thoughts said indirectly
    ("alert", "self_harm_or_suicide", "most nights i hope i just dont wake up"),
    ("alert", "self_harm_or_suicide", "my family would get on fine if i wasnt around anymore"),
    ("alert", "self_harm_or_suicide", "theres no point carrying on tbh"),
    ("check", "self_harm_or_suicide", "whats even the point anymore"),
    ("check", "self_harm_or_suicide", "i feel so worthless and i cant tell anyone"),
    # image-based abuse and sextortion
    ("alert", "image_abuse", "he says hell post my pics on insta unless i pay him"),
    ("alert", "image_abuse", "a lad keeps pressuring me to send nudes"),
    ("alert", "image_abuse", "my noods got leaked on a group chat"),
    # grooming and exploitation
    (
        "alert",
        "online_grooming",
        "a man off tiktok keeps asking where i live and what school i go to",
    ),
    (
        "alert",
        "sexual_abuse_or_exploitation",
        "older men pick us up from the park and take us to flats",
    ),
    ("check", "sexual_abuse_or_exploitation", "my boyfriend is way older than me"),
    ("alert", "criminal_exploitation", "olders pay me to drop bags off to people"),
    ("alert", "criminal_exploitation", "a guy asked me to hold a bag and said not to open it"),
    ("check", "criminal_exploitation", "a man said i can make easy money dropping off a package"),
    # harm at home told through its effects
    ("check", "harm_at_home", "my mum gets drunk and smashes the place up"),
    ("check", "harm_at_home", "i walk about till midnight so i dont have to see him"),
    ("alert", "harm_at_home", "my step dad comes into my room at night when everyones asleep"),
    ("check", "harm_at_home", "i tell people the bruises are from football"),
    # self-harm in plain words; a weapon "for protection"
    ("alert", "self_harm_or_suicide", "i cut my arms again last night"),
    ("check", "carrying_weapon", "i keep a blade on me for protection"),
]

ORDINARY = [
    "the park at night is dark and lads drink there",
    "more police and better lights by the station",
    "my mum gives me lifts to college",
    "whats the point of cameras if nobody watches them",
    "i saw a fight outside the chicken shop",
    "i know people who carry knives and it scares me",
    "my dad never hits me, hes sound",
]


@pytest.mark.parametrize(("band", "category", "text"), BANDED)
def test_bands_give_the_band_and_category_a_lead_would(band: str, category: str, text: str) -> None:
    result = detect_disclosure(text)
    assert result.flagged and result.band == band, result
    assert category in result.categories, result


@pytest.mark.parametrize("text", ORDINARY)
def test_bands_leave_ordinary_answers_alone(text: str) -> None:
    result = detect_disclosure(text)
    assert result == Disclosure(flagged=False), result


def test_bands_evidence_carries_band_and_source_and_points_into_the_text() -> None:
    text = "Town's OK. But honestly?  I DON'T want to wake up most days."
    result = detect_disclosure(text)
    assert result.band == "alert" and result.flagged
    (evidence,) = result.evidence
    assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert evidence["text"] == "DON'T want to wake up"
    assert (evidence["band"], evidence["source"]) == ("alert", "cue")


def test_bands_alert_evidence_comes_before_check_evidence() -> None:
    text = "i carry a knife now. i want to kill myself"
    result = detect_disclosure(text)
    assert result.band == "alert"
    assert [e["band"] for e in result.evidence] == ["alert", "check"]
    assert result.categories == ["self_harm_or_suicide", "carrying_weapon"]


def test_bands_the_classifier_catches_a_wording_no_cue_has() -> None:
    text = "everyone would cope better if i just wasnt around"
    assert not detect_disclosure(text, use_model=False).flagged  # no cue says it so
    result = detect_disclosure(text)
    assert result.band == "check"
    (evidence,) = result.evidence
    assert evidence["source"] == "model" and evidence["category"] == "self_harm_or_suicide"
    model = load_cues().model
    assert model is not None
    assert model.check_threshold <= float(evidence["score"]) <= 1  # type: ignore[arg-type]
    assert text[evidence["start"] : evidence["end"]] == evidence["text"]


def test_bands_the_classifier_alone_never_raises_an_alert() -> None:
    # Very sure or not, a model-only hit is a check: an alert needs a cue to agree.
    for text in ("everyone would cope better if i just wasnt around", "i like living here"):
        assert detect_disclosure(text).band in (None, "check")


def test_bands_the_classifier_evidence_is_the_worrying_sentence() -> None:
    text = "The bus station is rough after dark. Everyone would cope better if i wasnt around."
    result = detect_disclosure(text)
    assert result.band == "check"
    assert result.evidence[0]["text"] == "Everyone would cope better if i wasnt around"


def test_bands_a_denial_excuses_the_classifier_as_it_excuses_the_cues() -> None:
    assert not detect_disclosure("my step dad never lays a hand on me, hes kind").flagged


def test_bands_survive_redaction() -> None:
    text = "Mr Jenkins my tutor messages me at midnight and says delete them"
    result = detect_disclosure(redact(text).text)
    assert result.band == "alert" and "known_adult" in result.categories


def test_bands_without_the_model_the_cues_alone_decide() -> None:
    result = detect_disclosure("i carry a knife for protection", use_model=False)
    assert result.band == "check"
    assert all(e["source"] == "cue" for e in result.evidence)


@pytest.mark.parametrize(
    "text", ["i want to kms " * 7_000, "x" * 100_000, "😀" * 100_000, "im so done. " * 8_000]
)
def test_bands_handle_100k_characters(text: str) -> None:
    # Speed is measured by `youthvoice bench-privacy`, not asserted here.
    result = detect_disclosure(text[:100_000])
    assert len(result.evidence) <= 10 * max(1, len(result.categories)) + 1


# --- the classifier: trained once, again when its files change --------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the cues file and its training file, to edit."""
    data = get_settings().data_dir
    shutil.copy(data / "safeguarding_cues.yaml", tmp_path / "safeguarding_cues.yaml")
    (tmp_path / "safeguarding").mkdir()
    shutil.copy(data / "safeguarding" / "train.jsonl", tmp_path / "safeguarding" / "train.jsonl")
    return tmp_path


def test_bands_the_classifier_is_trained_once_and_again_when_training_changes(
    data_copy: Path,
) -> None:
    book = load_cues(data_copy / "safeguarding_cues.yaml")
    first = load_model(book)
    assert load_model(book) is first  # kept: not trained again
    training = data_copy / "safeguarding" / "train.jsonl"
    row = {"text": "pineapple pineapple pineapple", "band": "check", "category": "known_adult"}
    with training.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(row) + "\n")
    second = load_model(book)
    assert second is not first and second.size > first.size


def test_bands_the_classifier_is_deterministic(data_copy: Path) -> None:
    from survey.safeguarding.classifier import read_examples, train
    from survey.safeguarding.disclosures import normalise

    book = load_cues(data_copy / "safeguarding_cues.yaml")
    examples = read_examples(data_copy / "safeguarding" / "train.jsonl", book.labels)
    text = normalise("i feel like everyone would be fine without me")
    one = train(examples, book.vocab, normalise=normalise, prior=0.1).predict(text)
    two = train(examples, book.vocab, normalise=normalise, prior=0.1).predict(text)
    assert one == two


def test_bands_a_bad_training_line_names_the_file_and_line(data_copy: Path) -> None:
    training = data_copy / "safeguarding" / "train.jsonl"
    with training.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps({"text": "x y z", "band": "alert", "category": "nope"}) + "\n")
    lines = training.read_text(encoding="utf-8").count("\n")
    book = parse_cues(data_copy / "safeguarding_cues.yaml")
    with pytest.raises(ValueError, match=rf"train\.jsonl: line {lines}: category 'nope'"):
        load_model(book)


# --- the cues file's new sections -------------------------------------------------------

SHIPPED = (get_settings().data_dir / "safeguarding_cues.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace(
                "silences: [harm_at_home, threatened_now, known_adult, self",
                "silences: [harm_at_hom, threatened_now, known_adult, self",
            ),
            "guards > games: silences unknown category 'harm_at_hom'",
        ),
        (lambda t: t.replace("    effect: silence\n", "    effect: mute\n", 1), "effect"),
        (
            lambda t: t.replace("  alert_threshold: null\n", "  alert_threshold: 0.05\n"),
            "alert_threshold is below check_threshold",
        ),
        (lambda t: t.replace("  prior: 0.1\n", "  prior: 1.5\n"), "prior"),
        (
            lambda t: t.replace("      - '\\bsuicid(?:al|e)\\b'", "      - '\\bsuicid(?:al|e\\b'"),
            "self_harm_or_suicide > cues.*not a valid regular",
        ),
        (
            lambda t: t.replace("      - '\\bwalk(?:ing)? on egg ?shells\\b'", "      - '(?:x)?'"),
            "harm_at_home > check.*matches empty text",
        ),
    ],
)
def test_bands_cues_file_errors_name_file_and_place(
    tmp_path: Path, edit: object, message: str
) -> None:
    edited = edit(SHIPPED)  # type: ignore[operator]
    assert edited != SHIPPED
    path = tmp_path / "safeguarding_cues.yaml"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(CuesError, match=message) as info:
        parse_cues(path)
    assert str(path) in str(info.value)


def test_bands_a_cues_file_without_model_or_guards_still_works(tmp_path: Path) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text(
        "categories:\n  test_only:\n    label: Test\n    cues: ['\\bpineapple\\b']\n"
        "    check: ['\\bmango\\b']\n",
        encoding="utf-8",
    )
    book = parse_cues(path)
    assert book.model is None and book.guards == ()
    assert detect_disclosure("PINEAPPLE!", cues=book).band == "alert"
    assert detect_disclosure("a mango", cues=book).band == "check"
    assert detect_disclosure("a kiwi", cues=book).band is None
    with pytest.raises(CuesError, match="has no 'model' section"):
        load_model(book)


def test_bands_the_shipped_model_settings() -> None:
    book = load_cues()
    assert book.model is not None
    assert book.model.check_threshold < (book.model.alert_threshold or 1)
    assert [p.name for p in book.model.training] == ["train.jsonl"]
    without = replace(book, model=None)
    assert detect_disclosure("i cut myself", cues=without).band == "alert"
