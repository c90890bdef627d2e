"""The stand-in's checks of signatures, done by code we did not write.

- WS-Security: python-xmlsec (libxmlsec1) verifies the `ds:Signature` in `wsse:Security` with
  the key of the X.509 `BinarySecurityToken`; we only insist on what IPAWS insists on: RSA-SHA256
  and SHA-256, the body and a fresh timestamp among what is signed.
- The CAP's own enveloped signature: Debian's `xmlsec1 --verify`, trusting only the COG's
  registered certificate (so a message signed by anyone else fails), at the stand-in's time.
"""

from __future__ import annotations

import asyncio
import base64
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import xmlsec
from lxml import etree

from bluealert.dispatch.ipaws.cog import Problem
from bluealert.dispatch.ipaws.wsdl import DSIG_NS, SOAP_NS, WSSE_NS, WSU_NS

RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
X509_TOKEN = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
CLOCK_SKEW = timedelta(minutes=5)
NS = {"ds": DSIG_NS, "wsse": WSSE_NS, "wsu": WSU_NS, "soap": SOAP_NS}


class Refused(Exception):
    """A request the stand-in refuses: a CAPServiceException with this code and message."""

    def __init__(self, code: str, message: str) -> None:
        self.problem = Problem(code, message)
        super().__init__(f"{code}: {message}")


def _wsu_time(element: etree._Element | None, name: str) -> datetime:
    text = element.findtext(f"wsu:{name}", namespaces=NS) if element is not None else None
    if not text:
        raise Refused("ws-security-timestamp", f"the wsu:Timestamp has no wsu:{name}")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Refused("ws-security-timestamp", f"wsu:{name} is not a time: {text}") from None
    if moment.tzinfo is None:
        raise Refused("ws-security-timestamp", f"wsu:{name} has no time zone: {text}")
    return moment


def _check_timestamp(security: etree._Element, signed: set[str], now: datetime) -> None:
    timestamp = security.find("wsu:Timestamp", NS)
    if timestamp is None or timestamp.get(f"{{{WSU_NS}}}Id") not in signed:
        raise Refused("ws-security-timestamp", "a signed wsu:Timestamp is required")
    created, expires = _wsu_time(timestamp, "Created"), _wsu_time(timestamp, "Expires")
    if created > now + CLOCK_SKEW:
        raise Refused("ws-security-timestamp", f"the request was created in the future: {created}")
    if expires <= now:
        raise Refused("ws-security-timestamp", f"the request expired at {expires:%H:%M:%S}Z")


def _token_certificate(security: etree._Element) -> bytes:
    token = security.find("wsse:BinarySecurityToken", NS)
    if token is None or token.get("ValueType") != X509_TOKEN or not (token.text or "").strip():
        raise Refused("ws-security-token", "an X.509 v3 wsse:BinarySecurityToken is required")
    try:
        return base64.b64decode("".join((token.text or "").split()), validate=True)
    except ValueError:
        raise Refused("ws-security-token", "the BinarySecurityToken is not base64") from None


def _signed_ids(signature: etree._Element) -> set[str]:
    method = signature.find("ds:SignedInfo/ds:SignatureMethod", NS)
    if method is None or method.get("Algorithm") != RSA_SHA256:
        raise Refused("ws-security-algorithm", "the request must be signed with RSA-SHA256")
    ids = set()
    for reference in signature.iterfind("ds:SignedInfo/ds:Reference", NS):
        digest = reference.find("ds:DigestMethod", NS)
        if digest is None or digest.get("Algorithm") != SHA256:
            raise Refused("ws-security-algorithm", "every reference must use a SHA-256 digest")
        ids.add((reference.get("URI") or "").removeprefix("#"))
    return ids


def verify_ws_security(envelope: etree._Element, now: datetime) -> bytes:
    """The DER certificate whose key signed the body and timestamp; refuses otherwise."""
    security = envelope.find("soap:Header/wsse:Security", NS)
    body = envelope.find("soap:Body", NS)
    if security is None or body is None:
        raise Refused("not-signed", "the request carries no wsse:Security header")
    signature = security.find("ds:Signature", NS)
    if signature is None:
        raise Refused("not-signed", "the wsse:Security header holds no ds:Signature")
    certificate = _token_certificate(security)
    signed = _signed_ids(signature)
    if body.get(f"{{{WSU_NS}}}Id") not in signed:
        raise Refused("not-signed", "the signature does not cover the SOAP body")
    _check_timestamp(security, signed, now)
    context = xmlsec.SignatureContext()
    for node in envelope.iter():
        if node.get(f"{{{WSU_NS}}}Id") in signed:
            context.register_id(node, "Id", WSU_NS)
    pem = (
        b"-----BEGIN CERTIFICATE-----\n"
        + base64.encodebytes(certificate)
        + b"-----END CERTIFICATE-----\n"
    )
    try:
        context.key = xmlsec.Key.from_memory(pem, xmlsec.constants.KeyDataFormatCertPem, None)
        context.verify(signature)
    except xmlsec.Error as error:
        message = f"the signature does not verify: {error}"
        raise Refused("ws-security-signature-invalid", message) from error
    return certificate


async def verify_cap_signature(alert: etree._Element, trusted_pem: Path, at: datetime) -> None:
    """`xmlsec1 --verify` of the CAP's enveloped signature, trusting only `trusted_pem`."""
    if alert.find("ds:Signature", NS) is None:
        raise Refused("alert-not-signed", "the CAP message carries no enveloped ds:Signature")
    tool = shutil.which("xmlsec1")
    if tool is None:
        raise RuntimeError("xmlsec1 is not installed (Debian package xmlsec1)")
    with tempfile.NamedTemporaryFile(suffix=".xml") as file:
        file.write(etree.tostring(alert, xml_declaration=True, encoding="UTF-8"))
        file.flush()
        process = await asyncio.create_subprocess_exec(
            tool, "--verify", "--enabled-key-data", "x509", "--trusted-pem", str(trusted_pem),
            "--verification-gmt-time", f"{at.astimezone(UTC):%Y-%m-%d %H:%M:%S}", file.name,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, errors = await process.communicate()
    if process.returncode != 0:
        last = [line for line in errors.decode(errors="replace").splitlines() if line.strip()]
        why = next((line for line in last if "msg=" in line), last[-1] if last else "")
        raise Refused(
            "alert-signature-is-invalid",
            "the CAP signature does not verify with the COG's certificate (xmlsec1: "
            f"{why.split('msg=')[-1].strip()})",
        )
