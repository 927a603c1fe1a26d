"""Working hours between two moments (Mon-Fri 09:00-17:00 London by default): nights,
weekends, bank holidays and the clocks changing add nothing; an alert's age and lateness
follow from them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from survey.core.settings import Settings
from survey.safeguarding.alert_times import Lateness, alert_age
from survey.safeguarding.working_hours import working_hours, working_hours_between
from tests.support import at

# 2026-03-02 is a Monday.
CASES = [
    ("within a morning", "2026-03-02 09:30", "2026-03-02 12:00", 2.5),
    ("before opening to after closing", "2026-03-02 07:00", "2026-03-02 19:00", 8),
    ("across a night", "2026-03-02 16:00", "2026-03-03 10:00", 2),
    ("raised at night, read next morning", "2026-03-02 23:10", "2026-03-03 09:45", 0.75),
    ("raised and read in the night", "2026-03-02 18:00", "2026-03-03 08:59", 0),
    ("Friday afternoon to Monday morning", "2026-03-06 15:00", "2026-03-09 11:00", 4),
    ("all weekend", "2026-03-07 09:00", "2026-03-08 17:00", 0),
    ("a whole working week", "2026-03-02 00:00", "2026-03-09 00:00", 40),
    ("the clocks go forward (Sun 29 March)", "2026-03-27 16:00", "2026-03-30 10:00", 2),
    ("the clocks go back (Sun 25 October)", "2026-10-23 16:00", "2026-10-26 10:00", 2),
    ("end before start", "2026-03-03 10:00", "2026-03-02 10:00", 0),
]


@pytest.mark.parametrize(
    ("start", "end", "hours"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_working_hours_between(start, end, hours):
    assert working_hours_between(at(start), at(end)) == pytest.approx(hours)


def test_working_hours_bank_holidays_count_for_nothing():
    christmas = {date(2026, 12, 25), date(2026, 12, 28)}  # Friday, and Monday's substitute
    start, end = at("2026-12-24 16:00"), at("2026-12-29 10:00")
    assert working_hours_between(start, end) == pytest.approx(1 + 8 + 8 + 1)
    assert working_hours_between(start, end, holidays=christmas) == pytest.approx(2)


def test_working_hours_takes_any_zone_and_its_own_rules():
    # 08:00 UTC in summer is 09:00 in London: the day has just begun.
    start = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    assert working_hours_between(start, datetime(2026, 6, 1, 9, 30, tzinfo=UTC)) == 1.5
    saturday_shift = {"weekdays": {5}, "starts": time(10), "ends": time(22)}
    assert (
        working_hours_between(at("2026-03-07 09:00"), at("2026-03-07 20:00"), **saturday_shift)
        == 10
    )
    with pytest.raises(ValueError, match="aware"):
        working_hours_between(datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 10))


def test_working_hours_from_settings():
    settings = Settings(
        working_day_starts="08:30", working_days="mon,tue,wed,thu", bank_holidays="2026-03-03"
    )
    rules = working_hours(settings)
    assert rules.starts == time(8, 30) and rules.weekdays == {0, 1, 2, 3}
    assert rules.holidays == {date(2026, 3, 3)}
    with pytest.raises(ValueError, match="after"):
        Settings(working_day_starts="17:00", working_day_ends="09:00")
    with pytest.raises(ValueError, match="unknown day"):
        Settings(working_days="mon,funday")


@pytest.mark.parametrize(
    ("band", "now", "lateness", "words"),
    [
        ("alert", "2026-03-02 09:40", Lateness.IN_TIME, "raised less than a working hour ago"),
        ("alert", "2026-03-02 12:59", Lateness.IN_TIME, "raised 3 working hours ago"),
        ("alert", "2026-03-02 13:00", Lateness.OVERDUE, "raised 4 working hours ago"),
        ("check", "2026-03-02 13:00", Lateness.IN_TIME, "raised 4 working hours ago"),
        ("check", "2026-03-03 09:00", Lateness.OVERDUE, "raised 8 working hours ago"),
        ("alert", "2026-03-04 17:00", Lateness.LATE, "raised 24 working hours ago"),
        ("alert", "2026-03-07 12:00", Lateness.LATE, "raised 40 working hours ago"),
    ],
)
def test_working_hours_an_alerts_age_and_lateness(band, now, lateness, words):
    age = alert_age(at("2026-03-02 09:00"), band, at(now), Settings())
    assert (age.lateness, age.words) == (lateness, words)
    assert bool(age.lateness_words) == (lateness != Lateness.IN_TIME)
