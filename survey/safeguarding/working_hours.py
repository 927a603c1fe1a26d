"""Working hours between two moments: how old an alert is in the time staff are at work.

Pure: the rules come in as a `WorkingHours` (from settings with `working_hours(settings)`),
so nights, weekends and bank holidays are tested without a clock or a database.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from survey.core.settings import WEEKDAYS, Settings


@dataclass(frozen=True)
class WorkingHours:
    """When staff are at work: from `starts` to `ends` (local wall-clock time in `timezone`)
    on `weekdays` (0 = Monday), except `holidays`. Default: Mon-Fri 09:00-17:00, London."""

    timezone: str = "Europe/London"
    starts: time = time(9)
    ends: time = time(17)
    weekdays: frozenset[int] = frozenset(range(5))
    holidays: frozenset[date] = field(default_factory=frozenset)


def working_hours(settings: Settings) -> WorkingHours:
    return WorkingHours(
        timezone=settings.timezone,
        starts=settings.working_day_starts,
        ends=settings.working_day_ends,
        weekdays=frozenset(WEEKDAYS.index(d) for d in settings.working_days),
        holidays=frozenset(settings.bank_holidays),
    )


def working_hours_between(
    start: datetime,
    end: datetime,
    *,
    timezone: str = "Europe/London",
    starts: time = time(9),
    ends: time = time(17),
    weekdays: Collection[int] = frozenset(range(5)),
    holidays: Collection[date] = frozenset(),
) -> float:
    """The working hours from `start` to `end` (aware datetimes; 0 when end <= start).

    Only the part of each working day (a weekday not in `holidays`, from `starts` to `ends`
    local time) that lies between the two moments counts: a night, a weekend or a bank
    holiday adds nothing. Daylight saving is handled by measuring each day's part in UTC.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("working_hours_between needs aware datetimes")
    if end <= start:
        return 0.0
    zone = ZoneInfo(timezone)
    seconds = 0.0
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        if day.weekday() in weekdays and day not in holidays:
            opens = datetime.combine(day, starts, zone).astimezone(UTC)
            closes = datetime.combine(day, ends, zone).astimezone(UTC)
            overlap = min(closes, end) - max(opens, start)
            seconds += max(overlap, timedelta(0)).total_seconds()
        day += timedelta(days=1)
    return seconds / 3600


def working_hours_since(start: datetime, now: datetime, hours: WorkingHours) -> float:
    """`working_hours_between` with the rules of a `WorkingHours`."""
    return working_hours_between(
        start,
        now,
        timezone=hours.timezone,
        starts=hours.starts,
        ends=hours.ends,
        weekdays=hours.weekdays,
        holidays=hours.holidays,
    )
