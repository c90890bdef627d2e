"""WEA texts, public texts, signs, teletype and the consistency check."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt
import pytest

from bluealert.domain.alert import sample_alert
from bluealert.domain.content import AlertContent
from bluealert.formats.consistency import check_consistency
from bluealert.formats.context import RenderContext
from bluealert.formats.dms import PROFILES, compose_sign, page_tenths
from bluealert.formats.gsm7 import is_gsm7, transliterate
from bluealert.formats.phrases import phrases
from bluealert.formats.public_text import compose_public_text
from bluealert.formats.renderers import render
from bluealert.formats.same.audio import read_wav
from bluealert.formats.same.decoder import decode
from bluealert.formats.same.render import same_audio, same_header
from bluealert.formats.teletype import compose_teletypes
from bluealert.formats.wea import compose_spoken, compose_wea
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("limit", [90, 360])
def test_wea_fits_uses_gsm7_and_never_cuts_a_word(language: str, limit: int) -> None:
    content = f.alert_content(NOW)
    wea = compose_wea(content, language, limit)  # type: ignore[arg-type]
    assert len(wea.text) <= limit
    assert is_gsm7(wea.text)
    found = phrases(content, language)  # type: ignore[arg-type]
    pieces = {transliterate(text)[0] for p in found for text in (p.text, p.terse)}
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
    assert "Call 911" not in wea.text  # the contact "Call 911" is what the instructions say


def test_spanish_for_people_keeps_its_accents_and_only_wea_drops_them() -> None:
    content = f.alert_content(NOW)
    description = compose_public_text(content, "es").description or ""
    assert "Vehículo: Ford F-150 gris modelo 2018, placa TX KZT4??1 (parcial)." in description
    assert "Sospechoso: Jordan Q. Sample, hombre blanco, de 30 a 35 años" in description
    wea = compose_wea(content, "es", 360)
    assert "Vehiculo: Ford F-150 gris modelo 2018" in wea.text
    assert "í" in wea.transliterated
    assert "de 30 a 35 años" in wea.text  # ñ is in the GSM alphabet
    assert "Vehículo: Ford F-150 gris" in compose_spoken(content, "es")


class RecordingSpeaker:
    """Says nothing; remembers what it was asked to say."""

    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []

    def speak(self, text: str, language: str) -> npt.NDArray[np.float32]:
        self.said.append((language, text))
        return np.zeros(100, dtype=np.float32)


def test_the_eas_audio_speaks_spanish_with_its_accents() -> None:
    speaker = RecordingSpeaker()
    alert = sample_alert(f.alert_content(NOW), now=NOW, reference="TX-2026-0007")
    same_audio(alert, RenderContext(now=NOW), speaker)
    [(_, english), (language, spanish)] = speaker.said
    assert language == "es"
    assert "Vehículo: Ford F-150 gris modelo 2018" in spanish
    assert english.startswith("BLUE ALERT: Officer seriously injured")


@pytest.mark.parametrize("status", ["Exercise", "Test"])
def test_an_exercise_never_sounds_like_a_blue_alert_on_air(status: str) -> None:
    alert = sample_alert(f.alert_content(NOW, status=status), now=NOW, reference="TX-2026-0007")
    speaker = RecordingSpeaker()
    samples, rate = read_wav(same_audio(alert, RenderContext(now=NOW), speaker))
    [header] = decode(samples, rate).headers
    assert header.startswith("ZCZC-CIV-DMO-048113-048121+")
    assert [text.split(". ")[0] for _, text in speaker.said] == [
        "This is an exercise",
        "Esto es un simulacro",
    ]
    actual = sample_alert(f.alert_content(NOW), now=NOW, reference="TX-2026-0007")
    assert "-BLU-" in same_header(actual, RenderContext(now=NOW)).text


def test_the_long_texts_never_say_call_911_twice() -> None:
    content = f.alert_content(NOW, contact="Call 911 or the sheriff at 214-555-0100")
    english = compose_wea(content, "en", 360).text
    spanish = compose_wea(content, "es", 360).text
    assert english.endswith("Call 911. Or call the sheriff at 214-555-0100.")
    assert spanish.endswith("Llame al 911. O llame al sheriff al 214-555-0100.")
    assert compose_spoken(content, "en").count("911") == 1
    description = compose_public_text(content, "en").description or ""
    assert "Or call" not in description  # the description does not carry the instruction
    alert = sample_alert(content, now=NOW, reference="TX-2026-0007")
    assert check_consistency(alert, RenderContext(now=NOW)) == []


@pytest.mark.parametrize(
    ("contact", "english_end", "spanish_end"),
    [
        (
            "Call 911, or the sheriff at 214-555-0100",
            "Call 911. Or call the sheriff at 214-555-0100.",
            "Llame al 911. O llame al sheriff al 214-555-0100.",
        ),
        (
            "call 911 or the sheriff at 214-555-0100.",
            "Call 911. Or call the sheriff at 214-555-0100.",
            "Llame al 911. O llame al sheriff al 214-555-0100.",
        ),
        (
            "Call 911 or (214) 555-0100",
            "Call 911. Or call (214) 555-0100.",
            "Llame al 911. O llame al (214) 555-0100.",
        ),
        ("Call 911 or text TIPS to 274637", "Call 911 or text TIPS to 274637.", "Llame al 911."),
        ("Call 911", "Do not approach. Call 911.", "No se acerque. Llame al 911."),
    ],
)
def test_contacts_as_agencies_write_them_never_say_911_twice_in_spanish(
    contact: str, english_end: str, spanish_end: str
) -> None:
    content = f.alert_content(NOW, contact=contact)
    assert compose_wea(content, "en", 360).text.endswith(english_end)
    spanish = compose_wea(content, "es", 360).text
    assert spanish.endswith(spanish_end)
    assert spanish.count("911") == 1


def test_spanish_terse_vehicle_puts_the_colour_after_the_model() -> None:
    wea = compose_wea(f.alert_content(NOW), "es", 90)
    expected = "ALERTA AZUL: Agente herido. Ford F-150 gris, placa TX KZT4??1. Llame al 911."
    assert wea.text == expected


def test_spanish_agrees_with_a_woman_and_shades_follow_the_colour() -> None:
    content = f.alert_content(
        NOW,
        suspects=[{"sex": "female", "race": "asian", "age": 40, "armed_and_dangerous": True}],
        vehicles=[{"make": "Kia", "model": "Soul", "color": "dark blue"}],
    )
    description = compose_public_text(content, "es").description or ""
    assert "Sospechosa: mujer asiática, de 40 años." in description
    assert "Armada y peligrosa." in description
    assert "Vehículo: Kia Soul azul oscuro." in description


@pytest.mark.parametrize(
    ("direction", "spanish"),
    [
        ("northbound I-35E", "rumbo al norte por I-35E"),
        ("west on US-380", "rumbo al oeste por US-380"),
        ("southbound", "rumbo al sur"),
        ("unknown", None),
    ],
)
def test_spanish_sightings_read_naturally(direction: str, spanish: str | None) -> None:
    sighting = {"place": {"description": "Lewisville"}, "at": NOW.isoformat()}
    vehicle = {"make": "Ford", "direction_of_travel": direction, "last_seen": sighting}
    content = f.alert_content(NOW, vehicles=[vehicle])
    description = compose_public_text(content, "es").description or ""
    said = f", {spanish}" if spanish else ""  # English words are left out, not quoted
    assert f"Visto por última vez en Lewisville{said}." in description
    assert "con direccion" not in description


def test_spanish_contact_is_said_in_spanish() -> None:
    content = f.alert_content(NOW, contact="Call 911 or Dallas County Sheriff at 214-555-0100")
    description = compose_public_text(content, "es").description or ""
    assert description.endswith("Llame al 911 o a Dallas County Sheriff al 214-555-0100.")
    written = f.alert_content(NOW, contact="Sheriff: 214-555-0100")
    assert (compose_public_text(written, "es").description or "").endswith("Llame al 214-555-0100.")


def test_non_gsm_characters_are_transliterated_and_reported() -> None:
    content = f.alert_content(NOW, contact="Call 911 — José Martí")
    wea = compose_wea(content, "en", 360)
    assert "José Marti" in wea.text  # é is in the GSM alphabet, í is not
    assert wea.transliterated == ["í", "—"]
    assert transliterate("“quoted”")[0] == '"quoted"'


def test_emoji_are_dropped_and_reported_not_turned_into_question_marks() -> None:
    content = f.alert_content(NOW, contact="Call 911 📞 or 214-555-0100")
    wea = compose_wea(content, "en", 360)
    assert "Call 911 or 214-555-0100." in wea.text
    assert wea.transliterated == ["📞"]


def _two_vehicles_two_suspects() -> AlertContent:
    seen = {"place": {"description": "I-35E near Lewisville"}, "at": NOW.isoformat()}
    suspect = {"name": "Jordan Q. Sample", "sex": "male", "age": "30-35"}
    return f.alert_content(
        NOW,
        vehicles=[
            {
                "year": 2018,
                "make": "Ford",
                "model": "F-150",
                "color": "grey",
                "plate": {"state": "TX", "number": "KZT4??1"},
                "direction_of_travel": "northbound I-35E",
                "last_seen": seen,
            },
            {"make": "Chevrolet", "model": "Silverado", "plate": {"number": "ABC123"}},
        ],
        suspects=[
            dict(suspect, clothing="black hooded sweatshirt, " * 4 + "jeans"),
            dict(suspect, name="Casey Q. Example", clothing="red jacket", armed_and_dangerous=True),
        ],
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_wea_keeps_where_and_what_to_do_before_lesser_facts(language: str) -> None:
    wea = compose_wea(_two_vehicles_two_suspects(), language, 360)  # type: ignore[arg-type]
    assert "instructions" not in wea.left_out
    assert "last_seen0" not in wea.left_out
    assert wea.text.endswith(("Do not approach. Call 911.", "No se acerque. Llame al 911."))
    assert "suspect0" in wea.left_out
    assert "suspect1" in wea.left_out, "a second suspect is never read as if the only one"
    assert "Casey" not in wea.text


def test_the_wea_rendering_reports_what_was_shortened_left_out_and_transliterated() -> None:
    alert = sample_alert(f.alert_content(NOW), now=NOW, reference="TX-2026-0007")
    texts = json.loads(render("wea", alert, RenderContext(now=NOW)))
    assert texts["es.360"]["transliterated"] == ["í"]
    assert texts["en.90"]["left_out"] == ["suspect0", "armed"]
    assert texts["en.90"]["shortened"] == []


def test_armed_and_dangerous_is_said_when_only_a_later_suspect_is() -> None:
    content = f.alert_content(
        NOW, suspects=[{"name": "A. Sample"}, {"name": "B. Sample", "armed_and_dangerous": True}]
    )
    description = compose_public_text(content, "en").description or ""
    assert "Suspect: B. Sample. Armed and dangerous." in description


def test_a_long_fact_falls_back_to_its_terse_form_and_says_so() -> None:
    long_place = "the parking lot behind the old feed store " * 4
    content = f.alert_content(
        NOW,
        incident={"occurred_at": NOW.isoformat(), "location": {"description": long_place[:199]}},
        instructions="Do not approach the vehicle or the suspect under any circumstances; "
        "keep your distance, note the direction of travel and Call 911 at once. " * 3,
    )
    wea = compose_wea(content, "en", 360)
    assert "instructions" in wea.shortened
    assert wea.text.endswith("Call 911.")
    assert "instructions" not in wea.left_out


def test_public_texts_never_carry_withheld_facts() -> None:
    content = f.alert_content(NOW, law_enforcement_notes="warrant 77")
    for language in ("en", "es"):
        text = compose_public_text(content, language)  # type: ignore[arg-type]
        assert "Lee Fictional" not in f"{text.description}{text.headline}"
        assert "warrant" not in f"{text.description}"


def test_a_released_identity_is_named_in_the_public_texts() -> None:
    data = f.alert_data(NOW)
    data["officers"][0].update(
        {"rank": "Deputy", "name": "Lee Fictional", "identity_released": True}
    )
    content = f.alert_content(NOW, officers=data["officers"])
    english = compose_public_text(content, "en").description or ""
    spanish = compose_public_text(content, "es").description or ""
    assert "Officer: Deputy Lee Fictional, Lone Prairie County" in english
    assert "Agente: Deputy Lee Fictional, Lone Prairie County" in spanish
    assert english.index("Officer:") < english.index("Vehicle:")


def test_a_long_headline_is_cut_between_words() -> None:
    place = "Farm to Market Road 1171 between Flower Mound and Lewisville " * 3
    content = f.alert_content(
        NOW, incident={"occurred_at": NOW.isoformat(), "location": {"description": place[:199]}}
    )
    headline = compose_public_text(content, "en").headline or ""
    whole = f"Officer seriously injured - {place[:199]}"
    assert len(headline) <= 160
    assert headline.endswith("…")
    assert whole.startswith(headline[:-1])
    assert whole[len(headline) - 1] == " ", "the cut falls between two words"


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


def test_free_text_never_opens_a_multi_tag_or_leaves_the_sign_font() -> None:
    vehicle = {"make": "Citroën", "model": "C4[fl]", "color": "grey", "plate": {"number": "KZT41"}}
    sign = compose_sign(f.alert_content(NOW, vehicles=[vehicle]), PROFILES["3x21"])
    assert sign.pages[0][1] == "GRY CITROEN C4FL"
    assert sign.multi.count("[") == sign.multi.count("]")
    assert "[fl" not in sign.multi.lower()
    assert sign.multi.isascii()


def test_page_times_follow_the_human_factors_rule() -> None:
    assert page_tenths(["BLUE ALERT", "CALL 911"]) == 40  # 2 units x 2 s beats 4 words
    assert page_tenths(["A B C D E F G"]) == 70  # 7 words x 1 s beats 1 unit


def test_teletype_puts_officer_safety_first_and_limits_destinations() -> None:
    alert = sample_alert(f.alert_content(NOW), now=NOW, reference="TX-2026-0007")
    [teletype] = compose_teletypes(alert)
    lines = teletype.text.splitlines()
    assert lines[:3] == ["AML", f.ORI, "TX"]
    assert lines[3].startswith("*** OFFICER SAFETY: SUSPECT ARMED AND DANGEROUS")
    six = compose_teletypes(alert, destinations=["TX", "OK", "LA", "AR", "NM", "KS"])
    assert [m.destinations for m in six] == [["TX", "OK", "LA", "AR", "NM"], ["KS"]]
    assert [m.text.splitlines()[2] for m in six] == ["TX,OK,LA,AR,NM", "KS"]
    assert six[0].text.splitlines()[3:] == six[1].text.splitlines()[3:]


def test_teletype_is_plain_ascii_and_says_status_in_words() -> None:
    suspect = {"name": "José “El Güero” Ñúñez", "clothing": "red jacket 🧥", "sex": "male"}
    alert = sample_alert(f.alert_content(NOW, suspects=[suspect]), now=NOW, reference="TX-2026-7")
    [teletype] = compose_teletypes(alert)
    text = teletype.text
    assert text.isascii()
    assert 'SUSPECT: JOSE "EL GUERO" NUNEZ, MALE, RED JACKET' in text
    assert "SERIOUSLY INJURED" in text


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


def test_consistency_names_a_renderer_that_refuses_instead_of_crashing() -> None:
    counties = [f"48{2 * n + 1:03d}" for n in range(40)]
    alert = sample_alert(
        f.alert_content(NOW, area={"counties": counties}), now=NOW, reference="TX-2026-0009"
    )
    problems = check_consistency(alert, RenderContext(now=NOW))
    assert len(problems) == 1
    assert problems[0].startswith("same cannot be rendered")
    assert "048000" in problems[0]


def test_consistency_reads_what_people_see_not_markup_or_line_breaks() -> None:
    contact = "Call 911 or the Lone Prairie County Sheriff's Office & Marshals at 214-555-0100"
    alert = sample_alert(f.alert_content(NOW, contact=contact), now=NOW, reference="TX-2026-0010")
    assert "\n  " in compose_teletypes(alert)[0].text  # the contact line is wrapped
    assert check_consistency(alert, RenderContext(now=NOW)) == []


def test_signs_may_abbreviate_the_make_and_still_agree() -> None:
    vehicle = {"make": "Chevrolet", "model": "Tahoe", "plate": {"number": "ABC123"}}
    alert = sample_alert(f.alert_content(NOW, vehicles=[vehicle]), now=NOW, reference="TX-2026-1")
    assert "CHEVY TAHOE" in compose_sign(alert.content, PROFILES["3x18"]).multi
    assert check_consistency(alert, RenderContext(now=NOW)) == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_short_wea_keeps_the_plate_when_the_vehicle_is_too_long_to_say(language: str) -> None:
    model = "Super Duty Crew Cab Long Bed Lariat Ultimate"
    vehicle = {"make": "Ford", "model": model, "plate": {"state": "TX", "number": "KZT4771"}}
    content = f.alert_content(NOW, vehicles=[vehicle])
    wea = compose_wea(content, language, 90)  # type: ignore[arg-type]
    assert "TX KZT4771" in wea.text.replace("plate ", "").replace("placa ", "")
    assert wea.shortened == ["vehicle0"]
