"""The shared dimensions (district, place type, time band, age band, gender, strand).

They are defined once, in `data/dimensions.yaml`, and every part of the product reads them
from here: the survey's choices, the codebook's strands and place themes, the incident
importers and mappings, the demo data and the dashboards. Every file that names one of
them is checked against this vocabulary when it is loaded; `check_codebook` does it for the
codebook, which nlp/ loads without knowing the project.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from nlp.codebook import Codebook, load_codebook
from survey.core.data_files import (
    DataFileError,
    check_known,
    read_yaml,
    reloaded_on_change,
    validate_file,
)


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

    def values(self, name: str) -> list[str]:
        """The values of a named vocabulary ("districts": names; the others: ids)."""
        return [value for value, _ in self.vocabulary(name)]


VOCABULARIES = ("districts", "place_types", "time_bands", "age_bands", "genders", "strands")
# What one value of each vocabulary is called in a message ("unknown district 'Medwy'").
KINDS = {
    "districts": "district",
    "place_types": "place type",
    "time_bands": "time band",
    "age_bands": "age band",
    "genders": "gender",
    "strands": "strand",
}
PLACE_THEMES = "place."  # a codebook theme whose id starts so is a place type


def _no_duplicates(field: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{field}: '{value}' appears twice")
        seen.add(value)


def load_dimensions(path: Path) -> Dimensions:
    """Read and validate a dimensions file."""
    return validate_file(path, read_yaml(path), Dimensions)


@reloaded_on_change(lambda path: [path])
def cached_dimensions(path: Path) -> Dimensions:
    """The dimensions file, by the loading rule (survey/core/data_files.py)."""
    return load_dimensions(path)


def check_name(
    dimensions: Dimensions, vocabulary: str, path: Path | str, where: str, value: str
) -> None:
    """Refuse a value that `vocabulary` of dimensions.yaml does not define, naming the file
    and entry that used it: `FILE: ENTRY: unknown district 'Medwy' (known: ...)`."""
    check_known(path, where, KINDS[vocabulary], value, dimensions.values(vocabulary))


def check_codebook(
    codebook: Codebook, dimensions: Dimensions, dimensions_path: Path | str = "dimensions.yaml"
) -> None:
    """Check the codebook's names against the vocabulary: every strand a theme names is a
    strand of dimensions.yaml, and the place.* themes are exactly its place types (so ticked
    places, tagged places and incident places line up)."""
    path = codebook.path
    for theme in codebook.themes:
        for strand in theme.strands:
            check_name(dimensions, "strands", path, f"theme '{theme.id}' > strands", strand)
        if theme.id.startswith(PLACE_THEMES):
            check_name(dimensions, "place_types", path, f"theme '{theme.id}'", theme.id)
    for place in dimensions.values("place_types"):
        if place not in codebook.theme_ids:
            raise DataFileError(
                path,
                f"no theme for the place type '{place}' of {dimensions_path} "
                "(each place type is a place.* theme)",
                "themes",
            )


def load_checked_codebook(codebook_path: Path, dimensions_path: Path) -> Codebook:
    """The codebook, checked against the dimensions (both read now)."""
    codebook = load_codebook(codebook_path)
    check_codebook(codebook, load_dimensions(dimensions_path), dimensions_path)
    return codebook


@reloaded_on_change(lambda codebook_path, dimensions_path: [codebook_path, dimensions_path])
def cached_codebook(codebook_path: Path, dimensions_path: Path) -> Codebook:
    """The checked codebook, by the loading rule (survey/core/data_files.py)."""
    return load_checked_codebook(codebook_path, dimensions_path)
