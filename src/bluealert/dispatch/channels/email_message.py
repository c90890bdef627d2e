"""The alert email: plain text and HTML with the suspect photo inline, built once per
(message, language, unsubscribe or not) and addressed per recipient by a few header lines."""

from __future__ import annotations

import html
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from functools import lru_cache

from bluealert.dispatch.publication import TierMessage
from bluealert.domain.partner import Tier

SUBJECT_PREFIX = {"Exercise": "[EXERCISE] ", "Test": "[TEST] ", "Actual": ""}
ALERT_NAME = {"en": "Blue Alert", "es": "Alerta Azul"}
PHOTO_CID = "suspect-photo@bluealert.invalid"


def _le_lines(message: TierMessage) -> list[str]:
    """The law-enforcement facts, only ever read from the restricted document."""
    if message.tier is not Tier.LAW_ENFORCEMENT:
        return []
    content = message.document.get("content", {})
    lines = ["", "LAW ENFORCEMENT ONLY"]
    for officer in content.get("officers", []):
        who = " ".join(filter(None, [officer.get("rank"), officer.get("name")]))
        lines.append(f"Officer: {who or 'identity not given'}, {officer.get('status')}")
    narrative = content.get("incident", {}).get("narrative")
    if narrative:
        lines.append(f"Narrative: {narrative}")
    if content.get("law_enforcement_notes"):
        lines.append(f"Notes: {content['law_enforcement_notes']}")
    if message.document.get("reason"):
        lines.append(f"Reason: {message.document['reason']}")
    teletype = message.formats.get("teletype")
    if teletype:
        lines += ["", teletype.decode()]
    return lines


def text_lines(message: TierMessage, language: str) -> list[str]:
    texts = message.texts.get(language) or message.texts["en"]
    return [
        texts["headline"],
        "",
        texts["description"],
        "",
        texts["instruction"],
        "",
        f"Reference {message.reference}, version {message.version}.",
        *_le_lines(message),
    ]


def subject(message: TierMessage, language: str) -> str:
    texts = message.texts.get(language) or message.texts["en"]
    prefix = SUBJECT_PREFIX.get(message.status.value, "")
    name = ALERT_NAME.get(language, ALERT_NAME["en"])
    return f"{prefix}{name} {message.reference}: {texts['headline']}"[:200]


def _html(lines: list[str], photo: bool) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines[1:] if line)
    image = f'<p><img src="cid:{PHOTO_CID}" alt="Suspect photo" width="240"></p>'
    return (
        "<!doctype html><html><body>"
        f"<h1>{html.escape(lines[0])}</h1>{image if photo else ''}{paragraphs}"
        "</body></html>"
    )


@lru_cache(maxsize=64)
def email_body(message: TierMessage, language: str, sender: str) -> bytes:
    """Everything but the per-recipient headers (To, Message-ID, List-Unsubscribe)."""
    lines = text_lines(message, language)
    mail = EmailMessage(policy=SMTP)
    mail["From"] = sender
    mail["Subject"] = subject(message, language)
    mail["Date"] = formatdate(localtime=False)
    mail.set_content("\n".join(lines))
    mail.add_alternative(_html(lines, message.photo is not None), subtype="html")
    mail["Content-Language"] = language  # after the content: set_content clears Content-*
    if message.photo is not None:
        data, media_type = message.photo
        maintype, subtype = media_type.split("/", 1)
        html_part = mail.get_payload()[1]  # type: ignore[index]
        assert isinstance(html_part, EmailMessage)
        html_part.add_related(
            data, maintype=maintype, subtype=subtype, cid=f"<{PHOTO_CID}>",
            filename=f"suspect.{subtype}", disposition="inline",
        )  # fmt: skip
    return mail.as_bytes()


def addressed(
    body: bytes, to: str, key: str, unsubscribe_url: str | None, mailto: str | None
) -> bytes:
    """Prepend the recipient's headers. RFC 8058: List-Unsubscribe with an HTTPS URI and
    List-Unsubscribe-Post "List-Unsubscribe=One-Click" make a one-click unsubscribe."""
    headers = [f"To: {to}", f"Message-ID: {make_msgid(idstring=_safe(key), domain='bluealert')}"]
    if unsubscribe_url:
        targets = f"<{unsubscribe_url}>" + (f", <mailto:{mailto}>" if mailto else "")
        headers += [
            f"List-Unsubscribe: {targets}",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        ]
    return ("\r\n".join(headers) + "\r\n").encode() + body


def _safe(key: str) -> str:
    return "".join(c if c.isalnum() or c in ".-" else "-" for c in key)
