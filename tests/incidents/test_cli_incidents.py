"""`youthvoice import-incidents`, `undo-import`, `list-imports` and `bench-import`."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from tests.incidents.helpers import SAMPLE, csv_bytes, live, police_row, stored

JSON_KEYS = {"stored", "duplicates", "skipped_outside_area", "errors", "unmapped_locations"}


def _json(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out)


def test_cli_incidents_import_json_shape_and_exit_codes(app_database, db, capsys):
    assert main(["import-incidents", str(SAMPLE), "--json"]) == 0
    report = _json(capsys)
    assert set(report) >= JSON_KEYS
    assert (report["stored"], report["duplicates"], report["errors"]) == (20, 0, [])
    assert report["status"] == "stored" and isinstance(report["unmapped_locations"], dict)
    assert main(["import-incidents", str(SAMPLE), "--json"]) == 0
    again = _json(capsys)
    assert (again["stored"], again["duplicates"], again["status"]) == (0, 1, "already_imported")
    assert stored(db) == 20


def test_cli_incidents_errors_exit_non_zero_and_list_lines(app_database, db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([police_row(), police_row(month="2019-1"), police_row()[:3]]))
    assert main(["import-incidents", str(bad), "--json"]) == 1
    report = _json(capsys)
    assert report["stored"] == 0
    assert [(e["line"], e["reason"][:9]) for e in report["errors"]] == [
        (3, "bad month"),
        (4, "wrong num"),
    ]
    assert main(["import-incidents", str(bad), "--only-good-rows"]) == 0
    assert "stored 1 incidents" in capsys.readouterr().out
    assert live(db) == 1


def test_cli_incidents_check_stores_nothing(app_database, db, capsys):
    assert main(["import-incidents", str(SAMPLE), "--check"]) == 0
    assert "Checked 1 file: 20 incidents to store" in capsys.readouterr().out
    assert stored(db) == 0


def test_cli_incidents_partner_mapping_by_name(app_database, db, tmp_path, capsys):
    header = [
        "Offence date",
        "Home district",
        "Offence type",
        "Age at offence",
        "Gender",
        "Case reference",
    ]
    path = tmp_path / "yot.csv"
    path.write_bytes(
        csv_bytes([["03/05/2024", "Swale", "Robbery", "16", "Male", "C1"]], header=header)
    )
    assert main(["import-incidents", str(path), "--mapping", "youth_offending", "--json"]) == 0
    assert _json(capsys)["stored"] == 1
    assert live(db, source="yot", suspect_age_band="16-17", category="robbery") == 1


def test_cli_incidents_missing_file_or_mapping_exit_2(app_database, capsys):
    assert main(["import-incidents", "no-such-file.csv"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["import-incidents", str(SAMPLE), "--mapping", "nope", "--json"]) == 2
    assert _json(capsys)["status"] == "error"


def test_cli_incidents_list_and_undo(app_database, db, capsys):
    main(["import-incidents", str(SAMPLE), "--json"])
    import_id = _json(capsys)["import_id"]
    assert main(["list-imports", "--json"]) == 0
    (row,) = _json(capsys)
    assert (row["id"], row["status"], row["rows_stored"]) == (import_id, "stored", 20)
    assert main(["undo-import", str(import_id), "--json"]) == 0
    assert _json(capsys) == {"import_id": import_id, "removed": 20, "restored": 0}
    assert main(["undo-import", str(import_id)]) == 2
    assert "already been undone" in capsys.readouterr().err
    assert stored(db) == 0


@pytest.mark.slow  # a benchmark command
def test_cli_incidents_bench_import_small(app_database, db, capsys):
    assert main(["bench-import", "--rows", "3000"]) == 0
    out = capsys.readouterr().out
    assert "Read 3,000 rows" in out and "rows/s" in out and "Peak memory" in out
    assert stored(db) == 0  # undone afterwards
