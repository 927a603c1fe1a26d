"""The demo incident profile (data/demo/incident_profile.yaml), validated on load.

Every county-specific number of the demo data lives in that file, not in code.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from incidents.vocabulary import IncidentVocabulary
from survey.core.data_files import check_known, read_yaml, validate_file

PROFILE_FILE = Path("demo") / "incident_profile.yaml"

Share = float


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CategoryProfile(_Strict):
    id: str
    weight: float = Field(gt=0)
    victim: bool = True
    suspect_male: Share | None = Field(default=None, ge=0, le=1)
    victim_male: Share | None = Field(default=None, ge=0, le=1)
    month_factors: dict[int, float] = Field(default_factory=dict)
    places: dict[str, float] | None = None
    weapon: dict[str, float] | None = None


class AgeTail(_Strict):
    weight: float = Field(ge=0)
    to: int = Field(ge=26, le=100)


class Sexes(_Strict):
    male: str
    female: str


class IncidentProfile(_Strict):
    incidents_per_month: int = Field(gt=0, le=100_000)
    months: int = Field(gt=0, le=120)
    district_rate_index: dict[str, float] = Field(default_factory=dict)
    hour_weights: list[float] = Field(min_length=24, max_length=24)
    categories: list[CategoryProfile] = Field(min_length=1)
    sexes: Sexes
    suspect_male: Share = Field(ge=0, le=1)
    victim_male: Share = Field(ge=0, le=1)
    suspect_known: Share = Field(ge=0, le=1)
    victim_known: Share = Field(ge=0, le=1)
    suspect_ages: dict[int, float]
    suspect_older: AgeTail
    victim_ages: dict[int, float]
    victim_older: AgeTail
    places: dict[str, float] = Field(min_length=1)
    place_hours: dict[str, tuple[int, int]] = Field(default_factory=dict)
    only_in: dict[str, list[str]] = Field(default_factory=dict)
    weapon_share: Share = Field(ge=0, le=1)
    weapons: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _months_and_hours(self) -> IncidentProfile:
        for category in self.categories:
            if any(not 1 <= m <= 12 for m in category.month_factors):
                raise ValueError(f"category '{category.id}': month_factors use months 1 to 12")
        for place, (start, end) in self.place_hours.items():
            if not (0 <= start <= 23 and 0 <= end <= 24):
                raise ValueError(f"place_hours > {place}: hours are 0 to 24")
        return self


def load_incident_profile(path: Path, vocabulary: IncidentVocabulary) -> IncidentProfile:
    """Read the demo profile; every district, category, place, weapon and sex must exist."""
    profile = validate_file(path, read_yaml(path), IncidentProfile)
    dims = vocabulary.dimensions
    districts = ("district", dims.values("districts"))
    places = ("place type", dims.values("place_types"))
    categories = ("category", list(vocabulary.categories))
    weapons = ("weapon", list(vocabulary.weapons))
    genders = ("gender", dims.values("genders"))
    named: list[tuple[str, str, tuple[str, list[str]]]] = [
        ("district_rate_index", d, districts) for d in profile.district_rate_index
    ]
    named += [("categories", c.id, categories) for c in profile.categories]
    named += [("places", p, places) for p in profile.places]
    named += [("place_hours", p, places) for p in profile.place_hours]
    named += [("only_in", p, places) for p in profile.only_in]
    named += [(f"only_in > {p}", d, districts) for p, ds in profile.only_in.items() for d in ds]
    named += [("weapons", w, weapons) for w in profile.weapons]
    for category in profile.categories:
        where = f"category '{category.id}'"
        named += [(f"{where} > places", p, places) for p in category.places or {}]
        named += [(f"{where} > weapon", w, weapons) for w in category.weapon or {}]
    named += [("sexes > male", profile.sexes.male, genders)]
    named += [("sexes > female", profile.sexes.female, genders)]
    for where, value, (kind, known) in named:
        check_known(path, where, kind, value, known)
    return profile
