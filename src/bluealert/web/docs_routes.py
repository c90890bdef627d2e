"""Interactive API docs at /api/docs, with Swagger UI's assets served by bluealert itself.

The assets come from the `fastapi-swagger` package (Swagger UI 5, which reads OpenAPI 3.1);
nothing is fetched from a CDN, and the page starts Swagger UI from a file, not inline script.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Annotated, Literal

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>bluealert API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/docs.js"></script>
</body>
</html>
"""
Asset = Literal["swagger-ui.css", "swagger-ui-bundle.js", "docs.js"]
MEDIA = {".css": "text/css", ".js": "text/javascript"}


def _read(name: str) -> bytes:
    if name == "docs.js":
        return (files("bluealert.web") / "static" / "docs.js").read_bytes()
    return (files("fastapi_swagger") / "resources" / name).read_bytes()


@router.get("/api/docs")
def docs_page() -> HTMLResponse:
    return HTMLResponse(PAGE)


@router.get("/api/docs/assets/{name}")
def docs_asset(name: Annotated[Asset, Path()]) -> Response:
    media = MEDIA["." + name.rsplit(".", 1)[1]]
    return Response(
        _read(name), media_type=media, headers={"cache-control": "public, max-age=86400"}
    )
