"""Geo benchmark: find the subscribers of an alert among millions, from the database.

Loads N synthetic subscriptions spread over the US (points placed uniformly over land, 1% of
them whole-county subscriptions) into SQLite and/or PostgreSQL, then measures, each in a
fresh process so that its peak memory is its own:
  - a 20-county alert (Dallas County and the 19 counties nearest it): indexed county lookup;
  - a polygon alert across the Dallas-Fort Worth area: lookup plus exact refinement;
  - the baseline: a bare NumPy/shapely scan of all the same points held in memory.
Prints medians of several rounds, ratios to the baseline, and ends with name=value lines.

Run: .venv/bin/python bench/geo.py [--subscriptions 10000000] [--database sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import shapely

from bluealert.app.context import open_app
from bluealert.app.subscriptions import match_subscribers
from bluealert.config import Settings
from bluealert.domain.content import AreaRequest
from bluealert.geo.areas import area_geometry, forget_normalised_areas
from bluealert.geo.counties import atlas, neighbours
from bluealert.geo.frame import lons_to_frame
from bluealert.store import migrate
from bluealert.store.subscriptions import candidates_query

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
BENCH_DB = "bluealert_bench"
POLYGON = [(32.55, -97.55), (33.25, -97.45), (33.35, -96.45), (32.6, -96.35), (32.55, -97.55)]
CHUNK = 200_000


def twenty_counties() -> list[str]:
    """Dallas County and its nearest neighbours, breadth first: a regional alert."""
    chosen, frontier = ["48113"], ["48113"]
    while len(chosen) < 20:
        frontier = [n for f in frontier for n in neighbours(f) if n not in chosen]
        chosen += sorted(set(frontier))[: 20 - len(chosen)]
    return chosen


def synthetic_points(count: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points uniform over land: each county gets a share by area, rejection-sampled inside
    (county shapes are in the geo frame; the points are stored in ordinary longitudes)."""
    rng = np.random.default_rng(seed)
    counties = list(atlas().counties.values())
    areas = np.array([c.geometry.area * np.cos(np.radians(c.centroid[0])) for c in counties])
    per_county = rng.multinomial(count, areas / areas.sum())
    lats, lons, fips = [], [], []
    for found, n in zip(counties, per_county, strict=True):
        if n == 0:
            continue
        minx, miny, maxx, maxy = found.geometry.bounds
        kept_x: list[np.ndarray] = []
        have = 0
        while have < n:
            xs = rng.uniform(minx, maxx, 2 * n + 16)
            ys = rng.uniform(miny, maxy, 2 * n + 16)
            inside = shapely.contains_xy(found.geometry, xs, ys)
            kept_x.append(np.column_stack([xs[inside], ys[inside]]))
            have += int(inside.sum())
        points = np.concatenate(kept_x)[:n]
        lons.append(np.where(points[:, 0] < -180, points[:, 0] + 360, points[:, 0]))
        lats.append(points[:, 1])
        fips.append(np.full(n, found.fips))
    return np.concatenate(lats), np.concatenate(lons), np.concatenate(fips)


