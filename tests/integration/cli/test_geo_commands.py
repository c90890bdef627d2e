"""The geo commands: areas, envelopes and ZIP codes, with their errors named."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bluealert.cli.main import app


def _run(*args: str) -> object:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_geo_area_json() -> None:
    result = _run("geo", "area", "--circle", "32.7767,-96.7970 50", "--json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert len(data["counties"]) == 9
    assert data["wea_vertices"] <= 100
    assert data["description"].endswith("counties, Texas")


def test_geo_area_table_names_counties() -> None:
    result = _run("geo", "area", "--county", "48113", "--state", "RI")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert "Dallas County, TX" in result.stdout  # type: ignore[attr-defined]
    assert "044000" in result.stdout  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--polygon", "33,-97 33.5,-97 33.5,-96.5"], "area.polygons.0"),
        (["--polygon", "-97,33 -97,33.5 -96.5,33.5 -97,33"], "lon,lat"),
        (["--polygon", "33;-97"], "polygon.0"),
        (["--circle", "33,-97"], "circle.0"),
        (["--county", "99999"], "no county"),
        (["--county", "113"], "5-digit FIPS"),
        ([], "at least one county"),
        (["--polygon", "33,-97 33.5,-96 33,-96 33.5,-97 33,-97"], "crosses itself at 33.25,-96.5"),
        (["--circle", "nan,-96.8 5"], "circles.0.lat"),
        (["--circle", "32.7,-96.8 0"], "circles.0.radius_km"),
        (["--circle", "32.7,-96.8 -5"], "circles.0.radius_km"),
        (["--circle", "32.7,-96.8 1e9"], "circles.0.radius_km"),
        (["--circle", "32.7 -96.8 5"], "lat,lon radius_km"),
    ],
)
def test_geo_area_errors(args: list[str], words: str) -> None:
    result = _run("geo", "area", *args)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert words in result.output  # type: ignore[attr-defined]


def test_geo_envelope_schedule_flags_oklahoma() -> None:
    result = _run(
        "geo",
        "envelope",
        "--lat",
        "33.6",
        "--lon",
        "-97.15",
        "--seen-at",
        "2026-11-24T02:00-06:00",
        "--at",
        "2026-11-24T02:30-06:00",
        "--heading",
        "northbound",
        "--json",
    )
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    steps = json.loads(result.stdout)["schedule"]  # type: ignore[attr-defined]
    assert len(steps) == 4
    radii = [s["radius_km"] for s in steps]
    assert radii == sorted(radii)
    assert "OK" in steps[-1]["flag_for_cross_state_request"]
    table = _run(
        "geo",
        "envelope",
        "--lat",
        "33.6",
        "--lon",
        "-97.15",
        "--seen-at",
        "2026-11-24T02:00-06:00",
        "--at",
        "2026-11-24T02:30-06:00",
    )
    assert "ask (cross-state)" in table.stdout  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--seen-at", "2026-11-24T02:00"], "naive"),
        (["--seen-at", "yesterday"], "ISO 8601"),
        (["--seen-at", "2026-11-24T02:00-06:00", "--heading", "upwards"], "heading"),
        (["--seen-at", "2026-11-24T02:00-06:00", "--speed", "900"], "speed"),
        (["--seen-at", "2026-11-24T02:00-06:00", "--heading", "nan"], "heading"),
        (["--seen-at", "2026-11-24T02:00-06:00", "--steps", "0"], "steps"),
        (["--seen-at", "2026-11-24T02:00-06:00", "--steps", "100000"], "steps"),
        (["--seen-at", "2026-11-24T02:00-06:00", "--every", "-30"], "every"),
        (["--seen-at", "2026-11-24T02:00-06:00", "--every", "0"], "every"),
        (["--seen-at", "2026-11-20T02:00-06:00", "--at", "2026-11-24T02:00-06:00"], "states"),
        (["--seen-at", "2026-11-24T02:00-06:00", "--at", "2026-11-24T01:00-06:00"], "before"),
        (["--seen-at", "2026-11-24T02:00-06:00", "--at", "2026-11-24T03:00"], "naive"),
    ],
)
def test_geo_envelope_errors(args: list[str], words: str) -> None:
    result = _run("geo", "envelope", "--lat", "33.6", "--lon", "-97.15", *args)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert words in result.output  # type: ignore[attr-defined]


def test_geo_area_across_the_antimeridian_is_two_polygons() -> None:
    result = _run("geo", "area", "--county", "02016", "--json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert data["description"] == "Aleutians West Census Area, Alaska"
    assert len(data["wea_polygons"]) == 2
    assert data["wea_vertices"] <= 100
    for ring in data["wea_polygons"]:
        lons = [lon for _, lon in ring]
        assert max(lons) - min(lons) < 180
    table = _run("geo", "area", "--county", "02016").stdout  # type: ignore[attr-defined]
    assert "split at the antimeridian, 13 + 6 vertices" in " ".join(table.split())


def test_geo_envelope_from_the_beach_at_waikiki() -> None:
    result = _run(
        "geo",
        "envelope",
        "--lat",
        "21.276",
        "--lon",
        "-157.827",
        "--seen-at",
        "2026-11-24T02:00-10:00",
        "--at",
        "2026-11-24T02:30-10:00",
        "--heading",
        "NNW",
        "--json",
    )
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert json.loads(result.stdout)["schedule"][0]["counties"] == ["15003"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("code", ["752", "752011", "７５２０１", "75201-1234", " 75201"])
def test_geo_zip_that_is_not_five_digits(code: str) -> None:
    bad = _run("geo", "zip", code)
    assert bad.exit_code == 2  # type: ignore[attr-defined]
    assert "zip: a ZIP code is 5 digits" in bad.output  # type: ignore[attr-defined]


def test_geo_zip() -> None:
    result = _run("geo", "zip", "75201", "--json")
    assert json.loads(result.stdout)["fips"] == "48113"  # type: ignore[attr-defined]
    assert "Dallas County (48113)" in _run("geo", "zip", "75201").stdout  # type: ignore[attr-defined]
    bad = _run("geo", "zip", "7520")
    assert bad.exit_code == 2  # type: ignore[attr-defined]
    assert "zip: a ZIP code is 5 digits" in bad.output  # type: ignore[attr-defined]
