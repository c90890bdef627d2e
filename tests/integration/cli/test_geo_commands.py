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
    assert "Dallas, TX" in result.stdout  # type: ignore[attr-defined]
    assert "044000" in result.stdout  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--polygon", "33,-97 33.5,-97 33.5,-96.5"], "area.polygons.0"),
        (["--polygon", "-97,33 -97,33.5 -96.5,33.5 -97,33"], "lon,lat"),
        (["--polygon", "33;-97"], "polygon.0"),
        (["--circle", "33,-97"], "circle.0"),
        (["--county", "99999"], "no county"),
        ([], "at least one county"),
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
    steps = json.loads(result.stdout)  # type: ignore[attr-defined]
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
    ],
)
def test_geo_envelope_errors(args: list[str], words: str) -> None:
    result = _run("geo", "envelope", "--lat", "33.6", "--lon", "-97.15", *args)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert words in result.output  # type: ignore[attr-defined]


def test_geo_zip() -> None:
    result = _run("geo", "zip", "75201", "--json")
    assert json.loads(result.stdout)["fips"] == "48113"  # type: ignore[attr-defined]
    assert "Dallas County (48113)" in _run("geo", "zip", "75201").stdout  # type: ignore[attr-defined]
    bad = _run("geo", "zip", "7520")
    assert bad.exit_code == 2  # type: ignore[attr-defined]
    assert "zip: a ZIP code is 5 digits" in bad.output  # type: ignore[attr-defined]
