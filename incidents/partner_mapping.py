"""Partner CSV mapping files (data/partner_mappings/*.yaml): which column holds what, and
how the partner's values map onto the shared vocabularies. Validated on load."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from incidents.vocabulary import PARTNER_MAPPINGS_DIR, IncidentVocabulary
from survey.core.data_files import DataFileError, check_known, read_yaml, validate_file
from survey.core.dimensions import KINDS

RESERVED_SOURCES = {"police.uk", "demo"}
DEFAULT_MISSING = ["", "-", "n/a", "na", "null", "none recorded", "unknown", "not known"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PartnerColumns(_Strict):
    """Column names in the partner's header line (matched ignoring case and spaces)."""

    date: str
    time: str | None = None
    district: str | None = None
    lsoa_name: str | None = None
    lsoa_code: str | None = None
    place: str | None = None
    category: str | None = None
    weapon: str | None = None
    age: str | None = None
    age_band: str | None = None
    sex: str | None = None
    reference: str | None = None


class PartnerValues(_Strict):
    """The partner's values -> vocabulary ids (matched ignoring case). null: known, no id."""

    district: dict[str, str] = Field(default_factory=dict)
    place: dict[str, str | None] = Field(default_factory=dict)
    category: dict[str, str | None] = Field(default_factory=dict)
    weapon: dict[str, str | None] = Field(default_factory=dict)
    sex: dict[str, str | None] = Field(default_factory=dict)
    age_band: dict[str, str | None] = Field(default_factory=dict)


class PartnerMapping(_Strict):
    name: str = Field(min_length=1)
    source: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,39}$")
    reported_by: str = Field(default="", max_length=80)
    person: Literal["victim", "suspect"] = "victim"
    date_formats: list[str] = Field(default_factory=lambda: ["%d/%m/%Y", "%Y-%m-%d"], min_length=1)
    time_formats: list[str] = Field(default_factory=lambda: ["%H:%M", "%H:%M:%S"], min_length=1)
    columns: PartnerColumns
    values: PartnerValues = Field(default_factory=PartnerValues)
    default_category: str | None = None
    missing_values: list[str] = Field(default_factory=lambda: list(DEFAULT_MISSING))
    outside_area: list[str] = Field(default_factory=list)
    replace_overlapping_months: bool = False

    @model_validator(mode="after")
    def _check(self) -> PartnerMapping:
        if self.source in RESERVED_SOURCES:
            raise ValueError(f"source '{self.source}' is reserved: choose another name")
        if not (self.columns.district or self.columns.lsoa_name):
            raise ValueError("columns: name a district or an lsoa_name column")
        return self


def load_partner_mapping(path: Path, vocabulary: IncidentVocabulary) -> PartnerMapping:
    """Read a partner mapping file; every value must map onto an existing vocabulary id."""
    mapping = validate_file(path, read_yaml(path), PartnerMapping)
    dims = vocabulary.dimensions
    # Each `values` section maps onto a vocabulary: (what one is called, its ids).
    allowed: dict[str, tuple[str, list[str]]] = {
        "district": (KINDS["districts"], dims.values("districts")),
        "place": (KINDS["place_types"], dims.values("place_types")),
        "category": ("category", list(vocabulary.categories)),
        "weapon": ("weapon", list(vocabulary.weapons)),
        "sex": (KINDS["genders"], dims.values("genders")),
        "age_band": (KINDS["age_bands"], dims.values("age_bands")),
    }
    for field, (kind, ids) in allowed.items():
        for value, target in getattr(mapping.values, field).items():
            if target is not None:
                check_known(path, f"values > {field} > '{value}'", kind, target, ids)
    if mapping.default_category:
        check_known(
            path, "default_category", "category", mapping.default_category, vocabulary.categories
        )
    return mapping


def partner_mapping_path(data_dir: Path, name_or_path: str | Path) -> Path:
    """A mapping given as a path, or by name from data/partner_mappings/ ("ae_istv")."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return path
    candidate = data_dir / PARTNER_MAPPINGS_DIR / f"{path.stem}.yaml"
    if candidate.exists():
        return candidate
    available = ", ".join(sorted(name for name, _ in list_partner_mappings(data_dir)))
    # Name the file looked for, so a typo in the name and a file gone missing both show.
    looked_for = path if path.suffix in (".yaml", ".yml") else candidate
    raise DataFileError(
        looked_for, f"no such mapping file (shipped mappings: {available or 'none'})"
    )


def list_partner_mappings(data_dir: Path) -> list[tuple[str, str]]:
    """(name, label) of each mapping file in data/partner_mappings/, by name."""
    found = []
    for path in sorted((data_dir / PARTNER_MAPPINGS_DIR).glob("*.yaml")):
        raw = read_yaml(path)
        label = raw.get("name", path.stem) if isinstance(raw, dict) else path.stem
        found.append((path.stem, str(label)))
    return found
