"""One version, many renderings: do they agree, and does each keep to its limits?

The plate, the vehicle's make and the contact must read the same wherever they appear; every
channel must say something; WEA, SAME and sign limits must hold; every channel must render the
version as what it is — a Cancel as a cancellation (SAME, which carries none, refusing it), an
Exercise or Test with its mark. Each problem is a sentence naming the rendering and what
disagrees; a renderer that refuses the alert is one too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from bluealert.domain.alert import Alert
from bluealert.domain.tiers import public_view
from bluealert.errors import InvalidMessage, NotCarried
from bluealert.formats.cancellation import cancellation_of, practice_mark
from bluealert.formats.cap.build import CAP_NS, build_cap
from bluealert.formats.cap.validate import is_valid, validate_cap
from bluealert.formats.context import RenderContext
from bluealert.formats.dms import PROFILES, SignMessage, abbreviate, compose_sign
from bluealert.formats.gsm7 import is_gsm7, septets
from bluealert.formats.phrases import CANCELLED_ACTION, CANCELLED_HEADER
from bluealert.formats.plain_ascii import to_ascii
from bluealert.formats.public_text import compose_public_text
from bluealert.formats.same.header import parse_header
from bluealert.formats.same.render import PRACTICE_EVENT, same_header
from bluealert.formats.teletype import compose_teletypes, render_teletypes
from bluealert.formats.wea import compose_wea


def _sign(alert: Alert, ctx: RenderContext) -> SignMessage:
    return compose_sign(alert.content, PROFILES[ctx.sign_profile], cancelled=cancellation_of(alert))


CHANNELS: dict[str, Callable[[Alert, RenderContext], str]] = {
    "cap": lambda alert, ctx: build_cap(alert, alert.current.number, ctx).xml.decode(),
    "same": lambda alert, ctx: same_header(alert, ctx).text,
    "teletype": lambda alert, ctx: render_teletypes(compose_teletypes(alert)),
    # A blanked sign shows nothing: what it carries is why it is blank.
    "dms": lambda alert, ctx: _sign(alert, ctx).multi or _sign(alert, ctx).reason,
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
    """The text of every rendering of the current version, and the renderers that refused
    (a channel that does not carry the version, as SAME a Cancel, is left out, not refused)."""
    content, cancelled = alert.content, cancellation_of(alert)
    texts, refused = {}, []
    for name, render in CHANNELS.items():
        try:
            texts[name] = render(alert, ctx)
        except NotCarried:
            continue
        except InvalidMessage as error:
            refused.append(f"{name} cannot be rendered: {error}")
    for language in ("en", "es"):
        public = compose_public_text(content, language, cancelled=cancelled)
        texts[f"description.{language}"] = f"{public.description} {public.instruction}"
        for limit in (90, 360):
            wea = compose_wea(content, language, limit, cancelled=cancelled)
            texts[f"wea{limit}.{language}"] = wea.text
    return texts, refused


def check_consistency(alert: Alert, ctx: RenderContext) -> list[str]:
    texts, problems = renderings(alert, ctx)
    problems += [f"{name} is empty" for name, text in texts.items() if not text.strip()]
    problems += _limits(alert, ctx, texts)
    problems += _same_facts(alert, texts)
    problems += _same_version_kind(alert, texts)
    return problems


def _says_cancelled(name: str, text: str) -> bool:
    """Whether a rendering says, where its reader looks first, that the alert is cancelled."""
    if name == "cap":
        return etree.fromstring(text.encode()).findtext(f"{{{CAP_NS}}}msgType") == "Cancel"
    if name == "dms":
        return not text.startswith("[")  # a blanked sign: no MULTI, only its reason
    if name == "teletype":
        return "*** CANCEL: " in text
    if name.startswith("wea"):
        return any(header in text.split(":")[0] for header in CANCELLED_HEADER.values())
    return any(word in text for word in (CANCELLED_ACTION["en"], CANCELLED_ACTION["es"]))


def _carries_mark(name: str, text: str, mark: str) -> bool:
    if name == "cap":
        return etree.fromstring(text.encode()).findtext(f"{{{CAP_NS}}}status") != "Actual"
    if name == "same":
        return parse_header(text).event == PRACTICE_EVENT
    if name == "dms":
        return all(page.startswith(mark.upper()) for page in _sign_pages(text))
    if name == "teletype":
        return f"*** {mark} - " in text
    if name.startswith("description"):
        return True  # the CAP status and headline carry it; a description is facts
    return text.startswith(f"{mark} - ")


def _sign_pages(multi: str) -> list[str]:
    return [re.sub(r"^(\[[^]]*\])+", "", page) for page in multi.split("[np]")]


def _same_version_kind(alert: Alert, texts: dict[str, str]) -> list[str]:
    """Every channel renders the version as what it is: a Cancel, or a drill's mark."""
    cancelled = cancellation_of(alert) is not None
    problems = [
        f"{name} {'does not say' if cancelled else 'says'} the alert is cancelled"
        for name, text in texts.items()
        if name != "same" and _says_cancelled(name, text) != cancelled
    ]
    if cancelled and "same" in texts:  # ECIG: a Cancel is logged, never aired
        problems.append("same carries a Cancel, which EAS never airs")
    for name, text in texts.items():
        language = "es" if name.endswith(".es") else "en"
        mark = practice_mark(alert.status, language)
        if mark and not _carries_mark(name, text, mark):
            problems.append(f"{name} does not carry the {alert.status.value} mark ({mark})")
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
    sign = _sign(alert, ctx)
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
    # A blanked sign and a Cancel's 90 characters have no room for the vehicle.
    skipped = ("dms", "wea90") if cancellation_of(alert) else ()
    problems = []
    for fact, value in facts.items():
        for name in (n for n in CARRIERS[fact] if n in texts and not n.startswith(skipped)):
            if _comparable("", _as_written_in(name, value)) not in _comparable(name, texts[name]):
                problems.append(f"{name} does not carry the {fact} ({value})")
    return problems


def _as_written_in(name: str, value: str) -> str:
    """Signs write makes and colours in their standard abbreviations (CHEVY, VW)."""
    return abbreviate(value) if name == "dms" else value
