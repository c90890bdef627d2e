"""RFC 9457 problem details, mapped in this one place from the one BlueAlertError tree.

Every refusal names the field and the rule. Bad input is never a 500: pydantic's validation
errors (of a body, a query or a domain model built in a route) are 422s listing each field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException

from bluealert.errors import (
    AccountLocked,
    AuditTampered,
    BlueAlertError,
    CriteriaNotMet,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    StaleVersion,
    StoreUnavailable,
    TooManyRequests,
    TransitionRefused,
    rule_of,
)
from bluealert.logs import get_logger

PROBLEM_JSON = "application/problem+json"
log = get_logger("bluealert.web")

# Most specific first: the first class an error is an instance of decides its status.
STATUS_OF: tuple[tuple[type[BlueAlertError], int, str], ...] = (
    (CriteriaNotMet, 409, "criteria-not-met"),
    (StaleVersion, 409, "stale-version"),
    (TransitionRefused, 409, "transition-refused"),
    (InvalidInput, 422, "invalid-input"),
    (NotFound, 404, "not-found"),
    (PreconditionFailed, 412, "precondition-failed"),
    (PreconditionRequired, 428, "precondition-required"),
    (AccountLocked, 423, "account-locked"),
    (NotAuthenticated, 401, "not-authenticated"),
    (TooManyRequests, 429, "too-many-requests"),
    (NotAllowed, 403, "not-allowed"),
    (StoreUnavailable, 503, "store-unavailable"),
    (AuditTampered, 409, "audit-tampered"),
)


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the field, e.g. incident.occurred_at.")
    rule: str = Field(description="The rule it breaks, in words.")


class Problem(BaseModel):
    """An RFC 9457 problem details object, with the field and the rule that was broken."""

    type: str = Field(description="A URI reference naming the kind of problem.")
    title: str
    status: int
    detail: str
    instance: str | None = None
    field: str | None = None
    errors: list[FieldProblem] = []
    reasons: list[str] = Field(default=[], description="Each unmet blocking criterion.")
    current_version: int | None = Field(
        default=None, description="The alert's current version, when a change was based on another."
    )
    request_id: str | None = None


def problem_response(
    request: Request,
    status: int,
    slug: str,
    detail: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    title = slug.replace("-", " ").capitalize()
    body = Problem(
        type=f"/problems/{slug}",
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=getattr(request.state, "request_id", None),
        **extra,
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_defaults=True) | {"type": body.type},
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


# A rule across fields (a model validator) names its field first: "lat: a point gives both".
NAMED_RULE = re.compile(r"^(?P<field>[a-z_][a-z0-9_.]*): (?P<rule>.+)$", re.DOTALL)


def _field_problems(errors: list[Any]) -> list[FieldProblem]:
    found = []
    for error in errors:
        where = [str(p) for p in error.get("loc", ())]
        if where and where[0] in ("body", "query", "path", "header", "cookie"):
            where = where[1:]
        rule = rule_of(error["msg"])
        named = NAMED_RULE.match(rule)
        if named:
            where, rule = [*where, named["field"]], named["rule"]
        found.append(FieldProblem(field=".".join(where) or "body", rule=rule))
    return found


async def _blue_alert_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, BlueAlertError)
    status, slug = 400, "bad-request"
    for kind, code, name in STATUS_OF:
        if isinstance(error, kind):
            status, slug = code, name
            break
    extra: dict[str, Any] = {"field": error.field} if error.field else {}
    if isinstance(error, CriteriaNotMet):
        extra["reasons"] = error.reasons
    if isinstance(error, StaleVersion):
        extra["current_version"] = error.current
    if isinstance(error, InvalidInput) and error.field:
        extra["errors"] = [FieldProblem(field=error.field, rule=error.message)]
    return problem_response(request, status, slug, str(error), headers=_headers(error), **extra)


def _headers(error: BlueAlertError) -> dict[str, str]:
    if isinstance(error, AccountLocked | TooManyRequests):
        return {"retry-after": str(error.retry_after)}
    if isinstance(error, NotAuthenticated):
        return {"www-authenticate": 'Bearer realm="bluealert"'}
    return {}


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError | ValidationError)
    problems = _field_problems(list(error.errors()))
    detail = "; ".join(f"{p.field}: {p.rule}" for p in problems)
    first = problems[0].field if problems else None
    return problem_response(request, 422, "invalid-input", detail, field=first, errors=problems)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    slug = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
    return problem_response(
        request, error.status_code, slug, str(error.detail), headers=error.headers
    )


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected_error", extra={"request_id": request.state.request_id})
    return problem_response(request, 500, "internal-error", "an unexpected error; it was logged")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(BlueAlertError, _blue_alert_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
