"""MQTT with aiomqtt, QoS 1: one topic per county of the alert, active alerts retained.

Topic: `<prefix>/<state>/<county FIPS>/<event code>/<reference>`, the prefix being the
recipient's address (e.g. `bluealert/v1`). The event code is BLU, or DMO for an Exercise or a
Test (as on SAME, so a drill can never be taken for the real thing). A sign controller or a
billboard subscribes to `bluealert/v1/TX/48113/#` and, thanks to the retained message, learns
of the alerts in force the moment it connects. The reference ends the topic because a retained
message is one per topic: two alerts in one county must not replace each other.

On a cancel, resolve or expiry the end is published (not retained), then every topic's retained
message is cleared with an empty retained payload (MQTT 3.1.1 §3.3.1.3). An update also clears the
counties its new area left.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from types import TracebackType
from typing import ClassVar
from urllib.parse import urlsplit

import aiomqtt

from bluealert.config import Settings
from bluealert.dispatch.channels.base import ChannelLimits, Delivered, Envelope, Outcome, RetryAfter
from bluealert.dispatch.channels.payload import body
from bluealert.dispatch.publication import TierMessage
from bluealert.domain.vocabulary import Status


def topics(prefix: str, message: TierMessage, counties: Sequence[str]) -> list[str]:
    code = "BLU" if message.status is Status.ACTUAL else "DMO"
    state_of = dict(zip(message.counties, message.county_states, strict=True))
    state_of.update(zip(message.earlier_counties, message.earlier_county_states, strict=True))
    return [f"{prefix.rstrip('/')}/{state_of[c]}/{c}/{code}/{message.reference}" for c in counties]


class MqttChannel:
    name: ClassVar[str] = "mqtt"

    def __init__(self, settings: Settings) -> None:
        self.limits = ChannelLimits(
            rate_per_second=settings.mqtt_rate_per_second,
            batch_size=200,
            timeout_seconds=10.0,
            concurrency=1,  # one connection; QoS 1 publishes are pipelined on it
        )
        url = urlsplit(settings.mqtt_url)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 1883
        self.username, self.password = url.username, url.password
        self._client: aiomqtt.Client | None = None

    def skip_reason(self, message: TierMessage) -> str | None:
        return None  # every version is published, every end clears the retained messages

    def _new_client(self) -> aiomqtt.Client:
        return aiomqtt.Client(
            self.host,
            self.port,
            username=self.username,
            password=self.password,
            timeout=self.limits.timeout_seconds,
            max_inflight_messages=100,
        )

    async def __aenter__(self) -> MqttChannel:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self._disconnect()

    async def _disconnect(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            with contextlib.suppress(aiomqtt.MqttError):
                await client.__aexit__(None, None, None)

    async def _connected(self) -> aiomqtt.Client:
        if self._client is None:
            client = self._new_client()
            await client.__aenter__()
            self._client = client
        return self._client

    async def _publish(self, envelope: Envelope) -> Outcome:
        message = envelope.message
        prefix = envelope.recipient.address
        text = body(message, envelope.recipient.formats).encode()
        client = await self._connected()
        current = topics(prefix, message, message.counties)
        if message.live:
            left = [c for c in message.earlier_counties if c not in message.counties]
            await asyncio.gather(*(client.publish(t, text, qos=1, retain=True) for t in current))
            await asyncio.gather(
                *(client.publish(t, b"", qos=1, retain=True) for t in topics(prefix, message, left))
            )
            return Delivered(f"retained on {len(current)} topic(s)")
        await asyncio.gather(*(client.publish(t, text, qos=1) for t in current))
        await asyncio.gather(*(client.publish(t, b"", qos=1, retain=True) for t in current))
        return Delivered(f"ended and cleared on {len(current)} topic(s)")

    async def send(self, envelopes: Sequence[Envelope]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for envelope in envelopes:
            try:
                outcomes.append(await self._publish(envelope))
            except (aiomqtt.MqttError, OSError, TimeoutError) as error:
                await self._disconnect()
                outcomes.append(RetryAfter(f"MQTT: {error}"))
        return outcomes
