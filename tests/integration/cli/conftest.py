"""Run the real `bluealert` command in-process against a fresh SQLite data directory.

The commands read the test's fixed clock (tests/conftest.py), so references, times and
expiry never depend on the day the tests run (a year change once broke `TX-<year>-0001`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine, select, text
from typer.testing import CliRunner

from bluealert.app.context import AppContext, open_app
from bluealert.cli import context
from bluealert.cli.main import app
from bluealert.config import Settings
from bluealert.store.tables import Base
from tests.conftest import Clock


@dataclass
class Cli:
    data_dir: Path
    runner: CliRunner
    clock: Clock

    def __call__(self, *args: str) -> Any:
        context.app_context.cache_clear()
        return self.runner.invoke(app, list(args), catch_exceptions=False)

    def json(self, *args: str) -> Any:
        result = self(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def write(self, name: str, data: Any) -> str:
        path = self.data_dir.parent / name
        path.write_text(yaml.safe_dump(data) if name.endswith(".yaml") else json.dumps(data))
        return str(path)

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table and every stored photo file: 'the store is unchanged'."""
        engine = create_engine(f"sqlite:///{self.data_dir / 'bluealert.db'}")
        with engine.connect() as connection:
            tables = {
                t.name: sorted(map(tuple, connection.execute(select(t)).all()), key=repr)
                for t in Base.metadata.sorted_tables
            }
        engine.dispose()
        photos = self.data_dir / "photos"
        tables["photo files"] = sorted((str(p),) for p in photos.rglob("*") if p.is_file())
        return tables

    def sql(self, statement: str) -> None:
        engine = create_engine(f"sqlite:///{self.data_dir / 'bluealert.db'}")
        with engine.begin() as connection:
            connection.execute(text(statement))
        engine.dispose()


def add_people(cli: Cli, *people: tuple[str, ...]) -> None:
    """The store's first admin (the one bootstrap), then each person added by that admin."""
    for args in (("admin", "--role", "admin"), *((*p, "--as", "admin") for p in people)):
        result = cli("users", "add", *args)
        assert result.exit_code == 0, result.output


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: Clock) -> Iterator[Cli]:
    data_dir = tmp_path / "var"
    monkeypatch.setenv("BLUEALERT_DATA_DIR", str(data_dir))
    monkeypatch.delenv("BLUEALERT_DATABASE_URL", raising=False)
    monkeypatch.delenv("BLUEALERT_USER", raising=False)

    def open_app_on_the_test_clock(settings: Settings) -> AppContext:
        return open_app(settings, clock=clock)

    monkeypatch.setattr(context, "open_app", open_app_on_the_test_clock)
    runner = Cli(data_dir, CliRunner(), clock)
    result = runner("db", "upgrade")
    assert result.exit_code == 0, result.output
    yield runner
    context.app_context.cache_clear()
