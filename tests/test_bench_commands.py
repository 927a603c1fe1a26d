from __future__ import annotations

import re

from cli.main import main


def test_bench_privacy_prints_typical_and_worst_case_times(capsys):
    assert main(["bench-privacy"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^redact \+ disclosure check, typical answer: [\d.]+ ms$", out, re.M)
    assert len(re.findall(r"^100,000 characters \(.+\): \d+ ms$", out, re.M)) == 6
