"""`bluealert cap validate|sign|verify`: CAP documents checked, signed and verified."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bluealert.cli.documents import read_bytes_at_most
from bluealert.cli.output import JsonFlag, console, emit, fail, reported_errors
from bluealert.config import load_settings
from bluealert.formats.cap.parse import MAX_BYTES
from bluealert.formats.cap.signature import CapSigner, TrustStore, verify_cap
from bluealert.formats.cap.validate import Finding, is_valid, validate_cap

app = typer.Typer(help="CAP 1.2 documents (IPAWS profile).", no_args_is_help=True)
FileArg = Annotated[Path, typer.Argument(help="A CAP XML file.")]


def _read_cap(path: Path) -> bytes:
    return read_bytes_at_most(path, MAX_BYTES)


def _findings_table(path: Path, findings: list[Finding]) -> None:
    if not findings:
        console.print(f"[green]{path}: valid CAP 1.2, IPAWS profile and Blue Alert rules[/]")
        return
    table = Table(title=f"{path}: {len(findings)} finding(s)")
    for column in ("severity", "rule", "where", "message"):
        table.add_column(column)
    for f in findings:
        colour = "red" if f.severity.value == "error" else "yellow"
        table.add_row(
            f"[{colour}]{f.severity.value}[/]", f.rule, escape(f.location), escape(f.message)
        )
    console.print(table)


@app.command()
def validate(path: FileArg, as_json: JsonFlag = False) -> None:
    """Validate against the OASIS XSD, CAP rules, the IPAWS profile and Blue Alert rules."""
    with reported_errors(as_json):
        findings = validate_cap(_read_cap(path))
        emit(
            [asdict(f) | {"severity": f.severity.value} for f in findings],
            as_json,
            lambda: _findings_table(path, findings),
        )
        if not is_valid(findings):
            raise typer.Exit(1)


@app.command()
def sign(
    path: FileArg,
    key: Annotated[Path, typer.Option(help="PEM RSA private key.")],
    cert: Annotated[Path, typer.Option(help="PEM certificate of the key.")],
    out: Annotated[Path | None, typer.Option(help="Write here (default: stdout).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Sign with an enveloped XML signature (exclusive C14N, RSA-SHA256) as IPAWS does."""
    with reported_errors(as_json):
        signed = CapSigner.from_pem(key.read_bytes(), cert.read_bytes()).sign(_read_cap(path))
        if out is not None:
            out.write_bytes(signed)
        if as_json:
            emit({"out": str(out) if out else None, "signed": signed.decode()}, True, lambda: None)
        elif out is None:
            print(signed.decode())
        else:
            console.print(f"signed {path} → {out}")


@app.command()
def verify(
    path: FileArg,
    trust: Annotated[
        list[Path] | None,
        typer.Option(
            help="Trusted certificate(s), PEM (repeat); default BLUEALERT_CAP_TRUST_STORE."
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Verify the signature and that its certificate is trusted; exit 1 if not."""
    with reported_errors(as_json):
        configured = load_settings().cap_trust_store
        files = trust or ([configured] if configured else [])
        if not files:
            fail(
                "--trust: give trusted certificates, or set BLUEALERT_CAP_TRUST_STORE",
                as_json,
                code=2,
            )
        store = TrustStore.from_pem(*(p.read_bytes() for p in files))
        verified = verify_cap(_read_cap(path), store, now=datetime.now(UTC))
        emit(
            {"verified": True, "subject": verified.subject},
            as_json,
            lambda: console.print(f"[green]signature OK[/], signed by {verified.subject}"),
        )
