"""The synthetic demo incidents: their shape, and loading them once, labelled as demo."""

from __future__ import annotations

import random
from datetime import date

import pandas as pd
import pytest
import yaml
from sqlmodel import select

from incidents.aggregates import has_demo_incidents
from incidents.demo import COLUMNS, DemoGenerator, demo_months, load_demo_incidents
from incidents.demo_profile import PROFILE_FILE, load_incident_profile
from incidents.history import undo_import
from incidents.models import IncidentImport
from survey.core.data_files import DataFileError
from survey.core.settings import Settings
from tests.incidents.helpers import ANA, incident_counts, stored

TODAY = date(2026, 11, 26)
HIGHER = ["Thanet", "Swale", "Medway", "Dover", "Folkestone and Hythe", "Gravesham", "Dartford"]
LOWER = ["Sevenoaks", "Tunbridge Wells", "Tonbridge and Malling"]


@pytest.fixture(scope="module")
def demo(vocabulary) -> pd.DataFrame:
    profile = load_incident_profile(Settings().data_dir / PROFILE_FILE, vocabulary)
    generator, rng = DemoGenerator(profile, vocabulary), random.Random(2026)
    rows = [
        row
        for month in demo_months(TODAY, profile.months)
        for row in generator.incidents(month, rng, import_id=1)
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def test_demo_size_fits_dashboards_and_three_years(demo):
    assert 30_000 <= len(demo) <= 60_000
    assert demo["month"].nunique() == 36
    assert demo["month"].max() == date(2026, 10, 1)


def test_demo_hours_peak_after_school_evening_and_late(demo):
    hours = demo["hour"].value_counts()
    assert hours[15] > max(hours[14], hours[16])
    assert min(hours[18], hours[19]) > max(hours[17], hours[20])
    assert hours[23] > max(hours[22], hours[0])
    assert hours[4] == hours.min() or hours[5] == hours.min()


def test_demo_north_and_east_coast_higher_than_south_and_west(demo, vocabulary):
    young = {d.name: d.aged_10_25 for d in vocabulary.dimensions.districts}
    counts = demo["district"].value_counts()
    rates = {d: counts[d] / young[d] for d in young}
    assert min(rates[d] for d in HIGHER) > max(rates[d] for d in LOWER)
    assert counts.index[4] == "Maidstone"  # fifth highest


def test_demo_sex_ratios_of_suspects_and_victims(demo):
    suspects = demo["suspect_sex"].value_counts(normalize=True)
    victims = demo["victim_sex"].value_counts(normalize=True)
    assert suspects["boy_man"] == pytest.approx(0.74, abs=0.02)
    assert victims["boy_man"] == pytest.approx(0.64, abs=0.02)


def test_demo_suspect_ages_peak_at_17_and_young_people_over_represented(demo):
    ages = demo["suspect_age"].dropna().astype(int)
    assert ages.value_counts().idxmax() == 17
    assert ages.between(10, 25).mean() > 0.5  # a fifth of the population, half the suspects


def test_demo_sexual_violence_rises_in_january_june_and_september(demo):
    sexual = demo[demo["category"] == "sexual_offences"]
    by_month = sexual["month"].map(lambda m: m.month).value_counts()
    others = by_month.drop([1, 6, 9])
    assert min(by_month[[1, 6, 9]]) > others.max()


def test_demo_loads_once_as_demo_data(db, vocabulary):
    loaded = load_demo_incidents(db, vocabulary.dimensions, seed=7, today=TODAY)
    assert 30_000 <= loaded == stored(db)
    assert load_demo_incidents(db, vocabulary.dimensions, seed=7, today=TODAY) == 0
    assert has_demo_incidents(db)
    counts = incident_counts(db)
    assert set(counts["source"]) == {"demo"} and counts["incidents"].sum() == loaded
    record = db.exec(select(IncidentImport)).one()
    assert (record.kind, record.source, record.rows_stored) == ("demo", "demo", loaded)


def test_demo_undone_stays_gone(db, vocabulary):
    load_demo_incidents(db, vocabulary.dimensions, seed=7, today=TODAY)
    record = db.exec(select(IncidentImport)).one()
    undo_import(db, ANA, record.id)
    assert not has_demo_incidents(db) and stored(db) == 0
    assert load_demo_incidents(db, vocabulary.dimensions, seed=7, today=TODAY) == 0


def test_demo_profile_with_unknown_district_is_refused(tmp_path, vocabulary):
    source = Settings().data_dir / PROFILE_FILE
    raw = yaml.safe_load(source.read_text())
    raw["district_rate_index"]["Atlantis"] = 2.0
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(raw))
    expected = r"district_rate_index: unknown district 'Atlantis' \(known: Ashford, "
    with pytest.raises(DataFileError, match=expected):
        load_incident_profile(path, vocabulary)
