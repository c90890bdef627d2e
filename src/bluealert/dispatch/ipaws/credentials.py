"""The COG's key and certificate, checked before anything is signed with them.

FEMA issues them as a Java keystore, converted once to two PEM files (docs/ipaws.md). A file
that is not what its setting says is refused by the setting's name and the rule it breaks —
when the ipaws channel opens and by `bluealert ipaws ping` — never part-way through a post.
The rules are those of the node's own CAP signing key (`app.cap_signer`).
"""

from __future__ import annotations

from pathlib import Path

from bluealert.app import cap_signer
from bluealert.formats.cap.signature import CapSigner

KEY_SETTING = "BLUEALERT_IPAWS_KEY"
CERT_SETTING = "BLUEALERT_IPAWS_CERT"


def load_signer(key_file: Path, cert_file: Path) -> CapSigner:
    """The COG's CAP signer: an unencrypted PEM RSA key, and a PEM certificate of that key."""
    return cap_signer.load_signer(
        key_file, cert_file, key_setting=KEY_SETTING, cert_setting=CERT_SETTING
    )
