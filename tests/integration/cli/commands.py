"""Every `bluealert` command, and the JSON shapes docs/cli.md gives them, for tests to walk."""

from __future__ import annotations

import dataclasses
import importlib
import re
from pathlib import Path
from typing import Any

import typer

from bluealert.cli.main import app

ROOT = Path(__file__).resolve().parents[3]
CLI_DOC = ROOT / "docs" / "cli.md"


def leaf_commands() -> dict[str, Any]:
    """Every runnable command by its path ("alert draft"), as the Click command object."""
    found: dict[str, Any] = {}

    def walk(command: Any, path: tuple[str, ...]) -> None:
        children = getattr(command, "commands", None)
        if children is None:
            found[" ".join(path)] = command
            return
        for name, child in children.items():
            walk(child, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


def _table_rows(text: str, header: str) -> list[list[str]]:
    section = text.split(header, 1)[1]
    rows = []
    for line in section.splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _record_keys(description: str) -> set[str]:
    """`the fields of `module.Model`, and `extra`` → the model's field names and the extras."""
    dotted, *extras = re.findall(r"`([^`]+)`", description)
    module, name = dotted.rsplit(".", 1)
    model = getattr(importlib.import_module(module), name)
    if dataclasses.is_dataclass(model):
        fields = {f.name for f in dataclasses.fields(model)}
    else:
        fields = set(model.model_fields)
    return fields | set(extras)


def documented_shapes() -> dict[str, set[str] | None]:
    """Command path → the top-level keys its --json object has (None: it has no --json)."""
    text = CLI_DOC.read_text(encoding="utf-8")
    records = {
        row[0].strip("*"): _record_keys(row[1])
        for row in _table_rows(text, "| record | its keys |")
    }
    shapes: dict[str, set[str] | None] = {}
    for command, shape, _notes in _table_rows(text, "| command | JSON object | notes |"):
        name = command.strip("`")
        named = re.fullmatch(r"\*([^*]+)\*", shape)
        if shape == "—":
            shapes[name] = None
        elif named:
            shapes[name] = records[named.group(1)]
        else:
            shapes[name] = set(re.findall(r"`([^`]+)`", shape))
    return shapes
