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


def read_document(path: Path) -> Any:
    """A JSON or YAML file (by extension; YAML otherwise, as YAML is a superset of JSON)."""
    kind = "JSON" if path.suffix == ".json" else "YAML"
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            f"{path} is {size:,} bytes; a document may hold at most {MAX_DOCUMENT_BYTES:,}",
            field="file",
        )
    raw = path.read_bytes()
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
