"""Synthetic demo incidents, seeded, so a fresh install has dashboards to show.

The shape (which districts, hours, categories, ages) comes from data/demo/incident_profile.yaml.
Every demo incident is stored with source 'demo' under one import record that can be undone
like any other, and pages label it "synthetic demo data".
"""

from __future__ import annotations

import random
from bisect import bisect
from collections import Counter
from collections.abc import Iterator
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import Generic, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from incidents.aggregates import DEMO_SOURCE, refresh_counts
from incidents.demo_profile import PROFILE_FILE, AgeTail, CategoryProfile, IncidentProfile
from incidents.demo_profile import load_incident_profile as load_profile
from incidents.models import IncidentImport
from incidents.storing import CHUNK_ROWS, IncidentWriter, new_import, slices_json
from incidents.vocabulary import IncidentVocabulary, load_vocabulary
from survey.core.audit import record_event
from survey.core.dimensions import Dimensions
from survey.core.settings import get_settings

T = TypeVar("T")
KIND = "demo"
REPORTED_BY = "Synthetic demo data"
COLUMNS = (
    "import_id", "source", "reported_by", "month", "occurred_on", "hour", "time_band",
    "district", "place_type", "crime_type", "category", "strands", "weapon", "suspect_sex",
    "suspect_age", "suspect_age_band", "victim_sex", "victim_age", "victim_age_band",
)  # fmt: skip


class _Picker(Generic[T]):
    """Weighted choices with precomputed cumulative weights (rng.choices recomputes them)."""

    def __init__(self, weights: dict[T, float]) -> None:
        self.values = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class DemoGenerator:
    """Draws incidents month by month from an IncidentProfile."""

    def __init__(self, profile: IncidentProfile, vocabulary: IncidentVocabulary) -> None:
        self.profile = profile
        self.vocabulary = vocabulary
        dims = vocabulary.dimensions
        index = profile.district_rate_index
        self.districts = _Picker(
            {d.name: d.aged_10_25 * index.get(d.name, 1.0) for d in dims.districts}
        )
        self.hours = _Picker(dict(enumerate(profile.hour_weights)))
        self.suspect_ages = _ages(profile.suspect_ages, profile.suspect_older)
        self.victim_ages = _ages(profile.victim_ages, profile.victim_older)
        self.weapons = _Picker(dict(profile.weapons)) if profile.weapons else None
        self._places: dict[tuple[str, str, int], _Picker[str]] = {}

    def incidents(
        self, month: date, rng: random.Random, import_id: int
    ) -> Iterator[tuple[object, ...]]:
        """One month of incidents (tuples in COLUMNS order)."""
        weights = {
            c.id: c.weight * c.month_factors.get(month.month, 1.0) for c in self.profile.categories
        }
        mean_weight = sum(c.weight for c in self.profile.categories)
        expected = self.profile.incidents_per_month * sum(weights.values()) / mean_weight
        categories = _Picker(weights)
        by_id = {c.id: c for c in self.profile.categories}
        days = _days_in(month)
        for _ in range(round(expected * rng.uniform(0.93, 1.07))):
            category = by_id[categories.pick(rng)]
            district: str = self.districts.pick(rng)
            hour: int = self.hours.pick(rng)
            yield (
                import_id,
                DEMO_SOURCE,
                REPORTED_BY,
                month,
                month.replace(day=rng.randint(1, days)),
                hour,
                self.vocabulary.dimensions.time_band_for_hour(hour),
                district,
                self._place(category, district, hour).pick(rng),
                self.vocabulary.categories[category.id].label,
                category.id,
                self.vocabulary.strands_of(category.id),
                self._weapon(category, rng),
                *self._person(rng, "suspect", category),
                *self._person(rng, "victim", category),
            )

    def _place(self, category: CategoryProfile, district: str, hour: int) -> _Picker[str]:
        key = (category.id, district, hour)
        if key not in self._places:
            weights = {}
            for place, weight in (category.places or self.profile.places).items():
                if district not in self.profile.only_in.get(place, [district]):
                    continue
                window = self.profile.place_hours.get(place)
                weights[place] = weight * (1.0 if window is None or _within(hour, window) else 0.1)
            self._places[key] = _Picker(weights)
        return self._places[key]

    def _weapon(self, category: CategoryProfile, rng: random.Random) -> str | None:
        if category.weapon:
            return _Picker(dict(category.weapon)).pick(rng)
        if (
            self.weapons
            and category.id in ("violence", "robbery")
            and rng.random() < self.profile.weapon_share
        ):
            return self.weapons.pick(rng)
        return None

    def _person(
        self, rng: random.Random, role: str, category: CategoryProfile
    ) -> tuple[object, ...]:
        profile = self.profile
        if role == "victim" and not category.victim:
            return None, None, None
        known = profile.suspect_known if role == "suspect" else profile.victim_known
        if rng.random() >= known:
            return None, None, None
        male = getattr(category, f"{role}_male")
        male = getattr(profile, f"{role}_male") if male is None else male
        sex = profile.sexes.male if rng.random() < male else profile.sexes.female
        age: int = (self.suspect_ages if role == "suspect" else self.victim_ages).pick(rng)
        return sex, age, self.vocabulary.age_band_for(age)


