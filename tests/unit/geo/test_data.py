"""The shipped data files say where they came from, and rebuild byte for byte."""

from __future__ import annotations

import gzip
import json
from importlib.resources import files

import pytest

DATA = files("bluealert.geo") / "data"


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("counties.json.gz", "npm us-atlas@3 (version 3.0.1), counties-10m.json"),
        ("zips.json.gz", "PyPI package zipcodes (version 3.0.0;"),
    ],
)
def test_each_data_file_names_its_source_and_version(name: str, source: str) -> None:
    assert source in json.loads(gzip.decompress((DATA / name).read_bytes()))["source"]


@pytest.mark.parametrize("name", ["counties.json.gz", "zips.json.gz"])
def test_data_files_carry_no_build_time(name: str) -> None:
    """A gzip header holds a timestamp; the build writes none, so a rebuild from the same
    sources changes nothing in git."""
    header = (DATA / name).read_bytes()[:10]
    assert header[4:8] == b"\0\0\0\0"
