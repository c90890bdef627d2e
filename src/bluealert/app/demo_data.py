"""Fictional agencies, people and an incident for the demo. Nothing here is real."""

from __future__ import annotations

from datetime import datetime, timedelta

from bluealert.app.context import AppContext
from bluealert.app.users import add_user, list_users
from bluealert.domain.content import AlertContent
from bluealert.domain.people import User
from bluealert.domain.vocabulary import Role

DEMO_AGENCY_ORI = "TX0579900"
DEMO_AGENCY = "Lone Prairie County Sheriff's Office (fictional)"


def _user(
    username: str, name: str, *roles: Role, ori: str | None = None, states: tuple[str, ...] = ()
) -> User:
    return User(
        username=username,
        display_name=name,
        roles=frozenset(roles),
        agency_ori=ori,
        states=frozenset(states),
    )


DEMO_USERS = (
    _user("dep.odell", "Deputy Sam Odell", Role.ORIGINATOR, ori=DEMO_AGENCY_ORI),
    _user("sgt.reyes", "Sgt. Ana Reyes", Role.SUPERVISOR, ori=DEMO_AGENCY_ORI),
    _user("tx.kim", "Lt. Dana Kim, Texas coordinator", Role.STATE_COORDINATOR, states=("TX",)),
    _user(
        "tx.patel", "Capt. Ravi Patel, Texas coordinator", Role.STATE_COORDINATOR, states=("TX",)
    ),
    _user("ok.lee", "Maj. Chris Lee, Oklahoma coordinator", Role.STATE_COORDINATOR, states=("OK",)),
    _user("natl.brooks", "J. Brooks, national coordinator", Role.NATIONAL_COORDINATOR),
    _user("admin", "Network administrator", Role.ADMIN),
)


DEMO_ADMIN = "admin"


def seed_demo_people(ctx: AppContext) -> list[User]:
    """Add the demo people a store lacks. An empty store gets its admin first (the audited
    bootstrap), who then adds the others; a store that has people needs the demo admin."""
    known = {u.username for u in list_users(ctx)}
    admin = next(u for u in DEMO_USERS if u.username == DEMO_ADMIN)
    if admin.username not in known:
        add_user(ctx, actor=None, user=admin)
    for user in DEMO_USERS:
        if user.username not in known | {DEMO_ADMIN}:
            add_user(ctx, actor=DEMO_ADMIN, user=user)
    return list(DEMO_USERS)


def demo_alert(now: datetime) -> AlertContent:
    """A deputy shot at a traffic stop near Denton, TX; the suspect fled north on I-35."""
    agency = {"ori": DEMO_AGENCY_ORI, "name": DEMO_AGENCY}
    return AlertContent.model_validate(
        {
            "kind": "officer_seriously_injured",
            "status": "Actual",
            "plan": "TX",
            "requesting_agency": agency,
            "incident": {
                "occurred_at": (now - timedelta(minutes=40)).isoformat(),
                "location": {
                    "description": "I-35E at Loop 288, Denton",
                    "lat": 33.1850,
                    "lon": -97.1000,
                },
                "narrative": "A deputy was shot during a traffic stop. The driver fled northbound.",
            },
            "officers": [
                {
                    "agency": agency,
                    "status": "seriously_injured",
                    "name": "Deputy Lee Fictional",
                    "identity_released": False,
                }
            ],
            "suspects": [
                {
                    "name": "Jordan Q. Sample",
                    "sex": "male",
                    "race": "white",
                    "age": "30-35",
                    "height_in": "70-72",
                    "weight_lb": 180,
                    "hair": "brown",
                    "eyes": "green",
                    "clothing": "black hoodie, blue jeans",
                    "marks": "scar over right eyebrow",
                    "weapon": "handgun",
                    "armed_and_dangerous": True,
                }
            ],
            "vehicles": [
                {
                    "year": 2018,
                    "make": "Ford",
                    "model": "F-150",
                    "color": "grey",
                    "body_style": "pickup",
                    "damage": "rear window shot out",
                    "plate": {"state": "TX", "number": "KZT4??1"},
                    "direction_of_travel": "northbound I-35",
                    "last_seen": {
                        "place": {
                            "description": "I-35 near Sanger",
                            "lat": 33.3632,
                            "lon": -97.1739,
                        },
                        "at": (now - timedelta(minutes=25)).isoformat(),
                    },
                }
            ],
            "contact": "Call 911 or the sheriff's tip line 940-555-0199",
            "area": {
                "counties": ["48121", "48097", "48337", "48181", "48113", "48439"],
                "circles": [{"lat": 33.3632, "lon": -97.1739, "radius_km": 60}],
            },
            "law_enforcement_notes": "Suspect has an active felony warrant (fictional NCIC entry).",
        }
    )
