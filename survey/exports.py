"""Files people download: CSV that is safe to open in a spreadsheet.

A cell beginning with =, +, -, @ (or a tab or carriage return) is read by Excel and
LibreOffice as a formula; a young person's text must never run as one. Such cells get a
leading apostrophe, the convention spreadsheets show as plain text (OWASP CSV injection).
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """Prefix text that a spreadsheet would treat as a formula; leave other values alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv(table: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV (with BOM, so Excel reads accents) with formulas neutralised."""
    cleaned = table.copy()
    cleaned.columns = [neutralise_cell(str(c)) for c in cleaned.columns]
    for column in cleaned.columns:
        if cleaned[column].dtype == object or pd.api.types.is_string_dtype(cleaned[column]):
            cleaned[column] = cleaned[column].map(neutralise_cell)
    buffer = io.StringIO()
    cleaned.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")
