"""The alert lifecycle for law enforcement: draft, check, submit, approve, reject, return,
update, renew, cancel, resolve; the restricted view; every rendering of a version; photos.

Each route calls one `app` use case; who may call it is in `rules.RULES`, and the domain's
rules (two-person rule, attestations, plan roles) apply inside the use case.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from bluealert.app import alerts as use_cases
from bluealert.app import tips
from bluealert.app.photos import add_photo, read_photo
from bluealert.app.renderings import MEDIA_TYPES, VERSION_FORMATS, render_version
from bluealert.domain.alert import Alert
from bluealert.domain.content import PhotoRef
from bluealert.domain.jurisdictions import jurisdiction
from bluealert.domain.vocabulary import AlertState, Role
from bluealert.errors import InvalidInput, PreconditionFailed, PreconditionRequired
from bluealert.web.auth import CurrentPrincipal
from bluealert.web.http import conditional
from bluealert.web.pagination import CursorQuery, LimitQuery, page
from bluealert.web.principal import Principal
from bluealert.web.problems import Problem
from bluealert.web.schemas.alerts import (
    AlertDraft,
    AlertRestricted,
    AlertsRestricted,
    AlertUpdate,
    CriteriaEvaluation,
    ReasonGiven,
    Resolving,
    Submission,
    SubmissionResult,
)
from bluealert.web.state import StateDep, WebState

router = APIRouter(prefix="/api/v1", tags=["alerts"])

ReferencePath = Annotated[str, Path(description="Alert reference or id.", max_length=40)]
REFUSALS: dict[int | str, dict[str, Any]] = {
    403: {"model": Problem, "description": "Not your role, agency or state; or a domain rule"},
    404: {"model": Problem, "description": "No such alert"},
    409: {"model": Problem, "description": "The lifecycle does not allow this step now"},
    422: {"model": Problem, "description": "Bad input, naming the field and the rule"},
}


def alert_etag(alert: Alert) -> str:
    """Changes whenever the alert does: its state, its version, and a revised draft."""
    version = alert.current
    stamp = int(version.created_at.timestamp() * 1_000_000)
    return f'"{alert.id}-{alert.state.value}-v{version.number}-{stamp:x}"'


def restricted_etag(alert: Alert, unreviewed_tips: int) -> str:
    """The restricted view's: the alert's, and its count of unreviewed tips (If-Match, which
    asks whether the alert changed, looks at the alert's part only)."""
    return f'{alert_etag(alert)[:-1]}-t{unreviewed_tips}"'


def _restricted_view(web: WebState, alert: Alert) -> tuple[bytes, str]:
    """The restricted view's body and ETag."""
    unreviewed = tips.unreviewed_tips(web.ctx, [alert.id])[alert.id]
    body = AlertRestricted.of(alert, unreviewed).model_dump_json().encode()
    return body, restricted_etag(alert, unreviewed)


def _restricted(web: WebState, alert: Alert, status: int = 200) -> Response:
    body, etag = _restricted_view(web, alert)
    headers = {"etag": etag, "location": f"/api/v1/alerts/{alert.reference}"}
    return Response(body, status_code=status, media_type="application/json", headers=headers)


@router.post(
    "/alerts",
    response_model=AlertRestricted,
    status_code=201,
    responses=REFUSALS,
    summary="Draft an alert",
)
def draft_alert(body: AlertDraft, principal: CurrentPrincipal, web: StateDep) -> Response:
    """Photos are named by the `sha256` that `POST /api/v1/photos` returned."""
    alert = use_cases.draft_alert(web.ctx, actor=principal.username, content=body.content())
    return _restricted(web, alert, 201)


def _visible(principal: Principal, alert: Alert) -> bool:
    """Whether the principal's roles reach this alert (the listing shows only those)."""
    roles = principal.roles
    if Role.NATIONAL_COORDINATOR.value in roles:
        return True
    if Role.STATE_COORDINATOR.value in roles and alert.plan in principal.states:
        return True
    agency_roles = {Role.ORIGINATOR.value, Role.SUPERVISOR.value}
    return (
        bool(roles & agency_roles) and alert.content.requesting_agency.ori == principal.agency_ori
    )


@router.get(
    "/restricted/alerts",
    response_model=AlertsRestricted,
    summary="Alerts your role reaches, with every law-enforcement fact",
)
def list_restricted_alerts(
    principal: CurrentPrincipal,
    web: StateDep,
    state: Annotated[list[AlertState] | None, Query(description="Lifecycle states.")] = None,
    plan: Annotated[str | None, Query(max_length=2, description="A state's plan.")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 100,
) -> AlertsRestricted:
    if plan is not None:
        jurisdiction(plan)  # an unknown state is refused by name
    found = use_cases.list_alerts(web.ctx, states=state or [], plan=plan)
    visible = [a for a in found if _visible(principal, a)]
    chosen, next_cursor = page(visible, lambda a: a.id, cursor, limit)
    counts = tips.unreviewed_tips(web.ctx, [a.id for a in chosen])
    return AlertsRestricted(
        alerts=[AlertRestricted.of(a, counts[a.id]) for a in chosen], next_cursor=next_cursor
    )


@router.get(
    "/alerts/{reference}/restricted",
    response_model=AlertRestricted,
    responses=REFUSALS,
    summary="One alert with every version and law-enforcement fact",
)
def get_restricted_alert(request: Request, reference: ReferencePath, web: StateDep) -> Response:
    alert = use_cases.get_alert(web.ctx, reference)
    body, etag = _restricted_view(web, alert)
    return conditional(request, body, "application/json", etag=etag, cache="private")


@router.put(
    "/alerts/{reference}",
    response_model=AlertRestricted,
    responses={
        **REFUSALS,
        409: {"model": Problem, "description": "Not at your base version, or a lifecycle rule"},
        412: {"model": Problem, "description": "Changed since your ETag"},
        428: {"model": Problem, "description": "Neither a base version nor If-Match was given"},
    },
    summary="Revise a draft, or publish a new version of an active alert",
)
def update_alert(
    request: Request,
    reference: ReferencePath,
    body: AlertUpdate,
    principal: CurrentPrincipal,
    web: StateDep,
    if_match: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """Name the version the update is based on: `base` in the body, or If-Match with the ETag
    of `GET /alerts/{ref}/restricted`. Both are checked on the alert locked in the update's own
    transaction, so of two updates from the same base only the first publishes."""
    if body.base is None and if_match is None:
        raise PreconditionRequired(
            "name the version this update is based on: base (its number) in the body, or the "
            "alert's ETag as If-Match",
            field="base",
        )
    alert = use_cases.update_alert(
        web.ctx,
        actor=principal.username,
        key=reference,
        content=body.content.content(),
        note=body.note,
        base=body.base,
        precondition=partial(_require_etag, if_match) if if_match is not None else None,
    )
    return _restricted(web, alert)


def _require_etag(if_match: str, current: Alert) -> None:
    """RFC 9110 13.1.1: refuse (412) unless If-Match names the alert as it is now."""
    alert = alert_etag(current)
    with_tips = [t for t in if_match.split(",") if t.strip().startswith(alert[:-1] + "-t")]
    if not matches_any(if_match, alert) and not with_tips:
        raise PreconditionFailed(
            f"alert {current.reference} changed since that ETag (it is now version "
            f"{current.current.number}, {current.state.value}): fetch it again"
        )


def matches_any(header: str, etag: str) -> bool:
    tags = {t.strip() for t in header.split(",")}
    return "*" in tags or etag in tags


@router.get(
    "/alerts/{reference}/criteria",
    response_model=CriteriaEvaluation,
    responses=REFUSALS,
    summary="Check the alert against its plan's criteria",
)
def check_alert(reference: ReferencePath, web: StateDep) -> CriteriaEvaluation:
    return CriteriaEvaluation.of(use_cases.check_alert(web.ctx, reference))


@router.post(
    "/alerts/{reference}/submit",
    response_model=SubmissionResult,
    responses=REFUSALS,
    summary="Submit for approval, with the supervisor's attestations",
)
def submit_alert(
    reference: ReferencePath, body: Submission, principal: CurrentPrincipal, web: StateDep
) -> SubmissionResult:
    alert, evaluation = use_cases.submit_alert(
        web.ctx, actor=principal.username, key=reference, attest=body.attest
    )
    return SubmissionResult(
        alert=AlertRestricted.of(alert, tips.unreviewed_tips(web.ctx, [alert.id])[alert.id]),
        criteria=CriteriaEvaluation.of(evaluation),
    )


@router.post(
    "/alerts/{reference}/approve",
    response_model=AlertRestricted,
    responses=REFUSALS,
    summary="Approve and activate (a second person: the two-person rule)",
)
def approve_alert(reference: ReferencePath, principal: CurrentPrincipal, web: StateDep) -> Response:
    return _restricted(
        web, use_cases.approve_alert(web.ctx, actor=principal.username, key=reference)
    )


@router.post(
    "/alerts/{reference}/reject",
    response_model=AlertRestricted,
    responses=REFUSALS,
    summary="Reject a pending alert for good",
)
def reject_alert(
    reference: ReferencePath, body: ReasonGiven, principal: CurrentPrincipal, web: StateDep
) -> Response:
    alert = use_cases.reject_alert(
        web.ctx, actor=principal.username, key=reference, reason=body.reason
    )
    return _restricted(web, alert)


@router.post(
    "/alerts/{reference}/return",
    response_model=AlertRestricted,
    responses=REFUSALS,
    summary="Return a pending alert to its author",
)
def return_alert(
    reference: ReferencePath, body: ReasonGiven, principal: CurrentPrincipal, web: StateDep
) -> Response:
    alert = use_cases.return_alert(
        web.ctx, actor=principal.username, key=reference, reason=body.reason
    )
    return _restricted(web, alert)


@router.post(
    "/alerts/{reference}/renew",
    response_model=AlertRestricted,
    responses=REFUSALS,
    summary="Extend an active alert by its plan's longest duration",
)
def renew_alert(reference: ReferencePath, principal: CurrentPrincipal, web: StateDep) -> Response:
    alert = use_cases.renew_alert(web.ctx, actor=principal.username, key=reference)
    return _restricted(web, alert)


@router.post(
    "/alerts/{reference}/cancel",
    response_model=AlertRestricted,
    responses=REFUSALS,
    summary="Cancel an active alert",
)
def cancel_alert(
    reference: ReferencePath, body: ReasonGiven, principal: CurrentPrincipal, web: StateDep
) -> Response:
    alert = use_cases.cancel_alert(
        web.ctx, actor=principal.username, key=reference, reason=body.reason
    )
    return _restricted(web, alert)


@router.post(
    "/alerts/{reference}/resolve",
    response_model=AlertRestricted,
    responses=REFUSALS,
    summary="Resolve an active alert: suspect apprehended, officer located, …",
)
def resolve_alert(
    reference: ReferencePath, body: Resolving, principal: CurrentPrincipal, web: StateDep
) -> Response:
    alert = use_cases.resolve_alert(
        web.ctx,
        actor=principal.username,
        key=reference,
        resolution=body.resolution,
        note=body.note,
    )
    return _restricted(web, alert)


RENDERING_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {media.split(";")[0]: {} for media in MEDIA_TYPES.values()},
        "description": "The rendering, in its own media type",
    },
    **REFUSALS,
}


@router.get(
    "/alerts/{reference}/versions/{number}/{format}",
    response_class=Response,
    responses=RENDERING_RESPONSES,
    summary="One version in one format: signed CAP, restricted CAP, SAME header or audio, WEA, "
    "sign pages, teletype",
)
def render_alert_version(
    request: Request,
    reference: ReferencePath,
    number: Annotated[int, Path(ge=1, le=10_000)],
    format: Annotated[str, Path(description=f"One of {', '.join(VERSION_FORMATS)}.")],
    web: StateDep,
    sign: Annotated[str, Query(max_length=10, description="Sign profile for dms.")] = "3x18",
) -> Response:
    rendering = render_version(
        web.ctx, reference, format, web.tools, number=number, sign_profile=sign
    )
    return conditional(request, rendering.data, rendering.media_type, cache="private")


@router.post(
    "/photos",
    response_model=PhotoRef,
    status_code=201,
    responses={**REFUSALS, 413: {"model": Problem, "description": "Larger than the cap"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}}
                for t in ("image/jpeg", "image/png", "image/webp")
            },
        }
    },
    name="add_photo",
    summary="Add a suspect photo (JPEG, PNG or WebP; metadata is stripped)",
)
async def add_photo_route(request: Request, principal: CurrentPrincipal, web: StateDep) -> PhotoRef:
    data = await request.body()
    if not data:
        raise InvalidInput("send the image as the request body", field="body")
    return await run_in_threadpool(add_photo, web.ctx, actor=principal.username, data=data)


@router.get(
    "/photos/{sha256}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}}}},
    summary="A stored photo",
)
def get_photo(
    request: Request, sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")], web: StateDep
) -> Response:
    media_type, data = read_photo(web.ctx, sha256)
    return conditional(request, data, media_type, cache="private, max-age=86400")
