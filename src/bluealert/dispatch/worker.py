"""Send one batch: claim its rows, hand the channel what each recipient may see, settle.

The last gate before anything leaves is here, whatever the planner decided: never an Exercise
or a Test to a public subscriber, never the restricted message to the public tier (it is not
even in reach: a public recipient is handed `Publication.public`), and never a version in force
once the alert has ended, expired or moved on to a later version.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter, OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bluealert.app.context import AppContext, Transaction, transaction
from bluealert.app.subscriptions import forget_gone_subscriptions
from bluealert.dispatch.channels.base import (
    Channel,
    Delivered,
    Envelope,
    Failed,
    Gone,
    Outcome,
    Recipient,
    Skipped,
)
from bluealert.dispatch.planner import in_force
from bluealert.dispatch.publication import Publication, TierMessage, build_publication
from bluealert.dispatch.ratelimit import TokenBucket
from bluealert.dispatch.rendering import photo_type
from bluealert.domain.alert import Alert
from bluealert.domain.delivery import DeliveryState, Event, backoff_seconds
from bluealert.domain.partner import Tier
from bluealert.domain.subscription import PushKeys
from bluealert.domain.vocabulary import Status
from bluealert.logs import get_logger
from bluealert.store.deliveries import Claimed, DeliveryRepository, Settlement
from bluealert.store.partners import PartnerRepository, StoredPartner
from bluealert.store.renderings import RenderingRepository

log = get_logger("bluealert.dispatch")
S = DeliveryState


@dataclass
class _Loaded:
    """What one batch needs from the database, read in one transaction."""

    alerts: dict[str, Alert] = field(default_factory=dict)
    partners: dict[int, StoredPartner] = field(default_factory=dict)
    tokens: dict[int, str] = field(default_factory=dict)
    push_keys: dict[int, PushKeys] = field(default_factory=dict)


class BatchSender:
    """Sends batches through opened channels; one per dispatcher, shared by its consumers."""

    def __init__(
        self,
        ctx: AppContext,
        channels: dict[str, Channel],
        limiters: dict[str, TokenBucket],
        rng: random.Random,
    ) -> None:
        self.ctx = ctx
        self.channels = channels
        self.limiters = limiters
        self.rng = rng
        self._publications: OrderedDict[tuple[str, int, str], Publication] = OrderedDict()

    def _lease(self, channel: Channel) -> timedelta:
        return timedelta(
            seconds=max(
                self.ctx.settings.delivery_lease_seconds, 3 * channel.limits.timeout_seconds
            )
        )

    def _claim(
        self, ids: tuple[int, ...], channel: Channel, takeover: bool
    ) -> tuple[list[Claimed], _Loaded]:
        """Claim the batch's ready rows and read what sending them needs, in one transaction."""
        with transaction(self.ctx) as tx:
            claimed = DeliveryRepository(tx.session).claim(
                ids, self.ctx.clock(), self._lease(channel), takeover=takeover
            )
            return claimed, self._load(tx, claimed)

    def _load(self, tx: Transaction, claimed: list[Claimed]) -> _Loaded:
        loaded = _Loaded()
        if not claimed:
            return loaded
        for alert_id in {c.alert_id for c in claimed}:
            loaded.alerts[alert_id] = tx.alerts.get(alert_id)
        for key in {(c.alert_id, c.version, c.event) for c in claimed}:
            if key not in self._publications:
                alert_id, version, event = key
                rendered = RenderingRepository(tx.session).of_version(alert_id, version)
                alert = loaded.alerts[alert_id]
                self._publications[key] = build_publication(
                    alert, version, Event(event), rendered, photo_type(alert)
                )
                if len(self._publications) > 64:
                    self._publications.popitem(last=False)
        partner_ids = [int(c.recipient[1:]) for c in claimed if c.recipient.startswith("p")]
        if partner_ids:
            loaded.partners = PartnerRepository(tx.session).by_ids(partner_ids)
        subscriber_ids = [int(c.recipient[1:]) for c in claimed if c.recipient.startswith("s")]
        loaded.tokens = DeliveryRepository(tx.session).unsubscribe_tokens(subscriber_ids)
        pushed = [int(c.recipient[1:]) for c in claimed if c.channel == "web_push"]
        if pushed:
            loaded.push_keys = DeliveryRepository(tx.session).push_keys(pushed)
        return loaded

    def _recipient(self, c: Claimed, loaded: _Loaded) -> Recipient | str:
        """The recipient as the channel sees it, or why it must not be sent to."""
        number = int(c.recipient[1:])
        if c.recipient.startswith("s"):
            token = loaded.tokens.get(number)
            if token is None:
                return "the subscription was removed"
            url = f"{self.ctx.settings.base_url}/unsubscribe/{token}"
            keys = loaded.push_keys.get(number)
            return Recipient(c.recipient, c.address, c.language, ("cap",), None, url, keys)
        stored = loaded.partners.get(number)
        if stored is None or not stored.enabled:
            return "the partner is disabled"
        partner = stored.partner
        return Recipient(
            c.recipient,
            c.address,
            c.language,
            tuple(partner.formats),
            partner.secret,
            sign=partner.sign,
        )

    def _message_verdict(
        self, c: Claimed, loaded: _Loaded, channel: Channel
    ) -> tuple[TierMessage, Settlement | None]:
        """What a delivery's version and tier allow, whoever the recipient: the message, and
        a verdict when none may be sent (the same for every delivery of the batch alike)."""
        message = self._publications[(c.alert_id, c.version, c.event)].view(Tier(c.tier))
        if message.live:
            why = in_force(loaded.alerts[c.alert_id], c.version, self.ctx.clock())
            if why:
                return message, Settlement(c.id, S.SUPERSEDED, why)
        reason = channel.skip_reason(message)
        if reason:
            return message, Settlement(c.id, S.SKIPPED, reason)
        return message, None

    def _gate(
        self, c: Claimed, loaded: _Loaded, message: TierMessage, verdict: Settlement | None
    ) -> Envelope | Settlement:
        recipient = self._recipient(c, loaded)
        if isinstance(recipient, str):
            return Settlement(c.id, S.SKIPPED, recipient)
        public = recipient.is_subscriber or message.tier is Tier.PUBLIC
        if recipient.is_subscriber and message.tier is not Tier.PUBLIC:
            return Settlement(c.id, S.SKIPPED, "a subscriber gets the public tier only")
        if public and recipient.is_subscriber and message.status is not Status.ACTUAL:
            return Settlement(c.id, S.SKIPPED, f"never an {message.status.value} to the public")
        stored = loaded.partners.get(int(c.recipient[1:])) if not recipient.is_subscriber else None
        if stored is not None and not stored.partner.accepts(message.status):
            return Settlement(
                c.id, S.SKIPPED, f"the partner does not accept {message.status.value}"
            )
        if verdict is not None:
            return replace(verdict, id=c.id)
        return Envelope(c.key, recipient, message)

    def _gated(
        self, claimed: list[Claimed], loaded: _Loaded, channel: Channel
    ) -> Iterator[tuple[Claimed, Envelope | Settlement]]:
        verdicts: dict[tuple[str, int, str, str], tuple[TierMessage, Settlement | None]] = {}
        for c in claimed:
            key = (c.alert_id, c.version, c.event, c.tier)
            if key not in verdicts:
                verdicts[key] = self._message_verdict(c, loaded, channel)
            yield c, self._gate(c, loaded, *verdicts[key])

    def _settlement(
        self, c: Claimed, outcome: Outcome, channel: Channel, now: datetime
    ) -> Settlement:
        if isinstance(outcome, Delivered):
            latency = int((now - c.announced_at).total_seconds() * 1000)
            return Settlement(c.id, S.SENT, outcome.detail, sent_at=now, latency_ms=latency)
        if isinstance(outcome, Skipped):
            return Settlement(c.id, S.SKIPPED, outcome.reason)
        if isinstance(outcome, Gone):
            return Settlement(c.id, S.DEAD, f"gone: {outcome.reason}")
        if isinstance(outcome, Failed):
            return Settlement(c.id, S.DEAD, f"failed: {outcome.reason}")
        if c.attempts >= channel.limits.max_attempts:
            return Settlement(
                c.id, S.DEAD, f"gave up after {c.attempts} attempts: {outcome.reason}"
            )
        wait = outcome.seconds
        if wait is None:
            wait = backoff_seconds(c.attempts, self.rng, base=self.ctx.settings.retry_base_seconds)
        return Settlement(
            c.id, S.RETRYING, outcome.reason, next_attempt_at=now + timedelta(seconds=wait)
        )

    def _settle(self, settlements: list[Settlement]) -> None:
        with transaction(self.ctx) as tx:
            DeliveryRepository(tx.session).settle(settlements)

    async def send(
        self, channel_name: str, ids: tuple[int, ...], *, takeover: bool = False
    ) -> Counter[str]:
        """Send one batch; the counts of what became of it, by state."""
        channel = self.channels[channel_name]
        claimed, loaded = await asyncio.to_thread(self._claim, ids, channel, takeover)
        if not claimed:
            return Counter()
        ready: list[tuple[Claimed, Envelope]] = []
        settled: list[Settlement] = []
        gone: dict[int, str] = {}  # subscriptions whose address no longer exists
        for c, gated in self._gated(claimed, loaded, channel):
            if isinstance(gated, Envelope):
                ready.append((c, gated))
            else:
                settled.append(gated)
        if ready:
            await self.limiters[channel_name].acquire(len(ready))
            outcomes = await channel.send([e for _, e in ready])
            now = self.ctx.clock()
            settled += [
                self._settlement(c, o, channel, now)
                for (c, _), o in zip(ready, outcomes, strict=True)
            ]
            gone = {
                int(c.recipient[1:]): o.reason
                for (c, _), o in zip(ready, outcomes, strict=True)
                if isinstance(o, Gone) and c.recipient.startswith("s")
            }
        await asyncio.to_thread(self._settle, settled)
        if gone:
            await asyncio.to_thread(forget_gone_subscriptions, self.ctx, gone, channel_name)
        counts = Counter(s.state.value for s in settled)
        for s in settled:
            if s.state is S.DEAD:
                log.warning(
                    "delivery_dead",
                    extra={"action": "delivery_dead", "delivery": s.id, "reason": s.detail},
                )
        log.info(
            "deliveries_settled",
            extra={"action": "deliveries_settled", "channel": channel_name, **counts},
        )
        return counts
