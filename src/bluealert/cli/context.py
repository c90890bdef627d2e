"""What commands share: the app context, the acting user, and reading alert files."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from bluealert.app.alerts import expire_due_alerts, get_alert
from bluealert.app.context import AppContext, open_app
from bluealert.app.photos import add_photo
from bluealert.config import load_settings
from bluealert.domain.alert import Alert
from bluealert.domain.content import AlertContent
from bluealert.errors import InvalidAlert
from bluealert.store import migrate

ActorOption = Annotated[
    str,
    typer.Option(
        "--as", envvar="BLUEALERT_USER", help="Who is acting (a username).", show_default=False
    ),
]


@cache
def app_context() -> AppContext:
    """The app, on a migrated database; active alerts past their expiry are expired first."""
    ctx = open_app(load_settings())
    if migrate.current_revision(ctx.engine) is None:
        raise InvalidAlert(
            "the database is not set up: run `bluealert db upgrade` first", field="database"
        )
    expire_due_alerts(ctx)
    return ctx


def load_alert(key: str) -> Alert:
    return get_alert(app_context(), key)


def read_document(path: Path) -> Any:
    """A JSON or YAML file (by extension; YAML otherwise, as YAML is a superset of JSON)."""
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise InvalidAlert(
            f"{path} is not valid {path.suffix.lstrip('.') or 'YAML'}: {error}", field="file"
        ) from error


def read_alert_file(path: Path, actor: str | None = None) -> AlertContent:
    """Validate an alert file; photo paths (relative to the file) are stored and referenced."""
    data = read_document(path)
    if not isinstance(data, dict):
        raise InvalidAlert("an alert file holds one mapping of fields", field="file")
    if actor is not None:
        _store_photo_paths(data, path.parent, actor)
    return AlertContent.model_validate(data)


def _store_photo_paths(data: dict[str, Any], base: Path, actor: str) -> None:
    for i, suspect in enumerate(data.get("suspects") or []):
        photos = suspect.get("photos") if isinstance(suspect, dict) else None
        if not isinstance(photos, list):
            continue
        for j, photo in enumerate(photos):
            if isinstance(photo, str):
                photo_path = base / photo
                if not photo_path.is_file():
                    raise InvalidAlert(
                        f"no photo file {photo_path}", field=f"suspects.{i}.photos.{j}"
                    )
                ref = add_photo(app_context(), actor=actor, data=photo_path.read_bytes())
                photos[j] = ref.model_dump(mode="json")
