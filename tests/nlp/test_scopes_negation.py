"""Negation, contrast, other people's worries, locators and ask cues, through the full tagger:
a denied mention is never tagged, whatever the model says."""

from __future__ import annotations

import pytest

from nlp.tagger import Tagger
from tests.nlp.conftest import theme_ids

CASES = [
    # (text, themes that must be tagged, themes that must not)
    ("the park is fine, it's the station", {"place.transport_hub"}, {"place.park"}),
    ("the park is fine its the station thats bad", {"place.transport_hub"}, {"place.park"}),
    ("not scared of the lads just the dark", {"condition.dark"}, {"people.groups_of_men"}),
    (
        "cameras wont help, they need more police",
        {"ask.police_presence"},
        {"ask.lighting_cctv"},
    ),
    ("not more police, just better lighting", {"ask.lighting_cctv"}, {"ask.police_presence"}),
    ("more police instead of cameras", {"ask.police_presence"}, {"ask.lighting_cctv"}),
    ("my mum thinks the high street is dangerous but im fine", set(), {"place.high_street"}),
    ("my dad says the seafront is full of drunks", set(), {"place.seafront", "people.intoxicated"}),
    ("the underpass near the station", {"place.paths_underpasses"}, {"place.transport_hub"}),
    ("the woods behind the estate", {"place.park"}, {"place.neighbourhood"}),
    ("the park near my house", {"place.park"}, {"place.neighbourhood"}),
    ("got rushed near the rec", {"place.park", "behaviour.physical_violence"}, set()),
    ("I feel safe at school but not on the bus", {"place.transport_hub"}, {"place.school"}),
    (
        "the park is fine in the day but at night its full of druggies",
        {"place.park", "time.night", "people.intoxicated"},
        set(),
    ),
    ("its not the park, its the alley", {"place.paths_underpasses"}, {"place.park"}),
    ("the lads dont bother me", set(), {"people.groups_of_men"}),
    ("never had a problem at the station", set(), {"place.transport_hub"}),
    ("i dont feel safe at the station", {"place.transport_hub"}, set()),
    ("if the alleys werent so dark", {"condition.dark", "place.paths_underpasses"}, set()),
    ("the police never come", set(), {"ask.police_presence"}),
    ("police and cctv", {"ask.police_presence", "ask.lighting_cctv"}, set()),
    ("cctv at every bus stop", {"ask.lighting_cctv", "place.transport_hub"}, set()),
    ("the car park behind tesco", {"place.paths_underpasses"}, {"place.park"}),
    ("a man followed me", {"behaviour.following_staring"}, {"people.groups_of_men"}),
    ("lads from year 11 wait for us", {"people.groups_of_young_people"}, {"people.groups_of_men"}),
    ("after school the buses are packed", {"time.after_school"}, {"place.school"}),
    ("on the way home from school", {"place.school"}, {"time.after_school"}),
    ("teach boys about consent", {"ask.education"}, {"people.groups_of_young_people"}),
    ("buses that run later at night", {"ask.transport", "time.night"}, {"place.transport_hub"}),
]


@pytest.mark.parametrize(("text", "present", "absent"), CASES)
def test_scopes_negation_and_contrast(
    tagger: Tagger, text: str, present: set[str], absent: set[str]
) -> None:
    found = theme_ids(tagger.tag(text))
    assert present <= found, f"missing {present - found} in {text!r}: {found}"
    assert not (absent & found), f"unwanted {absent & found} in {text!r}"


@pytest.mark.parametrize("text", ["idk", "nothing really", "i feel safe everywhere", "no"])
def test_scopes_no_theme_answers_get_no_tags(tagger: Tagger, text: str) -> None:
    assert tagger.tag(text) == []


def test_scopes_rules_write_denied_and_weak_spans(rules_tagger: Tagger) -> None:
    doc = rules_tagger.nlp("the park is fine. the police were there")
    assert [(s.label_, s.text) for s in doc.spans["themes_denied"]] == [("place.park", "the park")]
    assert [s.label_ for s in doc.spans["themes_weak"]] == ["ask.police_presence"]
    assert list(doc.spans["themes"]) == []
