"""Undoing an import as a unit, and the import history."""

from __future__ import annotations

import pytest
from sqlmodel import select

from incidents.history import UndoRefused, import_history, undo_import, undoable_imports
from incidents.models import IncidentImport
from survey.core.models import AuditEvent
from tests.incidents.helpers import ANA, SAMPLE, live, month_file, run_import, stored


def test_history_undo_removes_the_import_and_allows_importing_it_again(db, vocabulary):
    report = run_import(db, vocabulary, (SAMPLE.name, SAMPLE.read_bytes()))
    result = undo_import(db, ANA, report.import_id)
    assert (result.removed, result.restored) == (20, 0)
    assert stored(db) == 0
    record = db.get(IncidentImport, report.import_id)
    assert (record.status, record.undone_by) == ("undone", "ana")
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "incidents.import_undone")).one()
    assert event.detail == {"removed": 20, "restored": 0}
    again = run_import(db, vocabulary, (SAMPLE.name, SAMPLE.read_bytes()))
    assert again.stored == 20


def test_history_undo_of_a_replacing_import_restores_the_replaced_month(db, vocabulary):
    run_import(db, vocabulary, ("old.csv", month_file("2019-01", 5)))
    newer = run_import(db, vocabulary, ("new.csv", month_file("2019-01", 7)))
    assert live(db) == 7
    result = undo_import(db, ANA, newer.import_id)
    assert (result.removed, result.restored) == (7, 5)
    assert live(db) == 5


def test_history_undo_in_the_middle_keeps_the_newest_month_in_charge(db, vocabulary):
    run_import(db, vocabulary, ("a.csv", month_file("2019-01", 2)))
    middle = run_import(db, vocabulary, ("b.csv", month_file("2019-01", 3)))
    newest = run_import(db, vocabulary, ("c.csv", month_file("2019-01", 4)))
    undo_import(db, ANA, middle.import_id)
    assert live(db) == 4  # the first import's rows stay replaced, now by the newest
    undo_import(db, ANA, newest.import_id)
    assert live(db) == 2


def test_history_undo_twice_or_unknown_is_refused(db, vocabulary):
    report = run_import(db, vocabulary, (SAMPLE.name, SAMPLE.read_bytes()))
    undo_import(db, ANA, report.import_id)
    with pytest.raises(UndoRefused, match="already been undone"):
        undo_import(db, ANA, report.import_id)
    with pytest.raises(UndoRefused, match="no import #999"):
        undo_import(db, ANA, 999)


def test_history_lists_imports_newest_first(db, vocabulary):
    first = run_import(db, vocabulary, ("jan.csv", month_file("2019-01", 2)))
    second = run_import(db, vocabulary, ("feb.csv", month_file("2019-02", 3)))
    undo_import(db, ANA, first.import_id)
    history = import_history(db)
    assert history["id"].tolist() == [second.import_id, first.import_id]
    assert history["status"].tolist() == ["stored", "undone"]
    assert history["months"].tolist() == ["2019-02", "2019-01"]
    assert list(undoable_imports(db)) == [second.import_id]
