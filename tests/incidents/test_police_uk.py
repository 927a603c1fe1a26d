"""Importing police.uk street-level crime files: the real format, mapping, bad rows, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from incidents.models import Incident
from incidents.reading import UnreadableFile, files_from_uploads
from incidents.report import REFUSED, STORED
from tests.incidents.helpers import (
    SAMPLE,
    csv_bytes,
    live,
    police_row,
    run_import,
    stored,
    zip_bytes,
)


def test_police_uk_real_sample_imports_cleanly(db, vocabulary):
    report = run_import(db, vocabulary, (SAMPLE.name, SAMPLE.read_bytes()))
    assert report.status == STORED, report.errors
    assert (report.stored, report.error_count, report.skipped_outside_area) == (20, 0, 0)
    assert report.months == ["2019-01"]
    assert report.files[0].encoding == "UTF-8"
    assert live(db, district="Ashford") == 20
    assert report.unmapped_locations == {}
    assert report.street_locations.rows == 15  # the other 5 are kinds of place
    assert report.mapped["place_type"]["place.park"] == 3  # Park/Open Space, Sports/Recreation


SHARED = Path("/work/shared/data/external/police-uk")


@pytest.mark.parametrize("path", sorted(SHARED.glob("*.csv")), ids=lambda p: p.name)
def test_police_uk_shared_real_files_import_cleanly(db, vocabulary, path):
    report = run_import(db, vocabulary, (path.name, path.read_bytes()))
    assert report.status == STORED and report.error_count == 0
    assert report.unmapped_locations == {}
    assert report.unmapped_values["crime_type"] == {}


def test_police_uk_asb_rows_without_id_and_identical_rows_stay_separate(db, vocabulary):
    run_import(db, vocabulary, (SAMPLE.name, SAMPLE.read_bytes()))
    assert live(db, crime_type="Anti-social behaviour", reference=None) == 5
    # Two identical Lower Lees Road rows (police.uk snaps incidents to one point): two incidents.
    assert live(db, location="On or near Lower Lees Road") == 2


def test_police_uk_rows_map_to_category_strands_and_place(db, vocabulary):
    run_import(db, vocabulary, (SAMPLE.name, SAMPLE.read_bytes()))
    parked = db.exec(select(Incident).where(Incident.location == "On or near Parking Area")).all()
    assert {(i.place_type, i.category) for i in parked} == {
        ("place.paths_underpasses", "criminal_damage_arson"),
        ("place.paths_underpasses", "vehicle_crime"),
    }
    violence = db.exec(
        select(Incident).where(Incident.crime_type == "Violence and sexual offences")
    )
    assert {(i.category, i.strands) for i in violence} == {
        ("violence_sexual", "youth_violence sv_da")
    }
    assert live(db, category="drugs", strands="drugs_alcohol") == 1


def test_police_uk_rows_outside_the_area_are_counted_and_skipped(db, vocabulary):
    rows = [
        police_row(lsoa_name="Wealden 003A"),
        police_row(falls_within="Sussex Police", lsoa_name="Hastings 001A"),
        police_row(location="No Location", lsoa_name="", lsoa_code="", longitude="", latitude=""),
        police_row(),
    ]
    report = run_import(db, vocabulary, ("mixed.csv", csv_bytes(rows)))
    assert report.status == STORED
    assert (report.stored, report.skipped_outside_area, report.skipped_no_location) == (1, 2, 1)
    assert report.outside_area == {"Wealden": 1, "Sussex Police (force)": 1}
    assert stored(db) == 1


BAD_ROWS = [
    (police_row(month="2019-13"), "bad month '2019-13'"),
    (police_row(month="Jan 2019"), "bad month 'Jan 2019'"),
    (police_row()[:11], "wrong number of columns: 11 (the header has 12)"),
    ([*police_row(), "extra"], "wrong number of columns: 13"),
    (police_row(lsoa_name="Ashford"), "LSOA name 'Ashford' has no LSOA code"),
    (police_row(longitude="east"), "bad longitude or latitude"),
    (police_row(crime_type=""), "no crime type"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_ROWS)
def test_police_uk_bad_row_is_reported_with_line_and_nothing_stored(db, vocabulary, bad, reason):
    rows = [police_row(), police_row(), bad, police_row()]
    report = run_import(db, vocabulary, ("bad.csv", csv_bytes(rows)))
    assert report.status == REFUSED
    assert [(e.file, e.line) for e in report.errors] == [("bad.csv", 4)]  # header is line 1
    assert reason in report.errors[0].reason
    assert report.stored == 0 and report.good_rows == 3
    assert stored(db) == 0


def test_police_uk_bad_encoding_is_a_bad_row(db, vocabulary):
    good = csv_bytes([police_row(), police_row()])
    broken = (
        good + b",2019-01,Kent Police,Kent Police,0.9,51.2,On or near \x81\x9d Road,"
        b"E01023987,Ashford 001B,Anti-social behaviour,,\r\n"
    )
    report = run_import(db, vocabulary, ("broken.csv", broken))
    assert [(e.line, e.reason) for e in report.errors] == [
        (4, "bad encoding: neither UTF-8 nor Windows-1252 text")
    ]
    assert stored(db) == 0


def test_police_uk_every_bad_row_is_listed(db, vocabulary):
    rows = [police_row(month="bad") if i % 3 == 0 else police_row() for i in range(30)]
    report = run_import(db, vocabulary, ("many.csv", csv_bytes(rows)))
    assert report.error_count == 10
    assert [e.line for e in report.errors] == list(range(2, 32, 3))


@pytest.mark.parametrize(
    ("encoding", "bom", "named"),
    [
        ("utf-8", False, "UTF-8"),
        ("utf-8", True, "UTF-8 with BOM"),
        ("cp1252", False, "Windows-1252"),
    ],
)
def test_police_uk_encodings_are_read(db, vocabulary, encoding, bom, named):
    rows = [
        police_row(location="On or near Café Street", crime_type="Other theft"),
        police_row(location="On or near £1 Shop Parade"),
    ]
    report = run_import(db, vocabulary, ("enc.csv", csv_bytes(rows, encoding=encoding, bom=bom)))
    assert report.status == STORED, report.errors
    assert report.files[0].encoding == named
    locations = set(db.exec(select(Incident.location)).all())
    assert locations == {"On or near Café Street", "On or near £1 Shop Parade"}


def test_police_uk_wrong_header_refuses_the_file(db, vocabulary):
    report = run_import(db, vocabulary, ("other.csv", b"date,district\n2024-01-01,Dover\n"))
    assert report.status == REFUSED
    assert report.errors[0].line == 1
    assert "not a police.uk street-level crime file" in report.errors[0].reason


def test_police_uk_zip_of_a_download_imports_its_street_files(db, vocabulary):
    download = zip_bytes(
        {
            "2019-01/2019-01-kent-street.csv": SAMPLE.read_bytes(),
            "2019-02/2019-02-kent-street.csv": csv_bytes([police_row(month="2019-02")] * 3),
            "2019-02/2019-02-kent-outcomes.csv": b"Crime ID,Month,Outcome type\n",
        }
    )
    report = run_import(db, vocabulary, ("download.zip", download))
    assert report.status == STORED, report.errors
    assert report.stored == 23 and report.months == ["2019-01", "2019-02"]
    assert [f.status for f in report.files] == ["read", "ignored", "read"]
    assert stored(db) == 23


def test_police_uk_several_files_are_one_import(db, vocabulary):
    report = run_import(
        db,
        vocabulary,
        ("jan.csv", csv_bytes([police_row(month="2019-01")] * 2)),
        ("feb.csv", csv_bytes([police_row(month="2019-02")] * 3)),
    )
    assert report.status == STORED and report.stored == 5
    months = db.exec(select(Incident.month).where(col(Incident.import_id) == report.import_id))
    assert len(set(months)) == 2


def test_police_uk_corrupt_zip_is_refused_plainly():
    with pytest.raises(UnreadableFile, match=r"download\.zip: not a readable zip file"):
        files_from_uploads([("download.zip", b"PK\x03\x04 truncated")])
