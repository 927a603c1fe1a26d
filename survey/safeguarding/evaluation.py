"""Measure the disclosure check, band by band, against labelled answers.

Two label formats are read, line by line (`survey.core.data_files.read_jsonl`):

- the shared dev file's: `safeguarding: true/false` (no band);
- the project's own (`data/safeguarding/*.jsonl`): `band: "alert" | "check" | "none"` and a
  `category`.

What is counted (a "positive" is a line labelled safeguarding, or band alert or check):

- union: recall = positives flagged in either band; precision = flagged lines that are positive.
- alert band: precision = alert lines that are positive (a line labelled check counts: it is a
  real concern); recall = lines labelled alert (dev file: every positive) that were alerts.
- check band: precision = check lines that are positive; recall = lines labelled check that
  were flagged at all (a check line raised to an alert is caught, not missed).
- negatives: how many unlabelled (none) lines the check band, and the alert band, caught; on a
  file of ordinary answers this is the check band's false-alarm rate.

Every proportion comes with its 95% Wilson score interval. The report lists the misses and the
false alarms by id with their text: these are the project's own synthetic answers, and a
reader needs the words to improve a cue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, StrictBool, StrictStr, model_validator

from survey.core.data_files import read_jsonl, validate_row
from survey.safeguarding.disclosures import ALERT, CHECK, detect_disclosure

TARGETS = {
    "union_recall_min": 0.95,
    "union_precision_min": 0.60,
    "alert_precision_min": 0.80,
    "ordinary_check_rate_max": 0.10,
}
Z95 = 1.959963984540054


class _LabelledRow(BaseModel):
    model_config = ConfigDict(extra="allow")
    text: StrictStr
    safeguarding: StrictBool | None = None
    band: Literal["alert", "check", "none"] | None = None
    category: StrictStr | None = None

    @model_validator(mode="after")
    def _one_label(self) -> _LabelledRow:
        if self.safeguarding is None and self.band is None:
            raise ValueError("needs a label: 'safeguarding' (true/false) or 'band'")
        if self.band in (ALERT, CHECK) and not self.category:
            raise ValueError(f"band {self.band!r} needs a 'category'")
        return self


@dataclass(frozen=True)
class LabelledAnswer:
    id: str
    text: str
    label: str | None  # "alert", "check", "none"; None when the file says only true/false
    positive: bool
    category: str | None = None
    kind: str | None = None  # what a negative is (game, sport, joke, ...), when the file says


def read_labelled(path: Path) -> list[LabelledAnswer]:
    """Labelled answers in either format; a bad line raises DataFileError naming file and line."""
    rows: list[LabelledAnswer] = []
    for number, raw in read_jsonl(path):
        row = validate_row(path, number, raw, _LabelledRow)
        if row.band is not None:
            label: str | None = row.band
            positive = row.band != "none"
        else:
            label, positive = None, bool(row.safeguarding)
        kind = raw.get("kind")
        rows.append(
            LabelledAnswer(
                id=str(raw.get("id", f"line {number}")),
                text=row.text,
                label=label,
                positive=positive,
                category=row.category,
                kind=kind if isinstance(kind, str) else None,
            )
        )
    return rows


def wilson(successes: int, trials: int) -> tuple[float, float]:
    """The 95% Wilson score interval of successes/trials ((0, 1) when there are no trials)."""
    if trials == 0:
        return (0.0, 1.0)
    p = successes / trials
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = Z95 * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    return (max(0.0, centre - half), min(1.0, centre + half))


def _rate(part: int, whole: int) -> dict[str, Any]:
    low, high = wilson(part, whole)
    return {
        "value": part / whole if whole else None,
        "count": part,
        "of": whole,
        "ci95": [round(low, 4), round(high, 4)],
    }


def evaluate_safeguarding(rows: list[LabelledAnswer], *, use_model: bool = True) -> dict[str, Any]:
    """Score `detect_disclosure` on labelled rows: per band, the union, negatives, misses."""
    predicted: list[str | None] = [
        detect_disclosure(r.text, use_model=use_model).band for r in rows
    ]
    positives = [r.positive for r in rows]
    flagged = [b is not None for b in predicted]
    alerts = [b == ALERT for b in predicted]
    checks = [b == CHECK for b in predicted]
    banded = any(r.label is not None for r in rows)

    def count(mask: list[bool]) -> int:
        return sum(mask)

    def both(a: list[bool], b: list[bool]) -> int:
        return sum(x and y for x, y in zip(a, b, strict=True))

    labelled_alert = [r.label == ALERT if banded else r.positive for r in rows]
    labelled_check = [r.label == CHECK for r in rows]
    negatives = [not p for p in positives]
    report: dict[str, Any] = {
        "rows": len(rows),
        "positives": count(positives),
        "negatives": count(negatives),
        "banded_labels": banded,
        "union": {
            "recall": _rate(both(flagged, positives), count(positives)),
            "precision": _rate(both(flagged, positives), count(flagged)),
        },
        "alert": {
            "precision": _rate(both(alerts, positives), count(alerts)),
            "recall": _rate(both(alerts, labelled_alert), count(labelled_alert)),
        },
        "check": {
            "precision": _rate(both(checks, positives), count(checks)),
            "recall": _rate(both(flagged, labelled_check), count(labelled_check)),
        },
        "negatives_caught": {
            "check": _rate(both(checks, negatives), count(negatives)),
            "alert": _rate(both(alerts, negatives), count(negatives)),
            "either": _rate(both(flagged, negatives), count(negatives)),
        },
        "misses": [
            _line(r, b) for r, b in zip(rows, predicted, strict=True) if r.positive and b is None
        ],
        "false_alarms": [
            _line(r, b)
            for r, b in zip(rows, predicted, strict=True)
            if not r.positive and b is not None
        ],
        "targets": TARGETS,
    }
    report["checks"] = _checks(report)
    report["passed"] = all(report["checks"].values())
    return report


def _line(row: LabelledAnswer, band: str | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "label": row.label if row.label is not None else row.positive,
        "category": row.category,
        "kind": row.kind,
        "predicted": band,
        "text": row.text,
    }


def _checks(report: dict[str, Any]) -> dict[str, bool]:
    """The targets that apply to this file: the union and alert figures when it has positives,
    the check band's catch of negatives when it has only negatives (a set of ordinary answers)."""
    checks: dict[str, bool] = {}
    if report["positives"]:
        checks["union_recall"] = _at_least(report["union"]["recall"], "union_recall_min")
        checks["union_precision"] = _at_least(report["union"]["precision"], "union_precision_min")
        checks["alert_precision"] = _at_least(report["alert"]["precision"], "alert_precision_min")
    else:
        rate = report["negatives_caught"]["check"]["value"] or 0.0
        checks["ordinary_check_rate"] = rate <= TARGETS["ordinary_check_rate_max"]
    return checks


