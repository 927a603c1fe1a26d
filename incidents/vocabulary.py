"""The editable mapping files for incidents, validated against the shared dimensions.

- `data/police_uk_crime_types.yaml`: incident categories (with their strands), weapons, and
  police.uk crime types -> category.
- `data/police_uk_locations.yaml`: police.uk locations -> place types, and LSOA district aliases.

A bad file fails with the file, the item and the problem (survey.core.data_files.DataFileError).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from survey.core.data_files import (
    DataFileError,
    check_known,
    read_yaml,
    reloaded_on_change,
    validate_file,
)
from survey.core.dimensions import Dimensions, check_name, load_dimensions
from survey.core.settings import Settings

CRIME_TYPES_FILE = "police_uk_crime_types.yaml"
LOCATIONS_FILE = "police_uk_locations.yaml"
PARTNER_MAPPINGS_DIR = "partner_mappings"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1)
    strands: list[str] = Field(default_factory=list)


class Weapon(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1)


class CrimeTypesFile(_Strict):
    categories: list[Category] = Field(min_length=1)
    weapons: list[Weapon] = Field(default_factory=list)
    crime_types: dict[str, str] = Field(min_length=1)


class LocationPattern(_Strict):
    pattern: str
    place_type: str | None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return value


class LocationsFile(_Strict):
    prefix: str = "On or near "
    no_location: list[str] = Field(default_factory=lambda: ["No Location", ""])
    descriptors: dict[str, str | None] = Field(default_factory=dict)
    patterns: list[LocationPattern] = Field(default_factory=list)
    street_place_type: str | None = None
    descriptor_hints: list[str] = Field(default_factory=list)
    lsoa_district_aliases: dict[str, str] = Field(default_factory=dict)

    @field_validator("descriptor_hints")
    @classmethod
    def _hints_compile(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"'{value}' is not a valid regular expression: {exc}") from None
        return values


@dataclass(frozen=True)
class IncidentVocabulary:
    """Everything an importer maps values onto: dimensions, categories, places, weapons."""

    dimensions: Dimensions
    categories: dict[str, Category]
    weapons: dict[str, Weapon]
    crime_types: dict[str, str]  # lower-cased police.uk crime type -> category id
    locations: LocationsFile
    age_ranges: tuple[tuple[int, int, str], ...] = ()  # (first age, last age, band id)

    def strands_of(self, category: str | None) -> str | None:
        """The category's strands as stored: space-separated ids, or None."""
        if category is None:
            return None
        return " ".join(self.categories[category].strands) or None

    def age_band_for(self, age: int) -> str:
        """The age band of an age; ages outside every band get "0-9"-style or "26+" bands."""
        for first, last, band in self.age_ranges:
            if first <= age <= last:
                return band
        if self.age_ranges and age < self.age_ranges[0][0]:
            return f"0-{self.age_ranges[0][0] - 1}"
        return f"{self.age_ranges[-1][1] + 1}+" if self.age_ranges else "unknown"


def load_crime_types(path: Path, dimensions: Dimensions) -> CrimeTypesFile:
    """Read the categories and crime types file; strand and category ids must exist."""
    parsed = validate_file(path, read_yaml(path), CrimeTypesFile)
    ids = [c.id for c in parsed.categories]
    for category in parsed.categories:
        for strand in category.strands:
            check_name(dimensions, "strands", path, f"category '{category.id}' > strands", strand)
    _unique(path, "categories", ids)
    _unique(path, "weapons", [w.id for w in parsed.weapons])
    for crime_type, category_id in parsed.crime_types.items():
        check_known(path, f"crime_types > '{crime_type}'", "category", category_id, ids)
    return parsed


def load_locations(path: Path, dimensions: Dimensions) -> LocationsFile:
    """Read the police.uk locations file; place types and districts must exist."""
    parsed = validate_file(path, read_yaml(path), LocationsFile)
    targets = [(f"descriptors > '{k}'", v) for k, v in parsed.descriptors.items()]
    targets += [(f"pattern '{p.pattern}' > place_type", p.place_type) for p in parsed.patterns]
    targets.append(("street_place_type", parsed.street_place_type))
    for where, place in targets:
        if place is not None:
            check_name(dimensions, "place_types", path, where, place)
    for alias, district in parsed.lsoa_district_aliases.items():
        check_name(dimensions, "districts", path, f"lsoa_district_aliases > '{alias}'", district)
    return parsed


def load_vocabulary(data_dir: Path, dimensions: Dimensions) -> IncidentVocabulary:
    """Load both incident mapping files from a data directory."""
    crime = load_crime_types(data_dir / CRIME_TYPES_FILE, dimensions)
    locations = load_locations(data_dir / LOCATIONS_FILE, dimensions)
    return IncidentVocabulary(
        dimensions=dimensions,
        categories={c.id: c for c in crime.categories},
        weapons={w.id: w for w in crime.weapons},
        crime_types={k.strip().lower(): v for k, v in crime.crime_types.items()},
        locations=locations,
        age_ranges=age_ranges(dimensions),
    )


def age_ranges(dimensions: Dimensions) -> tuple[tuple[int, int, str], ...]:
    """The numeric range of each age band whose id reads "first-last" (e.g. "16-17")."""
    ranges = []
    for band in dimensions.age_bands:
        match = re.fullmatch(r"(\d+)-(\d+)", band.id)
        if match:
            ranges.append((int(match.group(1)), int(match.group(2)), band.id))
    return tuple(sorted(ranges))


def vocabulary_files(data_dir: Path) -> list[Path]:
    """The incident mapping files of a data directory (besides the dimensions)."""
    return [data_dir / CRIME_TYPES_FILE, data_dir / LOCATIONS_FILE]


def vocabulary_from_settings(settings: Settings) -> IncidentVocabulary:
    """The vocabulary for the configured data directory and dimensions file, by the loading
    rule (survey/core/data_files.py): read again when one of its files changes."""
    return _cached_vocabulary(settings.data_dir, settings.dimensions_path)


@reloaded_on_change(
    lambda data_dir, dimensions_path: [dimensions_path, *vocabulary_files(data_dir)]
)
def _cached_vocabulary(data_dir: Path, dimensions_path: Path) -> IncidentVocabulary:
    return load_vocabulary(data_dir, load_dimensions(dimensions_path))


def _unique(path: Path, field: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise DataFileError(path, f"'{value}' appears twice", field)
        seen.add(value)
