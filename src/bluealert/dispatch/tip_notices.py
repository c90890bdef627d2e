"""The notice of a new tip, mailed through SMTP (aiosmtplib) to law enforcement (`app.tips.
tip_notice` says who and what): one message per address, so that no one sees who else was told.

Sent after the tip is committed and answered, then audited (`tip.notified`: who was told, who
was refused, why none went). A notice that cannot be sent is logged (`tip_notice_failed`) and
not retried — the tip is stored, and its alert's unreviewed count in the API and `bluealert
tips list` shows it all the same.
"""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from urllib.parse import urlsplit

import aiosmtplib

from bluealert.app.context import AppContext
from bluealert.app.tips import NoticeOutcome, TipNotice, record_tip_notice, tip_notice
from bluealert.config import Settings
from bluealert.domain.tips import Tip
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


async def send_tip_notice(settings: Settings, notice: TipNotice) -> NoticeOutcome:
    """Mail the notice to each of its addresses; which the server took, which it refused."""
    url = urlsplit(settings.smtp_url)
    ids = {"alert": notice.alert, "tip": notice.tip_id}
    accepted: list[str] = []
    refused: list[str] = []
    failed = None
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
                    accepted.append(to)
                except aiosmtplib.SMTPRecipientsRefused as why:
                    refused.append(to)
                    log.warning(
                        "tip_notice_refused",
                        extra={"action": "tip_notice_refused", **ids, "why": str(why)},
                    )
    except (aiosmtplib.SMTPException, OSError) as why:
        failed = str(why)
        log.error("tip_notice_failed", extra={"action": "tip_notice_failed", **ids, "why": failed})
    log.info(
        "tip_notice_sent",
        extra={"action": "tip_notice_sent", **ids, "sent": len(accepted), "to": len(notice.to)},
    )
    return NoticeOutcome(tuple(accepted), tuple(refused), failed)


async def tell_of_tip(ctx: AppContext, tip: Tip) -> None:
    """Mail law enforcement that a tip came (never what it says), and audit what became of it."""
    notice = await asyncio.to_thread(tip_notice, ctx, tip=tip)
    if notice is None:
        return
    outcome = await send_tip_notice(ctx.settings, notice)
    await asyncio.to_thread(record_tip_notice, ctx, notice, outcome)
