"""Formats benchmark: signed CAP messages, SAME audio and validations per second.

Each figure is the median of several rounds and comes with a baseline measured in the same
run: building and signing with the key loaded once against loading the PEM key for every
message (and the signature alone, on a message built once, the same two ways); SAME
audio generation against writing the same number of seconds of silence; our layered validator
against the bare XSD check. Run: .venv/bin/python bench/formats.py [--rounds N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from bluealert.app.demo_data import demo_alert
from bluealert.domain.alert import sample_alert
from bluealert.formats.cap.build import build_cap
from bluealert.formats.cap.signature import CapSigner
from bluealert.formats.cap.validate import cap_schema, validate_cap
from bluealert.formats.context import RenderContext
from bluealert.formats.same.afsk import RATE, silence
from bluealert.formats.same.audio import activation, wav_bytes
from bluealert.formats.same.render import same_header

NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def _per_second(action: Callable[[], object], count: int, rounds: int) -> float:
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(count):
            action()
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates)


def _identity() -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    alert = sample_alert(demo_alert(NOW), now=NOW, reference="TX-2026-0001")
    ctx = RenderContext(now=NOW)
    key_pem, cert_pem = _identity()
    loaded = CapSigner.from_pem(key_pem, cert_pem)

    def sign_loaded() -> bytes:
        return loaded.sign(build_cap(alert, 1, ctx).xml)

    def sign_from_pem() -> bytes:
        return CapSigner.from_pem(key_pem, cert_pem).sign(build_cap(alert, 1, ctx).xml)

    signed = _per_second(sign_loaded, 50, rounds)
    from_pem = _per_second(sign_from_pem, 10, rounds)
    # The signature alone, on a message built once: what keeping the key loaded saves.
    built = build_cap(alert, 1, ctx).xml
    signatures = _per_second(lambda: loaded.sign(built), 50, rounds)
    pem_signatures = _per_second(
        lambda: CapSigner.from_pem(key_pem, cert_pem).sign(built), 10, rounds
    )

    header = same_header(alert, ctx).text
    message = silence(60.0)  # the spoken part's cost is espeak-ng's, not ours
    audio_seconds = len(activation(header, message)) / RATE
    audio = _per_second(lambda: wav_bytes(activation(header, message)), 3, rounds) * audio_seconds
    quiet = _per_second(lambda: wav_bytes(silence(audio_seconds)), 3, rounds) * audio_seconds

    document = sign_loaded()
    schema = cap_schema()
    from lxml import etree

    parsed = etree.fromstring(document)
    validations = _per_second(lambda: validate_cap(document), 100, rounds)
    xsd_only = _per_second(lambda: schema.validate(parsed), 100, rounds)

    print(f"signed CAP messages per second (key loaded once): {signed:10.1f}")
    print(f"signed CAP messages per second (PEM loaded each): {from_pem:10.1f}")
    print(f"signatures per second, message built once:        {signatures:10.1f}")
    print(f"signatures per second, PEM loaded each time:      {pem_signatures:10.1f}")
    print(f"SAME audio seconds generated per second:          {audio:10.1f}")
    print(f"silence-only WAV seconds per second (baseline):   {quiet:10.1f}")
    print(f"layered CAP validations per second:               {validations:10.1f}")
    print(f"bare XSD validations per second (baseline):       {xsd_only:10.1f}")
    print(f"signed_cap_per_s={signed:.1f}")
    print(f"signed_cap_from_pem_per_s={from_pem:.1f}")
    print(f"loaded_key_speedup={signed / from_pem:.1f}")
    print(f"signatures_per_s={signatures:.1f}")
    print(f"signatures_from_pem_per_s={pem_signatures:.1f}")
    print(f"loaded_key_signing_speedup={signatures / pem_signatures:.1f}")
    print(f"same_audio_seconds_per_s={audio:.1f}")
    print(f"same_audio_vs_silence_ratio={audio / quiet:.3f}")
    print(f"validations_per_s={validations:.1f}")
    print(f"validation_vs_bare_xsd_ratio={validations / xsd_only:.3f}")


if __name__ == "__main__":
    main()
