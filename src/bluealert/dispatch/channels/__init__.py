"""Channels by name: an explicit registry, plus third-party ones from an entry-point group.

A package adds a channel without touching the engine by declaring, in its pyproject.toml:

    [project.entry-points."bluealert.channels"]
    ipaws = "mypackage.ipaws:IpawsChannel"

where `IpawsChannel(settings)` implements `bluealert.dispatch.channels.base.Channel`.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from bluealert.dispatch.channels.apprise import AppriseChannel
from bluealert.dispatch.channels.base import ChannelFactory
from bluealert.dispatch.channels.cap_push import CapPushChannel
from bluealert.dispatch.channels.email import EmailChannel
from bluealert.dispatch.channels.ipaws import IpawsChannel
from bluealert.dispatch.channels.mqtt import MqttChannel
from bluealert.dispatch.channels.ntcip import NtcipChannel
from bluealert.dispatch.channels.web_push import WebPushChannel
from bluealert.dispatch.channels.webhook import WebhookChannel
from bluealert.errors import InvalidInput

ENTRY_POINT_GROUP = "bluealert.channels"

CHANNELS: dict[str, ChannelFactory] = {
    "apprise": AppriseChannel,
    "cap_push": CapPushChannel,
    "email": EmailChannel,
    "ipaws": IpawsChannel,
    "mqtt": MqttChannel,
    "web_push": WebPushChannel,
    "ntcip": NtcipChannel,
    "webhook": WebhookChannel,
}


@cache
def available() -> dict[str, ChannelFactory]:
    """The built-in channels and those installed packages declare (built-ins win a clash)."""
    found: dict[str, ChannelFactory] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        found[point.name] = point.load()
    return found | CHANNELS


def factory(name: str) -> ChannelFactory:
    try:
        return available()[name]
    except KeyError:
        raise InvalidInput(
            f"no channel {name!r}; one of {', '.join(sorted(available()))}", field="channel"
        ) from None