def _at_least(rate: dict[str, Any], target: str) -> bool:
    value = rate["value"]
    return value is None or value >= TARGETS[target]


def format_report(report: dict[str, Any], *, show_lines: bool = True) -> str:
    """The report as plain lines: figures with their intervals, verdicts, then the misses."""

    def figure(rate: dict[str, Any]) -> str:
        if rate["value"] is None:
            return "n/a (0 lines)"
        low, high = rate["ci95"]
        return f"{rate['value']:.3f} ({rate['count']}/{rate['of']}; 95% CI {low:.3f}-{high:.3f})"

    checks, targets = report["checks"], report["targets"]

    def verdict(key: str) -> str:
        return "" if key not in checks else (": PASS" if checks[key] else ": FAIL")

    labels = "bands" if report["banded_labels"] else "true/false"
    lines = [
        f"rows: {report['rows']} ({report['positives']} positive, {report['negatives']} "
        f"negative; labels: {labels})",
    ]
    if report["positives"]:
        lines += [
            f"union (alert or check) recall    {figure(report['union']['recall'])}, "
            f"target >= {targets['union_recall_min']}{verdict('union_recall')}",
            f"union (alert or check) precision {figure(report['union']['precision'])}, "
            f"target >= {targets['union_precision_min']}{verdict('union_precision')}",
            f"alert precision                  {figure(report['alert']['precision'])}, "
            f"target >= {targets['alert_precision_min']}{verdict('alert_precision')}",
            f"alert recall                     {figure(report['alert']['recall'])}",
            f"check precision                  {figure(report['check']['precision'])}",
            f"check recall (flagged at all)    {figure(report['check']['recall'])}",
        ]
    caught = report["negatives_caught"]
    if report["negatives"]:
        target = (
            f", target <= {targets['ordinary_check_rate_max']}" if not report["positives"] else ""
        )
        lines += [
            f"negatives caught by check        {figure(caught['check'])}{target}"
            f"{verdict('ordinary_check_rate')}",
            f"negatives caught by alert        {figure(caught['alert'])}",
        ]
    if show_lines:
        for name, key in (("misses", "misses"), ("false alarms", "false_alarms")):
            items = report[key]
            lines.append(f"{name}: {len(items)}")
            for item in items:
                label = (
                    item["label"]
                    if item["category"] is None
                    else (f"{item['label']}/{item['category']}")
                )
                kind = f" [{item['kind']}]" if item["kind"] else ""
                lines.append(
                    f"  {item['id']} ({label}{kind} -> {item['predicted']}): {item['text']}"
                )
    lines.append("PASS" if report["passed"] else "FAIL")
    return "\n".join(lines)
