"""WS-Security for IPAWS requests, through zeep's own signing (python-xmlsec underneath).

Every request carries, in `wsse:Security`: a `wsu:Timestamp` (created now, expires in five
minutes), the COG's certificate as an X.509 `BinarySecurityToken`, and an XML signature
(exclusive C14N, RSA-SHA256, SHA-256 digests) over the SOAP body and the timestamp.

zeep builds the body from the CAP's parsed values, which would lose the whitespace the CAP's
own enveloped signature covers; `SignedCapPlugin` puts the exact signed document back before
the body is signed.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import xmlsec
from lxml import etree
from zeep import Plugin
from zeep.wsse.signature import BinarySignature
from zeep.wsse.utils import WSU, get_security_header

from bluealert.dispatch.ipaws.wsdl import CAP_NS, POST_CAP

TIMESTAMP_LIFETIME = timedelta(minutes=5)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WsSecurity:
    """zeep's `wsse`: timestamp, then the binary-token signature over body and timestamp."""

    def __init__(self, key_file: Path, cert_file: Path) -> None:
        self._signature = BinarySignature(
            str(key_file),
            str(cert_file),
            signature_method=xmlsec.constants.TransformRsaSha256,
            digest_method=xmlsec.constants.TransformSha256,
        )

    def apply(self, envelope: etree._Element, headers: dict[str, str]) -> tuple[Any, Any]:
        security = get_security_header(envelope)
        now = datetime.now(UTC)
        timestamp = WSU.Timestamp(
            WSU.Created(_stamp(now)), WSU.Expires(_stamp(now + TIMESTAMP_LIFETIME))
        )
        security.append(timestamp)
        signed: tuple[Any, Any] = self._signature.apply(envelope, headers)
        return signed

    def verify(self, envelope: etree._Element) -> etree._Element:
        # The answer comes over the transport we chose (TLS to FEMA); IPAWS does not sign it.
        return envelope


class SignedCapPlugin(Plugin):
    """Swaps the re-serialised alert in a postCAP body for the signed original.

    Posts run in several threads at once, often of the same message (one version to several
    partners): each holds its document by identifier, counted, and each envelope gets its own
    parsed copy."""

    def __init__(self) -> None:
        self._pending: dict[str, tuple[bytes, int]] = {}
        self._lock = threading.Lock()

    def hold(self, identifier: str, signed: bytes) -> None:
        with self._lock:
            held = self._pending.get(identifier, (signed, 0))[1]
            self._pending[identifier] = (signed, held + 1)

    def release(self, identifier: str) -> None:
        with self._lock:
            signed, held = self._pending.pop(identifier, (b"", 0))
            if held > 1:
                self._pending[identifier] = (signed, held - 1)

    def egress(
        self, envelope: etree._Element, http_headers: Any, operation: Any, binding_options: Any
    ) -> tuple[Any, Any]:
        request = envelope.find(f".//{POST_CAP}")
        if request is None:
            return envelope, http_headers
        rebuilt = request.find(f"{{{CAP_NS}}}alert")
        assert rebuilt is not None, "a postCAP body holds an alert"
        identifier = rebuilt.findtext(f"{{{CAP_NS}}}identifier") or ""
        with self._lock:
            signed = self._pending[identifier][0]
        request.replace(rebuilt, etree.fromstring(signed))
        return envelope, http_headers
