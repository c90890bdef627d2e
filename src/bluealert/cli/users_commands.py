"""`bluealert users …`: people, their roles and their agency or state scope (admins only)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from bluealert.app.accounts import TotpEnrolment, add_person, set_password
from bluealert.app.users import add_user, change_user, list_users, remove_user
from bluealert.cli.context import ActorOption, app_context
from bluealert.cli.output import JsonFlag, console, emit, one_of, reported_errors, to_jsonable
from bluealert.cli.tables import Col, print_table
from bluealert.domain.people import User, UserChange
from bluealert.domain.vocabulary import Role

app = typer.Typer(
    help="People and their roles (adding, changing, removing takes an admin).", no_args_is_help=True
)

UsernameArg = Annotated[
    str, typer.Argument(metavar="USERNAME", help="The login name, e.g. tx.kim.")
]
NameOption = Annotated[str | None, typer.Option(help="Display name.")]
AgencyOption = Annotated[str | None, typer.Option(help="Agency ORI (originators, supervisors).")]
EmailOption = Annotated[
    str | None,
    typer.Option(help="Where law-enforcement notices (a new tip on an alert) reach this person."),
]
StatesOption = Annotated[
    list[str] | None,
    typer.Option(help="A US state this person coordinates (USPS code; repeat)."),
]
FirstActorOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar="BLUEALERT_USER",
        help="The admin adding the person; left out only for the first admin of an empty store.",
        show_default=False,
    ),
]

PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from standard input (one line); prints a TOTP enrolment URI "
        "for coordinators and admins.",
    ),
]


@app.command()
def add(
    username: UsernameArg,
    role: Annotated[
        list[Role],
        typer.Option(metavar="ROLE", help=f"A role (repeat for several), {one_of(Role)}."),
    ],
    name: NameOption = None,
    agency: AgencyOption = None,
    state: StatesOption = None,
    email: EmailOption = None,
    actor: FirstActorOption = None,
    password_stdin: PasswordStdin = False,
    as_json: JsonFlag = False,
) -> None:
    """Add a person with roles and a scope (and, with --password-stdin, a way to sign in).

    It takes an admin (--as); only the first admin of an empty store is added with no --as."""
    with reported_errors(as_json):
        user = User(
            username=username,
            display_name=name or username,
            roles=frozenset(role),
            agency_ori=agency,
            states=frozenset(s.upper() for s in state or []),
            email=email,
        )
        if password_stdin:
            password = _read_password()
            enrolment = add_person(app_context(), actor=actor, user=user, password=password)
        else:
            add_user(app_context(), actor=actor, user=user)
            enrolment = None
        _added(user, enrolment, as_json)


def _read_password() -> str:
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def _added(user: User, enrolment: TotpEnrolment | None, as_json: bool) -> None:
    totp = {"secret": enrolment.secret, "uri": enrolment.uri} if enrolment else None

    def human() -> None:
        console.print(f"added {user.username}: {', '.join(sorted(user.roles))}")
        _show_enrolment(enrolment)

    emit(to_jsonable(user) | ({"totp": totp} if totp else {}), as_json, human)


def _show_enrolment(enrolment: TotpEnrolment | None) -> None:
    if enrolment is None:
        return
    console.print("second factor: add this to an authenticator app (shown once):")
    print(f"TOTP enrolment URI: {enrolment.uri}")
    print(f"TOTP secret: {enrolment.secret}")


@app.command()
def password(
    username: Annotated[str, typer.Argument(metavar="USERNAME", help="Whose password.")],
    actor: Annotated[
        str, typer.Option("--as", envvar="BLUEALERT_USER", help="Who is acting (a username).")
    ] = "admin",
    as_json: JsonFlag = False,
) -> None:
    """Set a person's password, read from standard input (one line); every session of theirs
    ends. A coordinator or admin without a second factor gets one (its URI printed once)."""
    with reported_errors(as_json):
        enrolment = set_password(
            app_context(), actor=actor, username=username, password=_read_password()
        )
        totp = {"secret": enrolment.secret, "uri": enrolment.uri} if enrolment else None

        def human() -> None:
            console.print(f"password set for {username}")
            _show_enrolment(enrolment)

        emit({"username": username, "totp": totp}, as_json, human)


@app.command()
def change(
    username: UsernameArg,
    actor: ActorOption,
    role: Annotated[
        list[Role] | None,
        typer.Option(
            metavar="ROLE", help=f"The roles from now on (repeat; replaces them), {one_of(Role)}."
        ),
    ] = None,
    name: NameOption = None,
    agency: AgencyOption = None,
    state: StatesOption = None,
    email: EmailOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Change a person: what you give replaces; a scope no role uses any more is dropped."""
    with reported_errors(as_json):
        wanted = UserChange(
            display_name=name,
            roles=frozenset(role) if role else None,
            agency_ori=agency,
            states=None if state is None else frozenset(s.upper() for s in state),
            email=email,
        )
        user = change_user(app_context(), actor=actor, username=username, change=wanted)
        emit(user, as_json, lambda: console.print(f"changed {username}: {_summary(user)}"))


@app.command()
def remove(username: UsernameArg, actor: ActorOption, as_json: JsonFlag = False) -> None:
    """Remove a person: they no longer act; alerts and the audit log keep their name."""
    with reported_errors(as_json):
        user = remove_user(app_context(), actor=actor, username=username)
        emit(user, as_json, lambda: console.print(f"removed {username}"))


def _summary(user: User) -> str:
    scope = user.agency_ori or ", ".join(sorted(user.states))
    return ", ".join(sorted(user.roles)) + (f" ({scope})" if scope else "")


@app.command("list")
def list_(as_json: JsonFlag = False) -> None:
    """List people."""
    with reported_errors(as_json):
        users = list_users(app_context())

        def human() -> None:
            print_table(
                "users",
                [
                    Col("username"),
                    Col("name", prose=True),
                    Col("roles", prose=True),
                    Col("agency"),
                    Col("states", prose=True),
                ],
                [
                    (
                        u.username,
                        escape(u.display_name),
                        ", ".join(sorted(u.roles)),
                        u.agency_ori or "",
                        ", ".join(sorted(u.states)),
                    )
                    for u in users
                ],
            )

        emit({"users": users}, as_json, human)
