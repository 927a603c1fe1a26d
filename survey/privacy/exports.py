"""Files people download: CSV that is safe to open in a spreadsheet.

A cell beginning with =, +, -, @ (or a tab or carriage return) is read by Excel and
LibreOffice as a formula; a young person's text must never run as one. Such cells get a
leading apostrophe, the convention spreadsheets show as plain text (OWASP CSV injection).
A line break inside a cell is a second place a formula can start: a spreadsheet that splits
rows on a bare carriage return (or a tool that reads line by line) begins a new row there.
So every line inside a cell is neutralised, and every cell holding a line break is quoted.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Just after a CR or LF, before anything a spreadsheet would read as the start of a formula.
_FORMULA_AFTER_LINE_BREAK = re.compile(r"(?<=[\r\n])(?=[=+\-@\t])")
# The csv module quotes a cell holding any character of the line terminator; with "\r\n"
# that is a cell holding either a CR or an LF (with "\n" alone, a bare CR went unquoted).
# CRLF is also what RFC 4180 and Excel expect between rows.
LINE_TERMINATOR = "\r\n"


def neutralise_cell(value: Any) -> Any:
    """Prefix text that a spreadsheet would treat as a formula; leave other values alone."""
    if not isinstance(value, str):
        return value
    value = _FORMULA_AFTER_LINE_BREAK.sub("'", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_csv(table: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV (with BOM, so Excel reads accents) with formulas neutralised."""
    cleaned = table.copy()
    cleaned.columns = [neutralise_cell(str(c)) for c in cleaned.columns]
    for column in cleaned.columns:
        series = cleaned[column]
        if not (
            pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series)
        ):
            cleaned[column] = series.astype(object).map(neutralise_cell)
    buffer = io.StringIO()
    cleaned.to_csv(buffer, index=False, lineterminator=LINE_TERMINATOR)
    return buffer.getvalue().encode("utf-8-sig")
