"""Spanish without English in the middle: the alert's own Spanish, a glossary, the standard
Spanish instruction, or nothing — never an agency's English sentence inside Spanish text."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bluealert.domain.alert import sample_alert
from bluealert.domain.content import AlertContent
from bluealert.domain.vocabulary import AlertKind, Resolution
from bluealert.formats.cancellation import Cancellation
from bluealert.formats.cap.build import CAP_NS, build_cap
from bluealert.formats.context import RenderContext
from bluealert.formats.gsm7 import transliterate
from bluealert.formats.public_text import compose_public_text
from bluealert.formats.spanish_clothing import clothing
from bluealert.formats.spanish_colours import colour
from bluealert.formats.wea import compose_spoken, compose_wea
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
CTX = RenderContext(now=NOW)
CLAY = "Clay County Sheriff's Office"
PATROL = "If you see this patrol SUV, call 911 and do not approach."


def _spanish_texts(content: AlertContent, cancelled: Cancellation | None = None) -> list[str]:
    """Everything a Spanish reader or listener gets: WEA, the es-US CAP texts, speech."""
    public = compose_public_text(content, "es", cancelled=cancelled)
    texts = [public.headline or "", public.description or "", public.instruction or ""]
    texts += [compose_wea(content, "es", limit, cancelled=cancelled).text for limit in (90, 360)]
    texts.append(compose_spoken(content, "es", cancelled=cancelled))
    return texts


def _cap_spanish(content: AlertContent) -> dict[str, str]:
    root = etree.fromstring(build_cap(sample_alert(content, now=NOW), 1, CTX).xml)
    [info] = [
        i
        for i in root.iterfind(f"{{{CAP_NS}}}info")
        if i.findtext(f"{{{CAP_NS}}}language") == "es-US"
    ]
    return {el.tag.split("}")[1]: el.text or "" for el in info if el.text and el.text.strip()}


def test_the_agencys_own_english_instruction_never_reaches_spanish_readers() -> None:
    content = f.alert_content(NOW, instructions=PATROL)
    for text in _spanish_texts(content):
        assert "If you see" not in text
        assert "patrol" not in text
    assert "No se acerque. Llame al 911." in compose_wea(content, "es", 360).text
    assert _cap_spanish(content)["instruction"] == "No se acerque. Llame al 911."
    assert PATROL in compose_wea(content, "en", 360).text


def test_an_alert_can_say_its_instruction_and_contact_in_spanish() -> None:
    es = {
        "instructions": "Si ve esta patrulla, llame al 911 y no se acerque.",
        "contact": "Llame a la oficina del sheriff al 904-555-0100",
        "narrative": "Un agente recibió un disparo durante una parada de tráfico.",
    }
    content = f.alert_content(
        NOW, instructions=PATROL, contact=f"Call {CLAY} at 904-555-0100", es=es
    )
    wea = compose_wea(content, "es", 360).text
    assert "Si ve esta patrulla, llame al 911 y no se acerque." in wea
    assert wea.endswith("Llame a la oficina del sheriff al 904-555-0100.")
    cap = _cap_spanish(content)
    assert cap["instruction"] == es["instructions"]
    assert cap["contact"] == "Llame a la oficina del sheriff al 904-555-0100."


def test_missing_officer_gets_the_standard_spanish_instruction_agreeing_with_her() -> None:
    officers = f.alert_data(NOW)["officers"]
    officers[0].update(status="missing", sex="female")
    content = f.alert_content(
        NOW, kind="officer_missing", officers=officers, instructions="Look out for her cruiser."
    )
    action = compose_public_text(content, "es").instruction
    assert action == "Si ve a la agente o el vehículo, no se acerque. Llame al 911."
    assert compose_wea(content, "es", 90).text.startswith("ALERTA AZUL: Agente desaparecida.")


@pytest.mark.parametrize(
    ("contact", "spanish"),
    [
        (
            f"Call 911 or the {CLAY} at 904-555-0100",
            f"Llame al 911 o a {CLAY} al 904-555-0100.",
        ),
        ("Call 911 or the sheriff at 214-555-0100", "Llame al 911 o al sheriff al 214-555-0100."),
        ("Call 911 or the duty sergeant at 214-555-0100", "Llame al 911 o al 214-555-0100."),
        (
            "Tips: Clay County, 904-555-0100 or (904) 555-0199",
            "Llame al 904-555-0100 o al (904) 555-0199.",
        ),
        ("Sheriff: 214-555-0100", "Llame al 214-555-0100."),
    ],
)
def test_a_contact_is_said_in_spanish_with_names_as_written(contact: str, spanish: str) -> None:
    content = f.alert_content(NOW, contact=contact, instructions="Do not approach.")
    description = compose_public_text(content, "es").description or ""
    assert description.endswith(spanish)
    assert " a the " not in description


def test_a_contact_with_no_number_is_left_out_of_spanish_not_quoted() -> None:
    content = f.alert_content(NOW, contact="Ask for the duty sergeant")
    assert "Ask" not in " ".join(_spanish_texts(content))
    assert "contact" not in _cap_spanish(content)
    assert "Ask for the duty sergeant" in compose_wea(content, "en", 360).text


def test_after_calling_911_the_spanish_offers_the_other_number_without_english() -> None:
    content = f.alert_content(NOW, contact="Call 911 or the sheriff at 214-555-0100")
    assert compose_wea(content, "es", 360).text.endswith(
        "Llame al 911. O llame al sheriff al 214-555-0100."
    )


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("green and white", "verde y blanco"),
        ("dark blue", "azul oscuro"),
        ("black/silver", "negro y plateado"),
        ("metallic silver", "plateado metalizado"),
        ("two-tone brown and tan", "bicolor marrón y beige"),
        ("Teal", "verde azulado"),
        ("chartreuse", None),
    ],
)
def test_vehicle_colours_are_translated_or_left_out(english: str, spanish: str | None) -> None:
    assert colour(english) == spanish


def test_a_vehicle_in_spanish_has_no_english_colour_words() -> None:
    vehicle = {"make": "Ford", "model": "Explorer", "color": "green and white"}
    content = f.alert_content(NOW, vehicles=[vehicle])
    assert "Vehículo: Ford Explorer verde y blanco." in (
        compose_public_text(content, "es").description or ""
    )


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("black hoodie", "sudadera negra con capucha"),
        ("red jacket and blue jeans", "chaqueta roja y pantalones azules de mezclilla"),
        ("grey hooded sweatshirt, black pants", "sudadera gris con capucha y pantalones negros"),
        ("white baseball cap", "gorra blanca de béisbol"),
        ("dark blue jacket", "chaqueta azul oscuro"),
        ("tuxedo with stripes", None),
    ],
)
def test_clothing_is_translated_from_the_glossary_or_left_out(
    english: str, spanish: str | None
) -> None:
    assert clothing(english) == spanish


def test_a_suspects_spanish_clothing_wins_and_unknown_words_stay_out() -> None:
    suspects = [
        {
            "name": "Jordan Q. Sample",
            "sex": "male",
            "race": "Pacific Islander",
            "clothing": "black hoodie",
        },
        {
            "name": "Casey Example",
            "clothing": "orange tuxedo",
            "es": {"clothing": "esmoquin naranja"},
        },
        {"name": "Robin Sample", "clothing": "plaid kilt", "race": "Martian"},
    ]
    description = compose_public_text(f.alert_content(NOW, suspects=suspects), "es").description
    assert (
        "Sospechoso: Jordan Q. Sample, hombre isleño del Pacífico, sudadera negra con capucha."
        in (description or "")
    )
    assert "Sospechoso: Casey Example, esmoquin naranja." in (description or "")
    assert "Sospechoso: Robin Sample." in (description or "")


def test_a_direction_in_english_words_is_left_out_of_spanish() -> None:
    seen = {"place": {"description": "Lewisville"}, "at": NOW.isoformat()}
    for direction, said in [("unknown", ""), ("heading toward Dallas", ""), ("I-45", ", por I-45")]:
        vehicle = {"make": "Ford", "direction_of_travel": direction, "last_seen": seen}
        description = compose_public_text(
            f.alert_content(NOW, vehicles=[vehicle]), "es"
        ).description
        assert f"Visto por última vez en Lewisville{said}." in (description or "")


@pytest.mark.parametrize(
    ("kind", "full", "terse"),
    [
        ("officer_seriously_injured", "Agente gravemente herida", "Agente herida"),
        ("officer_killed", "Agente asesinada", "Agente asesinada"),
        ("officer_assaulted_deadly_weapon", "Agente agredida con arma mortal", "Agente atacada"),
    ],
)
def test_spanish_agrees_with_a_woman_officer(kind: str, full: str, terse: str) -> None:
    officers = f.alert_data(NOW)["officers"]
    officers[0]["sex"] = "female"
    content = f.alert_content(NOW, kind=kind, officers=officers)
    assert (compose_public_text(content, "es").headline or "").startswith(f"{full} - ")
    assert compose_wea(content, "es", 90).text.startswith(f"ALERTA AZUL: {terse}.")
    male = f.alert_content(NOW, kind=kind)
    assert not (compose_public_text(male, "es").headline or "").startswith(f"{full} ")


# --- the property: no English word in any Spanish text of any alert -----------------------

ENGLISH_WORDS = """the and or of at to in on near call if you your see this that do not approach
    suspect
    suspects vehicle officer officers plate partial last seen heading toward towards northbound
    southbound eastbound westbound north south east west unknown black white grey gray green
    blue silver brown dark light hoodie jacket jeans shirt pants with wearing male female years
    old age armed dangerous alert cancelled exercise test killed injured seriously missing
    threat stay away from immediately is are has been custody patrol truck pickup sedan tuxedo
    stripes office tips tip line contact information anyone should report hispanic islander
    pacific asian teal navy camouflage sweatpants hooded sweatshirt cap baseball ask for duty
    sergeant look out her his cruiser metallic tone two plaid kilt chartreuse orange
    needed action custody located ended large"""
ENGLISH = set(ENGLISH_WORDS.split())
AGENCIES = [CLAY, "Lone Prairie Police Department", "Texas Department of Public Safety"]
NAMES = ["Jordan Q. Sample", "Casey Example", "María José Ñúñez", "Robin O'Test"]
PLACES = ["I-35E at Loop 288, Denton", "the Shell station on Main Street, Lewisville", "Lewisville"]


def _english_alert() -> st.SearchStrategy[dict[str, Any]]:
    agency = st.sampled_from(AGENCIES)
    officer = st.fixed_dictionaries(
        {
            "agency": st.just(dict(f.AGENCY)),
            "status": st.sampled_from(["killed", "seriously_injured", "missing", "assaulted"]),
            "sex": st.sampled_from(["male", "female", "unknown"]),
        },
        optional={
            "name": st.sampled_from(NAMES),
            "rank": st.sampled_from(["Deputy", "Sergeant", "Trooper"]),
            "identity_released": st.booleans(),
        },
    )
    suspect = st.fixed_dictionaries(
        {},
        optional={
            "name": st.sampled_from(NAMES),
            "sex": st.sampled_from(["male", "female", "unknown"]),
            "race": st.sampled_from(["white", "Hispanic", "Pacific Islander", "Other", "Martian"]),
            "age": st.integers(16, 70),
            "clothing": st.sampled_from(
                [
                    "black hoodie",
                    "red jacket and blue jeans",
                    "camouflage jacket",
                    "tuxedo with stripes",
                    "white t-shirt, grey sweatpants",
                    "plaid kilt",
                ]
            ),
            "armed_and_dangerous": st.booleans(),
            "es": st.just({"clothing": "ropa oscura"}),
        },
    )
    sighting = st.fixed_dictionaries(
        {
            "place": st.sampled_from(PLACES).map(lambda p: {"description": p}),
            "at": st.just(NOW.isoformat()),
        }
    )
    vehicle = st.fixed_dictionaries(
        {},
        optional={
            "make": st.sampled_from(["Ford", "Chevrolet", "Dodge"]),
            "model": st.sampled_from(["F-150", "Tahoe", "Charger"]),
            "color": st.sampled_from(
                [
                    "green and white",
                    "dark blue",
                    "teal",
                    "black/silver",
                    "chartreuse",
                    "two-tone brown",
                ]
            ),
            "body_style": st.sampled_from(["pickup truck", "sedan"]),
            "plate": st.just({"state": "TX", "number": "KZT4771"}),
            "direction_of_travel": st.sampled_from(
                ["northbound I-35", "heading toward Dallas", "unknown", "west on US-380", "I-45"]
            ),
            "last_seen": sighting,
        },
    )
    contact = agency.flatmap(
        lambda a: st.sampled_from(
            [
                f"Call 911 or the {a} at 214-555-0100",
                f"Call 911 or {a} at (904) 555-0100",
                "Call 911",
                "Call the sheriff's tip line at 214-555-0100",
                "Anyone with information should call 911 or the sheriff at 214-555-0100",
                "Ask for the duty sergeant",
            ]
        )
    )
    return st.fixed_dictionaries(
        {
            "kind": st.sampled_from([k.value for k in AlertKind]),
            "status": st.sampled_from(["Actual", "Exercise", "Test"]),
            "officers": st.lists(officer, min_size=1, max_size=2),
            "suspects": st.lists(suspect, max_size=2),
            "vehicles": st.lists(vehicle, max_size=2),
            "instructions": st.sampled_from(
                [
                    "Do not approach. Call 911.",
                    PATROL,
                    "Stay away from the suspect and call 911 immediately.",
                ]
            ),
            "contact": contact,
            "incident": st.sampled_from(PLACES).map(
                lambda p: {"occurred_at": NOW.isoformat(), "location": {"description": p}}
            ),
        },
        optional={"es": st.just({"instructions": "Llame al 911 de inmediato."})},
    )


def _names_and_places(content: AlertContent) -> list[str]:
    """What stays as written in any language: names, places, makes, models, plates."""
    kept = [content.incident.location.description, content.requesting_agency.name]
    for officer in content.officers:
        kept += [officer.agency.name, officer.name or "", officer.rank or ""]
    kept += [s.name or "" for s in content.suspects]
    kept += [s.es.clothing or "" for s in content.suspects]
    for vehicle in content.vehicles:
        kept += [vehicle.make or "", vehicle.model or ""]
        kept += [vehicle.last_seen.place.description if vehicle.last_seen else ""]
    kept += AGENCIES
    return sorted({k for k in kept if k}, key=len, reverse=True)


def english_words(text: str, content: AlertContent) -> list[str]:
    for kept in _names_and_places(content):
        for spelling in {kept, transliterate(kept)[0]}:
            text = re.sub(re.escape(spelling), " ", text, flags=re.IGNORECASE)
    return [w for w in re.findall(r"[A-Za-z'-]+", text) if w.lower() in ENGLISH]


def test_the_detector_finds_the_english_of_todays_spanish() -> None:
    content = f.alert_content(NOW, contact=f"Call 911 or the {CLAY} at 904-555-0100")
    assert english_words(
        f"Llame al 911 o a the {CLAY} al 904-555-0100. verde and blanco", content
    ) == ["the", "and"]
    assert english_words("No se acerque. Llame al 911.", content) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_english_alert(), st.sampled_from([None, *Resolution]), st.booleans())
def test_no_english_word_in_any_spanish_text(
    data: dict[str, Any], resolution: Resolution | None, cancel: bool
) -> None:
    content = f.alert_content(NOW, **data)
    cancelled = Cancellation(resolution) if cancel else None
    texts = _spanish_texts(content, cancelled)
    if cancelled is None:
        cap = _cap_spanish(content)
        texts += [cap.get(tag, "") for tag in ("headline", "description", "instruction", "contact")]
    for text in texts:
        assert english_words(text, content) == [], text
