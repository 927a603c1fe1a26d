"""The mapping of police.uk LSOA names to districts and locations to place types."""

from __future__ import annotations

from collections import Counter

import pytest

from incidents.places import DistrictMapper, LocationKind, LocationMapper


@pytest.fixture(scope="module")
def districts(vocabulary) -> DistrictMapper:
    return DistrictMapper(
        vocabulary.dimensions.district_names, vocabulary.locations.lsoa_district_aliases
    )


@pytest.fixture(scope="module")
def locations(vocabulary) -> LocationMapper:
    return LocationMapper(vocabulary.locations)


@pytest.mark.parametrize(
    ("lsoa_name", "expected"),
    [
        ("Folkestone and Hythe 006B", ("Folkestone and Hythe", None)),
        ("Ashford 001B", ("Ashford", None)),
        ("Tunbridge Wells 014A", ("Tunbridge Wells", None)),
        ("Tonbridge and Malling 003C", ("Tonbridge and Malling", None)),
        ("Medway 012E", ("Medway", None)),
        ("thanet 001a".title(), ("Thanet", None)),
        ("Shepway 006B", ("Folkestone and Hythe", None)),  # the district's name before 2018
        ("Wealden 003A", (None, "Wealden")),  # a real LSOA outside the area
        ("Swale", (None, None)),  # no LSOA code: not an LSOA name
        ("", (None, None)),
    ],
)
def test_places_lsoa_name_to_district(districts, lsoa_name, expected):
    assert districts.from_lsoa_name(lsoa_name) == expected


@pytest.mark.parametrize(
    ("location", "place", "kind"),
    [
        ("On or near Bus/Coach Station", "place.transport_hub", LocationKind.DESCRIPTOR),
        ("On or near Park/Open Space", "place.park", LocationKind.DESCRIPTOR),
        ("On or near Sports/Recreation Area", "place.park", LocationKind.DESCRIPTOR),
        ("On or near Supermarket", "place.high_street", LocationKind.DESCRIPTOR),
        ("On or near Shopping Area", "place.high_street", LocationKind.DESCRIPTOR),
        ("On or near Nightclub", "place.night_venue", LocationKind.DESCRIPTOR),
        ("On or near Parking Area", "place.paths_underpasses", LocationKind.DESCRIPTOR),
        ("On or near Further/higher Educational Building", "place.school", LocationKind.DESCRIPTOR),
        ("On or near Police Station", None, LocationKind.DESCRIPTOR),  # known, no place type
        ("On or near Ashford International (station)", "place.transport_hub", LocationKind.PATTERN),
        ("On or near High Street", "place.high_street", LocationKind.PATTERN),
        ("On or near Cherry Orchard", None, LocationKind.STREET),
        ("On or near Jarman'S Field", None, LocationKind.STREET),
        ("On or near M20", None, LocationKind.STREET),
        ("On or near Marina/Harbour", None, LocationKind.UNMAPPED),  # a new kind of place
        ("No Location", None, LocationKind.NONE),
    ],
)
def test_places_location_to_place_type(locations, location, place, kind):
    assert locations.place_type(location) == place
    assert locations.kind(location) == kind


def test_places_summary_counts_streets_and_lists_unmapped_kinds(locations):
    counts = Counter(
        {
            "On or near Cherry Orchard": 3,
            "On or near Mill Lane": 2,
            "On or near Park/Open Space": 4,
            "On or near Marina/Harbour": 5,
        }
    )
    streets, unmapped, places = locations.summarise(counts)
    assert (streets.rows, streets.distinct) == (5, 2)
    assert streets.top[0] == ("Cherry Orchard", 3)
    assert unmapped == Counter({"Marina/Harbour": 5})
    assert places == Counter({"(none)": 10, "place.park": 4})
