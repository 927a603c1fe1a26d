from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from survey.privacy.exports import neutralise_cell, safe_csv


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


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('ok\r=HYPERLINK("http://x")', 'ok\r\'=HYPERLINK("http://x")'),
        ("a\n+1", "a\n'+1"),
        ("x\r\n@SUM(1)", "x\r\n'@SUM(1)"),
        ("one\n\n-2\n\t=3", "one\n\n'-2\n'\t=3"),
        ("=a\r\n=b", "'=a\r\n'=b"),
        ("first line\nsecond = line", "first line\nsecond = line"),
    ],
)
def test_exports_neutralise_cell_neutralises_every_line_of_a_cell(value, expected):
    assert neutralise_cell(value) == expected


LINE_BREAK_CELLS = ['ok\r=HYPERLINK("http://x","click")', "a\n+1", "x\r\n@SUM(1)", "y\r-2"]


def test_exports_safe_csv_quotes_and_neutralises_cells_with_line_breaks():
    table = pd.DataFrame(
        {"answer": LINE_BREAK_CELLS, "count": [1, 2, 3, 4], "note": ["=1", "\r=2", "ok", "b\n@c"]}
    )
    raw = safe_csv(table)
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1:] == [
        ['ok\r\'=HYPERLINK("http://x","click")', "1", "'=1"],
        ["a\n'+1", "2", "'\r'=2"],
        ["x\r\n'@SUM(1)", "3", "ok"],
        ["y\r'-2", "4", "b\n'@c"],
    ]
    # In the raw bytes: every cell holding a line break is inside quotes, and however a
    # spreadsheet splits the lines, none starts with a formula.
    for cell in [*LINE_BREAK_CELLS, "\r=2", "b\n@c"]:
        quoted = '"' + neutralise_cell(cell).replace('"', '""') + '"'
        assert quoted.encode() in raw
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        assert not line.startswith(("=", "+", "-", "@")), line
