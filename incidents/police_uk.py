"""police.uk street-level crime files -> incident rows.

The real download format (12 columns). Rows without a Crime ID (anti-social behaviour) and
identical rows are separate incidents: police.uk moves many incidents to one map point, so
nothing is merged. Rows are skipped (and counted) when they fall outside the configured area
(another force in "Falls within", or an LSOA in a district that is not configured) or were
published without a location.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date

from incidents.places import DistrictMapper, LocationMapper
from incidents.reading import CsvReader, InputFile, UnreadableFile
from incidents.report import ImportReport
from incidents.vocabulary import IncidentVocabulary

SOURCE = "police.uk"
KIND = "police_uk"
HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip
# The incident columns a police.uk row fills, in the order the mapper yields them.
COLUMNS = (
    "import_id", "source", "reported_by", "month", "district", "lsoa_code", "longitude",
    "latitude", "location", "place_type", "reference", "crime_type", "category", "strands",
)  # fmt: skip
STREET_FILE_SUFFIX = "-street.csv"
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_NOT_FOUND = object()


def is_police_uk_header(header: list[str]) -> bool:
    """Whether a header line is police.uk's street-level crime header (any case)."""
    return [h.lower() for h in header] == [h.lower() for h in HEADER]


def is_other_police_uk_file(name: str) -> bool:
    """Outcomes and stop-and-search files come in the same download: they are not crimes."""
    return name.lower().endswith(("-outcomes.csv", "-stop-and-search.csv"))


class PoliceUkMapper:
    """Maps the rows of police.uk files; keeps the counts the import report needs."""

    def __init__(self, vocabulary: IncidentVocabulary, report: ImportReport) -> None:
        self.vocabulary = vocabulary
        self.report = report
        self.locations = LocationMapper(vocabulary.locations)
        self.districts = DistrictMapper(
            vocabulary.dimensions.district_names, vocabulary.locations.lsoa_district_aliases
        )
        self._forces = set(vocabulary.dimensions.area.police_forces)
        self._months: dict[str, date | None] = {}
        self._crime: dict[str, tuple[str | None, str | None]] = {}
        self.location_rows: Counter[str] = Counter()
        self.district_rows: Counter[str] = Counter()
        self.crime_rows: Counter[str] = Counter()
        self.slices: Counter[tuple[str, date]] = Counter()  # (reported_by, month) -> rows

    def reader(self, file: InputFile) -> CsvReader:
        """A reader for one file that refuses it unless it has the police.uk header."""

        def check(header: list[str]) -> None:
            if not is_police_uk_header(header):
                raise UnreadableFile(
                    "not a police.uk street-level crime file: the header should be "
                    f"{','.join(HEADER)}. For a partner's file, choose its mapping."
                )

        def error(line: int, reason: str) -> None:
            self.report.add_error(file.name, line, reason)

        return CsvReader(file, on_error=error, on_header=check)

    def rows(self, reader: CsvReader, import_id: int) -> Iterator[tuple[object, ...]]:
        """Incident rows (in COLUMNS order) for the good rows inside the area."""
        name = reader.file.name
        report = self.report
        for line, fields in reader.rows():
            crime_id, month_text, reported_by, falls_within, lon, lat, location = fields[:7]
            lsoa_code, lsoa_name, crime_type = fields[7:10]
            problem, month, coordinates = self._check(month_text, lon, lat, crime_type)
            if not problem and (len(crime_id) > 80 or len(lsoa_code) > 12):
                problem = f"Crime ID '{crime_id[:100]}' or LSOA code '{lsoa_code[:100]}' too long"
            if problem:
                report.add_error(name, line, problem)
                continue
            if falls_within not in self._forces:
                report.skipped_outside_area += 1
                report.outside_area[f"{falls_within or '(blank)'} (force)"] += 1
                continue
            if not lsoa_name:
                report.skipped_no_location += 1
                continue
            district, elsewhere = self.districts.from_lsoa_name(lsoa_name)
            if district is None:
                if elsewhere is None:
                    report.add_error(name, line, f"LSOA name '{lsoa_name}' has no LSOA code")
                else:
                    report.skipped_outside_area += 1
                    report.outside_area[elsewhere] += 1
                continue
            category, strands = self._category(crime_type)
            assert month is not None
            self.location_rows[location] += 1
            self.district_rows[district] += 1
            self.crime_rows[crime_type] += 1
            self.slices[(reported_by[:80], month)] += 1
            yield (
                import_id,
                SOURCE,
                reported_by[:80],
                month,
                district,
                lsoa_code or None,
                coordinates[0],
                coordinates[1],
                location[:200] or None,
                self.locations.place_type(location),
                crime_id or None,
                crime_type[:120],
                category,
                strands,
            )

    def _check(
        self, month_text: str, lon: str, lat: str, crime_type: str
    ) -> tuple[str | None, date | None, tuple[float | None, float | None]]:
        month = self._month(month_text)
        if month is None:
            return f"bad month '{month_text}' (expected YYYY-MM, e.g. 2019-01)", None, (None, None)
        if not crime_type:
            return "no crime type", None, (None, None)
        try:
            coordinates = (float(lon) if lon else None, float(lat) if lat else None)
        except ValueError:
            return f"bad longitude or latitude '{lon}', '{lat}'", None, (None, None)
        return None, month, coordinates

    def _month(self, text: str) -> date | None:
        found = self._months.get(text, _NOT_FOUND)
        if found is _NOT_FOUND:
            match = _MONTH.match(text.strip())
            found = date(int(match.group(1)), int(match.group(2)), 1) if match else None
            self._months[text] = found
        return found  # type: ignore[return-value]

    def _category(self, crime_type: str) -> tuple[str | None, str | None]:
        found = self._crime.get(crime_type)
        if found is None:
            category = self.vocabulary.crime_types.get(crime_type.strip().lower())
            found = self._crime[crime_type] = (category, self.vocabulary.strands_of(category))
        return found

    def finish(self) -> None:
        """Fill the report's mapping summary from the counts kept while reading."""
        report = self.report
        streets, unmapped, places = self.locations.summarise(self.location_rows)
        report.street_locations = streets
        report.unmapped_locations = unmapped
        unknown_crime = Counter(
            {t: n for t, n in self.crime_rows.items() if self._category(t)[0] is None}
        )
        report.unmapped_values["crime_type"] = unknown_crime
        categories: Counter[str] = Counter()
        for crime_type, n in self.crime_rows.items():
            categories[self._category(crime_type)[0] or "(none)"] += n
        report.mapped = {
            "district": self.district_rows,
            "place_type": places,
            "category": categories,
        }
