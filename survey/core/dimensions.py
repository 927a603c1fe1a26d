"""The shared dimensions (district, place type, time band, age band, gender, strand).

They live in one file, `data/dimensions.yaml`, and every part of the product reads them
from here: the survey's choices, the incident importers and the dashboards.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from survey.core.data_files import read_yaml, validate_file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Labelled(_Strict):
    id: str = Field(min_length=1)
    label: str = Field(min_length=1)


class District(_Strict):
    name: str = Field(min_length=1)
    population: int = Field(gt=0)
    aged_10_25: int = Field(gt=0)


class TimeBand(Labelled):
    start: int = Field(ge=0, le=23)
    end: int = Field(ge=1, le=24)

    def contains(self, hour: int) -> bool:
        return self.start <= hour < self.end


class Area(_Strict):
    name: str = Field(min_length=1)
    police_forces: list[str] = Field(min_length=1)


class Dimensions(_Strict):
    area: Area
    districts: list[District] = Field(min_length=1)
    place_types: list[Labelled] = Field(min_length=1)
    time_bands: list[TimeBand] = Field(min_length=1)
    age_bands: list[Labelled] = Field(min_length=1)
    genders: list[Labelled] = Field(min_length=1)
    strands: list[Labelled] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Dimensions:
        for field in ("place_types", "time_bands", "age_bands", "genders", "strands"):
            ids = [item.id for item in getattr(self, field)]
            _no_duplicates(field, ids)
        _no_duplicates("districts", [d.name for d in self.districts])
        hours = sorted(h for band in self.time_bands for h in range(band.start, band.end))
        if hours != list(range(24)):
            raise ValueError("time_bands must cover every hour 0-23 exactly once")
        return self

    @property
    def district_names(self) -> list[str]:
        return [d.name for d in self.districts]

    def time_band_for_hour(self, hour: int) -> str:
        """The id of the time band an hour (0-23) falls in."""
        for band in self.time_bands:
            if band.contains(hour):
                return band.id
        raise ValueError(f"hour {hour} is outside 0-23")

    def vocabulary(self, name: str) -> list[tuple[str, str]]:
        """(value, label) pairs for a named vocabulary, as questionnaires reference them."""
        if name == "districts":
            return [(d.name, d.name) for d in self.districts]
        if name in ("place_types", "time_bands", "age_bands", "genders", "strands"):
            return [(item.id, item.label) for item in getattr(self, name)]
        raise KeyError(name)


VOCABULARIES = ("districts", "place_types", "time_bands", "age_bands", "genders", "strands")


def _no_duplicates(field: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{field}: '{value}' appears twice")
        seen.add(value)


def load_dimensions(path: Path) -> Dimensions:
    """Read and validate a dimensions file."""
    return validate_file(path, read_yaml(path), Dimensions)


@lru_cache(maxsize=4)
def cached_dimensions(path: Path) -> Dimensions:
    return load_dimensions(path)
