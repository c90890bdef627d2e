"""One version, many renderings: do they agree, and does each keep to its limits?

The plate, the vehicle's make and the contact must read the same wherever they appear; every
channel must say something; WEA, SAME and sign limits must hold. Each problem is a sentence
naming the rendering and what disagrees; a renderer that refuses the alert is one too.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from bluealert.domain.alert import Alert
from bluealert.domain.tiers import public_view
from bluealert.errors import InvalidMessage
from bluealert.formats.cap.build import build_cap
from bluealert.formats.cap.validate import is_valid, validate_cap
from bluealert.formats.context import RenderContext
from bluealert.formats.dms import PROFILES, abbreviate, compose_sign
from bluealert.formats.gsm7 import is_gsm7, septets
from bluealert.formats.plain_ascii import to_ascii
from bluealert.formats.public_text import compose_public_text
from bluealert.formats.same.header import parse_header
from bluealert.formats.same.render import same_header
from bluealert.formats.teletype import compose_teletype
from bluealert.formats.wea import compose_wea

CHANNELS: dict[str, Callable[[Alert, RenderContext], str]] = {
    "cap": lambda alert, ctx: build_cap(alert, alert.current.number, ctx).xml.decode(),
    "same": lambda alert, ctx: same_header(alert, ctx).text,
    "teletype": lambda alert, ctx: compose_teletype(alert).text,
    "dms": lambda alert, ctx: compose_sign(alert.content, PROFILES[ctx.sign_profile]).multi,
}
CARRIERS = {
    "plate": [
        "cap",
        "teletype",
        "dms",
        "description.en",
        "description.es",
        "wea360.en",
        "wea360.es",
        "wea90.en",
    ],
    "vehicle make": ["cap", "teletype", "dms", "description.en", "wea360.en"],
    "contact": ["cap", "teletype"],
}


def renderings(alert: Alert, ctx: RenderContext) -> tuple[dict[str, str], list[str]]:
    """The text of every rendering of the current version, and the renderers that refused."""
    content = alert.content
    texts, refused = {}, []
    for name, render in CHANNELS.items():
        try:
            texts[name] = render(alert, ctx)
        except InvalidMessage as error:
            refused.append(f"{name} cannot be rendered: {error}")
    for language in ("en", "es"):
        public = compose_public_text(content, language)
        texts[f"description.{language}"] = f"{public.description} {public.instruction}"
        for limit in (90, 360):
            texts[f"wea{limit}.{language}"] = compose_wea(content, language, limit).text
    return texts, refused


def check_consistency(alert: Alert, ctx: RenderContext) -> list[str]:
    texts, problems = renderings(alert, ctx)
    problems += [f"{name} is empty" for name, text in texts.items() if not text.strip()]
    problems += _limits(alert, ctx, texts)
    problems += _same_facts(alert, texts)
    return problems


def _wea_limits(texts: dict[str, str]) -> list[str]:
    problems = []
    for name, text in texts.items():
        if name.startswith("wea"):
            limit = int(name[3:].split(".")[0])
            if septets(text) > limit:
                problems.append(f"{name} is {septets(text)} characters, over {limit}")
            if not is_gsm7(text):
                problems.append(f"{name} has characters outside the GSM 7-bit alphabet")
    return problems


def _limits(alert: Alert, ctx: RenderContext, texts: dict[str, str]) -> list[str]:
    problems = _wea_limits(texts)
    if "cap" in texts and not is_valid(validate_cap(texts["cap"].encode())):
        problems.append("cap does not validate")
    if "same" in texts and len(parse_header(texts["same"]).locations) > 31:
        problems.append("same has more than 31 locations")
    sign = compose_sign(alert.content, PROFILES[ctx.sign_profile])
    width = sign.profile.characters
    for page in sign.pages:
        problems += [
            f"dms line {line!r} is wider than {width}" for line in page if len(line) > width
        ]
    if len(sign.pages) > sign.profile.max_pages:
        problems.append(f"dms has {len(sign.pages)} pages, over {sign.profile.max_pages}")
    return problems


def _comparable(name: str, text: str) -> str:
    """What a reader sees, in one spelling: CAP unescaped, wrapped lines joined, plain ASCII."""
    if name == "cap":
        text = " ".join(str(t) for t in etree.fromstring(text.encode()).itertext())
    return " ".join(to_ascii(text).upper().split())


def _same_facts(alert: Alert, texts: dict[str, str]) -> list[str]:
    content = public_view(alert.content)
    facts: dict[str, str] = {"contact": content.contact}
    for vehicle in content.vehicles[:1]:
        if vehicle.plate:
            facts["plate"] = vehicle.plate.number
        if vehicle.make:
            facts["vehicle make"] = vehicle.make
    problems = []
    for fact, value in facts.items():
        for name in (n for n in CARRIERS[fact] if n in texts):
            if _comparable("", _as_written_in(name, value)) not in _comparable(name, texts[name]):
                problems.append(f"{name} does not carry the {fact} ({value})")
    return problems


def _as_written_in(name: str, value: str) -> str:
    """Signs write makes and colours in their standard abbreviations (CHEVY, VW)."""
    return abbreviate(value) if name == "dms" else value
