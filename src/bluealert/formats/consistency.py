"""One version, many renderings: do they agree, and does each keep to its limits?

The plate, the vehicle's make and the contact must read the same wherever they appear; every
channel must say something; WEA, SAME and sign limits must hold. Each problem is a sentence
naming the rendering and what disagrees.
"""

from __future__ import annotations

from bluealert.domain.alert import Alert
from bluealert.domain.tiers import public_view
from bluealert.formats.cap.build import build_cap
from bluealert.formats.cap.validate import is_valid, validate_cap
from bluealert.formats.context import RenderContext
from bluealert.formats.dms import PROFILES, compose_sign
from bluealert.formats.gsm7 import is_gsm7
from bluealert.formats.public_text import compose_public_text
from bluealert.formats.same.header import parse_header
from bluealert.formats.same.render import same_header
from bluealert.formats.teletype import compose_teletype
from bluealert.formats.wea import compose_wea


def renderings(alert: Alert, ctx: RenderContext) -> dict[str, str]:
    """The text of every public and law-enforcement rendering of the current version."""
    content = alert.content
    texts = {
        "cap": build_cap(alert, alert.current.number, ctx).xml.decode(),
        "same": same_header(alert, ctx).text,
        "teletype": compose_teletype(alert).text,
        "dms": compose_sign(content, PROFILES[ctx.sign_profile]).multi,
    }
    for language in ("en", "es"):
        public = compose_public_text(content, language)
        texts[f"description.{language}"] = f"{public.description} {public.instruction}"
        for limit in (90, 360):
            texts[f"wea{limit}.{language}"] = compose_wea(content, language, limit).text
    return texts


def check_consistency(alert: Alert, ctx: RenderContext) -> list[str]:
    texts = renderings(alert, ctx)
    problems = [f"{name} is empty" for name, text in texts.items() if not text.strip()]
    problems += _limits(alert, ctx, texts)
    problems += _same_facts(alert, texts)
    return problems


def _limits(alert: Alert, ctx: RenderContext, texts: dict[str, str]) -> list[str]:
    problems = []
    for name, text in texts.items():
        if name.startswith("wea"):
            limit = int(name[3:].split(".")[0])
            if len(text) > limit:
                problems.append(f"{name} is {len(text)} characters, over {limit}")
            if not is_gsm7(text):
                problems.append(f"{name} has characters outside the GSM 7-bit alphabet")
    if not is_valid(validate_cap(texts["cap"].encode())):
        problems.append("cap does not validate")
    header = parse_header(texts["same"])
    if len(header.locations) > 31:
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


def _same_facts(alert: Alert, texts: dict[str, str]) -> list[str]:
    content = public_view(alert.content)
    problems = []
    facts: dict[str, list[str]] = {"contact": [content.contact]}
    for vehicle in content.vehicles[:1]:
        if vehicle.plate:
            facts["plate"] = [vehicle.plate.number]
        if vehicle.make:
            facts["vehicle make"] = [vehicle.make.upper()]
    carriers = {
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
    for fact, values in facts.items():
        for name in carriers[fact]:
            haystack = texts[name].upper()
            if not any(v.upper() in haystack for v in values):
                problems.append(f"{name} does not carry the {fact} ({values[0]})")
    return problems
