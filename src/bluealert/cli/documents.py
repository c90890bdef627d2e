"""Reading a JSON or YAML document a person hands us: bounded, UTF-8, no YAML aliases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from bluealert.errors import InvalidInput

MAX_DOCUMENT_BYTES = 1_000_000


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases: a few hundred bytes of them can expand to gigabytes."""

    def fetch_alias(self) -> None:
        raise yaml.MarkedYAMLError(
            problem="YAML aliases (*name) are not accepted; write the value out",
            problem_mark=self.get_mark(),
        )


def read_bytes_at_most(path: Path, limit: int) -> bytes:
    """The file's bytes, refused by its size before anything is read."""
    size = path.stat().st_size
    if size > limit:
        raise InvalidInput(f"{path} is {size:,} bytes; at most {limit:,} are read", field="file")
    return path.read_bytes()


def read_document(path: Path) -> Any:
    """A JSON or YAML file (by extension; YAML otherwise, as YAML is a superset of JSON)."""
    kind = "JSON" if path.suffix == ".json" else "YAML"
    raw = read_bytes_at_most(path, MAX_DOCUMENT_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"{path} is not UTF-8 text (byte {error.start} is {raw[error.start]:#04x})",
            field="file",
        ) from error
    try:
        return json.loads(text) if kind == "JSON" else yaml.load(text, Loader=_NoAliasLoader)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise InvalidInput(f"{path} is not valid {kind}: {error}", field="file") from error
    except RecursionError as error:
        raise InvalidInput(f"{path} nests lists or mappings too deeply", field="file") from error
