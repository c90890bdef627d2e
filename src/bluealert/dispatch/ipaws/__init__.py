"""FEMA's IPAWS-OPEN: the CAP service's client, the COG's permissions, and a local stand-in.

IpawsAccount, IpawsClient   postCAP, ping, COG profile (zeep, WS-Security)
CogProfile, preflight       what the COG may send, checked before sending
PostAnswer, ChannelStatus   IPAWS's answer per channel (EAS, WEA, NWEM, public feed)
IpawsStandIn, CogAccount    the stand-in server for tests, the demo and the benchmark
"""

from bluealert.dispatch.ipaws.answers import ChannelStatus, PostAnswer
from bluealert.dispatch.ipaws.client import IpawsAccount, IpawsClient
from bluealert.dispatch.ipaws.cog import CapFacts, CogProfile, Preflight, cap_facts, preflight
from bluealert.dispatch.ipaws.standin import CogAccount, IpawsStandIn

__all__ = [
    "CapFacts",
    "ChannelStatus",
    "CogAccount",
    "CogProfile",
    "IpawsAccount",
    "IpawsClient",
    "IpawsStandIn",
    "PostAnswer",
    "Preflight",
    "cap_facts",
    "preflight",
]
