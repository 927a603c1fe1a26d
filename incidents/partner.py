"""Partner CSV files (A&E/ISTV extracts, a force's own export, youth offending team data)
-> incident rows, as a mapping file (partner_mapping.py) says.

Bad dates, times, ages and unknown districts are row errors; unknown places, categories,
weapons, sexes and age bands are stored as unknown (NULL) and counted in the report, so an
analyst can add them to the mapping. Time of day lands in the shared time bands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime

from incidents.partner_mapping import PartnerMapping
from incidents.places import DistrictMapper
from incidents.reading import CsvReader, ErrorSink, InputFile, UnreadableFile
from incidents.report import ImportReport
from incidents.vocabulary import IncidentVocabulary

KIND = "partner"
_BASE_COLUMNS = (
    "import_id",
    "source",
    "reported_by",
    "month",
    "occurred_on",
    "hour",
    "time_band",
    "district",
    "lsoa_code",
    "location",
    "place_type",
    "reference",
    "crime_type",
    "category",
    "strands",
    "weapon",
)
_MAPPED_FIELDS = ("place", "category", "weapon", "sex", "age_band")


def partner_columns(mapping: PartnerMapping) -> tuple[str, ...]:
    """The incident columns a partner row fills: ages and sex go to the victim or suspect."""
    person = mapping.person
    return (*_BASE_COLUMNS, f"{person}_sex", f"{person}_age", f"{person}_age_band")


class PartnerMapper:
    """Maps the rows of partner files with one mapping; keeps the counts for the report."""

    def __init__(
        self, mapping: PartnerMapping, vocabulary: IncidentVocabulary, report: ImportReport
    ) -> None:
        self.mapping = mapping
        self.vocabulary = vocabulary
        self.report = report
        self.districts = DistrictMapper(
            vocabulary.dimensions.district_names, dict(mapping.values.district)
        )
        self._where: dict[str, int] = {}
        self._missing = {v.strip().lower() for v in mapping.missing_values}
        self._outside = {v.strip().lower() for v in mapping.outside_area}
        self._lookups = {name: self._lookup_table(name) for name in _MAPPED_FIELDS}
        self._dates: dict[str, tuple[date | None, int | None]] = {}
        self._hours: dict[str, int | None] = {}
        self.unknown: dict[str, Counter[str]] = {name: Counter() for name in _MAPPED_FIELDS}
        self.mapped: dict[str, Counter[str]] = {
            "district": Counter(),
            "place_type": Counter(),
            "category": Counter(),
            "time_band": Counter(),
        }
        self.slices: Counter[tuple[str, date]] = Counter()

    def _lookup_table(self, name: str) -> dict[str, str | None]:
        dims, vocabulary = self.vocabulary.dimensions, self.vocabulary
        ids = {
            "place": [p.id for p in dims.place_types],
            "category": list(vocabulary.categories),
            "weapon": list(vocabulary.weapons),
            "sex": [g.id for g in dims.genders],
            "age_band": [a.id for a in dims.age_bands],
        }[name]
        table: dict[str, str | None] = {i.lower(): i for i in ids}
        table.update({k.strip().lower(): v for k, v in getattr(self.mapping.values, name).items()})
        return table

    def column_positions(self, header: list[str]) -> dict[str, int]:
        """Where each mapped column is in this file's header; UnreadableFile if absent."""
        positions = {_norm(name): i for i, name in enumerate(header)}
        wanted = self.mapping.columns.model_dump(exclude_none=True)
        missing = [column for column in wanted.values() if _norm(column) not in positions]
        if missing:
            raise UnreadableFile(
                f"the mapping '{self.mapping.name}' needs columns {missing} that the header "
                f"lacks (it has {header})"
            )
        return {field: positions[_norm(column)] for field, column in wanted.items()}

    def reader(self, file: InputFile) -> CsvReader:
        """A reader for one file that checks its header against the mapping first."""

        def check(header: list[str]) -> None:
            self._where = self.column_positions(header)

        return CsvReader(file, on_error=self._error_sink(file.name), on_header=check)

    def _error_sink(self, name: str) -> ErrorSink:
        return lambda line, reason: self.report.add_error(name, line, reason)

    def rows(self, reader: CsvReader, import_id: int) -> Iterator[tuple[object, ...]]:
        """Incident rows (in partner_columns order) for the good rows inside the area."""
        for line, fields in reader.rows():
            values = {field: fields[i].strip() for field, i in self._where.items()}
            row = self._row(values, import_id, reader.file.name, line)
            if row is not None:
                yield row

    def _row(
        self, values: dict[str, str], import_id: int, file: str, line: int
    ) -> tuple[object, ...] | None:
        problem, occurred_on, hour = self._when(values)
        district, problem = (None, problem) if problem else self._district(values)
        age, problem = (None, problem) if problem else self._age(values.get("age", ""))
        if problem:
            self.report.add_error(file, line, problem)
            return None
        if district is None:
            return None  # outside the area: counted already
        assert occurred_on is not None
        month = occurred_on.replace(day=1)
        category = self._category(values)
        place = self._mapped("place", values)
        time_band = None if hour is None else self.vocabulary.dimensions.time_band_for_hour(hour)
        age_band = self._mapped("age_band", values)
        if age is not None and age_band is None:
            age_band = self.vocabulary.age_band_for(age)
        self._count(district, place, category, time_band, month)
        return (
            import_id,
            self.mapping.source,
            self.mapping.reported_by,
            month,
            occurred_on,
            hour,
            time_band,
            district,
            _text(values.get("lsoa_code"), 12),
            _text(values.get("place"), 200),
            place,
            _text(values.get("reference"), 80),
            _text(values.get("category"), 120),
            category,
            self.vocabulary.strands_of(category),
            self._mapped("weapon", values),
            self._mapped("sex", values),
            age,
            age_band,
        )

    def _count(
        self,
        district: str,
        place: str | None,
        category: str | None,
        time_band: str | None,
        month: date,
    ) -> None:
        self.mapped["district"][district] += 1
        self.mapped["place_type"][place or "(none)"] += 1
        self.mapped["category"][category or "(none)"] += 1
        self.mapped["time_band"][time_band or "(none)"] += 1
        self.slices[(self.mapping.reported_by, month)] += 1

    def _when(self, values: dict[str, str]) -> tuple[str | None, date | None, int | None]:
        text = values["date"]
        if text.lower() in self._missing:
            return "no date", None, None
        if text not in self._dates:
            self._dates[text] = _parse_date(text, self.mapping.date_formats)
        occurred_on, hour = self._dates[text]
        if occurred_on is None:
            example = date(2024, 1, 31).strftime(self.mapping.date_formats[0])
            return f"bad date '{text}' (expected a date like {example})", None, None
        time_text = values.get("time", "")
        if time_text and time_text.lower() not in self._missing:
            if time_text not in self._hours:
                self._hours[time_text] = _parse_hour(time_text, self.mapping.time_formats)
            hour = self._hours[time_text]
            if hour is None:
                return f"bad time '{time_text}' (expected a time like 18:30)", None, None
        return None, occurred_on, hour

    def _district(self, values: dict[str, str]) -> tuple[str | None, str | None]:
        if values.get("lsoa_name"):
            district, elsewhere = self.districts.from_lsoa_name(values["lsoa_name"])
            if district is None and elsewhere is None:
                return None, f"LSOA name '{values['lsoa_name']}' has no LSOA code"
            if district is None:
                return self._outside_area(elsewhere or "")
            return district, None
        text = values.get("district", "")
        if text.lower() in self._outside:
            return self._outside_area(text)
        if text.lower() in self._missing:
            return None, "no district"
        district = self.districts.from_name(text)
        return (district, None) if district else (None, f"unknown district '{text}'")

    def _outside_area(self, named: str) -> tuple[None, None]:
        self.report.skipped_outside_area += 1
        self.report.outside_area[named] += 1
        return None, None

    def _age(self, text: str) -> tuple[int | None, str | None]:
        if text.lower() in self._missing:
            return None, None
        if text.isdigit() and int(text) <= 120:
            return int(text), None
        return None, f"bad age '{text}' (expected whole years)"

    def _category(self, values: dict[str, str]) -> str | None:
        # The default is for files without a category (e.g. all assaults), not for values
        # the mapping does not know: those stay unknown and are reported.
        if values.get("category", "").lower() in self._missing:
            return self.mapping.default_category
        return self._mapped("category", values)

    def _mapped(self, field: str, values: dict[str, str]) -> str | None:
        text = values.get(field, "")
        key = text.lower()
        if key in self._missing:
            return None
        table = self._lookups[field]
        if key in table:
            return table[key]
        self.unknown[field][text] += 1
        return None

    def finish(self) -> None:
        """Fill the report's mapping summary from the counts kept while reading."""
        self.report.unmapped_values = {k: v for k, v in self.unknown.items() if v}
        self.report.mapped = self.mapped


def _parse_date(text: str, formats: list[str]) -> tuple[date | None, int | None]:
    for fmt in formats:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.date(), (parsed.hour if "%H" in fmt else None)
    return None, None


def _parse_hour(text: str, formats: list[str]) -> int | None:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).hour
        except ValueError:
            continue
    return None


def _norm(name: str) -> str:
    return " ".join(name.split()).lower()


def _text(value: str | None, limit: int) -> str | None:
    return value[:limit] if value else None
