from __future__ import annotations

import pytest
import yaml

from survey.core.data_files import DataFileError
from survey.core.dimensions import load_dimensions
from survey.core.settings import Settings

SHIPPED = Settings().dimensions_path


def test_dimensions_shipped_file_has_the_thirteen_districts_and_time_bands():
    dims = load_dimensions(SHIPPED)
    assert len(dims.districts) == 13
    assert dims.area.police_forces == ["Kent Police"]
    assert [b.id for b in dims.time_bands] == [
        "before_school",
        "school_day",
        "after_school",
        "evening",
        "late",
        "overnight",
    ]


@pytest.mark.parametrize(
    ("hour", "band"),
    [
        (0, "overnight"),
        (5, "overnight"),
        (6, "before_school"),
        (8, "before_school"),
        (9, "school_day"),
        (14, "school_day"),
        (15, "after_school"),
        (17, "after_school"),
        (18, "evening"),
        (20, "evening"),
        (21, "late"),
        (23, "late"),
    ],
)
def test_dimensions_time_band_for_hour(hour, band):
    assert load_dimensions(SHIPPED).time_band_for_hour(hour) == band


def _broken(tmp_path, change):
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "dimensions.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["districts"][3].update(population=-5), "district 'Dover' > population"),
        (lambda d: d["districts"].append(dict(d["districts"][0])), "'Ashford' appears twice"),
        (lambda d: d["time_bands"].pop(), "cover every hour"),
        (lambda d: d.pop("area"), "area"),
    ],
)
def test_dimensions_bad_file_says_what_is_wrong(tmp_path, change, expected):
    path = _broken(tmp_path, change)
    with pytest.raises(DataFileError, match=r"dimensions\.yaml") as caught:
        load_dimensions(path)
    assert expected in str(caught.value)
