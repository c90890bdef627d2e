"""Hypothesis strategies for valid alert contents (fictional, varied, sometimes awkward)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from bluealert.domain.content import AlertContent
from bluealert.domain.vocabulary import AlertKind
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
WORDS = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N"], exclude_characters="\x00"),
    min_size=1,
    max_size=14,
)
PHRASE = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
PLATE = st.from_regex(r"[A-Z0-9?]{2,7}\*?", fullmatch=True)
TEXAS_PLACES = [
    (32.78, -96.80),
    (29.76, -95.37),
    (30.27, -97.74),
    (29.42, -98.49),
    (31.76, -106.49),
    (33.58, -101.86),
    (35.22, -101.83),
    (27.80, -97.40),
]
COUNTY = st.integers(0, 253).map(lambda n: f"48{2 * n + 1:03d}")  # Texas: 254 odd codes


def _vehicle() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "year": st.integers(1950, 2027),
            "make": st.sampled_from(["Ford", "Chevrolet", "Toyota", "Mercedes-Benz", "Kia"]),
            "model": PHRASE,
            "color": st.sampled_from(["grey", "black", "white", "dark blue", "rojo", "verde"]),
            "body_style": PHRASE,
            "plate": st.fixed_dictionaries(
                {"number": PLATE}, optional={"state": st.sampled_from(["TX", "OK"])}
            ),
            "direction_of_travel": st.sampled_from(
                ["northbound I-35", "west on US-380", "unknown"]
            ),
        },
    )


def _suspect() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "name": PHRASE,
            "sex": st.sampled_from(["male", "female", "unknown"]),
            "race": PHRASE,
            "age": st.integers(14, 90),
            "clothing": PHRASE,
            "armed_and_dangerous": st.booleans(),
        },
    )


def _area() -> st.SearchStrategy[dict[str, Any]]:
    circle = st.builds(
        lambda centre, radius: {"lat": centre[0], "lon": centre[1], "radius_km": radius},
        st.sampled_from(TEXAS_PLACES),
        st.floats(1, 300),
    )
    return st.fixed_dictionaries(
        {"counties": st.lists(COUNTY, min_size=1, max_size=31, unique=True)},
        optional={"circles": st.lists(circle, max_size=2)},
    )


@st.composite
def alert_contents(draw: st.DrawFn) -> AlertContent:
    overrides = {
        "kind": draw(
            st.sampled_from([AlertKind.OFFICER_KILLED, AlertKind.OFFICER_SERIOUSLY_INJURED])
        ).value,
        "status": draw(st.sampled_from(["Actual", "Exercise", "Test"])),
        "suspects": draw(st.lists(_suspect(), max_size=2)),
        "vehicles": draw(st.lists(_vehicle(), max_size=2)),
        "contact": draw(PHRASE),
        "area": draw(_area()),
        "expires_at": (NOW + timedelta(minutes=draw(st.integers(5, 48 * 60)))).isoformat(),
    }
    return f.alert_content(NOW, **overrides)
