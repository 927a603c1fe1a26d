"""One vocabulary: every data file that names a district, place type, time band, age band,
gender, strand or theme is checked against data/dimensions.yaml (and the codebook) when it
is loaded, and an unknown name is refused with the file, the entry and the value.

Each case edits one file in a copy of data/ (YOUTHVOICE_DATA_DIR) and loads it the way the
app and the commands do.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from cli.main import main
from incidents.demo_profile import PROFILE_FILE, load_incident_profile
from incidents.partner_mapping import load_partner_mapping, partner_mapping_path
from incidents.vocabulary import vocabulary_from_settings
from insights.board.context import load_board_context
from survey.core.data_files import DataFileError
from survey.core.dimensions import load_dimensions
from survey.core.settings import PROJECT_ROOT, get_settings
from survey.safeguarding.help_contacts import load_help_contacts
from survey.startup import load_survey_definition
from tests.support import app_test

DATA = PROJECT_ROOT / "data"
STRANDS = "sv_da, youth_violence, drugs_alcohol"


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    monkeypatch.setenv("YOUTHVOICE_DATA_DIR", str(data))
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()


def _replace(old: str, new: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is not once in {path.name}: update this test"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return edit


def _codebook_theme(theme_id: str, field: str, value: Any) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        theme = next(t for t in data["themes"] if t["id"] == theme_id)
        theme[field] = value
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    return edit


def _survey(data: Path) -> object:
    return load_survey_definition(get_settings())


def _board(data: Path) -> object:
    return load_board_context(get_settings())


def _incident_vocabulary(data: Path) -> object:
    return vocabulary_from_settings(get_settings())


def _partner_mapping(data: Path) -> object:
    path = partner_mapping_path(data, "ae_istv")
    return load_partner_mapping(path, vocabulary_from_settings(get_settings()))


def _help_contacts(data: Path) -> object:
    return load_help_contacts(
        data / "help_contacts.yaml", load_dimensions(data / "dimensions.yaml")
    )


def _demo_profile(data: Path) -> object:
    return load_incident_profile(data / PROFILE_FILE, vocabulary_from_settings(get_settings()))


@dataclass(frozen=True)
class Case:
    file: str  # under data/
    edit: Callable[[Path], None]
    load: Callable[[Path], object]
    entry: str
    problem: str  # "unknown KIND 'VALUE'"

    def __str__(self) -> str:
        return f"{self.file}:{self.problem}"


WHO = "section 'who_or_what' > question 'unsafe_because'"
CASES = [
    # the codebook's strands and place themes, against dimensions.yaml
    Case(
        "codebook.yaml",
        _codebook_theme("place.park", "strands", ["sv_knfe"]),
        _survey,
        "theme 'place.park' > strands",
        f"unknown strand 'sv_knfe' (known: {STRANDS})",
    ),
    Case(
        "codebook.yaml",
        _codebook_theme("place.seafront", "id", "place.beach"),
        _survey,
        "theme 'place.beach'",
        "unknown place type 'place.beach' (known: place.transport_hub, place.high_street, ",
    ),
    Case(  # the board reads the codebook too, and checks it the same way
        "codebook.yaml",
        _codebook_theme("behaviour.weapons", "strands", ["knife_crime"]),
        _board,
        "theme 'behaviour.weapons' > strands",
        f"unknown strand 'knife_crime' (known: {STRANDS})",
    ),
    # the questionnaire's themes (against the codebook) and dimension questions
    Case(
        "questionnaire.yaml",
        _replace("theme: behaviour.weapons}", "theme: behaviour.weapon}"),
        _survey,
        f"{WHO} > choice 'weapons' > theme",
        "unknown theme 'behaviour.weapon' (known: place.transport_hub, ",
    ),
    Case(
        "questionnaire.yaml",
        _replace(
            "        choices_from: districts\n",
            "        choices:\n          - {value: Medway, label: Medway}\n"
            "          - {value: Medwy, label: Medwy}\n",
        ),
        _survey,
        "section 'about_you' > question 'district' > choice 'Medwy'",
        "unknown district 'Medwy' (known: Ashford, Canterbury, ",
    ),
    Case(
        "questionnaire.yaml",
        _replace(
            "        choices_from: age_bands\n",
            "        choices:\n          - {value: '10-12', label: 10 to 12}\n",
        ),
        _survey,
        "section 'about_you' > question 'age_band' > choice '10-12'",
        "unknown age band '10-12' (known: 10-13, 14-15, 16-17, 18-21, 22-25)",
    ),
    # police.uk mapping files
    Case(
        "police_uk_crime_types.yaml",
        _replace("strands: [youth_violence, sv_da]", "strands: [youth_violence, sv_dv]"),
        _incident_vocabulary,
        "category 'violence_sexual' > strands",
        f"unknown strand 'sv_dv' (known: {STRANDS})",
    ),
    Case(
        "police_uk_locations.yaml",
        _replace("Beach: place.seafront", "Beach: place.beach"),
        _incident_vocabulary,
        "descriptors > 'Beach'",
        "unknown place type 'place.beach' (known: place.transport_hub, ",
    ),
    Case(
        "police_uk_locations.yaml",
        _replace("  Shepway: Folkestone and Hythe", "  Shepway: Folkestone"),
        _incident_vocabulary,
        "lsoa_district_aliases > 'Shepway'",
        "unknown district 'Folkestone' (known: Ashford, ",
    ),
    # a partner mapping
    Case(
        "partner_mappings/ae_istv.yaml",
        _replace("Pub, bar or club: place.night_venue", "Pub, bar or club: place.nightclub"),
        _partner_mapping,
        "values > place > 'Pub, bar or club'",
        "unknown place type 'place.nightclub' (known: place.transport_hub, ",
    ),
    Case(
        "partner_mappings/ae_istv.yaml",
        _replace("Shepway: Folkestone and Hythe", "Shepway: Shepway Town"),
        _partner_mapping,
        "values > district > 'Shepway'",
        "unknown district 'Shepway Town' (known: Ashford, ",
    ),
    Case(
        "partner_mappings/ae_istv.yaml",
        _replace("    Male: boy_man", "    Male: man"),
        _partner_mapping,
        "values > sex > 'Male'",
        "unknown gender 'man' (known: girl_woman, boy_man, non_binary, self_described)",
    ),
    # the demo profile
    Case(
        "demo/incident_profile.yaml",
        _replace("Thanet: 1.65", "Thannet: 1.65"),
        _demo_profile,
        "district_rate_index",
        "unknown district 'Thannet' (known: Ashford, ",
    ),
    Case(
        "demo/incident_profile.yaml",
        _replace("place.online: 3}", "place.onlin: 3}"),
        _demo_profile,
        "places",
        "unknown place type 'place.onlin' (known: place.transport_hub, ",
    ),
    Case(
        "demo/incident_profile.yaml",
        _replace("sexes: {male: boy_man", "sexes: {male: boys"),
        _demo_profile,
        "sexes > male",
        "unknown gender 'boys' (known: girl_woman, ",
    ),
    # the help contacts for named districts
    Case(
        "help_contacts.yaml",
        _replace("districts: [Medway]", "districts: [Medwy]"),
        _help_contacts,
        "local 'Your local early help team (Medway)' > districts",
        "unknown district 'Medwy' (known: Ashford, ",
    ),
    # the theme-incident links
    Case(
        "theme_incident_links.yaml",
        _replace("behaviour.robbery:", "behaviour.robery:"),
        _board,
        "links > behaviour.robery",
        "unknown theme 'behaviour.robery' (known: place.transport_hub, ",
    ),
    Case(
        "theme_incident_links.yaml",
        _replace("[late, overnight]", "[late, overnite]"),
        _board,
        "links > time.night > time_bands",
        "unknown time band 'overnite' (known: before_school, school_day, after_school, ",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_vocabulary_an_unknown_name_is_refused_with_file_entry_and_value(
    case: Case, data_copy: Path
) -> None:
    path = data_copy / case.file
    case.edit(path)
    with pytest.raises(DataFileError) as refused:
        case.load(data_copy)
    assert str(refused.value).startswith(f"{path}: {case.entry}: {case.problem}")


def test_vocabulary_shipped_files_agree(data_copy: Path) -> None:
    definition = load_survey_definition(get_settings())
    assert _board(data_copy) and _partner_mapping(data_copy) and _demo_profile(data_copy)
    places = definition.dimensions.values("place_types")
    assert [t for t in definition.codebook.theme_ids if t.startswith("place.")] == places


def test_vocabulary_a_place_type_without_a_codebook_theme_is_refused(data_copy: Path) -> None:
    _replace(
        "  - {id: place.online,",
        "  - {id: place.canal, label: Canal paths}\n  - {id: place.online,",
    )(data_copy / "dimensions.yaml")
    with pytest.raises(DataFileError) as refused:
        load_survey_definition(get_settings())
    assert str(refused.value).startswith(
        f"{data_copy / 'codebook.yaml'}: themes: no theme for the place type 'place.canal' "
        f"of {data_copy / 'dimensions.yaml'}"
    )


def test_vocabulary_a_dimension_question_draws_on_its_own_vocabulary(data_copy: Path) -> None:
    path = data_copy / "questionnaire.yaml"
    _replace("choices_from: age_bands", "choices_from: time_bands")(path)
    with pytest.raises(DataFileError) as refused:
        load_survey_definition(get_settings())
    assert str(refused.value).startswith(
        f"{path}: section 'about_you' > question 'age_band': choices_from 'time_bands' does not fit"
    )


def test_vocabulary_strands_are_defined_once_in_the_dimensions() -> None:
    """dimensions.yaml defines the strands; the codebook and the incident categories only
    name them by id."""
    dimensions = load_dimensions(DATA / "dimensions.yaml")
    assert dimensions.values("strands") == ["sv_da", "youth_violence", "drugs_alcohol"]
    for name in ("codebook.yaml", "police_uk_crime_types.yaml"):
        raw = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
        assert "strands" not in raw, f"{name} defines strands: they live in dimensions.yaml"
    codebook = load_survey_definition(get_settings()).codebook
    named = {s for theme in codebook.themes for s in theme.strands}
    assert named == set(dimensions.values("strands"))


# --- the app and the commands run the checks ------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("prepare", "--no-demo"),
        ("tag", "town centre at night"),
        ("board-pack", "--out", "{tmp}/pack.html"),
        ("retag",),
    ],
)
def test_vocabulary_commands_refuse_an_unknown_strand(
    command: tuple[str, ...], data_copy: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'youthvoice.db'}")
    monkeypatch.setenv("YOUTHVOICE_MODELS_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    _codebook_theme("place.park", "strands", ["sv_knfe"])(data_copy / "codebook.yaml")
    code = main([a.replace("{tmp}", str(tmp_path)) for a in command])
    message = capsys.readouterr().err.strip().splitlines()[-1]
    assert code == 2
    assert message.startswith(
        f"{data_copy / 'codebook.yaml'}: theme 'place.park' > strands: unknown strand 'sv_knfe'"
    )
    assert not (tmp_path / "models").exists()  # refused before any training


def test_vocabulary_the_app_stops_with_the_message(data_copy: Path, app_database) -> None:
    path = data_copy / "questionnaire.yaml"
    _replace("theme: behaviour.weapons}", "theme: behaviour.weapon}")(path)
    at = app_test("pages/survey.py").run()
    assert not at.exception
    assert "cannot start until a data file is put right" in at.error[0].value
    assert at.code[0].value.startswith(
        f"{path}: {WHO} > choice 'weapons' > theme: unknown theme 'behaviour.weapon'"
    )
