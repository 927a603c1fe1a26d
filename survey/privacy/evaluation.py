"""Measure redaction and safeguarding detection against labelled answers.

Each row needs `text`, `pii` (the personal-data substrings it contains) and `safeguarding` (bool),
as in `shared/data/themes_dev.jsonl`. The report carries counts, rates and row ids only, never
the text or the personal data, so it is safe to print or log.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, StrictStr

from survey.core.data_files import read_jsonl, validate_row
from survey.privacy.redaction import redact
from survey.safeguarding.disclosures import detect_disclosure

TARGETS = {
    "pii_removed_min": 0.95,
    "clean_changed_max": 0.02,
    "safeguarding_recall_min": 0.95,
    "safeguarding_precision_min": 0.60,
}


class _AnswerRow(BaseModel):
    model_config = ConfigDict(extra="allow")
    text: StrictStr


def read_labelled_answers(path: Path) -> list[dict[str, object]]:
    """Read labelled rows; a bad line raises DataFileError naming the file and line number."""
    rows = []
    for number, row in read_jsonl(path):
        validate_row(path, number, row, _AnswerRow)
        rows.append(row)
    return rows


def evaluate_privacy(rows: list[dict[str, object]]) -> dict[str, object]:
    """Score redaction (personal data removed, clean answers untouched) and safeguarding flags."""
    pii_total = pii_removed = clean_total = clean_changed = 0
    tp = fp = fn = tn = 0
    ids: dict[str, list[str]] = {"missed_pii": [], "changed_clean": [], "fp": [], "fn": []}
    elapsed = 0.0
    for n, row in enumerate(rows):
        text, row_id = str(row["text"]), str(row.get("id", n + 1))
        started = time.perf_counter()
        redacted = redact(text).text
        elapsed += time.perf_counter() - started
        pii = [str(p) for p in _as_list(row.get("pii"))]
        if pii:
            gone = sum(p not in redacted for p in pii)
            pii_total += len(pii)
            pii_removed += gone
            if gone < len(pii):
                ids["missed_pii"].append(row_id)
        else:
            clean_total += 1
            if redacted != text:
                clean_changed += 1
                ids["changed_clean"].append(row_id)
        flagged, truth = detect_disclosure(text).flagged, bool(row.get("safeguarding"))
        tp += flagged and truth
        fp += flagged and not truth
        fn += truth and not flagged
        tn += not flagged and not truth
        if flagged != truth:
            ids["fp" if flagged else "fn"].append(row_id)
    return _report(
        rows, pii_total, pii_removed, clean_total, clean_changed, (tp, fp, fn, tn), ids, elapsed
    )


def _report(
    rows: list[dict[str, object]],
    pii_total: int,
    pii_removed: int,
    clean_total: int,
    clean_changed: int,
    confusion: tuple[int, int, int, int],
    ids: dict[str, list[str]],
    elapsed: float,
) -> dict[str, object]:
    tp, fp, fn, tn = confusion
    removed = _rate(pii_removed, pii_total, empty=1.0)
    changed = _rate(clean_changed, clean_total, empty=0.0)
    recall = _rate(tp, tp + fn, empty=1.0)
    precision = _rate(tp, tp + fp, empty=1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    checks = {
        "pii_removed": removed >= TARGETS["pii_removed_min"],
        "clean_changed": changed <= TARGETS["clean_changed_max"],
        "safeguarding_recall": recall >= TARGETS["safeguarding_recall_min"],
        "safeguarding_precision": precision >= TARGETS["safeguarding_precision_min"],
    }
    return {
        "rows": len(rows),
        "pii": {"strings": pii_total, "removed": pii_removed, "removed_rate": removed},
        "clean": {"lines": clean_total, "changed": clean_changed, "changed_rate": changed},
        "safeguarding": {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": tn,
            "recall": recall,
            "precision": precision,
            "f1": f1,
        },
        "redaction_ms_per_text": 1000 * elapsed / max(1, len(rows)),
        "targets": TARGETS,
        "checks": checks,
        "passed": all(checks.values()),
        "failing_ids": ids,
    }


def _rate(part: int, whole: int, *, empty: float) -> float:
    return part / whole if whole else empty


def _as_list(value: object) -> Iterable[object]:
    return value if isinstance(value, list) else []
