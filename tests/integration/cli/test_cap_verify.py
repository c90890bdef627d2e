"""`cap verify` exits as its help says: 1 when the signature is refused, 2 for unreadable input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bluealert.cli.main import app
from tests.integration.formats.conftest import Identity, _identity

EXAMPLE = str(Path(__file__).resolve().parents[3] / "examples" / "alert-tx.yaml")


def _cli(*args: str) -> object:
    return CliRunner().invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "80"})


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("cap-verify")
    ca: Identity = _identity(tmp, "verify-ca")
    signer, stranger = _identity(tmp, "verify-signer", issuer=ca), _identity(tmp, "stranger")
    plain, signed = tmp / "plain.xml", tmp / "signed.xml"
    assert _cli("render", "--file", EXAMPLE, "--out", str(plain)).exit_code == 0  # type: ignore[attr-defined]
    keys = ("--key", str(signer.key_file), "--cert", str(signer.cert_file))
    assert _cli("cap", "sign", str(plain), *keys, "--out", str(signed)).exit_code == 0  # type: ignore[attr-defined]
    tampered = tmp / "tampered.xml"
    tampered.write_bytes(signed.read_bytes().replace(b"ABC1??4", b"ABC1234", 1))
    not_xml, not_pem = tmp / "notes.xml", tmp / "notes.pem"
    not_xml.write_text("this is not XML")
    not_pem.write_text("this is not a certificate")
    return {
        "ca": ca.cert_file,
        "stranger": stranger.cert_file,
        "plain": plain,
        "signed": signed,
        "tampered": tampered,
        "not xml": not_xml,
        "not pem": not_pem,
        "missing": tmp / "missing.xml",
    }


CASES: dict[str, tuple[Callable[[dict[str, Path]], tuple[Path, Path]], int, str]] = {
    "trusted": (lambda f: (f["signed"], f["ca"]), 0, "signature OK"),
    "signer not trusted": (lambda f: (f["signed"], f["stranger"]), 1, "not in the trust store"),
    "tampered": (lambda f: (f["tampered"], f["ca"]), 1, "does not verify"),
    "unsigned": (lambda f: (f["plain"], f["ca"]), 1, "not signed"),
    "file missing": (lambda f: (f["missing"], f["ca"]), 2, "No such file"),
    "not XML": (lambda f: (f["not xml"], f["ca"]), 2, "XML"),
    "trust file not PEM": (lambda f: (f["signed"], f["not pem"]), 2, "not a PEM certificate"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_cap_verify_exit_codes(files: dict[str, Path], case: str) -> None:
    pick, code, words = CASES[case]
    document, trust = pick(files)
    result = _cli("cap", "verify", str(document), "--trust", str(trust))
    assert result.exit_code == code, result.output  # type: ignore[attr-defined]
    assert words in result.output  # type: ignore[attr-defined]
    as_json = _cli("cap", "verify", str(document), "--trust", str(trust), "--json")
    assert as_json.exit_code == code  # type: ignore[attr-defined]
    printed = json.loads(as_json.stdout)  # type: ignore[attr-defined]
    if code == 2:
        assert printed["error"]["kind"] == "bad_input"
    else:
        assert printed["verified"] is (code == 0)
        assert (printed["problem"] is None) is (code == 0)


def test_cap_verify_help_states_the_exit_codes_the_code_uses() -> None:
    text = " ".join(_cli("cap", "verify", "--help").stdout.split())  # type: ignore[attr-defined]
    assert "Exit 1 when the document is unsigned, its signature does not verify" in text
    assert "2 when the file or the trusted certificates cannot be read" in text
