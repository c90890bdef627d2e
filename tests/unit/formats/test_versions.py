"""Every channel renders a version as what it is: a Cancel as a cancellation (SAME refusing it),
an Exercise or Test with its mark."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bluealert.domain import lifecycle
from bluealert.domain.alert import Alert, sample_alert
from bluealert.domain.vocabulary import Resolution
from bluealert.errors import InvalidInput, NotCarried
from bluealert.formats import consistency
from bluealert.formats.cap.build import build_cap
from bluealert.formats.consistency import check_consistency
from bluealert.formats.context import RenderContext
from bluealert.formats.dms import PROFILES, compose_sign
from bluealert.formats.gsm7 import is_gsm7, septets
from bluealert.formats.public_text import compose_public_text
from bluealert.formats.renderers import RENDERERS, render
from bluealert.formats.teletype import compose_teletypes
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
CTX = RenderContext(now=NOW)
LIMITS = {"en.90": 90, "en.360": 360, "es.90": 90, "es.360": 360}


def _active(**overrides: Any) -> Alert:
    return sample_alert(f.alert_content(NOW, **overrides), now=NOW, reference="TX-2026-0007")


def _cancelled(alert: Alert | None = None, reason: str = "vehicle found empty") -> Alert:
    return lifecycle.cancel(
        alert or _active(), user=f.TX_COORDINATOR, plan=f.plan(), reason=reason, now=LATER
    )


def _resolved(resolution: Resolution, alert: Alert | None = None) -> Alert:
    return lifecycle.resolve(
        alert or _active(),
        user=f.TX_COORDINATOR,
        plan=f.plan(),
        resolution=resolution,
        note="taken at the 5th St motel",
        now=LATER,
    )


def _wea(alert: Alert) -> dict[str, str]:
    texts = json.loads(render("wea", alert, CTX))
    return {name: texts[name]["text"] for name in LIMITS}


@pytest.mark.parametrize("ended", [_cancelled, lambda: _resolved(Resolution.THREAT_ENDED)])
def test_wea_of_a_cancel_says_so_within_its_limits_and_asks_nothing(ended: Any) -> None:
    texts = _wea(ended())
    for name, text in texts.items():
        assert septets(text) <= LIMITS[name]
        assert is_gsm7(text)
        assert "911" not in text
        assert "approach" not in text
        assert "acerque" not in text
    assert texts["en.90"].startswith("BLUE ALERT CANCELLED: Officer injured.")
    assert texts["es.90"].startswith("ALERTA AZUL CANCELADA: Agente herido.")
    assert texts["en.360"].endswith("This alert is cancelled; no action is needed.")
    # GSM 7-bit has no á nor ó: the Spanish reads without them.
    assert texts["es.360"].endswith("Esta alerta esta cancelada; no se requiere ninguna accion.")


@pytest.mark.parametrize(
    ("resolution", "english", "spanish", "terse"),
    [
        (
            Resolution.SUSPECT_APPREHENDED,
            "The suspect is in custody.",
            "El sospechoso esta detenido.",
            "Suspect in custody.",
        ),
        (
            Resolution.OFFICER_LOCATED,
            "The officer has been located.",
            "El agente fue localizado.",
            "Officer located.",
        ),
        (Resolution.THREAT_ENDED, "The threat has ended.", "La amenaza ha terminado.", ""),
    ],
)
def test_a_resolved_alert_says_how_it_ended(
    resolution: Resolution, english: str, spanish: str, terse: str
) -> None:
    alert = _resolved(resolution)
    texts = _wea(alert)
    assert english in texts["en.360"]
    assert spanish in texts["es.360"]
    assert terse in texts["en.90"]
    [teletype] = compose_teletypes(alert)
    assert f"OUTCOME: {english.upper()}" in teletype.text
    assert json.loads(render("dms", alert, CTX))["reason"].endswith(english)


def test_spanish_outcomes_agree_with_a_woman_and_with_two_suspects() -> None:
    two = [{"name": "A. Sample", "sex": "female"}, {"name": "B. Sample", "sex": "female"}]
    assert (
        "Las sospechosas estan detenidas."
        in _wea(_resolved(Resolution.SUSPECT_APPREHENDED, _active(suspects=two)))["es.360"]
    )
    officers = f.alert_data(NOW)["officers"]
    officers[0]["sex"] = "female"
    found = _resolved(Resolution.OFFICER_LOCATED, _active(officers=officers))
    assert "La agente fue localizada." in _wea(found)["es.360"]


def test_a_cancel_blanks_the_sign_and_says_why() -> None:
    sign = json.loads(render("dms", _cancelled(), CTX))
    assert sign["action"] == "blank"
    assert (sign["multi"], sign["pages"], sign["page_tenths"]) == ("", [], [])
    assert sign["reason"] == "Blue Alert cancelled."
    assert (sign["reference"], sign["version"]) == ("TX-2026-0007", 2)
    active = json.loads(render("dms", _active(), CTX))
    assert active["action"] == "display"
    assert active["multi"].startswith("[pt")
    assert active["pages"][0][0] == "BLUE ALERT"


def test_a_cancel_is_a_cancellation_teletype_with_the_coordinators_words() -> None:
    text = render("teletype", _cancelled(reason="vehicle found empty"), CTX).decode()
    lines = text.splitlines()
    assert lines[:3] == ["AML", f.ORI, "TX"]
    assert lines[3] == "*** CANCEL: BLUE ALERT TX-2026-0007 IS CANCELLED - NO LONGER IN EFFECT ***"
    assert "REF: REQUEST FOR STATEWIDE BROADCAST - CANCEL BLUE ALERT TX-2026-0007" in lines
    assert "REASON: VEHICLE FOUND EMPTY" in lines
    assert "CANCELLED: 2026-11-24 10:00Z" in lines
    assert "OFFICER SAFETY" not in text
    assert "VEHICLE: GREY 2018 FORD F-150, TX PLATE KZT4??1 (PARTIAL)" in lines


@pytest.mark.parametrize("channel", ["same", "same-audio"])
def test_same_refuses_a_cancel_by_name_and_reason(channel: str) -> None:
    with pytest.raises(NotCarried) as refused:
        render(channel, _cancelled(), CTX)
    assert refused.value.channel == channel
    assert "EAS does not carry cancellations" in str(refused.value)
    assert isinstance(refused.value, InvalidInput)  # the CLI's exit 2, never a traceback


def test_every_renderer_but_same_renders_a_cancel() -> None:
    cancelled = _cancelled()
    for name in RENDERERS:
        if name.startswith("same"):
            continue
        assert render(name, cancelled, CTX), name


def test_consistency_holds_for_a_cancel_and_a_resolution() -> None:
    assert check_consistency(_cancelled(), CTX) == []
    assert check_consistency(_resolved(Resolution.SUSPECT_APPREHENDED), CTX) == []
    wide = RenderContext(now=NOW, sign_profile="3x21")
    assert check_consistency(_cancelled(_active(status="Exercise")), wide) == []


def test_consistency_names_a_channel_that_renders_a_cancel_as_active(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def as_active(alert: Alert, ctx: RenderContext) -> str:
        return compose_sign(alert.content, PROFILES[ctx.sign_profile]).multi

    monkeypatch.setitem(consistency.CHANNELS, "dms", as_active)
    assert check_consistency(_cancelled(), CTX) == ["dms does not say the alert is cancelled"]
    assert check_consistency(_active(), CTX) == []


def test_consistency_names_a_channel_that_calls_an_active_alert_cancelled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cancel_text = render("teletype", _cancelled(), CTX).decode()
    monkeypatch.setitem(consistency.CHANNELS, "teletype", lambda alert, ctx: cancel_text)
    assert "teletype says the alert is cancelled" in check_consistency(_active(), CTX)


@pytest.mark.parametrize(
    ("status", "english", "spanish"),
    [("Exercise", "EXERCISE", "SIMULACRO"), ("Test", "TEST", "PRUEBA")],
)
def test_a_drill_is_marked_in_wea_signs_teletype_and_headline(
    status: str, english: str, spanish: str
) -> None:
    alert = _active(status=status)
    texts = _wea(alert)
    for name, text in texts.items():
        mark = english if name.startswith("en") else spanish
        assert text.startswith(f"{mark} - "), text
        assert septets(text) <= LIMITS[name]
    assert texts["en.90"].startswith(f"{english} - BLUE ALERT: Officer injured.")
    assert texts["es.90"].startswith(f"{spanish} - ALERTA AZUL: Agente herido.")
    for profile in PROFILES.values():
        sign = compose_sign(alert.content, profile)
        assert all(page[0].startswith(english) for page in sign.pages)
        assert all(len(line) <= profile.characters for page in sign.pages for line in page)
    [teletype] = compose_teletypes(alert)
    lines = teletype.text.splitlines()
    drill = f"*** {english} - {english} - {english}: NOT A REAL BLUE ALERT ***"
    assert lines[3] == drill
    assert lines[-1] == drill
    assert compose_public_text(alert.content, "es").headline.startswith(f"{spanish} - ")  # type: ignore[union-attr]
    assert check_consistency(alert, CTX) == []


def test_a_drill_sign_says_both_words_where_they_fit() -> None:
    alert = _active(status="Test")
    assert compose_sign(alert.content, PROFILES["3x18"]).pages[0][0] == "TEST BLUE ALERT"
    exercise = _active(status="Exercise")
    assert compose_sign(exercise.content, PROFILES["3x21"]).pages[0][0] == "EXERCISE BLUE ALERT"
    assert compose_sign(exercise.content, PROFILES["3x18"]).pages[0][0] == "EXERCISE"


def test_a_cancelled_drill_is_still_marked() -> None:
    alert = _cancelled(_active(status="Exercise"))
    texts = _wea(alert)
    assert texts["en.90"].startswith("EXERCISE - BLUE ALERT CANCELLED:")
    assert texts["es.90"].startswith("SIMULACRO - ALERTA AZUL CANCELADA:")
    assert json.loads(render("dms", alert, CTX))["reason"].startswith("EXERCISE - ")
    assert render("teletype", alert, CTX).decode().splitlines()[3].startswith("*** EXERCISE - ")


def test_consistency_names_a_channel_that_leaves_out_the_drill_mark(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    actual_sign = compose_sign(_active().content, PROFILES["3x18"]).multi
    monkeypatch.setitem(consistency.CHANNELS, "dms", lambda alert, ctx: actual_sign)
    problems = check_consistency(_active(status="Exercise"), CTX)
    assert problems == ["dms does not carry the Exercise mark (EXERCISE)"]


def test_the_public_cap_of_a_cancel_matches_the_wea_it_carries() -> None:
    cancelled = _cancelled()
    xml = build_cap(cancelled, 2, CTX).xml.decode()
    assert _wea(cancelled)["en.90"] in xml


def test_consistency_names_a_same_header_for_a_cancel(monkeypatch: pytest.MonkeyPatch) -> None:
    header = render("same", _active(), CTX).decode()
    monkeypatch.setitem(consistency.CHANNELS, "same", lambda alert, ctx: header)
    assert check_consistency(_cancelled(), CTX) == ["same carries a Cancel, which EAS never airs"]
    assert check_consistency(_active(), CTX) == []
