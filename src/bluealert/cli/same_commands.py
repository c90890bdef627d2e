"""`bluealert same encode|decode`: EAS SAME headers, and decoding headers or WAV audio."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from bluealert.cli.context import read_alert_file
from bluealert.cli.documents import read_bytes_at_most
from bluealert.cli.output import EXIT_REFUSED, JsonFlag, console, emit, reported_errors
from bluealert.config import load_settings
from bluealert.domain.alert import sample_alert
from bluealert.errors import InvalidInput, InvalidMessage
from bluealert.formats.context import RenderContext
from bluealert.formats.same.audio import read_wav
from bluealert.formats.same.decoder import MAX_SECONDS
from bluealert.formats.same.decoder import decode as decode_samples
from bluealert.formats.same.header import SameHeader, encode_header, parse_header
from bluealert.formats.same.render import same_header

# 15 minutes of 48 kHz 16-bit stereo: more than any activation, less than a memory problem.
MAX_WAV_BYTES = 200_000_000

app = typer.Typer(help="EAS SAME headers and audio.", no_args_is_help=True)


def _header_data(header: SameHeader) -> dict[str, object]:
    return asdict(header) | {"text": header.text}


def _print_header(line: str) -> None:
    """A header on one line, never wrapped: people copy it whole (soft_wrap inserts no break)."""
    console.print(line, highlight=False, markup=False, soft_wrap=True)


def _show(header: SameHeader, as_json: bool) -> None:
    emit(_header_data(header), as_json, lambda: _print_header(header.text))


@app.command()
def encode(
    file: Annotated[Path | None, typer.Option("--file", help="From an alert file.")] = None,
    location: Annotated[list[str] | None, typer.Option(help="PSSCCC code (repeat).")] = None,
    event: Annotated[str, typer.Option(help="Event code.")] = "BLU",
    minutes: Annotated[int, typer.Option(help="Valid period in minutes (rounded up).")] = 360,
    station: Annotated[str | None, typer.Option(help="Station id (8 characters).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Encode a SAME header from an alert file, or from explicit options."""
    with reported_errors(as_json):
        settings = load_settings()
        now = datetime.now(UTC)
        ctx = RenderContext(now=now, station_id=station or settings.station_id)
        if file is not None:
            header = same_header(sample_alert(read_alert_file(file).content, now=now), ctx)
        elif location:
            header = encode_header(
                locations=location,
                issued=now,
                event=event,
                duration=timedelta(minutes=minutes),
                station=ctx.station_id,
            )
        else:
            raise InvalidInput("give --file FILE or at least one --location", field="--location")
        _show(header, as_json)


def _heard(text: str) -> dict[str, object]:
    """A decoded header's fields; one that breaks the grammar is still shown as heard."""
    try:
        header = parse_header(text)
    except InvalidMessage as error:
        return {"text": text, "problem": error.message}
    return _header_data(header)


@app.command()
def decode(
    source: Annotated[
        str,
        typer.Argument(metavar="SOURCE", help="A header string, or a .wav file to demodulate."),
    ],
    as_json: JsonFlag = False,
) -> None:
    """Parse a header, or demodulate a WAV with our own decoder (2 of 3 bursts must agree).

    Exit 1 when a WAV holds no header."""
    with reported_errors(as_json):
        if not source.lower().endswith(".wav"):
            header = parse_header(source)
            data = {"headers": [_header_data(header)], "end_of_message": 0, "bursts": []}
            emit(data, as_json, lambda: _print_header(header.text))
            return
        audio = read_bytes_at_most(Path(source), MAX_WAV_BYTES)
        samples, rate = read_wav(audio, max_seconds=MAX_SECONDS)
        found = decode_samples(samples, rate)
        headers = [_heard(text) for text in found.headers]
        data = {
            "headers": headers,
            "end_of_message": found.end_of_message,
            "bursts": found.bursts,
        }

        def human() -> None:
            if not headers:
                console.print(
                    f"no SAME header found in {source} ({len(found.bursts)} burst(s) heard; "
                    "a header counts when 2 of 3 bursts agree)",
                    highlight=False,
                    markup=False,
                )
            for h in headers:
                _print_header(f"EAS: {h['text']}")
                if "problem" in h:
                    problem = f"  (not a valid header: {h['problem']})"
                    console.print(problem, highlight=False, markup=False)
            if found.end_of_message:
                console.print(f"EAS: NNNN ×{found.end_of_message}", highlight=False, markup=False)

        emit(data, as_json, human)
        if not headers:
            raise typer.Exit(EXIT_REFUSED)
