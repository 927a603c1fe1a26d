from __future__ import annotations

import re

import pytest

from cli.main import main


@pytest.mark.slow  # a benchmark command
def test_bench_privacy_prints_typical_and_worst_case_times(capsys):
    assert main(["bench-privacy"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^redact \+ disclosure check, typical answer: [\d.]+ ms$", out, re.M)
    assert len(re.findall(r"^100,000 characters \(.+\): \d+ ms$", out, re.M)) == 6


@pytest.mark.slow  # a benchmark command
def test_bench_cli_times_help_and_tag_as_fresh_processes(theme_model_dir, capsys):
    assert main(["bench-cli", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    figures = r": median [\d.]+ s, min [\d.]+ s, peak RSS \d+ MB \(1 run\)$"
    assert re.search(r"^youthvoice --help" + figures, out, re.M)
    assert re.search(r"^youthvoice tag town" + figures, out, re.M)
    loads = r"^load average (before|after): [\d.]+ [\d.]+ [\d.]+ \(1, 5, 15 min; \d+ cores\)$"
    assert len(re.findall(loads, out, re.M)) == 2


def test_bench_cli_refuses_no_runs(capsys):
    assert main(["bench-cli", "--runs", "0"]) == 2
    assert "--runs must be at least 1" in capsys.readouterr().err
