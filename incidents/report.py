"""The import report: what was stored, skipped and why, in one object for the page and CLI.

Errors are listed with file, line and reason, up to MAX_ERRORS_LISTED (all are counted).
Street-name locations are summarised (rows, distinct streets, the most frequent), because a
county has thousands of streets; kinds of place that are not in the mapping are listed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

MAX_ERRORS_LISTED = 1000
TOP_STREETS = 10
MAX_UNMAPPED_LISTED = 50

# status values
STORED = "stored"
CHECKED = "checked"  # a dry run: nothing stored, the report says what would be
REFUSED = "refused"  # errors and no "only the good rows": nothing stored
ALREADY_IMPORTED = "already_imported"
NOTHING_TO_STORE = "nothing_to_store"


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    reason: str


@dataclass
class FileSummary:
    name: str
    content_hash: str
    status: str = "read"  # read, already_imported, ignored, unreadable
    encoding: str = ""
    rows: int = 0
    duplicate_of: int | None = None


@dataclass
class StreetLocations:
    """Rows whose location is a street name: they carry no place type."""

    rows: int = 0
    distinct: int = 0
    top: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class ImportReport:
    kind: str  # police_uk, partner, demo
    source: str
    status: str = CHECKED
    import_id: int | None = None
    only_good_rows: bool = False
    files: list[FileSummary] = field(default_factory=list)
    rows_read: int = 0
    stored: int = 0  # in a dry run: how many would be stored
    good_rows: int = 0  # rows inside the area without errors (what "only good rows" stores)
    duplicates: int = 0  # files already imported (same content): nothing read from them
    skipped_outside_area: int = 0
    outside_area: Counter[str] = field(default_factory=Counter)  # district or force -> rows
    skipped_no_location: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    unmapped_locations: Counter[str] = field(default_factory=Counter)
    street_locations: StreetLocations = field(default_factory=StreetLocations)
    unmapped_values: dict[str, Counter[str]] = field(default_factory=dict)
    mapped: dict[str, Counter[str]] = field(default_factory=dict)  # field -> value -> rows
    months: list[str] = field(default_factory=list)
    replaced: int = 0  # rows of earlier imports of the same months that this one replaces
    warnings: list[str] = field(default_factory=list)

    def add_error(self, file: str, line: int, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_LISTED:
            self.errors.append(RowError(file, line, reason))

    @property
    def can_import(self) -> bool:
        """Whether a checked (dry-run) batch may be imported as it stands."""
        return self.status == CHECKED and self.stored > 0

    @property
    def rows_skipped(self) -> int:
        return self.skipped_outside_area + self.skipped_no_location + self.error_count

    @property
    def message(self) -> str:
        return _headline(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (the --json output and the stored import record)."""
        data = asdict(self)
        data["errors"] = [{"file": e.file, "line": e.line, "reason": e.reason} for e in self.errors]
        data["street_locations"]["top"] = [list(t) for t in self.street_locations.top]
        data["unmapped_locations"] = dict(self.unmapped_locations.most_common(MAX_UNMAPPED_LISTED))
        data["unmapped_values"] = {
            k: dict(v.most_common(MAX_UNMAPPED_LISTED)) for k, v in self.unmapped_values.items()
        }
        data["outside_area"] = dict(self.outside_area.most_common())
        data["mapped"] = {k: dict(v.most_common()) for k, v in self.mapped.items()}
        data["rows_skipped"] = self.rows_skipped
        data["message"] = self.message
        return data


def _headline(report: ImportReport) -> str:
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    if report.status == ALREADY_IMPORTED:
        return f"Nothing stored: the {noun} had already been imported."
    if report.status == REFUSED:
        return (
            f"Nothing stored: {report.error_count:,} rows have errors. Fix the file, or "
            "choose to import only the good rows."
        )
    if report.status == NOTHING_TO_STORE:
        return "Nothing stored: no rows were inside the area with a location."
    if report.status == CHECKED:
        problems = f", {report.error_count:,} rows with errors" if report.error_count else ""
        return f"Checked {files} {noun}: {report.stored:,} incidents to store{problems}."
    return f"Import #{report.import_id} stored {report.stored:,} incidents from {files} {noun}."


