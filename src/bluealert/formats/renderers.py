"""Every output format by name: an explicit registry of `(alert, context) -> bytes`."""

from __future__ import annotations

import json
from collections.abc import Callable

from bluealert.domain.alert import Alert
from bluealert.errors import InvalidInput
from bluealert.formats.cap.build import Scope, build_cap
from bluealert.formats.context import RenderContext
from bluealert.formats.dms import PROFILES, compose_sign
from bluealert.formats.feeds.atom import render_atom
from bluealert.formats.feeds.geojson import render_geojson
from bluealert.formats.feeds.json_list import render_json_list
from bluealert.formats.feeds.rss import render_rss
from bluealert.formats.same.render import same_audio, same_header
from bluealert.formats.teletype import compose_teletype
from bluealert.formats.wea import compose_wea

Renderer = Callable[[Alert, RenderContext], bytes]


def _cap(scope: Scope) -> Renderer:
    def render(alert: Alert, ctx: RenderContext) -> bytes:
        xml = build_cap(alert, alert.current.number, ctx, scope=scope).xml
        return ctx.signer.sign(xml) if ctx.signer else xml

    return render


def _same_audio(alert: Alert, ctx: RenderContext) -> bytes:
    if ctx.speaker is None:
        raise InvalidInput("SAME audio needs a speaker (espeak-ng)", field="speaker")
    return same_audio(alert, ctx, ctx.speaker)


def _wea(alert: Alert, ctx: RenderContext) -> bytes:
    texts = {
        f"{lang}.{limit}": compose_wea(alert.content, lang, limit)
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
    return compose_sign(alert.content, PROFILES[ctx.sign_profile]).multi.encode()


RENDERERS: dict[str, Renderer] = {
    "cap": _cap("Public"),
    "cap-restricted": _cap("Restricted"),
    "same": lambda alert, ctx: same_header(alert, ctx).text.encode(),
    "same-audio": _same_audio,
    "wea": _wea,
    "dms": _dms,
    "teletype": lambda alert, ctx: compose_teletype(alert).text.encode(),
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