def demo_months(today: date, count: int) -> list[date]:
    """The `count` whole months before today's month, oldest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append(date(year, month, 1))
    return months[::-1]


def load_demo_incidents(
    engine_or_session: Engine | Session,
    dimensions: Dimensions,
    *,
    seed: int = 2026,
    today: date | None = None,
    data_dir: Path | None = None,
) -> int:
    """Store seeded demo incidents if nothing was ever imported; returns how many were stored.

    "Ever": an analyst who undid the demo import does not get it back on the next start.
    """
    if isinstance(engine_or_session, Session):
        return _load(engine_or_session, dimensions, seed, today, data_dir)
    with Session(engine_or_session, expire_on_commit=False) as db:
        return _load(db, dimensions, seed, today, data_dir)


def _load(
    db: Session, dimensions: Dimensions, seed: int, today: date | None, data_dir: Path | None
) -> int:
    if db.exec(select(IncidentImport.id).limit(1)).first() is not None:
        return 0
    data_dir = data_dir or get_settings().data_dir
    vocabulary = load_vocabulary(data_dir, dimensions)
    generator = DemoGenerator(load_profile(data_dir / PROFILE_FILE, vocabulary), vocabulary)
    rng = random.Random(seed)
    record = new_import(
        db, kind=KIND, source=DEMO_SOURCE, file_name="synthetic demo data", actor="demo generator"
    )
    assert record.id is not None
    slices: Counter[tuple[str, date]] = Counter()
    with IncidentWriter(db, COLUMNS) as writer:
        for month in demo_months(today or date.today(), generator.profile.months):
            rows = list(generator.incidents(month, rng, record.id))
            for start in range(0, len(rows), CHUNK_ROWS):
                writer.write(rows[start : start + CHUNK_ROWS])
            slices[(REPORTED_BY, month)] = len(rows)
    refresh_counts(db, DEMO_SOURCE, [m for _, m in slices])
    record.rows_read = record.rows_stored = writer.written
    record.months = slices_json(slices)
    record_event(
        db,
        action="incidents.demo_loaded",
        actor="demo generator",
        target=f"incident_import:{record.id}",
        detail={"stored": writer.written},
    )
    db.commit()
    return writer.written


def _ages(weights: dict[int, float], older: AgeTail) -> _Picker[int]:
    ages = {int(a): w for a, w in weights.items()}
    first_older = max(weights) + 1
    ages.update({age: older.weight for age in range(first_older, older.to + 1)})
    return _Picker(ages)


def _within(hour: int, window: tuple[int, int]) -> bool:
    start, end = window
    return start <= hour < end if start <= end else (hour >= start or hour < end)


def _days_in(month: date) -> int:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return (following - month).days
