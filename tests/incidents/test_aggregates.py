"""The incident_count table always equals a direct count of the live incidents."""

from __future__ import annotations

from datetime import date

from pandas.testing import assert_frame_equal

from incidents.aggregates import has_demo_incidents
from incidents.history import undo_import
from tests.incidents.helpers import (
    ANA,
    SAMPLE,
    aggregate_counts,
    csv_bytes,
    direct_counts,
    incident_counts,
    month_file,
    police_row,
    run_import,
)


def _assert_counts_match(db) -> None:
    assert_frame_equal(aggregate_counts(db), direct_counts(db))


def test_aggregates_equal_direct_count_after_import_replacement_and_undo(db, vocabulary):
    run_import(db, vocabulary, (SAMPLE.name, SAMPLE.read_bytes()))
    _assert_counts_match(db)
    run_import(
        db, vocabulary, ("feb.csv", month_file("2019-02", 4, location="On or near Nightclub"))
    )
    replacing = run_import(db, vocabulary, ("jan.csv", month_file("2019-01", 3)))
    _assert_counts_match(db)
    assert incident_counts(db)["incidents"].sum() == 3 + 4
    undo_import(db, ANA, replacing.import_id)
    _assert_counts_match(db)
    assert incident_counts(db)["incidents"].sum() == 20 + 4


def test_aggregates_filter_by_district_and_month_range(db, vocabulary):
    rows = [
        police_row(month=m, lsoa_name=f"{d} 001A")
        for m in ("2019-01", "2019-02", "2019-03")
        for d in ("Dover", "Thanet", "Dover")
    ]
    run_import(db, vocabulary, ("q1.csv", csv_bytes(rows)))
    counts = incident_counts(
        db, districts=["Dover"], month_from=date(2019, 2, 1), month_to=date(2019, 3, 31)
    )
    assert counts["incidents"].sum() == 4
    assert set(counts["district"]) == {"Dover"}
    assert sorted(counts["month"].dt.strftime("%Y-%m").unique()) == ["2019-02", "2019-03"]
    assert not has_demo_incidents(db)


def test_aggregates_empty_database_gives_empty_frame(db):
    counts = incident_counts(db)
    assert counts.empty and "incidents" in counts.columns
