"""Rebuild src/bluealert/geo/data/ from the Census cartographic boundaries in us-atlas@3.

Source: the npm package `us-atlas` (version 3), file `counties-10m.json` — the US Census
Bureau's cartographic boundary files (1:10,000,000), as TopoJSON in longitude/latitude — and
the PyPI package `zipcodes` for ZIP code centroids. Both are fetched here, at build time only;
the built files are committed so nothing is downloaded at run time.

Run: .venv/bin/python scripts/build_geo_data.py   (needs npm and network access to the
registries; installs the pinned `zipcodes` into the virtual environment if missing). The
output is byte for byte the same on every run (gzip without a timestamp), so a rebuild from
the same sources leaves git with nothing to commit.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from importlib import metadata
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "src" / "bluealert" / "geo" / "data"
PACKAGE = "us-atlas@3"
ZIPCODES = "zipcodes==3.0.0"


def fetch_topology() -> tuple[dict[str, Any], str]:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True
        )
        [tarball] = Path(tmp).glob("us-atlas-*.tgz")
        with tarfile.open(tarball) as archive:
            archive.extractall(tmp, filter="data")
        package = json.loads((Path(tmp) / "package" / "package.json").read_text())
        topology = json.loads((Path(tmp) / "package" / "counties-10m.json").read_text())
        return topology, package["version"]


def adjacency(geometries: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Counties that share a TopoJSON arc share a border."""
    users: dict[int, set[str]] = defaultdict(set)
    for geometry in geometries:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                for arc in ring:
                    users[arc if arc >= 0 else ~arc].add(geometry["id"])
    neighbours: dict[str, set[str]] = defaultdict(set)
    for fips_set in users.values():
        for fips in fips_set:
            neighbours[fips] |= fips_set - {fips}
    return {fips: sorted(found) for fips, found in sorted(neighbours.items())}


def zip_codes() -> tuple[list[dict[str, Any]], str]:
    """The ZIP codes with a centroid, and the version of the package they came from."""
    try:
        import zipcodes
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", ZIPCODES], check=True)
        import zipcodes
    found = [z for z in zipcodes.list_all() if z.get("lat") and z.get("long")]
    return found, metadata.version("zipcodes")


def write(name: str, data: dict[str, Any]) -> None:
    text = json.dumps(data, separators=(",", ":")).encode()
    (OUT / name).write_bytes(gzip.compress(text, compresslevel=9, mtime=0))


def main() -> None:
    topology, version = fetch_topology()
    counties = topology["objects"]["counties"]["geometries"]
    states = {g["id"]: g["properties"]["name"] for g in topology["objects"]["states"]["geometries"]}
    data = {
        "source": f"US Census Bureau cartographic boundary files via npm {PACKAGE} "
        f"(version {version}), counties-10m.json",
        "transform": topology["transform"],
        "arcs": topology["arcs"],
        "counties": [
            {"fips": g["id"], "name": g["properties"]["name"], "arcs": g["arcs"], "type": g["type"]}
            for g in counties
        ],
        "states": states,
        "adjacency": adjacency(counties),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    write("counties.json.gz", data)
    raw, zipcodes_version = zip_codes()
    zips, by_name = map_zip_codes(raw)
    source = (
        f"PyPI package zipcodes (version {zipcodes_version}; ZIP centroid, city, state, county "
        "name); county FIPS by point in county, else by county name"
    )
    write("zips.json.gz", {"source": source, "zips": zips})
    print(
        f"{len(counties)} counties, {len(zips)} ZIP codes ({by_name} placed by county name) "
        f"written to {OUT}"
    )


def map_zip_codes(raw: list[dict[str, Any]]) -> tuple[dict[str, list[Any]], int]:
    """ZIP → [county FIPS, lat, lon, city]: the county containing the ZIP's centroid, else
    the county of the same name in the ZIP's state (centroids offshore or on a border)."""
    from bluealert.geo.counties import atlas, county_at

    names = {(c.state, c.name.lower()): c.fips for c in atlas().counties.values()}
    zips, by_name = {}, 0
    for z in raw:
        lat, lon = float(z["lat"]), float(z["long"])
        found = county_at(lat, lon)
        fips = found.fips if found and found.state == z["state"] else None
        if fips is None:
            name = (z.get("county") or "").lower()
            for suffix in (" county", " parish", " borough", " census area", " municipality"):
                name = name.removesuffix(suffix)
            fips = names.get((z["state"], name))
            by_name += fips is not None
        if fips is not None:
            zips[z["zip_code"]] = [fips, round(lat, 4), round(lon, 4), z["city"]]
    return zips, by_name


if __name__ == "__main__":
    main()
