"""How every command prints: rich for people, --json for scripts, errors on stderr."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.markup import escape

from bluealert.errors import BlueAlertError, rule_of

console = Console()
err_console = Console(stderr=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
QuietFlag = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print only what was made: its reference or id.")
]


def to_jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def emit(data: Any, as_json: bool, human: Callable[[], None], quiet: str | None = None) -> None:
    """Print `data` as JSON for scripts, `quiet` alone when given (--quiet), else call `human`."""
    if as_json:
        print(json.dumps(to_jsonable(data), indent=2, default=str))
    elif quiet is not None:
        print(quiet)
    else:
        human()


def validation_lines(error: ValidationError) -> list[str]:
    """One line per problem: the field's dotted path, then the rule it breaks."""
    lines = []
    for problem in error.errors():
        rule = rule_of(problem["msg"])
        where = ".".join(str(p) for p in problem["loc"])
        lines.append(f"{where}: {rule}" if where else rule)  # a whole-model rule names its field
    return lines


def fail(message: str | list[str], as_json: bool = False, code: int = 1) -> NoReturn:
    lines = [message] if isinstance(message, str) else message
    if as_json:
        print(json.dumps({"error": lines}, indent=2))
    else:
        for line in lines:
            err_console.print(
                f"[bold red]error:[/] {escape(line)}", highlight=False, soft_wrap=True
            )
    raise typer.Exit(code)


@contextmanager
def reported_errors(as_json: bool = False) -> Iterator[None]:
    """Turn expected errors into a clear message and a non-zero exit, never a traceback."""
    try:
        yield
    except ValidationError as error:
        fail(validation_lines(error), as_json, code=2)
    except BlueAlertError as error:
        fail(str(error), as_json, code=2 if isinstance(error, ValueError) else 1)
    except OSError as error:
        fail(f"{getattr(error, 'filename', '') or ''}: {error.strerror or error}", as_json, code=2)
