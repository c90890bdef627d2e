"""Enveloped XML signatures as IPAWS uses them: exclusive C14N, RSA-SHA256, SHA-256, X509Data.

A `CapSigner` keeps its loaded key: loading a PEM key for every message costs far more than
signing (bench/formats.py measures it). Verification checks the signature and then that the
signing certificate is trusted: listed in the trust store, or issued by a certificate in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature as CryptographyInvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from lxml import etree
from signxml import (  # type: ignore[attr-defined]
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConfiguration,
    SignatureConstructionMethod,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
)
from signxml.exceptions import InvalidInput as SignxmlInvalidInput
from signxml.exceptions import InvalidSignature

from bluealert.errors import InvalidMessage, SignatureRejected
from bluealert.formats.cap.build import CAP_NS
from bluealert.formats.cap.parse import parse_xml
from bluealert.formats.cap.times import parse_cap_time

DSIG = "http://www.w3.org/2000/09/xmldsig#"


class CapSigner:
    """Signs CAP documents with one loaded RSA key and its certificate."""

    def __init__(self, key: RSAPrivateKey, certificate: x509.Certificate) -> None:
        self.key = key
        self.certificate = certificate
        self.certificate_pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
        self._signer = XMLSigner(
            method=SignatureConstructionMethod.enveloped,
            signature_algorithm=SignatureMethod.RSA_SHA256,
            digest_algorithm=DigestAlgorithm.SHA256,
            c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
        )
        self._signer.namespaces = {None: DSIG}  # type: ignore[dict-item]  # as IPAWS: no prefix

    @classmethod
    def from_pem(cls, key_pem: bytes, cert_pem: bytes) -> CapSigner:
        key = serialization.load_pem_private_key(key_pem, password=None)
        if not isinstance(key, RSAPrivateKey):
            raise InvalidMessage("IPAWS signatures use an RSA key", field="key")
        return cls(key, x509.load_pem_x509_certificate(cert_pem))

    def sign(self, document: bytes) -> bytes:
        root = parse_xml(document)
        signed = self._signer.sign(root, key=self.key, cert=[self.certificate_pem])
        return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


@dataclass(frozen=True)
class TrustStore:
    certificates: tuple[x509.Certificate, ...]

    @classmethod
    def from_pem(cls, *pems: bytes) -> TrustStore:
        try:
            certs = [c for pem in pems for c in x509.load_pem_x509_certificates(pem)]
        except ValueError as error:
            raise InvalidMessage(
                f"not a PEM certificate bundle: {error}", field="trust store"
            ) from error
        return cls(tuple(certs))

    def trusts(self, certificate: x509.Certificate) -> bool:
        for trusted in self.certificates:
            if trusted == certificate:
                return True
            try:
                certificate.verify_directly_issued_by(trusted)
            except (ValueError, TypeError, CryptographyInvalidSignature):
                continue
            return True
        return False


@dataclass(frozen=True)
class Verified:
    subject: str
    signed_xml: bytes


def _signing_certificate(root: etree._Element) -> x509.Certificate:
    found = root.findtext(f".//{{{DSIG}}}X509Certificate")
    if not found:
        raise SignatureRejected(
            "the document carries no X509 signing certificate", field="Signature"
        )
    pem = (
        b"-----BEGIN CERTIFICATE-----\n"
        + "".join(found.split()).encode()
        + (b"\n-----END CERTIFICATE-----\n")
    )
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as error:
        raise SignatureRejected(
            f"the signing certificate cannot be read: {error}", field="Signature"
        ) from error


def _sent(root: etree._Element) -> datetime | None:
    text = root.findtext(f"{{{CAP_NS}}}sent")
    try:
        return parse_cap_time(text.strip()) if text else None
    except InvalidMessage:
        return None


def verification_time(
    certificate: x509.Certificate, sent: datetime | None, now: datetime
) -> datetime:
    """When the certificate must have been valid: when the message was sent, if it was valid
    then (an archived message stays verifiable after its certificate expires), else now (an
    earlier version rendered again today is signed by today's certificate)."""
    if sent is not None and (
        certificate.not_valid_before_utc <= sent <= certificate.not_valid_after_utc
    ):
        return sent
    return now


def verify_cap(
    document: bytes, trust: TrustStore, *, now: datetime, at: datetime | None = None
) -> Verified:
    """Check the enveloped signature and that its certificate is trusted; raise if not.

    The certificate must have been valid at `at`, by default `verification_time`.
    """
    root = parse_xml(document)
    if root.find(f"{{{DSIG}}}Signature") is None:
        raise SignatureRejected("the document is not signed", field="Signature")
    certificate = _signing_certificate(root)
    when = at or verification_time(certificate, _sent(root), now)
    try:
        result = XMLVerifier().verify(
            root,
            x509_cert=certificate.public_bytes(serialization.Encoding.PEM).decode(),
            expect_config=_expected(when),
        )
    except (InvalidSignature, SignxmlInvalidInput) as error:
        raise SignatureRejected(
            f"the signature does not verify: {error}", field="Signature"
        ) from error
    if not trust.trusts(certificate):
        raise SignatureRejected(
            f"the signing certificate ({certificate.subject.rfc4514_string()}) is not in the "
            "trust store or issued by a certificate in it",
            field="Signature",
        )
    first = result[0] if isinstance(result, list) else result
    signed = first.signed_xml
    if signed is None:
        raise SignatureRejected("the signature covers nothing", field="Signature")
    return Verified(certificate.subject.rfc4514_string(), etree.tostring(signed))


def _expected(at: datetime | None) -> SignatureConfiguration:
    return SignatureConfiguration(
        signature_methods=frozenset({SignatureMethod.RSA_SHA256}),
        digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
        verification_time=at,
    )
