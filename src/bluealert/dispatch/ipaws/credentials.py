"""The COG's key and certificate, checked before anything is signed with them.

FEMA issues them as a Java keystore, converted once to two PEM files (docs/ipaws.md). A file
that is not what its setting says is refused by the setting's name and the rule it breaks —
when the ipaws channel opens and by `bluealert ipaws ping` — never part-way through a post.
The rules are those of the node's own CAP signing key (`app.cap_signer`), and the certificate
must be in force: IPAWS refuses whatever is signed under one that expired.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bluealert.app import cap_signer
from bluealert.errors import InvalidInput
from bluealert.formats.cap.signature import CapSigner

KEY_SETTING = "BLUEALERT_IPAWS_KEY"
CERT_SETTING = "BLUEALERT_IPAWS_CERT"


def load_signer(key_file: Path, cert_file: Path, now: datetime | None = None) -> CapSigner:
    """The COG's CAP signer: an unencrypted PEM RSA key, and a PEM certificate of that key,
    in force `now` (IPAWS refuses every message signed under a certificate out of force)."""
    signer = cap_signer.load_signer(
        key_file, cert_file, key_setting=KEY_SETTING, cert_setting=CERT_SETTING
    )
    certificate = signer.certificate
    when = now or datetime.now(UTC)
    if certificate.not_valid_after_utc < when:
        expired = f"{certificate.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
        message = f"{cert_file} expired on {expired}: ask FEMA for the COG's new certificate"
        raise InvalidInput(message, field=CERT_SETTING)
    if certificate.not_valid_before_utc > when:
        begins = f"{certificate.not_valid_before_utc:%Y-%m-%d %H:%M} UTC"
        raise InvalidInput(f"{cert_file} is not in force before {begins}", field=CERT_SETTING)
    return signer
