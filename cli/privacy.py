"""Privacy commands: redact, evaluate-privacy, evaluate-safeguarding, bench-privacy.

The redaction, its word lists and the disclosure check are imported inside the handlers, so
other commands (and --help) do not pay for them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def register(subparsers: argparse._SubParsersAction) -> None:
    redact_parser = subparsers.add_parser(
        "redact", help="print TEXT with personal data replaced by [NAME], [PHONE], ..."
    )
    redact_parser.add_argument("text", metavar="TEXT", help="the text to redact ('-' reads stdin)")
    redact_parser.set_defaults(handler=_redact)

    evaluate = subparsers.add_parser(
        "evaluate-privacy",
        help="score redaction and safeguarding detection on a labelled JSONL file",
    )
    evaluate.add_argument("file", metavar="FILE.jsonl", type=Path)
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(handler=_evaluate)

    safeguarding = subparsers.add_parser(
        "evaluate-safeguarding",
        help="recall and precision of the disclosure check, per band, with 95%% intervals",
        description=(
            "Score the disclosure check on labelled JSONL: the shared dev file's format "
            "(safeguarding: true/false) or the project's (band: alert/check/none, category). "
            "Prints recall and precision per band and for the union with 95%% Wilson "
            "intervals, then the misses and false alarms. Exit code 1 when a target is missed."
        ),
    )
    safeguarding.add_argument("file", metavar="FILE.jsonl", type=Path)
    safeguarding.add_argument("--json", action="store_true", help="print one JSON object")
    safeguarding.set_defaults(handler=_evaluate_safeguarding)

    bench = subparsers.add_parser(
        "bench-privacy", help="time redaction and the disclosure check, typical and worst case"
    )
    bench.set_defaults(handler=_bench)


def _redact(args: argparse.Namespace) -> int:
    from survey.privacy.redaction import redact

    text = sys.stdin.read() if args.text == "-" else args.text
    print(redact(text).text)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from survey.privacy.evaluation import evaluate_privacy, read_labelled_answers

    rows = read_labelled_answers(args.file)  # a bad file: one plain message (cli/errors.py)
    report = evaluate_privacy(rows)
    if args.json:
        print(json.dumps(report, sort_keys=True))
    else:
        print(_summary(report))
    return 0 if report["passed"] else 1


def _evaluate_safeguarding(args: argparse.Namespace) -> int:
    from survey.safeguarding.evaluation import (
        evaluate_safeguarding,
        format_report,
        read_labelled,
    )

    rows = read_labelled(args.file)  # a bad file: one plain message (cli/errors.py)
    report = evaluate_safeguarding(rows)
    if args.json:
        print(json.dumps(report, sort_keys=True, ensure_ascii=False))
    else:
        print(format_report(report))
    return 0 if report["passed"] else 1


def _summary(report: dict[str, Any]) -> str:
    pii, clean, sg = report["pii"], report["clean"], report["safeguarding"]
    checks, targets = report["checks"], report["targets"]

    def verdict(key: str) -> str:
        return "PASS" if checks[key] else "FAIL"

    lines = [
        f"rows: {report['rows']}",
        f"personal data removed: {pii['removed']}/{pii['strings']} ({pii['removed_rate']:.1%}), "
        f"target >= {targets['pii_removed_min']:.0%}: {verdict('pii_removed')}",
        f"lines without personal data changed: {clean['changed']}/{clean['lines']} "
        f"({clean['changed_rate']:.1%}), target <= {targets['clean_changed_max']:.0%}: "
        f"{verdict('clean_changed')}",
        f"safeguarding: TP {sg['tp']}, FP {sg['fp']}, FN {sg['fn']}, TN {sg['tn']}",
        f"  recall {sg['recall']:.3f} (target >= {targets['safeguarding_recall_min']}): "
        f"{verdict('safeguarding_recall')}",
        f"  precision {sg['precision']:.3f} (target >= {targets['safeguarding_precision_min']}): "
        f"{verdict('safeguarding_precision')}",
        f"  F1 {sg['f1']:.3f}",
        f"redaction time: {report['redaction_ms_per_text']:.3f} ms per text",
    ]
    failing = {k: v for k, v in report["failing_ids"].items() if v}
    if failing:
        lines.append(
            "failing ids: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in failing.items())
        )
    lines.append("PASS" if report["passed"] else "FAIL")
    return "\n".join(lines)


BENCH_ANSWERS = [
    "my mate Chloe got followed from the bus station by a man in a van",
    "call me on 07700 900123 if you see them at 14 Canterbury Street ME4 4QG",
    "the park at night is pitch black and older boys shout at you",
    "my dad hits me when hes drunk and im scared to go home",
    "more police walking round town and better lights in the alley",
    # no cue fires in these, so the classifier reads them (the slower path)
    "the high street after school, year 11s hang about outside the chicken shop and vape. "
    "Its fine in the day but at night theres drunk men and someone got stabbed last summer",
    "i just feel like everyone would manage without me",
]
WORST_CASES = {
    "letters": "a" * 100_000,
    "digits": "0 " * 50_000,
    "titles": "Mr " * 33_000,
    "html": "<b>" * 33_000,
    "emoji": "😀" * 100_000,
    "many cues": "i want to kms " * 7_000,
}


def _bench(_args: argparse.Namespace) -> int:
    """Per-answer time for typical answers, and the worst 100,000-character inputs."""
    from survey.privacy.redaction import redact
    from survey.safeguarding.disclosures import detect_disclosure

    redact("warm up")
    started = time.perf_counter()
    detect_disclosure("warm up, which loads the cues and trains the classifier")
    print(
        f"first check (loads the cues, trains the classifier): "
        f"{1000 * (time.perf_counter() - started):.0f} ms"
    )
    rounds = 400
    times: list[float] = []
    for _ in range(rounds):
        for text in BENCH_ANSWERS:
            one = time.perf_counter()
            detect_disclosure(redact(text).text)
            times.append(time.perf_counter() - one)
    per_answer = 1000 * sum(times) / len(times)
    times.sort()
    p50, p99 = times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"redact + disclosure check, typical answer: {per_answer:.3f} ms")
    print(
        f"redact + disclosure check, p50 {1000 * p50:.3f} ms, p99 {1000 * p99:.3f} ms, "
        f"max {1000 * times[-1]:.3f} ms"
    )
    for name, text in WORST_CASES.items():
        started = time.perf_counter()
        detect_disclosure(redact(text).text)
        print(f"100,000 characters ({name}): {1000 * (time.perf_counter() - started):.0f} ms")
    return 0
