"""The HTTP layer: the JSON API, public endpoints and feeds. The only layer importing FastAPI."""

from bluealert.web.app import create_app

__all__ = ["create_app"]
