"""Imports as units: all or nothing, idempotent, months replaced, good rows on request."""

from __future__ import annotations

from sqlmodel import select

from incidents.models import IncidentImport, IncidentImportFile
from incidents.report import ALREADY_IMPORTED, CHECKED, REFUSED, STORED
from survey.core.models import AuditEvent
from tests.incidents.helpers import (
    SAMPLE,
    csv_bytes,
    live,
    month_file,
    police_row,
    run_import,
    stored,
)


def test_importing_same_file_again_stores_nothing_and_says_so(db, vocabulary):
    first = run_import(db, vocabulary, (SAMPLE.name, SAMPLE.read_bytes()))
    again = run_import(db, vocabulary, ("renamed copy.csv", SAMPLE.read_bytes()))
    assert again.status == ALREADY_IMPORTED
    assert (again.stored, again.duplicates) == (0, 1)
    assert again.files[0].duplicate_of == first.import_id
    assert "already been imported" in again.message
    assert stored(db) == 20


def test_importing_records_file_hash_who_and_counts(db, vocabulary):
    report = run_import(db, vocabulary, (SAMPLE.name, SAMPLE.read_bytes()))
    record = db.get(IncidentImport, report.import_id)
    assert (record.file_name, record.actor, record.status) == (SAMPLE.name, "tester", "stored")
    assert (record.rows_read, record.rows_stored, record.rows_skipped) == (20, 20, 0)
    assert record.imported_at is not None
    (file,) = db.exec(select(IncidentImportFile)).all()
    assert len(file.content_hash) == 64 and file.rows == 20
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "incidents.imported")).one()
    assert event.detail["stored"] == 20 and event.actor == "tester"


def test_importing_a_month_again_replaces_it_never_double_counts(db, vocabulary):
    run_import(db, vocabulary, ("jan-feb.csv", month_file("2019-01", 5) + b""))
    run_import(db, vocabulary, ("feb.csv", month_file("2019-02", 4)))
    # A later download revises January (6 rows now) and adds March.
    revised = csv_bytes(
        [police_row(month="2019-01", crime_id=f"r{i}") for i in range(6)]
        + [police_row(month="2019-03", crime_id=f"m{i}") for i in range(2)]
    )
    report = run_import(db, vocabulary, ("revised.csv", revised))
    assert report.status == STORED and report.replaced == 5
    assert live(db) == 6 + 4 + 2
    assert stored(db) == 5 + 4 + 8  # the replaced rows are kept, marked, for undo


def test_importing_another_force_does_not_replace_its_month(db, vocabulary):
    run_import(db, vocabulary, ("kent.csv", month_file("2019-01", 3)))
    btp = month_file("2019-01", 2, reported_by="British Transport Police")
    report = run_import(db, vocabulary, ("btp.csv", btp))
    assert report.replaced == 0
    assert live(db) == 5


def test_importing_with_errors_stores_nothing_unless_only_good_rows(db, vocabulary):
    rows = [police_row(), police_row(month="2019-1x"), police_row(), police_row()[:5]]
    refused = run_import(db, vocabulary, ("bad.csv", csv_bytes(rows)))
    assert refused.status == REFUSED and stored(db) == 0
    assert db.exec(select(IncidentImport)).all() == []  # not even an import record
    good = run_import(db, vocabulary, ("bad.csv", csv_bytes(rows)), only_good_rows=True)
    assert good.status == STORED and good.stored == 2 and good.error_count == 2
    assert [e.line for e in good.errors] == [3, 5]
    assert stored(db) == 2


def test_importing_refused_batch_with_many_rows_stores_nothing(db, vocabulary):
    # Longer than one write chunk, so rows were already written when the error came.
    rows = [police_row(crime_id=str(i)) for i in range(25_000)] + [police_row(month="x")]
    report = run_import(db, vocabulary, ("big.csv", csv_bytes(rows)))
    assert report.status == REFUSED and report.good_rows == 25_000
    assert stored(db) == 0


def test_importing_dry_run_reports_without_storing(db, vocabulary):
    run_import(db, vocabulary, ("jan.csv", month_file("2019-01", 3)))
    check = run_import(db, vocabulary, ("jan2.csv", month_file("2019-01", 4)), dry_run=True)
    assert check.status == CHECKED and check.can_import
    assert (check.stored, check.replaced) == (4, 3)
    assert live(db) == 3 and len(db.exec(select(IncidentImport)).all()) == 1


def test_importing_an_unreadable_file_is_reported_not_raised(db, vocabulary):
    report = run_import(db, vocabulary, ("book.csv", b"PK\x03\x04 not really a workbook"))
    assert report.status == REFUSED
    assert "not a CSV file" in report.errors[0].reason
