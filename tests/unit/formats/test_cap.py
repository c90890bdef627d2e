"""CAP we build: IPAWS profile fields, tiers, references, and hostile documents refused."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from bluealert.domain import lifecycle
from bluealert.domain.alert import Alert, sample_alert
from bluealert.domain.vocabulary import Resolution
from bluealert.errors import InvalidMessage
from bluealert.formats.cap.build import CAP_NS, build_cap, wea_handling
from bluealert.formats.cap.findings import xpath_of
from bluealert.formats.cap.signature import verification_time
from bluealert.formats.cap.times import parse_cap_time
from bluealert.formats.cap.validate import (
    MAX_SCHEMA_FINDINGS,
    Severity,
    is_valid,
    validate_cap,
)
from bluealert.formats.context import RenderContext
from bluealert.formats.feeds.entries import feed_entry
from bluealert.formats.feeds.geojson import render_geojson
from bluealert.formats.same.render import same_header
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
CTX = RenderContext(now=NOW)
NS = {"cap": CAP_NS}


def _alert(**overrides: object) -> Alert:
    return sample_alert(f.alert_content(NOW, **overrides), now=NOW, reference="TX-2026-0007")


def _root(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def _texts(root: etree._Element, path: str) -> list[str]:
    return [e.text or "" for e in root.iterfind(path, NS)]


def test_public_cap_carries_the_ipaws_profile() -> None:
    message = build_cap(_alert(), 1, CTX)
    root = _root(message.xml)
    assert validate_cap(message.xml) == []
    assert _texts(root, "cap:code") == ["IPAWSv1.0"]
    assert _texts(root, "cap:scope") == ["Public"]
    assert _texts(root, "cap:info/cap:language") == ["en-US", "es-US"]
    assert _texts(root, "cap:info/cap:eventCode/cap:value") == ["BLU", "BLU"]
    names = _texts(root, "cap:info[1]/cap:parameter/cap:valueName")
    assert {"EAS-ORG", "CMAMtext", "CMAMlongtext", "WEAHandling", "timezone"} <= set(names)
    assert _texts(root, "cap:sent") == ["2026-11-24T03:00:00-06:00"]
    assert all(not t.endswith("Z") for t in _texts(root, "cap:info/cap:expires"))


def test_identifiers_are_stable() -> None:
    assert build_cap(_alert(), 1, CTX).xml == build_cap(_alert(), 1, CTX).xml
    assert build_cap(_alert(), 1, CTX).identifier == "BLU-TX-2026-0007-v1"


def test_public_withholds_officer_identity_and_restricted_carries_it() -> None:
    public = build_cap(_alert(law_enforcement_notes="warrant 77"), 1, CTX).xml.decode()
    restricted = build_cap(_alert(law_enforcement_notes="warrant 77"), 1, CTX, scope="Restricted")
    assert "Deputy Lee Fictional" not in public
    assert "warrant 77" not in public
    text = restricted.xml.decode()
    assert "Deputy Lee Fictional" in text
    assert "warrant 77" in text
    assert _texts(_root(restricted.xml), "cap:scope") == ["Restricted"]
    assert restricted.identifier.endswith("-LE")
    assert is_valid(validate_cap(restricted.xml))


def test_updates_and_cancels_reference_every_earlier_version() -> None:
    plan = f.plan()
    alert = _alert()
    later = NOW + timedelta(hours=1)
    updated = lifecycle.update(
        alert, alert.content, user=f.TX_COORDINATOR, plan=plan, note="plate confirmed", now=later
    )
    cancelled = lifecycle.cancel(
        updated, user=f.TX_COORDINATOR, plan=plan, reason="found", now=later + timedelta(hours=1)
    )
    root = _root(build_cap(cancelled, 3, CTX).xml)
    assert _texts(root, "cap:msgType") == ["Cancel"]
    [references] = _texts(root, "cap:references")
    assert references.split() == [
        "bluealert@bluealert.example,BLU-TX-2026-0007-v1,2026-11-24T03:00:00-06:00",
        "bluealert@bluealert.example,BLU-TX-2026-0007-v2,2026-11-24T04:00:00-06:00",
    ]
    assert is_valid(validate_cap(build_cap(cancelled, 3, CTX).xml))


@pytest.mark.parametrize(
    ("step", "arguments", "public_note", "own_words"),
    [
        (
            "cancel",
            {"reason": "vehicle found; search handed to SWAT"},
            "is cancelled.",
            "vehicle found; search handed to SWAT",
        ),
        (
            "resolve",
            {"resolution": Resolution.SUSPECT_APPREHENDED, "note": "at 5th St"},
            "is cancelled: the suspect is in custody.",
            "at 5th St",
        ),
    ],
)
def test_the_coordinators_own_words_reach_law_enforcement_only(
    step: str, arguments: dict[str, Any], public_note: str, own_words: str
) -> None:
    plan, later = f.plan(), NOW + timedelta(hours=1)
    alert = _alert()
    updated = lifecycle.update(
        alert, alert.content, user=f.TX_COORDINATOR, plan=plan, note="tip from K-9 unit", now=later
    )
    end = getattr(lifecycle, step)
    ended = end(updated, user=f.TX_COORDINATOR, plan=plan, now=later, **arguments)
    public = [_texts(_root(build_cap(ended, n, CTX).xml), "cap:note") for n in (2, 3)]
    assert public == [[], [f"This Blue Alert {public_note}"]]
    restricted = [
        _texts(_root(build_cap(ended, n, CTX, scope="Restricted").xml), "cap:note") for n in (2, 3)
    ]
    assert restricted == [["tip from K-9 unit"], [own_words]]


def test_a_cancel_says_so_and_no_longer_asks_anything_of_the_public() -> None:
    plan = f.plan()
    alert = _alert(contact="Call 911 or the sheriff at 214-555-0100")
    cancelled = lifecycle.cancel(
        alert, user=f.TX_COORDINATOR, plan=plan, reason="found", now=NOW + timedelta(hours=1)
    )
    xml = build_cap(cancelled, 2, CTX).xml
    root = _root(xml)
    assert is_valid(validate_cap(xml))
    assert _texts(root, "cap:info/cap:responseType") == ["AllClear", "AllClear"]
    headlines = _texts(root, "cap:info/cap:headline")
    assert [h.split(":")[0] for h in headlines] == ["Cancelled", "Cancelada"]
    values = _texts(root, "cap:info/cap:parameter/cap:value")
    assert any(v.startswith("BLUE ALERT CANCELLED: Officer injured.") for v in values)
    assert any(v.startswith("ALERTA AZUL CANCELADA:") for v in values)
    assert not [v for v in values if "911" in v or "approach" in v or "acerque" in v]
    instructions = _texts(root, "cap:info/cap:instruction")
    assert instructions[0] == "This alert is cancelled; no action is needed."
    entry = feed_entry(cancelled, CTX)
    assert "Cancelled" in entry.title
    assert "Do not approach" not in f"{entry.summary} {entry.instruction}"


def test_feeds_and_same_expire_when_the_cap_does() -> None:
    expires = (NOW + timedelta(hours=5)).isoformat()
    draft = _alert(expires_at=expires).model_copy(update={"expires_at": None})  # not yet approved
    [cap_expires, _] = _texts(_root(build_cap(draft, 1, CTX).xml), "cap:info/cap:expires")
    assert feed_entry(draft, CTX).expires == cap_expires == "2026-11-24T08:00:00-06:00"
    assert same_header(draft, CTX).valid_period == "0500"
    [feature] = json.loads(render_geojson([draft], CTX))["features"]
    assert feature["properties"]["sender"] == CTX.sender


def test_an_earlier_version_keeps_its_own_law_enforcement_facts() -> None:
    alert = _alert(law_enforcement_notes="first notes")
    before = build_cap(alert, 1, CTX, scope="Restricted").xml
    later = lifecycle.update(
        alert,
        f.alert_content(NOW, law_enforcement_notes="second notes"),
        user=f.TX_COORDINATOR,
        plan=f.plan(),
        note="new notes",
        now=NOW + timedelta(hours=1),
    )
    assert build_cap(later, 1, CTX, scope="Restricted").xml == before
    assert b"second notes" in build_cap(later, 2, CTX, scope="Restricted").xml


def test_spanish_info_reads_with_accents_and_its_wea_texts_are_gsm() -> None:
    root = _root(VALID)
    [description] = _texts(root, "cap:info[2]/cap:description")
    assert "Vehículo: Ford F-150 gris modelo 2018" in description
    values = dict(
        zip(
            _texts(root, "cap:info[2]/cap:parameter/cap:valueName"),
            _texts(root, "cap:info[2]/cap:parameter/cap:value"),
            strict=True,
        )
    )
    assert values["CMAMtext"] == (
        "ALERTA AZUL: Agente herido. Ford F-150 gris, placa TX KZT4??1. Llame al 911."
    )
    assert "Vehiculo: Ford F-150 gris" in values["CMAMlongtext"]


@pytest.mark.parametrize(
    ("urgency", "severity", "certainty", "handling"),
    [
        ("Immediate", "Severe", "Observed", "Imminent Threat"),
        ("Expected", "Extreme", "Likely", "Imminent Threat"),
        ("Immediate", "Moderate", "Observed", "Public Safety"),
        ("Future", "Severe", "Observed", "Public Safety"),
        ("Immediate", "Severe", "Possible", "Public Safety"),
    ],
)
def test_wea_handling_follows_the_imminent_threat_thresholds(
    urgency: str, severity: str, certainty: str, handling: str
) -> None:
    assert wea_handling(urgency, severity, certainty) == handling


def test_the_area_is_normalised_a_closed_polygon_and_circles_in_km() -> None:
    area = {
        "polygons": [[(33.0, -97.0), (33.5, -97.0), (33.5, -96.5), (33.0, -97.0)]],
        "circles": [{"lat": 32.78, "lon": -96.8, "radius_km": 50}],
    }
    root = _root(build_cap(_alert(area=area), 1, CTX).xml)
    [polygon] = _texts(root, "cap:info[1]/cap:area/cap:polygon")
    points = polygon.split()
    assert points[0] == points[-1]
    assert len(points) - 1 <= 100
    assert _texts(root, "cap:info[1]/cap:area/cap:circle") == ["32.7800,-96.8000 50"]
    [description] = _texts(root, "cap:info[1]/cap:area/cap:areaDesc")
    assert description.endswith("counties, Texas")
    assert "048113" in _texts(root, "cap:info[1]/cap:area/cap:geocode/cap:value")


def test_an_area_across_the_antimeridian_gets_a_polygon_on_each_side() -> None:
    alert = _alert(plan="AK", area={"counties": ["02016"]})  # Aleutians West
    xml = build_cap(alert, 1, RenderContext(now=NOW)).xml
    polygons = _texts(_root(xml), "cap:info[1]/cap:area/cap:polygon")
    assert len(polygons) == 2
    longitudes = [[float(p.split(",")[1]) for p in ring.split()] for ring in polygons]
    assert sorted((min(ls) > 0, max(ls) < 0) for ls in longitudes) == [(False, True), (True, False)]
    assert all(max(ls) - min(ls) < 20 for ls in longitudes), "no band round the world"
    assert is_valid(validate_cap(xml))


def _rules(data: bytes) -> set[str]:
    return {f.rule for f in validate_cap(data) if f.severity is Severity.ERROR}


VALID = build_cap(_alert(), 1, CTX).xml

HOSTILE = {
    "billion laughs": (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&lol2;</alert>',
        "xml.doctype",
    ),
    "external entity": (
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM '
        b'"file:///etc/passwd">]><alert xmlns="urn:oasis:names:tc:emergency:'
        b'cap:1.2">&x;</alert>',
        "xml.doctype",
    ),
    "50 MB": (b"<alert>" + b" " * 50_000_000 + b"</alert>", "xml.size"),
    "not xml": (b"this is not xml <", "xml.xml"),
    "wrong namespace": (
        VALID.replace(CAP_NS.encode(), b"urn:oasis:names:tc:emergency:cap:1.1"),
        "cap.namespace",
    ),
    "open polygon": (
        VALID.replace(
            b"<geocode>", b"<polygon>33,-97 33.5,-97 33.5,-96.5 34,-96</polygon><geocode>", 1
        ),
        "cap.polygon.closed",
    ),
    "Z time": (VALID.replace(b"T03:00:00-06:00</sent>", b"T09:00:00Z</sent>"), "cap.time.zulu"),
    "bad latitude": (
        VALID.replace(b"<geocode>", b"<circle>95.0,-97.0 10</circle><geocode>", 1),
        "cap.coordinates.range",
    ),
    "no IPAWS code": (VALID.replace(b"<code>IPAWSv1.0</code>", b""), "ipaws.code"),
    "bad references": (
        VALID.replace(b"<incidents>", b"<references>just-an-id</references><incidents>"),
        "cap.references.syntax",
    ),
    "long CMAMtext": (
        VALID.replace(b"<value>BLUE ALERT: ", b"<value>" + b"X" * 100, 1),
        "blue.CMAMtext.length",
    ),
    "deep billion laughs": (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY l0 "lol">'
        + b"".join(b'<!ENTITY l%d "%s">' % (n, b"&l%d;" % (n - 1) * 10) for n in range(1, 10))
        + b']><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&l9;</alert>',
        "xml.doctype",
    ),
    "30 February": (
        VALID.replace(b"2026-11-24T03:00:00", b"2026-02-30T03:00:00", 1),
        "cap.time.format",
    ),
    "offset of 25 hours": (
        VALID.replace(b"03:00:00-06:00</sent>", b"03:00:00-25:00</sent>"),
        "cap.time.format",
    ),
    "circle of dots": (
        VALID.replace(b"<geocode>", b"<circle>1.2.3,-97.0 .</circle><geocode>", 1),
        "cap.circle.syntax",
    ),
    "circle of infinite radius": (
        VALID.replace(b"<geocode>", b"<circle>33.0,-97.0 inf</circle><geocode>", 1),
        "cap.circle.syntax",
    ),
    "deeply nested": (
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
        + b"<a>" * 5000
        + b"</a>" * 5000
        + b"</alert>",
        "xml.xml",
    ),
    "invalid UTF-8": (VALID.replace(b"Agente", b"Ag\xff\xfente", 1), "xml.xml"),
    "empty": (b"", "xml.xml"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_or_broken_cap_gets_a_finding_never_a_crash(case: str) -> None:
    data, rule = HOSTILE[case]
    assert rule in _rules(data)


def test_a_schema_finding_is_located_by_xpath() -> None:
    data = VALID.replace(b"<status>Actual", b"<status>Bogus")
    [schema] = [f for f in validate_cap(data) if f.rule == "xsd"]
    assert schema.location == "/cap:alert/cap:status"
    assert "Bogus" in schema.message


def test_a_flood_of_schema_errors_is_summed_up() -> None:
    attributes = b" ".join(b'a%d="x"' % n for n in range(5000))
    data = VALID.replace(b"<alert ", b"<alert " + attributes + b" ", 1)
    schema = [f for f in validate_cap(data) if f.rule == "xsd"]
    assert len(schema) == MAX_SCHEMA_FINDINGS + 1
    assert schema[-1].message == "and 4,950 more schema errors"


def test_wea_texts_outside_the_gsm_alphabet_are_flagged() -> None:
    data = VALID.replace(b"<value>BLUE ALERT: ", "<value>BLUE ALERT 🚓: ".encode(), 1)
    [finding] = [f for f in validate_cap(data) if f.rule == "blue.CMAMtext.alphabet"]
    assert finding.severity is Severity.WARNING
    assert "🚓" in finding.message


def test_an_impossible_cap_time_is_refused_by_name() -> None:
    with pytest.raises(InvalidMessage, match="not a CAP time"):
        parse_cap_time("2026-02-30T03:00:00-06:00")


ELEMENT = st.sampled_from(
    ["sent", "expires", "polygon", "circle", "references", "value", "msgType", "identifier"]
)


# Text shaped like what the rules parse, so that the rules' own parsing is what gets tried.
ALMOST = st.one_of(
    st.text(max_size=60),
    st.from_regex(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d", fullmatch=True),
    st.from_regex(r"([-\d.e]{1,6},[-\d.e]{1,6} ?){1,5}( [-\d.naif]{1,4})?", fullmatch=True),
    st.from_regex(r"[^\s,]{1,8},[^\s,]{1,8},[-\d:T+]{1,25}", fullmatch=True),
)


def _written_as_cap_time(text: str) -> bool:
    """CAP 1.2 §3.3.2: YYYY-MM-DDThh:mm:ss±hh:mm naming a real moment."""
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d", text.strip()):
        return False
    try:
        datetime.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(ELEMENT, ALMOST)
def test_no_element_text_ever_crashes_the_validator(element: str, text: str) -> None:
    root = _root(VALID)
    changed = list(root.iterfind(f".//cap:{element}", NS))
    for found in changed:
        found.text = "".join(ch for ch in text if ch.isprintable())
    findings = validate_cap(etree.tostring(root))
    # Every finding points at what changed, or at an element that holds it (or, for the
    # schema, a line); a changed `sent` may also put an expiry out of order.
    places = {xpath_of(e) for found in changed for e in (found, *found.iterancestors())}
    if element == "sent":
        places |= {xpath_of(e) for e in root.iterfind(".//cap:expires", NS)}
    for finding in findings:
        assert finding.rule, finding
        assert finding.message, finding
        assert finding.location in places or finding.location.startswith("line "), finding
    if element in ("sent", "expires"):
        refused = {f.rule for f in findings} & {"cap.time.format", "cap.time.zulu"}
        assert bool(refused) is not _written_as_cap_time(changed[0].text or "")


def test_forty_same_codes_are_reported() -> None:
    counties = [f"48{n:03d}" for n in range(1, 80, 2)]
    xml = build_cap(_alert(area={"counties": counties}), 1, CTX).xml
    warnings = {f.rule for f in validate_cap(xml)}
    assert "ipaws.geocode.count" in warnings


def test_findings_locate_the_element_by_xpath() -> None:
    data, _ = HOSTILE["Z time"]
    [zulu] = [f for f in validate_cap(data) if f.rule == "cap.time.zulu"]
    assert zulu.location == "/cap:alert/cap:sent"


@pytest.mark.parametrize(
    "name",
    [
        "ipaws_real_LEW_polygon_signed.xml",
        "ipaws_real_RWT_cancel_signed.xml",
        "ipaws_real_LAE_wea_publicsafety_unsigned.xml",
    ],
)
def test_real_ipaws_messages_validate(name: str) -> None:
    data = f.testdata(name)
    assert is_valid(validate_cap(data))


def _certificate_valid(start: datetime, end: datetime) -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "window")])
    builder = x509.CertificateBuilder().subject_name(name).issuer_name(name)
    builder = builder.public_key(key.public_key()).serial_number(1)
    builder = builder.not_valid_before(start).not_valid_after(end)
    return builder.sign(key, hashes.SHA256())


def test_a_certificate_is_checked_when_the_message_was_sent_else_now() -> None:
    certificate = _certificate_valid(NOW, NOW + timedelta(days=30))
    later = NOW + timedelta(days=400)
    inside = NOW + timedelta(days=1)
    assert verification_time(certificate, inside, later) == inside  # archived: still verifies
    before = NOW - timedelta(hours=1)
    assert verification_time(certificate, before, inside) == inside  # rendered again today
    assert verification_time(certificate, None, inside) == inside


@pytest.mark.parametrize(
    ("plan", "county", "agency", "blocked", "hours"),
    [
        # From the plan files: Texas opens every IPAWS channel we carry; California has no WEA.
        ("TX", "48113", "Texas Department of Public Safety", ["NWEM"], 24),
        ("CA", "06037", "California Highway Patrol", ["CMAS", "NWEM"], 72),
    ],
)
def test_the_plan_names_the_sender_blocks_channels_and_bounds_the_expiry(
    plan: str, county: str, agency: str, blocked: list[str], hours: int
) -> None:
    draft = _alert(plan=plan, area={"counties": [county]}).model_copy(update={"expires_at": None})
    root = _root(build_cap(draft, 1, CTX).xml)
    assert _texts(root, "cap:info/cap:senderName") == [agency, agency]
    names = _texts(root, "cap:info[1]/cap:parameter/cap:valueName")
    values = _texts(root, "cap:info[1]/cap:parameter/cap:value")
    assert [v for n, v in zip(names, values, strict=True) if n == "BLOCKCHANNEL"] == blocked
    [sent] = _texts(root, "cap:sent")
    [expires, _] = _texts(root, "cap:info/cap:expires")
    assert parse_cap_time(expires) - parse_cap_time(sent) == timedelta(hours=hours)
