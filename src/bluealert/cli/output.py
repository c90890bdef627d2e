"""How every command prints and fails: the one place the CLI's conventions live.

docs/cli.md states these rules for users; every command follows them by using what is here.

- **Success** goes through `emit`: with `--json`, one JSON object on stdout (never a bare list;
  its shape is documented in docs/cli.md); with `--quiet`, only what was made (its reference or
  id; `{"reference": …}` with `--json` too); otherwise the human view.
- **Errors** go through `reported_errors` (around a command's body) or `fail`: `error: field:
  rule` lines on stderr, or with `--json` one object `{"error": {...}}` on stdout. Usage errors
  from Typer/Click (an unknown option, a missing argument, a bad choice) take the same path, in
  `BlueAlertGroup.main`.
- **Exit codes**: 0 done; 1 (`EXIT_REFUSED`) the command ran and the answer is no — a refused
  step, a permission, a document that does not validate, a signature that does not verify, a
  broken audit chain, an unreachable database; 2 (`EXIT_BAD_INPUT`) the command could not run
  on what it was given — a usage error, a bad value, an unknown alert, user, plan or ZIP, an
  unreadable or malformed file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any, NoReturn

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.markup import escape
from typer._click import exceptions as click_errors  # Typer vendors Click since 0.2x
from typer.core import TyperGroup

from bluealert.errors import BlueAlertError, InvalidInput, NotFound, rule_of

console = Console()
err_console = Console(stderr=True)

EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
QuietFlag = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print only what was made: its reference or id.")
]


def one_of(choices: Iterable[StrEnum]) -> str:
    """The choices of an option, for its help text (which wraps, unlike a metavar)."""
    return "one of: " + ", ".join(c.value for c in choices)


def to_jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def print_json(data: Any) -> None:
    """One JSON document on stdout, indented for people who read it too."""
    print(json.dumps(to_jsonable(data), indent=2, default=str))


def emit(
    data: Any,
    as_json: bool,
    human: Callable[[], None],
    quiet: Mapping[str, object] | None = None,
) -> None:
    """Print a command's result: `data` as JSON, `quiet` alone (--quiet), or the human view.

    `quiet` names what was made, e.g. `{"reference": "TX-2026-0001"}`: its values alone with
    --quiet, the object itself with --quiet --json. `data` must be a JSON object (docs/cli.md).
    """
    if quiet is not None:
        print_json(dict(quiet)) if as_json else print(*quiet.values(), sep="\n")
    elif as_json:
        print_json(data)
    else:
        human()


def exit_code_for(error: BlueAlertError) -> int:
    """2 for bad input (a wrong value, or naming something that does not exist), else 1."""
    return EXIT_BAD_INPUT if isinstance(error, InvalidInput | NotFound) else EXIT_REFUSED


def validation_lines(error: ValidationError) -> list[str]:
    """One line per problem: the field's dotted path, then the rule it breaks."""
    lines = []
    for problem in error.errors():
        rule = rule_of(problem["msg"])
        where = ".".join(str(p) for p in problem["loc"])
        lines.append(f"{where}: {rule}" if where else rule)  # a whole-model rule names its field
    return lines


def show_error(messages: Sequence[str], as_json: bool, code: int) -> None:
    """Print an error the one way: `error: …` lines on stderr, or the JSON error object."""
    if as_json:
        kind = "bad_input" if code == EXIT_BAD_INPUT else "refused"
        print_json({"error": {"exit_code": code, "kind": kind, "messages": list(messages)}})
        return
    for line in messages:
        err_console.print(f"[bold red]error:[/] {escape(line)}", highlight=False, soft_wrap=True)


def fail(message: str | list[str], as_json: bool = False, code: int = EXIT_REFUSED) -> NoReturn:
    """Report an error and stop. For bad input prefer raising InvalidInput(rule, field=…)."""
    show_error([message] if isinstance(message, str) else message, as_json, code)
    raise typer.Exit(code)


@contextmanager
def reported_errors(as_json: bool = False) -> Iterator[None]:
    """Turn expected errors into a clear message and the rule's exit code, never a traceback."""
    try:
        yield
    except ValidationError as error:
        fail(validation_lines(error), as_json, code=EXIT_BAD_INPUT)
    except BlueAlertError as error:
        fail(str(error), as_json, code=exit_code_for(error))
    except OSError as error:
        where = getattr(error, "filename", None)
        rule = error.strerror or str(error)
        fail(f"{where}: {rule}" if where else rule, as_json, code=EXIT_BAD_INPUT)


def wants_json(argv: Sequence[str]) -> bool:
    """Whether the command line asks for JSON (read before Click parses it, for usage errors)."""
    words = list(argv)
    return "--json" in (words[: words.index("--")] if "--" in words else words)


def _usage_message(error: click_errors.ClickException) -> str:
    """`--option: rule` like every other error, then where to read the command's help."""
    message = error.format_message()
    param = getattr(error, "param", None)
    missing = isinstance(error, click_errors.MissingParameter)
    if isinstance(error, click_errors.BadParameter) and param is not None and not missing:
        long_names = [o for o in param.opts if o.startswith("--")]
        name = long_names[0] if long_names else getattr(param, "display_name_raw", param.name)
        message = f"{name}: {rule_of(error.message)}"
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        return f"{message} (see `{ctx.command_path} --help`)"
    return message


class BlueAlertGroup(TyperGroup):
    """The root command: usage errors are reported like every other error, --json honoured."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        code = self._run(argv, prog_name, complete_var, windows_expand_args, **extra)
        if not standalone_mode:
            return code
        sys.exit(code)

    def _run(
        self,
        argv: list[str],
        prog_name: str | None,
        complete_var: str | None,
        windows_expand_args: bool,
        **extra: Any,
    ) -> int:
        try:
            done = super().main(
                argv,
                prog_name,
                complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
        except click_errors.NoArgsIsHelpError as error:
            print(error.format_message())  # a group named alone: its help, as asked
            return EXIT_BAD_INPUT
        except click_errors.ClickException as error:
            show_error([_usage_message(error)], wants_json(argv), EXIT_BAD_INPUT)
            return EXIT_BAD_INPUT
        except typer.Abort:
            show_error(["aborted"], wants_json(argv), EXIT_REFUSED)
            return EXIT_REFUSED
        except ValidationError as error:  # a command that raised outside reported_errors
            show_error(validation_lines(error), wants_json(argv), EXIT_BAD_INPUT)
            return EXIT_BAD_INPUT
        except BlueAlertError as error:
            show_error([str(error)], wants_json(argv), exit_code_for(error))
            return exit_code_for(error)
        return done if isinstance(done, int) else 0
