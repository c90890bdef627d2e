"""WEA texts, public texts, signs, teletype and the consistency check."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bluealert.domain.alert import sample_alert
from bluealert.errors import InvalidMessage
from bluealert.formats.consistency import check_consistency
from bluealert.formats.context import RenderContext
from bluealert.formats.dms import PROFILES, compose_sign, page_tenths
from bluealert.formats.gsm7 import is_gsm7, transliterate
from bluealert.formats.phrases import phrases
from bluealert.formats.public_text import compose_public_text
from bluealert.formats.teletype import compose_teletype
from bluealert.formats.wea import compose_wea
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("limit", [90, 360])
def test_wea_fits_uses_gsm7_and_never_cuts_a_word(language: str, limit: int) -> None:
    content = f.alert_content(NOW)
    wea = compose_wea(content, language, limit)  # type: ignore[arg-type]
    assert len(wea.text) <= limit
    assert is_gsm7(wea.text)
    pieces = {p.text for p in phrases(content, language)} | {  # type: ignore[arg-type]
        p.terse for p in phrases(content, language)
    }  # type: ignore[arg-type]
    rebuilt = wea.text
    for piece in sorted(pieces, key=len, reverse=True):
        rebuilt = rebuilt.replace(piece, "")
    assert rebuilt.strip() == "", "every part of the text is a whole phrase"


def test_wea_short_text_keeps_the_action_and_reports_what_did_not_fit() -> None:
    wea = compose_wea(f.alert_content(NOW), "en", 90)
    assert wea.text.startswith("BLUE ALERT:")
    assert "KZT4??1" in wea.text
    assert "Call 911." in wea.text
    assert "suspect0" in wea.left_out


def test_spanish_is_spanish() -> None:
    wea = compose_wea(f.alert_content(NOW), "es", 360)
    assert wea.text.startswith("ALERTA AZUL:")
    assert "No se acerque. Llame al 911." in wea.text
    assert "placa TX KZT4??1" in wea.text


def test_non_gsm_characters_are_transliterated_and_reported() -> None:
    content = f.alert_content(NOW, contact="Llame al 911 — José Martí")
    wea = compose_wea(content, "es", 360)
    assert "José Marti" in wea.text  # é is in the GSM alphabet, í is not
    assert set(wea.transliterated) == {"—", "í"}
    assert transliterate("“quoted”")[0] == '"quoted"'


def test_public_texts_never_carry_withheld_facts() -> None:
    content = f.alert_content(NOW, law_enforcement_notes="warrant 77")
    for language in ("en", "es"):
        text = compose_public_text(content, language)  # type: ignore[arg-type]
        assert "Lee Fictional" not in f"{text.description}{text.headline}"
        assert "warrant" not in f"{text.description}"


def test_hand_written_texts_win() -> None:
    content = f.alert_content(NOW, public_text={"en": {"headline": "Hand written"}})
    assert compose_public_text(content, "en").headline == "Hand written"


@pytest.mark.parametrize("profile", list(PROFILES.values()))
def test_signs_fit_two_pages_without_flashing(profile: object) -> None:
    sign = compose_sign(f.alert_content(NOW), profile)  # type: ignore[arg-type]
    assert len(sign.pages) <= 2
    assert all(len(line) <= sign.profile.characters for page in sign.pages for line in page)
    assert all(len(page) <= sign.profile.lines for page in sign.pages)
    assert "[fl" not in sign.multi
    assert sign.pages[0] == ["BLUE ALERT", "GRY FORD F150", "TX LIC KZT4??1"]
    assert sign.pages[1][-1] == "CALL 911"


def test_page_times_follow_the_human_factors_rule() -> None:
    assert page_tenths(["BLUE ALERT", "CALL 911"]) == 40  # 2 units x 2 s beats 4 words
    assert page_tenths(["A B C D E F G"]) == 70  # 7 words x 1 s beats 1 unit


def test_teletype_puts_officer_safety_first_and_limits_destinations() -> None:
    alert = sample_alert(f.alert_content(NOW), now=NOW, reference="TX-2026-0007")
    teletype = compose_teletype(alert)
    lines = teletype.text.splitlines()
    assert lines[:3] == ["AML", f.ORI, "TX"]
    assert lines[3].startswith("*** OFFICER SAFETY: SUSPECT ARMED AND DANGEROUS")
    with pytest.raises(InvalidMessage, match="at most 5"):
        compose_teletype(alert, destinations=["TX", "OK", "LA", "AR", "NM", "KS"])


def test_consistency_passes_and_names_what_disagrees() -> None:
    alert = sample_alert(f.alert_content(NOW), now=NOW, reference="TX-2026-0007")
    assert check_consistency(alert, RenderContext(now=NOW)) == []
    wide = RenderContext(now=NOW, sign_profile="3x21")
    assert check_consistency(alert, wide) == []
    no_number = sample_alert(
        f.alert_content(NOW, vehicles=[{"make": "Ford", "color": "grey"}]),
        now=NOW,
        reference="TX-2026-0008",
    )
    assert check_consistency(no_number, RenderContext(now=NOW)) == []
