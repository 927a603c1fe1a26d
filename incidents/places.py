"""police.uk locations and LSOA names -> place types and districts, as the mapping file says.

Each distinct text is worked out once and cached: a county's month has a few thousand
distinct locations but tens of thousands of rows.
"""

from __future__ import annotations

import re
from collections import Counter
from enum import StrEnum

from incidents.report import TOP_STREETS, StreetLocations
from incidents.vocabulary import LocationsFile

_LSOA_NAME = re.compile(r"^(.*\S)\s+\d{3}[A-Z]$")


class LocationKind(StrEnum):
    DESCRIPTOR = "descriptor"  # a kind of place in the mapping (maybe to no place type)
    PATTERN = "pattern"  # matched one of the mapping's patterns
    STREET = "street"  # a street name
    UNMAPPED = "unmapped"  # looks like a kind of place, but the mapping does not know it
    NONE = "none"  # no location published


class LocationMapper:
    """Classifies police.uk `Location` texts and maps them to place type ids."""

    def __init__(self, mapping: LocationsFile) -> None:
        self._prefix = mapping.prefix.lower()
        self._none = {text.strip().lower() for text in mapping.no_location}
        self._descriptors = {k.strip().lower(): v for k, v in mapping.descriptors.items()}
        self._patterns = [(re.compile(p.pattern, re.I), p.place_type) for p in mapping.patterns]
        self._hints = [re.compile(h, re.I) for h in mapping.descriptor_hints]
        self._street_place = mapping.street_place_type
        self._cache: dict[str, tuple[str | None, LocationKind]] = {}

    def place_type(self, location: str) -> str | None:
        """The place type id for a location text, or None."""
        found = self._cache.get(location)
        if found is None:
            found = self._cache[location] = self._classify(location)
        return found[0]

    def kind(self, location: str) -> LocationKind:
        """Whether a location text is a kind of place, a street name, unmapped or none."""
        found = self._cache.get(location)
        if found is None:
            found = self._cache[location] = self._classify(location)
        return found[1]

    def _classify(self, location: str) -> tuple[str | None, LocationKind]:
        text = location.strip()
        if text.lower().startswith(self._prefix):
            text = text[len(self._prefix) :].strip()
        key = text.lower()
        if key in self._none:
            return None, LocationKind.NONE
        if key in self._descriptors:
            return self._descriptors[key], LocationKind.DESCRIPTOR
        for pattern, place in self._patterns:
            if pattern.search(text):
                return place, LocationKind.PATTERN
        if any(hint.search(text) for hint in self._hints):
            return None, LocationKind.UNMAPPED
        return self._street_place, LocationKind.STREET

    def summarise(self, counts: Counter[str]) -> tuple[StreetLocations, Counter[str], Counter[str]]:
        """From rows per location text: street names, unmapped kinds of place, rows per place."""
        streets: Counter[str] = Counter()
        unmapped: Counter[str] = Counter()
        places: Counter[str] = Counter()
        for location, rows in counts.items():
            kind = self.kind(location)
            name = _without_prefix(location, self._prefix)
            if kind is LocationKind.STREET:
                streets[name] += rows
            elif kind is LocationKind.UNMAPPED:
                unmapped[name] += rows
            places[self.place_type(location) or "(none)"] += rows
        summary = StreetLocations(
            sum(streets.values()), len(streets), streets.most_common(TOP_STREETS)
        )
        return summary, unmapped, places


class DistrictMapper:
    """LSOA names ("Folkestone and Hythe 006B") -> configured district names."""

    def __init__(self, districts: list[str], aliases: dict[str, str]) -> None:
        self._districts = {d.lower(): d for d in districts}
        self._aliases = {k.strip().lower(): v for k, v in aliases.items()}
        self._cache: dict[str, tuple[str | None, str | None]] = {}

    def from_lsoa_name(self, lsoa_name: str) -> tuple[str | None, str | None]:
        """(district, None) when configured, (None, district named) when outside the area,
        (None, None) when the text is not an LSOA name."""
        found = self._cache.get(lsoa_name)
        if found is None:
            match = _LSOA_NAME.match(lsoa_name.strip())
            found = (None, None) if match is None else self._lookup(match.group(1))
            self._cache[lsoa_name] = found
        return found

    def from_name(self, name: str) -> str | None:
        """A configured district for a district name or alias, ignoring case."""
        key = name.strip().lower()
        return self._districts.get(key) or self._aliases.get(key)

    def _lookup(self, named: str) -> tuple[str | None, str | None]:
        district = self.from_name(named)
        return (district, None) if district else (None, named)


def _without_prefix(location: str, prefix: str) -> str:
    text = location.strip()
    return text[len(prefix) :].strip() if text.lower().startswith(prefix) else text
