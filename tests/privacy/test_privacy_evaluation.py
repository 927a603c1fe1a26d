"""The privacy targets on the labelled dev file, and the commands that report them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cli.main import main
from survey.privacy.evaluation import TARGETS, evaluate_privacy, read_labelled_answers
from tests.support import dev_file

# shared/ sits beside the repository, on a developer's machine and in CI alike.
DEV_FILE = dev_file()

ROWS = [
    {"id": "a", "text": "my mate Chloe got followed", "pii": ["Chloe"], "safeguarding": False},
    {"id": "b", "text": "text 07700 900123", "pii": ["07700 900123"], "safeguarding": False},
    {"id": "c", "text": "the park is dark", "pii": [], "safeguarding": False},
    {"id": "d", "text": "i want to die", "pii": [], "safeguarding": True},
    {"id": "e", "text": "my stepdad hits me", "pii": [], "safeguarding": False},
    {"id": "f", "text": "everything is fine", "pii": [], "safeguarding": True},
]


@pytest.fixture(scope="module")
def dev_report() -> dict[str, Any]:
    if not DEV_FILE.exists():
        pytest.skip(f"the labelled dev file is missing: {DEV_FILE}")
    return evaluate_privacy(read_labelled_answers(DEV_FILE))


def test_privacy_dev_file_personal_data_removed(dev_report: dict[str, Any]) -> None:
    assert dev_report["pii"]["removed_rate"] >= TARGETS["pii_removed_min"], dev_report[
        "failing_ids"
    ]


def test_privacy_dev_file_clean_answers_unchanged(dev_report: dict[str, Any]) -> None:
    assert dev_report["clean"]["changed_rate"] <= TARGETS["clean_changed_max"], dev_report[
        "failing_ids"
    ]


def test_privacy_dev_file_safeguarding_recall(dev_report: dict[str, Any]) -> None:
    sg = dev_report["safeguarding"]
    assert sg["recall"] >= TARGETS["safeguarding_recall_min"], dev_report["failing_ids"]


def test_privacy_dev_file_safeguarding_precision(dev_report: dict[str, Any]) -> None:
    sg = dev_report["safeguarding"]
    assert sg["precision"] >= TARGETS["safeguarding_precision_min"], dev_report["failing_ids"]


def test_privacy_evaluation_counts() -> None:
    report = evaluate_privacy(ROWS)
    assert report["pii"] == {"strings": 2, "removed": 2, "removed_rate": 1.0}
    assert report["clean"]["lines"] == 4 and report["clean"]["changed"] == 0
    assert {k: report["safeguarding"][k] for k in ("tp", "fp", "fn", "tn")} == {
        "tp": 1, "fp": 1, "fn": 1, "tn": 3,
    }  # fmt: skip
    assert report["safeguarding"]["recall"] == 0.5
    assert report["failing_ids"]["fp"] == ["e"] and report["failing_ids"]["fn"] == ["f"]
    assert not report["passed"]


def test_privacy_evaluation_report_holds_no_text_or_personal_data() -> None:
    dumped = json.dumps(evaluate_privacy(ROWS))
    for row in ROWS:
        assert row["text"] not in dumped
        for pii in row["pii"]:
            assert pii not in dumped


def test_privacy_cli_redact(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["redact", "my mate Chloe lives at 7 Manor Close"]) == 0
    assert capsys.readouterr().out == "my mate [NAME] lives at [ADDRESS]\n"


def test_privacy_cli_evaluate_fails_when_a_target_is_missed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS), encoding="utf-8")
    assert main(["evaluate-privacy", str(path)]) == 1
    out = capsys.readouterr().out
    assert "recall 0.500" in out and "FAIL" in out and "TP 1, FP 1, FN 1" in out
    assert main(["evaluate-privacy", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is False and report["checks"]["pii_removed"] is True


def test_privacy_cli_evaluate_passes_on_good_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS[:4]) + "\n\n", encoding="utf-8")
    assert main(["evaluate-privacy", str(path)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("PASS")


def test_privacy_cli_evaluate_reports_a_bad_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"text": "ok"}\n{not json\n', encoding="utf-8")
    assert main(["evaluate-privacy", str(path)]) == 2
    assert f"{path}: line 2: not valid JSON" in capsys.readouterr().err
