"""`bluealert render`: any output format of an alert, from the store or straight from a file."""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bluealert.app.cap_signer import configured_signer, load_signer
from bluealert.app.espeak import EspeakSpeaker
from bluealert.cli.context import load_alert, read_alert_file
from bluealert.cli.output import JsonFlag, console, emit, reported_errors
from bluealert.config import load_settings
from bluealert.domain.alert import Alert, sample_alert
from bluealert.errors import InvalidInput
from bluealert.formats.context import RenderContext
from bluealert.formats.dms import PROFILES
from bluealert.formats.renderers import BINARY, RENDERERS, render

FORMATS = ", ".join(RENDERERS)


def _alert(alert_id: str | None, path: Path | None, now: datetime) -> Alert:
    if (alert_id is None) == (path is None):
        raise InvalidInput("give an ALERT or --file FILE, one of the two", field="ALERT")
    if path is not None:
        return sample_alert(read_alert_file(path).content, now=now)
    assert alert_id is not None
    return load_alert(alert_id)


def render_command(
    alert_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ALERT",
            help="The alert: its reference (TX-2026-0007) or id.",
            show_default=False,
        ),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Render an alert file; no database.")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help=f"One of: {FORMATS}.")] = "cap",
    out: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
    key: Annotated[Path | None, typer.Option(help="PEM private key to sign CAP with.")] = None,
    cert: Annotated[Path | None, typer.Option(help="PEM certificate of that key.")] = None,
    sign: Annotated[str, typer.Option(help=f"Sign profile: {', '.join(PROFILES)}.")] = "3x18",
    as_json: JsonFlag = False,
) -> None:
    """Render an alert in one format: cap, cap-restricted, same, same-audio, wea, dms, …

    CAP is signed with --key/--cert, or BLUEALERT_CAP_SIGNING_KEY/_CERT when they are set."""
    with reported_errors(as_json):
        if output_format not in RENDERERS:
            raise InvalidInput(f"{output_format!r} is not one of {FORMATS}", field="--format")
        if sign not in PROFILES:
            raise InvalidInput(f"{sign!r} is not one of {', '.join(PROFILES)}", field="--sign")
        if (key is None) != (cert is None):
            raise InvalidInput("--key and --cert go together", field="--key")
        if output_format in BINARY and out is None:
            raise InvalidInput(f"{output_format} is binary: give --out PATH", field="--out")
        settings = load_settings()
        signer = (
            load_signer(key, cert, key_setting="--key", cert_setting="--cert")
            if key and cert
            else configured_signer(settings)
        )
        now = datetime.now(UTC)
        ctx = RenderContext(
            now=now,
            sender=settings.cap_sender,
            station_id=settings.station_id,
            base_url=settings.base_url,
            sign_profile=sign,
            signer=signer,
            speaker=EspeakSpeaker() if output_format == "same-audio" else None,
        )
        data = render(output_format, _alert(alert_id, file, now), ctx)
        if out is not None:
            out.write_bytes(data)
        if as_json:
            described = {
                "format": output_format,
                "bytes": len(data),
                "signed": ctx.signer is not None,
                "sha256": hashlib.sha256(data).hexdigest(),
                "out": str(out) if out else None,
            }
            text = None if output_format in BINARY else data.decode()
            emit(described | {"content": text}, True, lambda: None)
        elif out is None:
            sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")
        else:
            console.print(f"wrote {output_format} ({len(data):,} bytes) to {out}")
