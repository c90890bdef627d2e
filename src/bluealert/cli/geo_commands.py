"""`bluealert geo area|envelope|zip`: areas normalised, travel envelopes, ZIP codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer
from rich.markup import escape

from bluealert.cli.output import JsonFlag, console, emit, reported_errors
from bluealert.cli.tables import Col, print_table
from bluealert.domain.content import AreaRequest
from bluealert.errors import InvalidGeometry, InvalidInput
from bluealert.geo.areas import normalise_area
from bluealert.geo.envelope import Envelope, parse_heading, widening_schedule
from bluealert.geo.zips import zip_lookup

app = typer.Typer(
    help="US counties, alert areas, travel envelopes, ZIP codes.", no_args_is_help=True
)


def _points(text: str, field: str) -> list[tuple[float, float]]:
    try:
        pairs = [tuple(float(v) for v in pair.split(",")) for pair in text.split()]
    except ValueError:
        raise InvalidGeometry("write points as 'lat,lon lat,lon …'", field=field) from None
    if any(len(p) != 2 for p in pairs):
        raise InvalidGeometry("write points as 'lat,lon lat,lon …'", field=field)
    return [(p[0], p[1]) for p in pairs]


def _circle(text: str, field: str) -> dict[str, float]:
    parts = text.split()
    if len(parts) != 2:
        raise InvalidGeometry("write a circle as 'lat,lon radius_km'", field=field)
    [(lat, lon)] = _points(parts[0], field)
    try:
        return {"lat": lat, "lon": lon, "radius_km": float(parts[1])}
    except ValueError:
        raise InvalidGeometry("the radius is a number of km", field=field) from None


def _area_table(area: Any) -> None:
    print_table(
        area.description,
        [Col("county", prose=True), Col("FIPS"), Col("SAME"), Col("share covered")],
        [
            (escape(s.county.label), s.county.fips, s.county.same, f"{s.share:.1%}")
            for s in area.counties
        ],
    )
    console.print(f"SAME codes ({len(area.same_codes)}): {' '.join(area.same_codes)}")
    vertices = " + ".join(str(len(ring) - 1) for ring in area.wea_polygons)
    split = "s, split at the antimeridian," if len(area.wea_polygons) > 1 else ""
    console.print(
        f"area {area.area_km2:,.0f} km²; WEA polygon{split} {vertices} vertices, "
        f"overshoot {area.overshoot:.1%}"
    )


@app.command()
def area(
    county: Annotated[list[str] | None, typer.Option(help="County FIPS (repeat).")] = None,
    state: Annotated[list[str] | None, typer.Option(help="Whole state, USPS (repeat).")] = None,
    polygon: Annotated[list[str] | None, typer.Option(help="'lat,lon lat,lon …' closed.")] = None,
    circle: Annotated[list[str] | None, typer.Option(help="'lat,lon radius_km'.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Normalise an area: counties touched, SAME codes, description, WEA polygon."""
    with reported_errors(as_json):
        request = AreaRequest.model_validate(
            {
                "counties": county or [],
                "states": state or [],
                "polygons": [_points(p, f"polygon.{i}") for i, p in enumerate(polygon or [])],
                "circles": [_circle(c, f"circle.{i}") for i, c in enumerate(circle or [])],
            }
        )
        found = normalise_area(request)
        data = {
            "description": found.description,
            "same_codes": found.same_codes,
            "counties": [
                {
                    "fips": s.county.fips,
                    "name": s.county.name,
                    "state": s.county.state,
                    "share": s.share,
                }
                for s in found.counties
            ],
            "area_km2": round(found.area_km2, 1),
            "wea_polygon": found.wea_polygon,
            "wea_polygons": found.wea_polygons,
            "wea_vertices": sum(len(ring) - 1 for ring in found.wea_polygons),
            "overshoot": round(found.overshoot, 4),
        }
        emit(data, as_json, lambda: _area_table(found))


def _parse_time(text: str, field: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not an ISO 8601 time", field=field) from None
    if when.tzinfo is None:
        raise InvalidInput(
            "give a time zone (e.g. 2026-11-24T02:40:00-06:00); naive times are ambiguous",
            field=field,
        )
    return when


def _envelope_row(e: Envelope) -> dict[str, Any]:
    return {
        "at": e.at.isoformat(),
        "radius_km": round(e.radius_km, 1),
        "counties": [c.fips for c in e.counties],
        "states": e.states,
        "flag_for_cross_state_request": e.flagged_states,
    }


@app.command()
def envelope(
    lat: Annotated[float, typer.Option(help="Last known latitude.")],
    lon: Annotated[float, typer.Option(help="Last known longitude.")],
    seen_at: Annotated[str, typer.Option(help="When last seen (ISO 8601 with zone).")],
    heading: Annotated[str | None, typer.Option(help="Degrees or 'northbound', 'SW', …")] = None,
    speed: Annotated[float, typer.Option(help="Assumed speed, mph.")] = 65.0,
    at: Annotated[str | None, typer.Option(help="Envelope time (default: now).")] = None,
    every: Annotated[int, typer.Option(help="Widening schedule step, minutes.")] = 30,
    steps: Annotated[int, typer.Option(help="Steps in the widening schedule.")] = 4,
    as_json: JsonFlag = False,
) -> None:
    """Where the suspect could be by now, and a widening schedule; other states flagged."""
    with reported_errors(as_json):
        seen = _parse_time(seen_at, "seen_at")
        start = _parse_time(at, "at") if at else datetime.now(UTC)
        schedule = widening_schedule(
            lat=lat,
            lon=lon,
            seen_at=seen,
            start=start,
            every=timedelta(minutes=every),
            steps=steps,
            speed_mph=speed,
            heading=parse_heading(heading),
        )

        def human() -> None:
            print_table(
                "travel envelope and widening schedule",
                [
                    Col("at"),
                    Col("radius km"),
                    Col("counties"),
                    Col("states", prose=True),
                    Col("ask (cross-state)", prose=True),
                ],
                [
                    (
                        e.at.isoformat(timespec="minutes"),
                        f"{e.radius_km:,.0f}",
                        str(len(e.counties)),
                        ", ".join(e.states),
                        ", ".join(e.flagged_states) or "—",
                    )
                    for e in schedule
                ],
            )

        emit({"schedule": [_envelope_row(e) for e in schedule]}, as_json, human)


@app.command("zip")
def zip_(
    code: Annotated[str, typer.Argument(metavar="ZIP", help="A 5-digit ZIP code.")],
    as_json: JsonFlag = False,
) -> None:
    """The county and coordinates of a ZIP code."""
    with reported_errors(as_json):
        found = zip_lookup(code)
        data = {
            "zip": found.zip,
            "city": found.city,
            "county": found.county.name,
            "fips": found.county.fips,
            "state": found.county.state,
            "lat": found.lat,
            "lon": found.lon,
        }
        emit(
            data,
            as_json,
            lambda: console.print(
                f"{found.zip} {found.city}, {found.county.name} County ({found.county.fips}), "
                f"{found.county.state} — {found.lat}, {found.lon}"
            ),
        )
