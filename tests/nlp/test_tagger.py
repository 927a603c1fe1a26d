"""The Tagger: evidence that points into the original text, the combination of rules and
model, batch tagging, bad input, threads."""

from __future__ import annotations

import threading

import pytest

from nlp.tagger import SOURCE_MODEL, SOURCE_RULE, Tagger, ThemeTag, Thresholds, decide
from nlp.textprep import MAX_TEXT_CHARS, prepare
from tests.nlp.conftest import theme_ids

EVIDENCE_TEXTS = [
    "waiting at the bus stop at night, men shout stuff at you",
    "THE ALLEY BY THE FLATS IS PITCH BLACK",
    "the la\u200bds at the sta\u200btion",  # zero-width spaces inside words
    "people don\u2019t feel safe on the \u201cbus\u201d",  # curly quotes
    "😡😡 got jumped near the rec 😭 and they took my phone",
    "Chatham stn is dodgy\r\nppl smoke weed there",
    "park.Then the underpass at nite",
]


@pytest.mark.parametrize("text", EVIDENCE_TEXTS)
def test_tagger_evidence_offsets_point_into_the_original_text(tagger: Tagger, text: str) -> None:
    tags = tagger.tag(text)
    assert tags, text
    for tag in tags:
        for evidence in tag.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
            assert evidence.text.strip()


def test_tagger_evidence_skips_invisible_characters_inside_words(tagger: Tagger) -> None:
    text = "the la\u200bds at the sta\u200btion"
    tags = {tag.theme_id: tag for tag in tagger.tag(text)}
    assert tags["place.transport_hub"].evidence[0].text == "sta\u200btion"
    assert tags["people.groups_of_men"].evidence[0].text == "the la\u200bds"


def test_tagger_rule_tags_have_spans_and_model_tags_a_score(tagger: Tagger) -> None:
    tags = tagger.tag("the station at night, lads shouting")
    assert {t.source for t in tags} == {SOURCE_RULE}
    assert all(t.score == 1.0 and t.evidence for t in tags)
    # with the rules' spans out of the way, only model tags remain, each with a score
    doc = tagger.nlp("the station at night, lads shouting")
    doc.user_data.pop("youthvoice_themes")
    model_only = decide(doc, prepare(doc.text), tagger.theme_ids, Thresholds(model=0.0))
    assert model_only and all(t.source == SOURCE_MODEL for t in model_only)
    assert all(0.0 <= t.score <= 1.0 and t.evidence == () for t in model_only)


def test_tagger_themes_come_in_codebook_order(tagger: Tagger) -> None:
    tags = tagger.tag("more police at night on the seafront, the lads get drunk and fight")
    order = [tagger.theme_ids.index(t.theme_id) for t in tags]
    assert order == sorted(order)


def test_tagger_tag_many_matches_tag_in_order(tagger: Tagger) -> None:
    texts = ["idk", "the park at night", "", "more police", "the station"] * 60
    assert list(tagger.tag_many(texts, batch_size=7)) == [tagger.tag(t) for t in texts]


def test_tagger_tags_are_frozen_values(tagger: Tagger) -> None:
    tag = tagger.tag("the bus station")[0]
    assert isinstance(tag, ThemeTag)
    with pytest.raises(AttributeError):
        tag.score = 0.5  # type: ignore[misc]


def test_tagger_exposes_versions(tagger: Tagger) -> None:
    assert len(tagger.codebook_version) == 12
    assert len(tagger.model_version) == 12
    assert "place.park" in tagger.model_labels


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "\u200b\u200b\u200b",
        "😡😭🙄🔪",
        "ÇA NE VA PAS, LA GARE LA NUIT",
        "Tengo miedo en el parque por la noche",
        "Боюсь ходить ночью",
        "我晚上在公园里害怕",
        "THE PARK AT NIGHT IS SO DARK!!!!!!",
        "\x00\x07 control \x1b characters",
        "a" * 5000,
        ".,;:!?" * 300,
    ],
)
def test_tagger_bad_input_never_crashes(tagger: Tagger, text: str) -> None:
    tags = tagger.tag(text)
    assert isinstance(tags, list)
    for tag in tags:
        for evidence in tag.evidence:
            assert text[evidence.start : evidence.end] == evidence.text


@pytest.mark.parametrize("text", ["", "   ", "\n", "\u200b"])
def test_tagger_empty_text_gives_no_themes(tagger: Tagger, text: str) -> None:
    assert tagger.tag(text) == []
    assert list(tagger.tag_many([text])) == [[]]


def test_tagger_all_caps_is_tagged_like_lower_case(tagger: Tagger) -> None:
    text = "the park is fine, its the bus stn at nite with drunk lads"
    assert theme_ids(tagger.tag(text.upper())) == theme_ids(tagger.tag(text))


def test_tagger_tags_a_100000_character_answer(tagger: Tagger) -> None:
    text = ("the park at night is scary because of the lads. " * 2100)[:100_000]
    tags = tagger.tag(text)  # speed: `youthvoice bench-tagging`, not a timed test
    assert {"place.park", "time.night", "people.groups_of_men"} <= theme_ids(tags)
    assert all(e.end <= len(text) for t in tags for e in t.evidence)


@pytest.mark.parametrize("unit", ["!?", "😡", ".,;:", "ab"])
def test_tagger_long_runs_without_spaces_are_tagged(tagger: Tagger, unit: str) -> None:
    text = unit * (100_000 // len(unit))
    assert tagger.tag(text + " the station") == []  # the station is past the limit


def test_tagger_prepare_maps_offsets_back_to_the_original() -> None:
    text = "a\u200bb \u2019c\u2019 " + "!" * 200
    prepared = prepare(text)
    assert len(prepared.text) == len(text) - 1 and "\u200b" not in prepared.text
    assert prepared.text[2:5] == " 'c"
    start = prepared.text.index("'c'")
    assert prepared.span(start, start + 3) == (text.index("\u2019c"), text.index("\u2019c") + 3)
    assert max(len(run) for run in prepared.text.split()) <= 64


def test_tagger_cuts_longer_answers_at_the_documented_limit(tagger: Tagger) -> None:
    text = "x " * MAX_TEXT_CHARS + "the station at night"
    assert tagger.tag(text) == []


def test_tagger_is_safe_to_share_between_threads(tagger: Tagger) -> None:
    texts = [
        "the station at night",
        "not scared of the lads just the dark",
        "more police and cctv",
        "got jumped on the 101",
    ] * 25
    expected = [tagger.tag(t) for t in texts]
    results: dict[int, list[list[ThemeTag]]] = {}

    def work(n: int) -> None:
        results[n] = [tagger.tag(t) for t in texts] if n % 2 else list(tagger.tag_many(texts))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results.values())
