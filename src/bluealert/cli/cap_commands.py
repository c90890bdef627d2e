"""`bluealert cap validate|sign|verify`: CAP documents checked, signed and verified."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from bluealert.app.cap_signer import load_signer
from bluealert.cli.documents import read_bytes_at_most
from bluealert.cli.output import (
    EXIT_REFUSED,
    JsonFlag,
    console,
    emit,
    print_json,
    reported_errors,
)
from bluealert.cli.tables import Col, print_table
from bluealert.config import load_settings
from bluealert.errors import InvalidInput, SignatureRejected
from bluealert.formats.cap.parse import MAX_BYTES
from bluealert.formats.cap.signature import TrustStore, verify_cap
from bluealert.formats.cap.validate import Finding, is_valid, validate_cap

app = typer.Typer(help="CAP 1.2 documents (IPAWS profile).", no_args_is_help=True)
FileArg = Annotated[Path, typer.Argument(metavar="FILE", help="A CAP 1.2 XML file.")]


def _read_cap(path: Path) -> bytes:
    return read_bytes_at_most(path, MAX_BYTES)


def _findings_table(path: Path, findings: list[Finding]) -> None:
    if not findings:
        console.print(f"[green]{path}: valid CAP 1.2, IPAWS profile and Blue Alert rules[/]")
        return
    colour = {"error": "red", "warning": "yellow"}
    print_table(
        f"{path}: {len(findings)} finding(s)",
        [Col("severity"), Col("rule"), Col("where", prose=True), Col("message", prose=True)],
        [
            (
                f"[{colour.get(f.severity.value, 'yellow')}]{f.severity.value}[/]",
                f.rule,
                escape(f.location),
                escape(f.message),
            )
            for f in findings
        ],
    )


@app.command()
def validate(path: FileArg, as_json: JsonFlag = False) -> None:
    """Validate against the OASIS XSD, CAP rules, the IPAWS profile and Blue Alert rules.

    Exit 1 when an error is found (warnings alone pass), 2 when the file cannot be read."""
    with reported_errors(as_json):
        findings = validate_cap(_read_cap(path))
        valid = is_valid(findings)
        data = {
            "valid": valid,
            "findings": [asdict(f) | {"severity": f.severity.value} for f in findings],
        }
        emit(data, as_json, lambda: _findings_table(path, findings))
        if not valid:
            raise typer.Exit(EXIT_REFUSED)


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
        signer = load_signer(key, cert, key_setting="--key", cert_setting="--cert")
        signed = signer.sign(_read_cap(path))
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
    """Verify the signature and that its certificate is trusted.

    Exit 1 when the document is unsigned, its signature does not verify or its certificate is
    not trusted; 2 when the file or the trusted certificates cannot be read."""
    with reported_errors(as_json):
        configured = load_settings().cap_trust_store
        files = trust or ([configured] if configured else [])
        if not files:
            raise InvalidInput(
                "give trusted certificates, or set BLUEALERT_CAP_TRUST_STORE", field="--trust"
            )
        store = TrustStore.from_pem(*(p.read_bytes() for p in files))
        document = _read_cap(path)
        try:
            verified = verify_cap(document, store, now=datetime.now(UTC))
        except SignatureRejected as error:
            if not as_json:
                raise
            print_json({"verified": False, "subject": None, "problem": str(error)})
            raise typer.Exit(EXIT_REFUSED) from error
        emit(
            {"verified": True, "subject": verified.subject, "problem": None},
            as_json,
            lambda: console.print(f"[green]signature OK[/], signed by {verified.subject}"),
        )
