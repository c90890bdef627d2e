"""What commands share: the app context, the acting user, and reading alert files."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer

from bluealert.app.alerts import expire_due_alerts, get_alert
from bluealert.app.context import AppContext, open_app
from bluealert.app.database import schema_revision
from bluealert.app.photos import photo_ref
from bluealert.cli.documents import read_document
from bluealert.config import load_settings
from bluealert.domain.alert import Alert
from bluealert.domain.content import AlertContent
from bluealert.domain.photos import CheckedPhoto, check_photo
from bluealert.errors import InvalidAlert, InvalidPhoto

ActorOption = Annotated[
    str,
    typer.Option(
        "--as", envvar="BLUEALERT_USER", help="Who is acting (a username).", show_default=False
    ),
]

AlertArg = Annotated[
    str,
    typer.Argument(
        metavar="ALERT", help="The alert: its reference (TX-2026-0007) or id.", show_default=False
    ),
]


@cache
def app_context() -> AppContext:
    """The app, on a migrated database; active alerts past their expiry are expired first."""
    ctx = open_app(load_settings())
    if schema_revision(ctx) is None:
        raise InvalidAlert(
            "the database is not set up: run `bluealert db upgrade` first", field="database"
        )
    expire_due_alerts(ctx)
    return ctx


def load_alert(key: str) -> Alert:
    return get_alert(app_context(), key)


@dataclass(frozen=True)
class AlertFile:
    """A validated alert file and the checked photos it named by path (not yet stored)."""

    content: AlertContent
    photos: list[CheckedPhoto]


def read_alert_file(path: Path) -> AlertFile:
    """Validate an alert file; photo paths (relative to the file) are checked and referenced."""
    data = read_document(path)
    if not isinstance(data, dict):
        raise InvalidAlert("an alert file holds one mapping of fields", field="file")
    photos = _check_photo_paths(data, path.parent)
    return AlertFile(AlertContent.model_validate(data), photos)


def _check_photo_paths(data: dict[str, Any], base: Path) -> list[CheckedPhoto]:
    """Replace each photo path by the reference of its checked, metadata-free content."""
    checked = []
    max_bytes = load_settings().photo_max_bytes
    for i, suspect in enumerate(data.get("suspects") or []):
        photos = suspect.get("photos") if isinstance(suspect, dict) else None
        if not isinstance(photos, list):
            continue
        for j, photo in enumerate(photos):
            if not isinstance(photo, str):
                continue
            field = f"suspects.{i}.photos.{j}"
            photo_path = base / photo
            if not photo_path.is_file():
                raise InvalidAlert(f"no photo file {photo_path}", field=field)
            try:
                found = check_photo(photo_path.read_bytes(), max_bytes)
            except InvalidPhoto as error:
                raise InvalidPhoto(f"{photo_path}: {error.message}", field=field) from error
            checked.append(found)
            photos[j] = photo_ref(found).model_dump(mode="json")
    return checked
