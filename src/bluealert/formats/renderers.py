"""Every output format by name: an explicit registry of `(alert, context) -> bytes`.

Each renders the alert's current version as what it is: a Cancel renders as a cancellation
everywhere (WEA cancellation texts, a blanked sign, a cancellation teletype), and SAME, which
does not carry cancellations, raises `NotCarried` for it — the one refusal a caller should
expect for a valid version, and a sign to skip that channel, not a failure.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from bluealert.domain.alert import Alert
from bluealert.errors import InvalidInput
from bluealert.formats.cancellation import cancellation_of
from bluealert.formats.cap.build import Scope
from bluealert.formats.cap.document import cap_document
from bluealert.formats.context import RenderContext
from bluealert.formats.dms import PROFILES, compose_sign
from bluealert.formats.feeds.atom import render_atom
from bluealert.formats.feeds.geojson import render_geojson
from bluealert.formats.feeds.json_list import render_json_list
from bluealert.formats.feeds.rss import render_rss
from bluealert.formats.same.render import aired_version, same_audio, same_header
from bluealert.formats.teletype import compose_teletypes, render_teletypes
from bluealert.formats.wea import compose_wea

Renderer = Callable[[Alert, RenderContext], bytes]


def _cap(scope: Scope) -> Renderer:
    return lambda alert, ctx: cap_document(alert, ctx, scope=scope)


def _same_audio(alert: Alert, ctx: RenderContext) -> bytes:
    aired_version(alert, None, "same-audio")  # a Cancel is refused before anything else
    if ctx.speaker is None:
        raise InvalidInput("SAME audio needs a speaker (espeak-ng)", field="speaker")
    return same_audio(alert, ctx, ctx.speaker)


def _wea(alert: Alert, ctx: RenderContext) -> bytes:
    cancelled = cancellation_of(alert)
    texts = {
        f"{lang}.{limit}": compose_wea(alert.content, lang, limit, cancelled=cancelled)
        for lang in ("en", "es")
        for limit in (90, 360)
    }
    return json.dumps(
        {
            k: {
                "text": w.text,
                "length": len(w.text),
                "left_out": w.left_out,
                "shortened": w.shortened,
                "transliterated": w.transliterated,
            }
            for k, w in texts.items()
        },
        indent=2,
        ensure_ascii=False,
    ).encode()


def _dms(alert: Alert, ctx: RenderContext) -> bytes:
    """What a sign controller needs: display these pages, or blank the sign, and why."""
    profile = PROFILES[ctx.sign_profile]
    sign = compose_sign(alert.content, profile, cancelled=cancellation_of(alert))
    described = {
        "reference": alert.reference,
        "version": alert.current.number,
        "action": sign.action,
        "reason": sign.reason,
        "sign_profile": profile.name,
        "multi": sign.multi,
        "pages": sign.pages,
        "page_tenths": sign.page_tenths,
    }
    return json.dumps(described, indent=2).encode()


def _teletype(alert: Alert, ctx: RenderContext) -> bytes:
    return render_teletypes(compose_teletypes(alert)).encode()


RENDERERS: dict[str, Renderer] = {
    "cap": _cap("Public"),
    "cap-restricted": _cap("Restricted"),
    "same": lambda alert, ctx: same_header(alert, ctx).text.encode(),
    "same-audio": _same_audio,
    "wea": _wea,
    "dms": _dms,
    "teletype": _teletype,
    "atom": lambda alert, ctx: render_atom([alert], ctx),
    "rss": lambda alert, ctx: render_rss([alert], ctx),
    "geojson": lambda alert, ctx: render_geojson([alert], ctx),
    "json": lambda alert, ctx: render_json_list([alert], ctx),
}
BINARY = frozenset({"same-audio"})


def render(name: str, alert: Alert, ctx: RenderContext) -> bytes:
    try:
        renderer = RENDERERS[name]
    except KeyError:
        raise InvalidInput(
            f"unknown format {name!r}; one of {', '.join(RENDERERS)}", field="format"
        ) from None
    return renderer(alert, ctx)