_MAPPED_TITLES = {
    "district": "Districts",
    "place_type": "Place types",
    "category": "Categories",
    "time_band": "Time bands",
}


def format_report(report: ImportReport) -> str:
    """The report as text for the command line."""
    lines = [report.message]
    for f in report.files:
        extra = f", already imported as #{f.duplicate_of}" if f.duplicate_of else ""
        detail = f"{f.encoding}, {f.rows:,} rows" if f.status == "read" else f.status
        lines.append(f"  file {f.name} ({detail}{extra})")
    if report.months:
        lines.append(f"Months: {_month_span(report.months)}")
    if report.replaced:
        lines.append(f"Replaced {report.replaced:,} rows of earlier imports of the same months.")
    if report.skipped_outside_area:
        where = _counts(report.outside_area)
        lines.append(f"Skipped {report.skipped_outside_area:,} rows outside the area ({where}).")
    if report.skipped_no_location:
        lines.append(f"Skipped {report.skipped_no_location:,} rows published without a location.")
    for name, title in _MAPPED_TITLES.items():
        if report.mapped.get(name):
            lines.append(f"{title}: {_counts(report.mapped[name])}.")
    streets = report.street_locations
    if streets.rows:
        lines.append(
            f"{streets.rows:,} rows are at street names ({streets.distinct:,} streets), "
            f"which say nothing about the kind of place; most frequent: {_counts(streets.top)}."
        )
    if report.unmapped_locations:
        lines.append(f"Kinds of place not in the mapping: {_counts(report.unmapped_locations)}.")
    for name, values in report.unmapped_values.items():
        if values:
            lines.append(f"Unknown {name.replace('_', ' ')} values: {_counts(values)}.")
    lines += [f"Warning: {w}" for w in report.warnings]
    if report.error_count:
        lines.append(f"Rows with errors: {report.error_count:,}")
        lines += [f"  {e.file} line {e.line}: {e.reason}" for e in report.errors]
        if report.error_count > len(report.errors):
            lines.append(f"  ... and {report.error_count - len(report.errors):,} more")
    return "\n".join(lines)


def _counts(counts: Counter[str] | list[tuple[str, int]], limit: int = 10) -> str:
    items = counts.most_common(limit) if isinstance(counts, Counter) else counts[:limit]
    text = ", ".join(f"{name or '(blank)'} {n:,}" for name, n in items)
    more = len(counts) - len(items)
    return text + (f" and {more} more" if more > 0 else "")


def _month_span(months: list[str]) -> str:
    if len(months) <= 3:
        return ", ".join(months)
    return f"{months[0]} to {months[-1]} ({len(months)} months)"


def report_tables(report: ImportReport) -> dict[str, pd.DataFrame]:
    """The report as tables for a page: errors, mapping, unmapped values, frequent streets."""
    errors = pd.DataFrame(
        [(e.file, e.line, e.reason) for e in report.errors], columns=["file", "line", "reason"]
    )
    mapping = pd.DataFrame(
        [(name, value, rows) for name, counts in report.mapped.items()
         for value, rows in counts.most_common()],
        columns=["dimension", "value", "rows"],
    )  # fmt: skip
    unmapped = [("location", v, n) for v, n in report.unmapped_locations.most_common()]
    unmapped += [
        (name, value, rows)
        for name, counts in report.unmapped_values.items()
        for value, rows in counts.most_common(MAX_UNMAPPED_LISTED)
    ]
    streets = pd.DataFrame(report.street_locations.top, columns=["street", "rows"])
    return {
        "errors": errors,
        "mapping": mapping,
        "unmapped": pd.DataFrame(unmapped, columns=["field", "value", "rows"]),
        "streets": streets,
    }
