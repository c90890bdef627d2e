"""The notice of a new tip, mailed through SMTP (aiosmtplib) to the alert's agency and state
coordinators (`app.tips.tip_notice` says who and what): one message per person, so that no
one sees who else was told.

Sent after the tip is committed and answered; a notice that cannot be sent is logged
(`tip_notice_failed`) and not retried — the tip is stored, and its alert's unreviewed count in
the API and `bluealert tips list` shows it all the same.
"""

from __future__ import annotations

from email.message import EmailMessage
from urllib.parse import urlsplit

import aiosmtplib

from bluealert.app.tips import TipNotice
from bluealert.config import Settings
from bluealert.logs import get_logger

log = get_logger("bluealert.dispatch")
TIMEOUT_SECONDS = 30.0


def _message(settings: Settings, notice: TipNotice, to: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = notice.subject
    message.set_content(notice.text)
    return message


async def send_tip_notice(settings: Settings, notice: TipNotice) -> int:
    """Mail the notice to each of its people; how many the server accepted."""
    url = urlsplit(settings.smtp_url)
    sent = 0
    try:
        async with aiosmtplib.SMTP(
            hostname=url.hostname or "127.0.0.1",
            port=url.port or 25,
            use_tls=url.scheme == "smtps",
            username=url.username,
            password=url.password,
            timeout=TIMEOUT_SECONDS,
        ) as smtp:
            for to in notice.to:
                try:
                    await smtp.send_message(_message(settings, notice, to))
                    sent += 1
                except aiosmtplib.SMTPRecipientsRefused as refused:
                    log.warning(
                        "tip_notice_refused",
                        extra={"alert": notice.alert, "tip": notice.tip_id, "why": str(refused)},
                    )
    except (aiosmtplib.SMTPException, OSError) as failed:
        log.error(
            "tip_notice_failed",
            extra={"alert": notice.alert, "tip": notice.tip_id, "why": str(failed)},
        )
    log.info(
        "tip_notice_sent",
        extra={"alert": notice.alert, "tip": notice.tip_id, "sent": sent, "to": len(notice.to)},
    )
    return sent
