"""The editable mapping files: shipped ones load; bad ones fail naming file, item and problem."""

from __future__ import annotations

import shutil

import pytest
import yaml

from incidents.vocabulary import CRIME_TYPES_FILE, LOCATIONS_FILE, load_vocabulary
from survey.core.data_files import DataFileError
from survey.core.settings import Settings

POLICE_UK_CRIME_TYPES = {
    "Anti-social behaviour": ("anti_social_behaviour", None),
    "Bicycle theft": ("bicycle_theft", None),
    "Burglary": ("burglary", None),
    "Criminal damage and arson": ("criminal_damage_arson", None),
    "Drugs": ("drugs", "drugs_alcohol"),
    "Other crime": ("other_crime", None),
    "Other theft": ("other_theft", None),
    "Possession of weapons": ("possession_of_weapons", "youth_violence"),
    "Public order": ("public_order", None),
    "Robbery": ("robbery", "youth_violence"),
    "Shoplifting": ("shoplifting", None),
    "Theft from the person": ("theft_from_person", None),
    "Vehicle crime": ("vehicle_crime", None),
    "Violence and sexual offences": ("violence_sexual", "youth_violence sv_da"),
}


@pytest.mark.parametrize(("crime_type", "expected"), sorted(POLICE_UK_CRIME_TYPES.items()))
def test_vocabulary_crime_type_to_category_and_strands(vocabulary, crime_type, expected):
    category = vocabulary.crime_types[crime_type.lower()]
    assert (category, vocabulary.strands_of(category)) == expected


def test_vocabulary_every_category_strand_is_a_shared_strand(vocabulary):
    strands = {s.id for s in vocabulary.dimensions.strands}
    assert {s for c in vocabulary.categories.values() for s in c.strands} <= strands


@pytest.mark.parametrize(
    ("age", "band"),
    [(9, "0-9"), (10, "10-13"), (15, "14-15"), (17, "16-17"), (25, "22-25"), (26, "26+")],
)
def test_vocabulary_age_bands_from_ages(vocabulary, age, band):
    assert vocabulary.age_band_for(age) == band


def _data_dir_with(tmp_path, file_name, change):
    data = tmp_path / "data"
    shutil.copytree(Settings().data_dir, data, ignore=shutil.ignore_patterns("names", "training"))
    raw = yaml.safe_load((data / file_name).read_text())
    change(raw)
    (data / file_name).write_text(yaml.safe_dump(raw))
    return data


@pytest.mark.parametrize(
    ("file_name", "change", "message"),
    [
        (
            LOCATIONS_FILE,
            lambda r: r["descriptors"].update({"Supermarket": "place.shops"}),
            "descriptors > 'Supermarket': unknown place type 'place.shops'",
        ),
        (
            LOCATIONS_FILE,
            lambda r: r["lsoa_district_aliases"].update({"Shepway": "Hythe"}),
            "lsoa_district_aliases > 'Shepway': unknown district 'Hythe'",
        ),
        (
            LOCATIONS_FILE,
            lambda r: r["patterns"].append({"pattern": "(", "place_type": None}),
            "not a valid regular expression",
        ),
        (
            CRIME_TYPES_FILE,
            lambda r: r["crime_types"].update({"Drugs": "narcotics"}),
            "crime_types > 'Drugs': unknown category 'narcotics'",
        ),
        (
            CRIME_TYPES_FILE,
            lambda r: r["categories"][0].update({"strands": ["knife_crime"]}),
            "category 'violence_sexual' > strands: unknown strand 'knife_crime'",
        ),
    ],
)
def test_vocabulary_bad_mapping_file_names_the_item(
    tmp_path, vocabulary, file_name, change, message
):
    data = _data_dir_with(tmp_path, file_name, change)
    with pytest.raises(DataFileError, match=message.replace("(", r"\(")) as error:
        load_vocabulary(data, vocabulary.dimensions)
    assert file_name in str(error.value)
