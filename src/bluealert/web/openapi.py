"""The OpenAPI 3.1 document: FastAPI's, with every error answer declared as RFC 9457 problem
details (`application/problem+json`), the errors any route can give, and the two ways to sign
in as security schemes."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from bluealert.web.problems import PROBLEM_JSON, Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
COMMON_ERRORS = {
    "401": "Not signed in, or the session or key is no longer valid",
    "403": "Not allowed: the role, agency or state, a CSRF token, or a domain rule",
    "404": "No such thing",
    "413": "The request body is larger than the limit",
    "422": "Bad input, naming the field and the rule",
    "429": "Too many requests (Retry-After)",
    "503": "The database is not reachable",
}


def _problem_answers(operation: dict[str, Any]) -> None:
    answers = operation.setdefault("responses", {})
    for status, description in COMMON_ERRORS.items():
        answers.setdefault(status, {"description": description})
    for status, answer in answers.items():
        if status.isdigit() and int(status) >= 400:
            answer["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    document["components"]["securitySchemes"] = {
        "session": {"type": "apiKey", "in": "cookie", "name": "bluealert_session"},
        "apiKey": {"type": "http", "scheme": "bearer", "description": "bak_<id>_<secret>"},
    }
    for path in document.get("paths", {}).values():
        for operation in path.values():
            _problem_answers(operation)
    app.openapi_schema = document
    return document
