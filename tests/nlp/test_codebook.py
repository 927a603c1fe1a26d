"""The codebook file: complete against THEMES.md, versioned by content, validated with
messages that name the file, the theme and the field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from nlp.codebook import CodebookError, load_codebook
from nlp.compile import compile_rules
from tests.nlp.conftest import CODEBOOK

# THEMES.md: every id, and the strands each belongs to.
THEMES_MD_STRANDS = {
    "place.transport_hub": [],
    "place.high_street": [],
    "place.park": [],
    "place.seafront": [],
    "place.school": [],
    "place.paths_underpasses": [],
    "place.night_venue": ["drugs_alcohol"],
    "place.neighbourhood": [],
    "place.online": [],
    "people.groups_of_men": ["sv_da"],
    "people.groups_of_young_people": ["youth_violence"],
    "people.intoxicated": ["drugs_alcohol"],
    "behaviour.verbal_harassment": ["sv_da"],
    "behaviour.following_staring": ["sv_da"],
    "behaviour.sexual_harassment": ["sv_da"],
    "behaviour.physical_violence": ["youth_violence"],
    "behaviour.weapons": ["youth_violence"],
    "behaviour.robbery": ["youth_violence"],
    "behaviour.drug_dealing": ["drugs_alcohol"],
    "behaviour.hate": [],
    "behaviour.bullying": ["youth_violence"],
    "condition.dark": [],
    "condition.isolated": [],
    "time.night": [],
    "time.after_school": [],
    "ask.more_adults": ["youth_violence"],
    "ask.role_models": ["youth_violence"],
    "ask.police_presence": [],
    "ask.lighting_cctv": [],
    "ask.safe_activities": ["youth_violence"],
    "ask.parenting_support": ["youth_violence"],
    "ask.education": ["sv_da"],
    "ask.transport": [],
}


def minimal_codebook() -> dict[str, Any]:
    return {
        "schema": 1,
        "groups": [{"id": "places", "label": "Places", "description": "where"}],
        "cues": {},
        "spellings": {"station": ["stn"]},
        "themes": [
            {
                "id": "place.park",
                "label": "Parks",
                "description": "parks and open spaces",
                "group": "places",
                "strands": [],
                "phrases": ["park", "(the|) rec"],
            }
        ],
    }


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_codebook_carries_every_theme_of_themes_md_with_its_strands() -> None:
    codebook = load_codebook(CODEBOOK)
    assert codebook.theme_ids[: len(THEMES_MD_STRANDS)] == list(THEMES_MD_STRANDS)
    for theme_id, strands in THEMES_MD_STRANDS.items():
        theme = codebook.theme(theme_id)
        assert sorted(theme.strands) == sorted(strands), theme_id
        assert theme.label and theme.description and theme.phrases, theme_id


def test_codebook_groups_themes_for_display() -> None:
    grouped: dict[str, list] = {}
    for theme in load_codebook(CODEBOOK).themes:
        grouped.setdefault(theme.group, []).append(theme)
    assert list(grouped) == ["places", "people_behaviours", "conditions_times", "asks"]
    assert [len(themes) for themes in grouped.values()] == [9, 12, 4, 8]
    assert all(t.id.startswith("ask.") for t in grouped["asks"])


def test_codebook_version_is_a_hash_of_the_content(tmp_path: Path) -> None:
    text = CODEBOOK.read_text(encoding="utf-8")
    same = tmp_path / "same.yaml"
    same.write_text(text, encoding="utf-8")
    changed = tmp_path / "changed.yaml"
    changed.write_text(text + "\n# a comment\n", encoding="utf-8")
    version = load_codebook(CODEBOOK).version
    assert len(version) == 12
    assert load_codebook(same).version == version
    assert load_codebook(changed).version != version


def _set(data: dict[str, Any], field: str, value: Any) -> None:
    data["themes"][0][field] = value


def _drop(data: dict[str, Any], field: str, value: Any) -> None:
    del data["themes"][0][field]


@pytest.mark.parametrize(
    ("change", "field", "value", "fragment"),
    [
        (_set, "phrases", "park", "phrases: Input should be a valid list"),
        (_set, "phrases", ["park", 3], "phrases > item 2: Input should be a valid string"),
        (_set, "exact_phrases", [""], "exact_phrases > item 1: String should have at least 1"),
        (_set, "cued_phrases", ["(more|police"], "cued_phrases > item 1: '(more|police' has a '('"),
        (_set, "not_phrases", ["(a|(b))"], "not_phrases > item 1: '(a|(b))' has nested brackets"),
        (_drop, "label", None, "label: Field required"),
        (_set, "description", "", "description: String should have at least 1 character"),
        (_set, "group", "nowhere", "group: unknown group 'nowhere' (known: places)"),
        (_set, "strands", "youth_violence", "strands: Input should be a valid list"),
        (_set, "patterns", [{"LOWER": "x"}], "patterns > item 1: Input should be a valid list"),
        (_set, "can_locate", "no", "can_locate: Input should be a valid boolean"),
        (_set, "id", "Park", "id: 'Park' must look like 'kind.name'"),
        (_set, "phrasess", ["park"], "phrasess: unknown key"),
    ],
)
def test_codebook_validation_names_file_theme_and_field(
    tmp_path: Path, change: Any, field: str, value: Any, fragment: str
) -> None:
    data = minimal_codebook()
    change(data, field, value)
    path = write(tmp_path, data)
    with pytest.raises(CodebookError) as error:
        load_codebook(path)
    message = str(error.value)
    assert message.startswith(str(path))
    assert fragment in message
    theme = data["themes"][0]["id"]
    assert f"theme '{theme}' > {fragment}" in message


def test_codebook_validation_rejects_a_duplicate_theme_id(tmp_path: Path) -> None:
    data = minimal_codebook()
    data["themes"].append(copy.deepcopy(data["themes"][0]))
    with pytest.raises(CodebookError, match=r"theme 'place.park': the id is used twice"):
        load_codebook(write(tmp_path, data))


def test_codebook_compile_rejects_an_invalid_spacy_pattern(tmp_path: Path) -> None:
    data = minimal_codebook()
    _set(data, "patterns", [[{"NOT_AN_ATTR": "x"}]])
    codebook = load_codebook(write(tmp_path, data))
    with pytest.raises(CodebookError, match=r"theme 'place.park' > patterns: not a valid spaCy"):
        compile_rules(codebook)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("themes: [", "line 2: not valid YAML"),
        ("- a list", "expected 'name: value' lines at the top level, found a list"),
        ("schema: 2\ngroups: []\nthemes: []", "schema: Input should be 1"),
    ],
)
def test_codebook_reports_bad_files_by_name(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError, match=fragment) as error:
        load_codebook(path)
    assert str(path) in str(error.value)


def test_codebook_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match=r"missing\.yaml: file not found"):
        load_codebook(tmp_path / "missing.yaml")


def test_codebook_defines_no_strands_the_dimensions_do(tmp_path: Path) -> None:
    """Strands are defined once, in data/dimensions.yaml: the codebook only names them."""
    shipped = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    assert "strands" not in shipped
    assert all(isinstance(s, str) for t in shipped["themes"] for s in t.get("strands", []))
    data = minimal_codebook()
    data["strands"] = [{"id": "youth_violence", "label": "Youth violence"}]
    with pytest.raises(CodebookError, match=r"'strands' is defined once, in dimensions\.yaml"):
        load_codebook(write(tmp_path, data))
