"""`youthvoice bench-import`: generate a realistic police.uk file and time importing it.

The file looks like a long run of monthly police.uk downloads for the configured area:
~20,000 rows a month, a third anti-social behaviour without a Crime ID, mostly street-name
locations, some kinds of place, a few rows outside the area or without a location. The rows
are reported by a synthetic force name, so they never replace real police.uk months, and the
import is undone afterwards (unless kept), leaving the database as it was.
"""

from __future__ import annotations

import csv
import random
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from incidents.history import undo_import
from incidents.importing import import_files
from incidents.police_uk import HEADER
from incidents.reading import files_from_paths
from incidents.report import ImportReport
from incidents.vocabulary import IncidentVocabulary
from survey.staff.permissions import operator

BENCH_REPORTER = "Benchmark Police (synthetic)"
BENCH = operator("bench-import")  # run on the server, like the command line
ROWS_PER_MONTH = 20_000
FIRST_YEAR = 2019
CRIME_TYPES = {
    "Anti-social behaviour": 30,
    "Violence and sexual offences": 30,
    "Criminal damage and arson": 8,
    "Public order": 7,
    "Other theft": 6,
    "Shoplifting": 5,
    "Vehicle crime": 5,
    "Burglary": 4,
    "Drugs": 2,
    "Other crime": 1,
    "Robbery": 0.6,
    "Bicycle theft": 0.6,
    "Theft from the person": 0.5,
    "Possession of weapons": 0.5,
}
OUTCOMES = [
    "Investigation complete; no suspect identified", "Unable to prosecute suspect",
    "Under investigation", "Status update unavailable", "Awaiting court outcome",
]  # fmt: skip
PLACES = [
    "Parking Area", "Supermarket", "Shopping Area", "Park/Open Space", "Sports/Recreation Area",
    "Petrol Station", "Nightclub", "Bus/Coach Station", "Further/Higher Educational Building",
]  # fmt: skip
# Street names: "Oak Road", "Millfield Close", ... about 4,500 of them, like a county's.
_WORDS = [
    "Oak",
    "Mill",
    "Church",
    "Station",
    "Park",
    "Victoria",
    "Queen",
    "King",
    "Albert",
    "Grove",
    "Orchard",
    "Manor",
    "Bell",
    "Hill",
    "Green",
    "Ash",
    "Beech",
    "Elm",
    "Cherry",
    "Chapel",
    "Castle",
    "Bridge",
    "Brook",
    "Farm",
    "Forge",
    "Spring",
    "Well",
    "Water",
    "Wood",
    "Rose",
    "Holly",
    "Ivy",
    "Priory",
    "Abbey",
    "School",
    "Market",
    "Windmill",
    "North",
    "South",
    "London",
]
_ENDINGS = ["", "field", "wood", "ley", "ton", "ham", "den", "hurst"]
_SUFFIXES = [
    "Road",
    "Street",
    "Lane",
    "Avenue",
    "Close",
    "Way",
    "Drive",
    "Gardens",
    "Court",
    "Place",
    "Crescent",
    "Terrace",
    "Walk",
    "Rise",
]


@dataclass(frozen=True)
class BenchResult:
    rows: int
    seconds: float
    undo_seconds: float | None
    peak_memory_mb: float
    memory_before_mb: float
    report: ImportReport

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def write_police_uk_file(
    path: Path, rows: int, vocabulary: IncidentVocabulary, *, seed: int = 1
) -> None:
    """Write `rows` rows of realistic police.uk street-level crime, month after month."""
    rng = random.Random(seed)
    force = vocabulary.dimensions.area.police_forces[0]
    lsoas = [
        (f"E01{rng.randrange(10**6):06d}", f"{d} {n:03d}{letter}")
        for d in vocabulary.dimensions.district_names
        for n in range(1, 40)
        for letter in "ABCD"
    ]
    streets = [f"{w}{e} {s}" for w in _WORDS for e in _ENDINGS for s in _SUFFIXES]
    kinds, weights = list(CRIME_TYPES), list(CRIME_TYPES.values())
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            month_index = i // ROWS_PER_MONTH
            month = f"{FIRST_YEAR + month_index // 12}-{month_index % 12 + 1:02d}"
            writer.writerow(_row(rng, month, force, lsoas, streets, kinds, weights))


def _row(
    rng: random.Random,
    month: str,
    force: str,
    lsoas: list[tuple[str, str]],
    streets: list[str],
    kinds: list[str],
    weights: list[float],
) -> list[str]:
    """One police.uk row: anti-social behaviour has no Crime ID and no outcome."""
    crime_type = rng.choices(kinds, weights)[0]
    asb = crime_type == "Anti-social behaviour"
    crime_id = "" if asb else f"{rng.getrandbits(256):064x}"
    outcome = "" if asb else rng.choice(OUTCOMES)
    draw = rng.random()
    start, end = [crime_id, month, BENCH_REPORTER, force], [crime_type, outcome, ""]
    if draw < 0.015:  # published without a location
        return [*start, "", "", "No Location", "", "", *end]
    code, name = rng.choice(lsoas)
    if draw < 0.035:  # just over the border
        code, name = f"E01{rng.randrange(10**6):06d}", f"Elsewhere {rng.randrange(1, 40):03d}A"
    place = rng.choice(PLACES) if draw > 0.9 else rng.choice(streets)
    lon, lat = f"{rng.uniform(0.0, 1.4):.6f}", f"{rng.uniform(51.0, 51.5):.6f}"
    return [*start, lon, lat, f"On or near {place}", code, name, *end]


def run_bench(
    engine: Engine, vocabulary: IncidentVocabulary, *, rows: int, keep: bool = False, seed: int = 1
) -> BenchResult:
    """Generate a file of `rows` rows, import it (timed), then undo it unless `keep`."""
    with tempfile.TemporaryDirectory(prefix="youthvoice-bench-") as folder:
        path = Path(folder) / f"bench-{rows}-street.csv"
        write_police_uk_file(path, rows, vocabulary, seed=seed)
        before = _peak_mb()
        started = time.perf_counter()
        with Session(engine, expire_on_commit=False) as db:
            report = import_files(db, BENCH, files_from_paths([path]), vocabulary=vocabulary)
        seconds = time.perf_counter() - started
        peak = _peak_mb()
    undo_seconds = None
    if report.import_id is not None and not keep:
        started = time.perf_counter()
        with Session(engine, expire_on_commit=False) as db:
            undo_import(db, BENCH, report.import_id)
        undo_seconds = time.perf_counter() - started
    return BenchResult(report.rows_read, seconds, undo_seconds, peak, before, report)


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes vs KiB
