"""An area described as people write it: 'Collin, Dallas and Tarrant counties, Texas'."""

from __future__ import annotations

from collections import defaultdict

from bluealert.domain.jurisdictions import jurisdiction
from bluealert.geo.counties import County
from bluealert.geo.county_kinds import BARE, CITY, PLURALS

MAX_NAMED = 6


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def _kind_group(kind: str, names: list[str]) -> str:
    """'Dallas County', 'Collin and Dallas counties', 'the city of Richmond', 'Guam'."""
    if kind == CITY:
        return f"the {'city' if len(names) == 1 else 'cities'} of {_and(names)}"
    if kind == BARE:
        return _and(names)
    return f"{_and(names)} {kind if len(names) == 1 else PLURALS[kind]}"


def _in_one_state(counties: list[County]) -> str:
    shown, rest = counties[:MAX_NAMED], len(counties) - MAX_NAMED
    kinds = {c.kind for c in counties}
    if rest > 0 and len(kinds) == 1 and CITY not in kinds and BARE not in kinds:
        return f"{', '.join(c.name for c in shown)} and {rest} other {PLURALS[kinds.pop()]}"
    by_kind: dict[str, list[str]] = defaultdict(list)
    for found in shown:
        by_kind[found.kind].append(found.name)
    listed = _and([_kind_group(kind, names) for kind, names in by_kind.items()])
    return listed + (f" and {rest} more" if rest > 0 else "")


def describe(counties: list[County], whole_states: list[str]) -> str:
    """'Dallas, Tarrant and Collin counties, Texas; Bryan County, Oklahoma'; 'Arlington
    County and the city of Falls Church, Virginia'; a whole state by its name alone."""
    by_state: dict[str, list[County]] = defaultdict(list)
    for one in counties:
        by_state[one.state].append(one)
    parts = []
    for state, found in by_state.items():
        name = jurisdiction(state).name
        alone = state in whole_states or [c.name for c in found] == [name]  # part of Guam
        parts.append(name if alone else f"{_in_one_state(found)}, {name}")
    return "; ".join(parts)
