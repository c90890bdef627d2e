"""No renderer ever exceeds a limit or produces output its validator rejects."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings

from bluealert.domain.alert import sample_alert
from bluealert.domain.content import AlertContent
from bluealert.domain.vocabulary import Status
from bluealert.formats.cancellation import practice_mark
from bluealert.formats.cap.build import build_cap
from bluealert.formats.cap.validate import is_valid, validate_cap
from bluealert.formats.consistency import check_consistency
from bluealert.formats.context import RenderContext
from bluealert.formats.dms import PROFILES, compose_sign
from bluealert.formats.feeds.geojson import render_geojson
from bluealert.formats.gsm7 import is_gsm7, septets
from bluealert.formats.same.header import TooManyLocations, parse_header
from bluealert.formats.same.render import same_header
from bluealert.formats.teletype import compose_teletypes
from bluealert.formats.wea import compose_wea
from bluealert.geo.areas import normalise_area
from tests.strategies import NOW, alert_contents
from tests.unit.formats.test_standards import assert_rfc7946

CTX = RenderContext(now=NOW)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(alert_contents())
def test_wea_texts_keep_their_limits_and_alphabet(content: AlertContent) -> None:
    for language in ("en", "es"):
        for limit in (90, 360):
            wea = compose_wea(content, language, limit)  # type: ignore[arg-type]
            assert septets(wea.text) <= limit
            assert is_gsm7(wea.text)
            mark = practice_mark(content.status, language)
            assert wea.text.startswith(f"{mark} - " if mark else ("BLUE ALERT", "ALERTA AZUL"))


@FAST
@given(alert_contents())
def test_cap_always_validates(content: AlertContent) -> None:
    alert = sample_alert(content, now=NOW, reference="TX-2026-0001")
    for scope in ("Public", "Restricted"):
        findings = validate_cap(build_cap(alert, 1, CTX, scope=scope).xml)  # type: ignore[arg-type]
        assert is_valid(findings), findings


@FAST
@given(alert_contents())
def test_signs_same_and_teletype_keep_their_limits(content: AlertContent) -> None:
    alert = sample_alert(content, now=NOW, reference="TX-2026-0001")
    for profile in PROFILES.values():
        sign = compose_sign(content, profile)
        assert len(sign.pages) <= profile.max_pages
        assert all(len(line) <= profile.characters for page in sign.pages for line in page)
    if len(normalise_area(content.area).same_codes) > 31:
        with pytest.raises(TooManyLocations) as raised:  # said so, offering whole states
            same_header(alert, CTX)
        assert all(code.endswith("000") for code in raised.value.whole_states)
    else:
        header = same_header(alert, CTX)
        assert parse_header(header.text) == header
        assert len(header.text) <= 252
    assert all(len(m.destinations) <= 5 for m in compose_teletypes(alert))


@FAST
@given(alert_contents())
def test_geojson_is_valid_rfc7946(content: AlertContent) -> None:
    alert = sample_alert(content.model_copy(update={"status": Status.ACTUAL}), now=NOW)
    [feature] = json.loads(render_geojson([alert], CTX))["features"]
    assert_rfc7946(feature["geometry"])  # counties too: the area's WEA polygon


@FAST
@given(alert_contents())
def test_feeds_always_parse(content: AlertContent) -> None:
    import feedparser

    from bluealert.formats.feeds.atom import render_atom
    from bluealert.formats.feeds.rss import render_rss

    alert = sample_alert(content, now=NOW, reference="TX-2026-0001")
    for renderer in (render_atom, render_rss):
        parsed = feedparser.parse(renderer([alert], CTX))
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert len(parsed.entries) == (1 if content.status.value == "Actual" else 0)


@FAST
@given(alert_contents())
def test_every_rendering_carries_the_same_facts(content: AlertContent) -> None:
    alert = sample_alert(content, now=NOW, reference="TX-2026-0001")
    problems = check_consistency(alert, CTX)
    assert [p for p in problems if "cannot be rendered" not in p] == []
