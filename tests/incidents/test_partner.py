"""Partner CSVs (A&E/ISTV, a force export, YOT data) mapped through a mapping file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlmodel import select

from incidents.models import Incident
from incidents.partner_mapping import load_partner_mapping, partner_mapping_path
from incidents.report import REFUSED, STORED
from survey.core.data_files import DataFileError
from survey.core.settings import Settings
from tests.incidents.helpers import csv_bytes, live, run_import

AE_HEADER = [
    "Attendance ID",
    "Date of assault",
    "Time of assault",
    "Location district",
    "Location type",
    "Assault type",
    "Weapon or means",
    "Patient age",
    "Patient sex",
]


def ae_row(**changes: str) -> list[str]:
    row = {
        "Attendance ID": "A1",
        "Date of assault": "14/02/2024",
        "Time of assault": "23:15",
        "Location district": "Thanet",
        "Location type": "Pub, bar or club",
        "Assault type": "Assault",
        "Weapon or means": "Glass or bottle",
        "Patient age": "19",
        "Patient sex": "Male",
    }
    for key, value in changes.items():
        row[next(h for h in AE_HEADER if h.lower().replace(" ", "_") == key)] = value
    return [row[h] for h in AE_HEADER]


def ae_file(rows: list[list[str]], **options) -> bytes:
    return csv_bytes(rows, header=AE_HEADER, **options)


@pytest.fixture(scope="module")
def ae_mapping(vocabulary):
    path = partner_mapping_path(Settings().data_dir, "ae_istv")
    return load_partner_mapping(path, vocabulary)


def test_partner_shipped_mappings_load(vocabulary):
    for name in ("ae_istv", "force_export", "youth_offending"):
        mapping = load_partner_mapping(partner_mapping_path(Settings().data_dir, name), vocabulary)
        assert mapping.source and mapping.columns.date


def test_partner_row_maps_onto_the_shared_dimensions(db, vocabulary, ae_mapping):
    report = run_import(db, vocabulary, ("ae.csv", ae_file([ae_row()])), mapping=ae_mapping)
    assert report.status == STORED, report.errors
    incident = db.exec(select(Incident)).one()
    assert (incident.source, incident.district, incident.month.isoformat()) == (
        "ae_istv",
        "Thanet",
        "2024-02-01",
    )
    assert (incident.hour, incident.time_band) == (23, "late")
    assert (incident.place_type, incident.category, incident.strands) == (
        "place.night_venue",
        "violence",
        "youth_violence",
    )
    assert (incident.weapon, incident.victim_sex, incident.victim_age) == (
        "glass_bottle",
        "boy_man",
        19,
    )
    assert incident.victim_age_band == "18-21" and incident.suspect_sex is None


@pytest.mark.parametrize(
    ("time", "band"),
    [
        ("07:30", "before_school"),
        ("12:00", "school_day"),
        ("15:40", "after_school"),
        ("18:05", "evening"),
        ("23:59", "late"),
        ("02:10", "overnight"),
        ("16:20:00", "after_school"),
    ],
)
def test_partner_time_of_day_lands_in_time_bands(db, vocabulary, ae_mapping, time, band):
    run_import(
        db, vocabulary, ("t.csv", ae_file([ae_row(time_of_assault=time)])), mapping=ae_mapping
    )
    assert db.exec(select(Incident.time_band)).one() == band


def test_partner_unknown_values_are_stored_as_unknown_and_reported(db, vocabulary, ae_mapping):
    rows = [
        ae_row(location_type="Bowling alley", weapon_or_means="Chair"),
        ae_row(location_type="Bowling alley", patient_sex="Not stated", assault_type="Assault"),
        ae_row(location_district="Folkestone & Hythe", patient_age="Not known"),
        ae_row(assault_type="Assault - other"),  # unknown: stays unknown, not the default
        ae_row(assault_type=""),  # blank: the mapping's default category
    ]
    report = run_import(db, vocabulary, ("u.csv", ae_file(rows)), mapping=ae_mapping)
    assert report.status == STORED and report.stored == 5
    assert report.unmapped_values == {
        "place": {"Bowling alley": 2},
        "weapon": {"Chair": 1},
        "category": {"Assault - other": 1},
    }
    assert live(db, category=None) == 1 and live(db, category="violence") == 4
    assert live(db, place_type=None) == 2
    assert live(db, district="Folkestone and Hythe", victim_age=None) == 1


BAD_PARTNER_ROWS = [
    (
        ae_row(date_of_assault="31/02/2024"),
        "bad date '31/02/2024' (expected a date like 31/01/2024)",
    ),
    (ae_row(date_of_assault=""), "no date"),
    (ae_row(time_of_assault="25:00"), "bad time '25:00'"),
    (ae_row(location_district="Narnia"), "unknown district 'Narnia'"),
    (ae_row(patient_age="nineteen"), "bad age 'nineteen'"),
    (ae_row()[:4], "wrong number of columns: 4 (the header has 9)"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_PARTNER_ROWS)
def test_partner_bad_row_is_reported_with_line(db, vocabulary, ae_mapping, bad, reason):
    report = run_import(db, vocabulary, ("b.csv", ae_file([ae_row(), bad])), mapping=ae_mapping)
    assert report.status == REFUSED
    assert [e.line for e in report.errors] == [3]
    assert reason in report.errors[0].reason
    assert live(db) == 0


def test_partner_outside_area_values_are_skipped_not_errors(db, vocabulary, ae_mapping):
    rows = [ae_row(), ae_row(location_district="Outside Kent")]
    report = run_import(db, vocabulary, ("o.csv", ae_file(rows)), mapping=ae_mapping)
    assert report.status == STORED and report.skipped_outside_area == 1
    assert report.outside_area == {"Outside Kent": 1}


def test_partner_windows_1252_file_with_bom_free_pound_sign(db, vocabulary, ae_mapping):
    rows = [ae_row(location_type="Caf\u00e9 \u00a3 shop")]
    report = run_import(
        db, vocabulary, ("w.csv", ae_file(rows, encoding="cp1252")), mapping=ae_mapping
    )
    assert report.files[0].encoding == "Windows-1252"
    assert report.unmapped_values["place"] == {"Café £ shop": 1}


def test_partner_missing_mapped_column_refuses_the_file(db, vocabulary, ae_mapping):
    data = csv_bytes([["1", "14/02/2024"]], header=["Attendance ID", "Date of assault"])
    report = run_import(db, vocabulary, ("m.csv", data), mapping=ae_mapping)
    assert report.status == REFUSED and report.errors[0].line == 1
    assert "needs columns" in report.errors[0].reason


def test_partner_replacing_months_replaces_an_earlier_extract(db, vocabulary, ae_mapping):
    run_import(
        db,
        vocabulary,
        ("e1.csv", ae_file([ae_row(attendance_id=str(i)) for i in range(3)])),
        mapping=ae_mapping,
    )
    report = run_import(
        db, vocabulary, ("e2.csv", ae_file([ae_row(attendance_id="x")])), mapping=ae_mapping
    )
    assert report.replaced == 3 and live(db) == 1


def _mapping_file(tmp_path: Path, **changes) -> Path:
    raw = yaml.safe_load(partner_mapping_path(Settings().data_dir, "ae_istv").read_text())
    raw.update(changes)
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"values": {"place": {"Pub": "place.pub"}}},
            "values > place > 'Pub': unknown place type 'place.pub'",
        ),
        ({"values": {"sex": {"M": "male"}}}, "values > sex > 'M': unknown gender 'male'"),
        ({"default_category": "assault"}, "default_category: unknown category 'assault'"),
        ({"source": "police.uk"}, "source 'police.uk' is reserved"),
        ({"columns": {"date": "Date"}}, "name a district or an lsoa_name column"),
        ({"person": "witness"}, "person"),
    ],
)
def test_partner_bad_mapping_file_says_what_is_wrong(tmp_path, vocabulary, changes, message):
    with pytest.raises(DataFileError, match=message.replace("(", r"\(")) as error:
        load_partner_mapping(_mapping_file(tmp_path, **changes), vocabulary)
    assert "mine.yaml" in str(error.value)


def test_partner_adding_source_warns_when_months_already_hold_rows(db, vocabulary):
    mapping = load_partner_mapping(
        partner_mapping_path(Settings().data_dir, "youth_offending"), vocabulary
    )
    header = ["Offence date", "Home district", "Offence type", "Age at offence", "Gender",
              "Case reference"]  # fmt: skip
    first = csv_bytes([["03/05/2024", "Swale", "Robbery", "16", "Male", "C1"]], header=header)
    second = csv_bytes([["09/05/2024", "Dover", "Drugs", "17", "Female", "C2"]], header=header)
    run_import(db, vocabulary, ("may.csv", first), mapping=mapping)
    report = run_import(db, vocabulary, ("may-more.csv", second), mapping=mapping)
    assert report.status == STORED and report.replaced == 0
    assert "already hold 1 incidents" in report.warnings[0]
    assert live(db, source="yot") == 2