def _rows(
    lats: np.ndarray, lons: np.ndarray, fips: np.ndarray, start: int, stop: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    subscriptions, reach = [], []
    for i in range(start, stop):
        whole_county = i % 100 == 0
        kind = "county" if whole_county else "point"
        lat, lon = (None, None) if whole_county else (float(lats[i]), float(lons[i]))
        subscriptions.append(
            (
                i + 1,
                "email",
                f"s{i + 1}@example.test",
                kind,
                str(fips[i]) if whole_county else "",
                lat,
                lon,
                None,
            )
        )
        reach.append((str(fips[i]), i + 1, not whole_county))
    return subscriptions, reach


def load_sqlite(path: Path, data: tuple[np.ndarray, ...]) -> str:
    url = f"sqlite:///{path}"
    ctx = open_app(Settings(database_url=url))
    migrate.upgrade(ctx.engine)
    ctx.engine.dispose()
    import sqlite3

    connection = sqlite3.connect(path)
    connection.executescript(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
        "DROP INDEX IF EXISTS ix_subscription_counties_subscription;"
    )
    count = len(data[0])
    for start in range(0, count, CHUNK):
        subs, reach = _rows(*data, start, min(count, start + CHUNK))
        connection.executemany(
            "INSERT INTO subscriptions (id, channel, address, place_kind, place, lat, lon, "
            "radius_km, created_at, confirmed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '2026-11-24 00:00:00', '2026-11-24 00:00:00')",
            subs,
        )
        connection.executemany(
            "INSERT INTO subscription_counties (county_fips, subscription_id, partial) "
            "VALUES (?, ?, ?)",
            reach,
        )
    connection.execute(
        "CREATE INDEX ix_subscription_counties_subscription "
        "ON subscription_counties (subscription_id)"
    )
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()
    return url


def load_postgres(data: tuple[np.ndarray, ...]) -> str:
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{BENCH_DB}"
    ctx = open_app(Settings(database_url=url))
    migrate.upgrade(ctx.engine)
    ctx.engine.dispose()
    count = len(data[0])
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{BENCH_DB}") as connection:
        connection.execute(
            "ALTER TABLE subscription_counties DROP CONSTRAINT pk_subscription_counties"
        )
        connection.execute(
            "ALTER TABLE subscription_counties DROP CONSTRAINT "
            "fk_subscription_counties_subscription_id_subscriptions"
        )
        connection.execute("DROP INDEX ix_subscription_counties_subscription")
        for start in range(0, count, CHUNK):
            subs, reach = _rows(*data, start, min(count, start + CHUNK))
            with connection.cursor().copy(
                "COPY subscriptions (id, channel, address, place_kind, place, lat, lon, "
                "radius_km, created_at, confirmed_at) FROM STDIN"
            ) as copy:
                for row in subs:
                    copy.write_row((*row, "2026-11-24 00:00:00+00", "2026-11-24 00:00:00+00"))
            with connection.cursor().copy(
                "COPY subscription_counties (county_fips, subscription_id, partial) FROM STDIN"
            ) as copy:
                for row in reach:
                    copy.write_row(row)
        connection.execute(
            "ALTER TABLE subscription_counties ADD CONSTRAINT "
            "pk_subscription_counties PRIMARY KEY (county_fips, subscription_id)"
        )
        connection.execute(
            "CREATE INDEX ix_subscription_counties_subscription ON "
            "subscription_counties (subscription_id)"
        )
        connection.execute("SELECT setval('subscriptions_id_seq', %s)", (count,))
        connection.commit()
        connection.execute("ANALYZE")
    return url


def _areas() -> dict[str, AreaRequest]:
    return {
        "twenty_counties": AreaRequest(counties=twenty_counties()),
        "polygon": AreaRequest(polygons=[POLYGON]),
    }


def query_plan(url: str) -> list[str]:
    """How the database finds the subscribers of the 20-county alert: EXPLAIN of the query as
    the repository runs it (on PostgreSQL through a cursor, planned for its first rows)."""
    ctx = open_app(Settings(database_url=url))
    counties = twenty_counties()
    query = candidates_query(counties, counties)
    sql = str(query.compile(ctx.engine, compile_kwargs={"literal_binds": True}))
    sqlite = ctx.engine.dialect.name == "sqlite"
    explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN DECLARE candidates CURSOR FOR "
    with ctx.engine.begin() as connection:
        rows = connection.exec_driver_sql(explain + sql)
        plan = [str(row[-1] if sqlite else row[0]) for row in rows]
    ctx.engine.dispose()
    return plan


def peak_rss_mib() -> float:
    """This process's own high-water RSS (VmHWM). Not ru_maxrss: Linux carries the parent's
    high-water mark across fork and exec into it, which would count the loader's memory."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_matching(url: str, rounds: int) -> dict[str, Any]:
    """In this (fresh) process: median seconds and matches per alert, and the peak RSS."""
    ctx = open_app(Settings(database_url=url))
    result: dict[str, Any] = {}
    for name, area in _areas().items():
        times, found = [], 0
        for _ in range(rounds):
            forget_normalised_areas()  # each round is a new alert: its area is normalised anew
            start = time.perf_counter()
            found = sum(len(batch) for batch in match_subscribers(ctx, area))
            times.append(time.perf_counter() - start)
        result[name] = {"seconds": statistics.median(times), "matches": found}
    result["peak_rss_mib"] = peak_rss_mib()
    return result


def measure_scan(points_file: str, rounds: int) -> dict[str, Any]:
    """The baseline: every point in memory, one vectorised shapely test per alert."""
    loaded = np.load(points_file)
    lats, lons = loaded["lats"], lons_to_frame(loaded["lons"])  # once, outside the timing
    result: dict[str, Any] = {}
    for name, area in _areas().items():
        shape = area_geometry(area)
        shapely.prepare(shape)
        times, found = [], 0
        for _ in range(rounds):
            start = time.perf_counter()
            found = int(shapely.contains_xy(shape, lons, lats).sum())
            times.append(time.perf_counter() - start)
        result[name] = {"seconds": statistics.median(times), "matches": found}
    result["peak_rss_mib"] = peak_rss_mib()
    return result


def _child(mode: str, target: str, rounds: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--target", target, "--rounds", str(rounds)],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscriptions", type=int, default=10_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", choices=["match", "scan"])
    parser.add_argument("--target")
    args = parser.parse_args()
    if args.child:
        measure = measure_matching if args.child == "match" else measure_scan
        print(json.dumps(measure(args.target, args.rounds)))
        return
    started = time.perf_counter()
    data = synthetic_points(args.subscriptions)
    print(
        f"generated {args.subscriptions:,} subscriptions in {time.perf_counter() - started:.1f} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        points_file = os.path.join(tmp, "points.npz")
        np.savez(points_file, lats=data[0], lons=data[1])
        scan = _child("scan", points_file, args.rounds)
        backends = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
        summary: dict[str, float] = {}
        for backend in backends:
            started = time.perf_counter()
            url = (
                load_sqlite(Path(tmp) / "bench.db", data)
                if backend == "sqlite"
                else load_postgres(data)
            )
            print(f"{backend}: loaded in {time.perf_counter() - started:.1f} s")
            for line in query_plan(url):
                print(f"{backend}: plan: {line}")
            matched = _child("match", url, args.rounds)
            for name in ("twenty_counties", "polygon"):
                seconds, base = matched[name]["seconds"], scan[name]["seconds"]
                print(
                    f"{backend}: {name}: {seconds * 1000:8.1f} ms for "
                    f"{matched[name]['matches']:,} subscribers (scan of all points "
                    f"{base * 1000:.1f} ms for {scan[name]['matches']:,} points; "
                    f"ratio {seconds / base:.2f})"
                )
                summary[f"{backend}_{name}_s"] = seconds
                summary[f"{backend}_{name}_vs_scan"] = seconds / base
            print(
                f"{backend}: peak memory of the matching process {matched['peak_rss_mib']:.0f} MiB"
            )
            summary[f"{backend}_peak_rss_mib"] = matched["peak_rss_mib"]
        if "postgresql" in backends:
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    print(f"scan baseline peak memory {scan['peak_rss_mib']:.0f} MiB")
    summary["scan_twenty_counties_s"] = scan["twenty_counties"]["seconds"]
    summary["scan_polygon_s"] = scan["polygon"]["seconds"]
    summary["subscriptions"] = args.subscriptions
    for name, value in summary.items():
        print(f"{name}={value:.4f}" if isinstance(value, float) else f"{name}={value}")


if __name__ == "__main__":
    main()
