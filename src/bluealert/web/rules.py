"""Who may call each route: every route's rule, in this one table. No rule, no access.

A grant names a role and how far it reaches: everywhere, its own agency, or its own state
(of the alert or request the route is about). The domain's rules still apply on top (the
two-person rule, who may attest, which roles a plan lets request or activate).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bluealert.domain.tips import TIP_MAX_BODY_BYTES
from bluealert.domain.vocabulary import Role
from bluealert.web.principal import PARTNER


class Reach(StrEnum):
    ANYWHERE = "anywhere"
    OWN_AGENCY = "own agency"
    OWN_STATE = "own state"
    LAW_ENFORCEMENT_TIER = "law-enforcement tier"


class Target(StrEnum):
    """What a route is about, loaded from its path to check the reach."""

    ALERT = "alert"
    ACTIVATION_REQUEST = "activation request"


@dataclass(frozen=True)
class Grant:
    role: str
    reach: Reach = Reach.ANYWHERE


@dataclass(frozen=True)
class Rule:
    public: bool = False
    signed_in: bool = False  # any person or key that signed in
    grants: tuple[Grant, ...] = ()
    target: Target | None = None
    people_only: bool = False  # not with an API key (sessions, passwords, second factor)
    rate: str | None = None  # a rate-limit bucket for public writes and sign-in
    max_body: int | None = None  # a smaller request size limit than the API's own


def _g(role: Role | str, reach: Reach = Reach.ANYWHERE) -> Grant:
    return Grant(str(role), reach)


PUBLIC = Rule(public=True)
LOGIN = Rule(public=True, rate="login")
PUBLIC_WRITE = Rule(public=True, rate="public_write")
TIP = Rule(public=True, rate="public_write", max_body=TIP_MAX_BODY_BYTES)
SIGNED_IN = Rule(signed_in=True)
PERSON = Rule(signed_in=True, people_only=True)
ADMIN = Rule(grants=(_g(Role.ADMIN),))
ADMIN_OR_NATIONAL = Rule(grants=(_g(Role.ADMIN), _g(Role.NATIONAL_COORDINATOR)))
REQUESTERS = (
    _g(Role.ORIGINATOR),
    _g(Role.SUPERVISOR),
    _g(Role.STATE_COORDINATOR),
)  # the domain checks the agency of a new draft against the person's own
LAW_ENFORCEMENT = (*REQUESTERS, _g(Role.NATIONAL_COORDINATOR))
READ_ALERT = Rule(
    grants=(
        _g(Role.ORIGINATOR, Reach.OWN_AGENCY),
        _g(Role.SUPERVISOR, Reach.OWN_AGENCY),
        _g(Role.STATE_COORDINATOR, Reach.OWN_STATE),
        _g(Role.NATIONAL_COORDINATOR),
        _g(PARTNER, Reach.LAW_ENFORCEMENT_TIER),
    ),
    target=Target.ALERT,
)
READ_ALERT_PEOPLE = Rule(grants=READ_ALERT.grants[:-1], target=Target.ALERT)
CHANGE_DRAFT = Rule(
    grants=(
        _g(Role.ORIGINATOR, Reach.OWN_AGENCY),
        _g(Role.SUPERVISOR, Reach.OWN_AGENCY),
        _g(Role.STATE_COORDINATOR, Reach.OWN_STATE),
    ),
    target=Target.ALERT,
)
# Tips are law-enforcement data: the alert's agency and state, and national coordinators
# (no partner, whatever its tier).
TIPS = Rule(
    grants=(
        _g(Role.ORIGINATOR, Reach.OWN_AGENCY),
        _g(Role.SUPERVISOR, Reach.OWN_AGENCY),
        _g(Role.STATE_COORDINATOR, Reach.OWN_STATE),
        _g(Role.NATIONAL_COORDINATOR),
    ),
    target=Target.ALERT,
)
COORDINATE = Rule(grants=(_g(Role.STATE_COORDINATOR, Reach.OWN_STATE),), target=Target.ALERT)
END_ALERT = Rule(
    grants=(_g(Role.SUPERVISOR, Reach.OWN_AGENCY), _g(Role.STATE_COORDINATOR, Reach.OWN_STATE)),
    target=Target.ALERT,
)
ANSWER_REQUEST = Rule(
    grants=(_g(Role.STATE_COORDINATOR, Reach.OWN_STATE),), target=Target.ACTIVATION_REQUEST
)
COORDINATORS = Rule(grants=(_g(Role.STATE_COORDINATOR), _g(Role.NATIONAL_COORDINATOR)))
SUGGEST = Rule(
    grants=(_g(Role.STATE_COORDINATOR, Reach.OWN_STATE), _g(Role.NATIONAL_COORDINATOR)),
    target=Target.ALERT,
)

# Route name (its function's name) → rule. The authorisation matrix test reads this table.
RULES: dict[str, Rule] = {
    # operations and public
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "metrics": PUBLIC,
    "docs_page": PUBLIC,
    "docs_asset": PUBLIC,
    "openapi": PUBLIC,
    "list_public_alerts": PUBLIC,
    "list_active_alerts": PUBLIC,
    "get_public_alert": PUBLIC,
    "get_public_cap": PUBLIC,
    "get_cap_by_identifier": PUBLIC,
    "get_public_same_audio": PUBLIC,
    "get_public_photo": PUBLIC,
    "get_feed": PUBLIC,
    # signing in
    "log_in": LOGIN,
    "get_session": SIGNED_IN,
    "log_out": PERSON,
    "log_out_everywhere": PERSON,
    "change_password": PERSON,
    "start_totp_enrolment": PERSON,
    "confirm_totp": PERSON,
    # people and keys
    "list_users": ADMIN,
    "create_user": ADMIN,
    "get_user": ADMIN,
    "unlock_user": ADMIN,
    "end_user_sessions": ADMIN,
    "list_api_keys": ADMIN,
    "create_api_key": ADMIN,
    "revoke_api_key": ADMIN,
    # the alert lifecycle
    "draft_alert": Rule(grants=REQUESTERS),
    "list_restricted_alerts": Rule(grants=LAW_ENFORCEMENT),
    "get_restricted_alert": READ_ALERT,
    "update_alert": CHANGE_DRAFT,
    "check_alert": READ_ALERT_PEOPLE,
    "submit_alert": CHANGE_DRAFT,
    "approve_alert": COORDINATE,
    "reject_alert": COORDINATE,
    "return_alert": COORDINATE,
    "renew_alert": COORDINATE,
    "cancel_alert": END_ALERT,
    "resolve_alert": END_ALERT,
    "render_alert_version": READ_ALERT,
    "add_photo": Rule(grants=REQUESTERS),
    "get_photo": Rule(grants=LAW_ENFORCEMENT),
    # cross-state activation
    "suggest_states": SUGGEST,
    "request_activation": COORDINATE,
    "list_activation_requests": COORDINATORS,
    "accept_activation": ANSWER_REQUEST,
    "decline_activation": ANSWER_REQUEST,
    # plans, agencies, audit
    "list_plans": SIGNED_IN,
    "get_plan": SIGNED_IN,
    "get_agencies": Rule(
        grants=(_g(Role.ADMIN), _g(Role.NATIONAL_COORDINATOR), _g(Role.STATE_COORDINATOR))
    ),
    "export_audit_events": ADMIN_OR_NATIONAL,
    "verify_audit_log": ADMIN_OR_NATIONAL,
    # partners and subscriptions
    "list_partners": ADMIN_OR_NATIONAL,
    "get_partner": ADMIN_OR_NATIONAL,
    "add_partner": ADMIN,
    "disable_partner": ADMIN,
    "subscribe": PUBLIC_WRITE,
    "web_push_key": PUBLIC,
    "webhook_key": PUBLIC,
    "unsubscribe_by_token": PUBLIC_WRITE,
    # tips from the public
    "submit_tip": TIP,
    "list_tips": TIPS,
    "review_tip": TIPS,
    "list_subscriptions": ADMIN,
    "confirm_subscription": ADMIN,
    "remove_subscription": ADMIN,
    # deliveries
    "alert_deliveries": Rule(
        grants=(
            _g(Role.SUPERVISOR, Reach.OWN_AGENCY),
            _g(Role.STATE_COORDINATOR, Reach.OWN_STATE),
            _g(Role.NATIONAL_COORDINATOR),
            _g(Role.ADMIN),
        ),
        target=Target.ALERT,
    ),
    "list_dead_letters": ADMIN_OR_NATIONAL,
    "replay_dead_letters": ADMIN,
    "my_deliveries": Rule(grants=(_g(PARTNER),)),
}
