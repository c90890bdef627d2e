"""A key and self-signed certificate for a COG of the stand-in (demo, benchmark, tests).

FEMA issues the real ones; these are named like FEMA's (`CN=IPAWSOPEN_<COG id>`) and are
only ever trusted by the local stand-in.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def stand_in_identity(
    folder: Path, cog_id: int | str, not_before: datetime, not_after: datetime
) -> tuple[Path, Path]:
    """Write `IPAWSOPEN_<cog_id>.key` and `.pem` (RSA 2048, PEM) into `folder`; their paths."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"IPAWSOPEN_{cog_id}")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    key_file, cert_file = folder / f"IPAWSOPEN_{cog_id}.key", folder / f"IPAWSOPEN_{cog_id}.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file
