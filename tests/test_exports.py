from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from survey.exports import neutralise_cell, safe_csv


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("the park = scary", "the park = scary"),
        ("", ""),
        (42, 42),
        (-3, -3),
    ],
)
def test_exports_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_exports_safe_csv_neutralises_every_text_cell_and_keeps_numbers():
    table = pd.DataFrame({"text": ["=cmd|' /C calc'!A0", "fine"], "count": [-2, 7]})
    rows = list(csv.reader(io.StringIO(safe_csv(table).decode("utf-8-sig"))))
    assert rows == [["text", "count"], ["'=cmd|' /C calc'!A0", "-2"], ["fine", "7"]]


def test_exports_safe_csv_starts_with_a_bom_for_spreadsheets():
    assert safe_csv(pd.DataFrame({"a": ["é"]})).startswith(b"\xef\xbb\xbf")
