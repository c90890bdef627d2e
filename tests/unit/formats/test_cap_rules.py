"""CAP validation rules one by one: a document that breaks each, next to one that just keeps it.

The documents are written here by hand (not by our CAP builder), so a change to the builder
cannot move what the rules are checked against. Findings are compared by rule id, severity
and XPath location — the stable part — and by the words of the message that carry the rule.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from bluealert.formats.cap.cap_rules import cap_datetime
from bluealert.formats.cap.validate import Finding, Severity, is_valid, validate_cap

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
NS = {"cap": CAP_NS}
INFO = "/cap:alert/cap:info"

DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="{CAP_NS}">
  <identifier>BLU-TX-2026-0001-v1</identifier>
  <sender>test@bluealert.example</sender>
  <sent>2026-11-24T03:00:00-06:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <code>IPAWSv1.0</code>
  <info>
    <language>en-US</language>
    <category>Security</category>
    <event>Blue Alert</event>
    <responseType>Avoid</responseType>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Observed</certainty>
    <eventCode><valueName>SAME</valueName><value>BLU</value></eventCode>
    <expires>2026-11-24T09:00:00-06:00</expires>
    <headline>Blue Alert</headline>
    <description>An officer was injured.</description>
    <instruction>Call 911.</instruction>
    <parameter><valueName>EAS-ORG</valueName><value>CIV</value></parameter>
    <parameter><valueName>CMAMtext</valueName><value>BLUE ALERT: Officer hurt</value></parameter>
    <parameter><valueName>CMAMlongtext</valueName><value>BLUE ALERT: long.</value></parameter>
    <area>
      <areaDesc>Dallas County, Texas</areaDesc>
      <polygon>33.0,-97.0 33.5,-97.0 33.5,-96.5 33.0,-97.0</polygon>
      <circle>32.78,-96.8 50</circle>
      <geocode><valueName>SAME</valueName><value>048113</value></geocode>
    </area>
  </info>
</alert>
"""

Edit = Callable[[etree._Element], None]


def _edited(*edits: Edit) -> bytes:
    root = etree.fromstring(DOCUMENT.encode())
    for edit in edits:
        edit(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _one(root: etree._Element, path: str) -> etree._Element:
    """The one element at `path` below `root` ("" is the root itself)."""
    if not path:
        return root
    [found] = root.iterfind(path, NS)
    return found


def _set(path: str, text: str) -> Edit:
    def edit(root: etree._Element) -> None:
        _one(root, path).text = text

    return edit


def _remove(path: str) -> Edit:
    def edit(root: etree._Element) -> None:
        for found in list(root.iterfind(path, NS)):
            parent = found.getparent()
            assert parent is not None
            parent.remove(found)

    return edit


def _add(path: str, xml: str, before: str | None = None) -> Edit:
    """Insert `xml` into the element at `path`, before its child `before` (else at the end)."""

    def edit(root: etree._Element) -> None:
        parent = _one(root, path)
        new = etree.fromstring(f'<wrap xmlns="{CAP_NS}">{xml}</wrap>')
        children = list(new)
        if before is None:
            parent.extend(children)
        else:
            anchor = parent.index(_one(parent, before))
            for offset, child in enumerate(children):
                parent.insert(anchor + offset, child)

    return edit


def _second_info(root: etree._Element) -> None:
    info = _one(root, "cap:info")
    root.append(etree.fromstring(etree.tostring(info)))


def _findings(data: bytes) -> set[tuple[str, Severity, str]]:
    return {(f.rule, f.severity, f.location) for f in validate_cap(data)}


def _only(data: bytes, rule: str) -> list[Finding]:
    return [f for f in validate_cap(data) if f.rule == rule]


def test_the_hand_written_document_keeps_every_rule() -> None:
    assert validate_cap(DOCUMENT.encode()) == []


# -- CAP 1.2 times ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24T03:00:00-06:00", "2026-11-24 03:00:00-06:00"),
        ("2026-02-28T23:59:59+14:00", "2026-02-28 23:59:59+14:00"),
    ],
)
def test_a_cap_time_reads_as_the_moment_it_names(text: str, expected: str) -> None:
    assert str(cap_datetime(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-24T03:00:00Z",
        "2026-11-24T03:00:00.5-06:00",
        "2026-11-24 03:00:00-06:00",
        "2026-02-30T03:00:00-06:00",
        "2026-11-24T03:00:00-0600",
        " 2026-11-24T03:00:00-06:00",
    ],
)
def test_anything_else_is_not_a_cap_time(text: str) -> None:
    assert cap_datetime(text) is None


@pytest.mark.parametrize("element", ["sent", "info/cap:expires"])
def test_a_z_time_is_refused_where_it_stands(element: str) -> None:
    data = _edited(_set(f"cap:{element}", "2026-11-24T15:00:00Z"))
    [zulu] = _only(data, "cap.time.zulu")
    assert zulu.severity is Severity.ERROR
    assert zulu.location == f"/cap:alert/cap:{element}"
    assert "numeric offset, never Z" in zulu.message


@pytest.mark.parametrize("element", ["sent", "info/cap:expires"])
def test_a_time_that_is_no_real_moment_is_refused(element: str) -> None:
    data = _edited(_set(f"cap:{element}", "2026-02-30T03:00:00-06:00"))
    [bad] = _only(data, "cap.time.format")
    assert bad.location == f"/cap:alert/cap:{element}"
    assert "'2026-02-30T03:00:00-06:00' is not a real time" in bad.message


def test_optional_times_are_checked_too_and_blanks_around_a_time_are_allowed() -> None:
    onset = "<effective>x</effective><onset>2026-11-24T03:00:00Z</onset>"
    data = _edited(_add("cap:info", onset, before="cap:expires"))
    assert {(f.rule, f.location) for f in validate_cap(data) if f.rule.startswith("cap.")} == {
        ("cap.time.format", f"{INFO}/cap:effective"),
        ("cap.time.zulu", f"{INFO}/cap:onset"),
    }
    assert validate_cap(_edited(_set("cap:sent", "\n 2026-11-24T03:00:00-06:00 \n"))) == []


@pytest.mark.parametrize(
    ("expires", "in_order"),
    [
        ("2026-11-24T03:00:00-06:00", False),  # the same moment as sent
        ("2026-11-24T09:00:00+00:00", False),  # 03:00 CST: the same moment again
        ("2026-11-24T03:00:01-06:00", True),
        ("2026-11-24T02:00:00-07:00", False),  # 03:00 CST
    ],
)
def test_expires_comes_after_sent_as_moments(expires: str, in_order: bool) -> None:
    order = _only(_edited(_set("cap:info/cap:expires", expires)), "cap.time.order")
    assert [(f.location, f.message) for f in order] == (
        [] if in_order else [(f"{INFO}/cap:expires", "expires is not after sent")]
    )


def test_times_are_not_ordered_when_sent_is_unreadable() -> None:
    data = _edited(
        _set("cap:sent", "soon"), _set("cap:info/cap:expires", "2000-01-01T00:00:00-06:00")
    )
    assert _only(data, "cap.time.order") == []


# -- polygons and circles -----------------------------------------------------------------

POLYGON = f"{INFO}/cap:area/cap:polygon"
CIRCLE = f"{INFO}/cap:area/cap:circle"


@pytest.mark.parametrize(
    ("polygon", "rules"),
    [
        ("33.0,-97.0 33.5,-97.0 33.5,-96.5 33.0,-97.0", set()),
        ("90,-180 90,180 -90,180 90,-180", set()),
        ("33.0,-97.0 33.5,-97.0 33.0,-97.0", {"cap.polygon.points"}),
        ("33.0,-97.0 33.5,-97.0 33.5,-96.5 34.0,-96.0", {"cap.polygon.closed"}),
        ("33.0,-97.0 33.5,-97.0 34.0,-96.0", {"cap.polygon.points", "cap.polygon.closed"}),
        ("90.5,-97.0 33.5,-97.0 33.5,-96.5 90.5,-97.0", {"cap.coordinates.range"}),
        ("33.0,-180.5 33.5,-97.0 33.5,-96.5 33.0,-180.5", {"cap.coordinates.range"}),
        ("33.0,181 33.5,-97.0 33.5,-96.5 33.0,181", {"cap.coordinates.range"}),
        ("-91,-97.0 33.5,-97.0 33.5,-96.5 -91,-97.0", {"cap.coordinates.range"}),
        ("33.0;-97.0 33.5,-97.0 33.5,-96.5 33.0;-97.0", {"cap.polygon.syntax"}),
        ("33.0,-97.0,1 33.5,-97.0 33.5,-96.5 33.0,-97.0,1", {"cap.polygon.syntax"}),
        ("33.0,north 33.5,-97.0 33.5,-96.5 33.0,north", {"cap.polygon.syntax"}),
    ],
)
def test_a_polygon_is_four_or_more_closed_points_in_range(polygon: str, rules: set[str]) -> None:
    findings = validate_cap(_edited(_set("cap:info/cap:area/cap:polygon", polygon)))
    polygon_rules = [f for f in findings if f.rule.startswith(("cap.polygon", "cap.coord"))]
    assert {f.rule for f in polygon_rules} == rules
    assert all(f.location == POLYGON and f.severity is Severity.ERROR for f in polygon_rules)


def test_the_polygon_findings_say_what_is_wrong() -> None:
    data = _edited(_set("cap:info/cap:area/cap:polygon", "33,-97 95,-97 34,-96"))
    messages = {f.rule: f.message for f in validate_cap(data)}
    assert "at least 4 points; this has 3" in messages["cap.polygon.points"]
    assert "first and last points must be the same" in messages["cap.polygon.closed"]
    assert "(95.0, -97.0) is not" in messages["cap.coordinates.range"]


@pytest.mark.parametrize(
    ("circle", "rules"),
    [
        ("32.78,-96.8 50", set()),
        (" 32.78,-96.8  0 ", set()),
        ("90,180 1", set()),
        ("32.78,-96.8 -1", {"cap.circle.syntax"}),
        ("32.78,-96.8 inf", {"cap.circle.syntax"}),
        ("32.78,-96.8 nan", {"cap.circle.syntax"}),
        ("32.78,-96.8", {"cap.circle.syntax"}),
        ("32.78 -96.8 50", {"cap.circle.syntax"}),
        ("north,-96.8 50", {"cap.circle.syntax"}),
        ("91,-96.8 50", {"cap.coordinates.range"}),
        ("32.78,-181 50", {"cap.coordinates.range"}),
    ],
)
def test_a_circle_is_a_point_in_range_and_a_finite_radius(circle: str, rules: set[str]) -> None:
    findings = validate_cap(_edited(_set("cap:info/cap:area/cap:circle", circle)))
    circle_rules = [f for f in findings if f.rule.startswith(("cap.circle", "cap.coord"))]
    assert {f.rule for f in circle_rules} == rules
    assert all(f.location == CIRCLE for f in circle_rules)


def test_every_polygon_and_circle_is_checked() -> None:
    second = "<polygon>1,1 2,2 1,1</polygon><circle>1,1 -5</circle>"
    data = _edited(_add("cap:info/cap:area", second, before="cap:geocode"))
    assert {(f.rule, f.location) for f in validate_cap(data)} >= {
        ("cap.polygon.points", f"{POLYGON}[2]"),
        ("cap.circle.syntax", f"{CIRCLE}[2]"),
    }


# -- references ---------------------------------------------------------------------------

REFERENCE = "test@bluealert.example,BLU-TX-2026-0001-v1,2026-11-24T03:00:00-06:00"


@pytest.mark.parametrize("msg_type", ["Update", "Cancel"])
def test_an_update_or_cancel_must_reference_what_it_replaces(msg_type: str) -> None:
    data = _edited(_set("cap:msgType", msg_type))
    [missing] = _only(data, "cap.references.required")
    assert missing.location == "/cap:alert"
    assert f"an {msg_type} must reference" in missing.message
    referenced = _edited(
        _set("cap:msgType", msg_type),
        _add("", f"<references>{REFERENCE}</references>", before="cap:info"),
    )
    assert validate_cap(referenced) == []


@pytest.mark.parametrize("msg_type", ["Alert", "Ack", "Error"])
def test_other_message_types_need_no_references(msg_type: str) -> None:
    assert _only(_edited(_set("cap:msgType", msg_type)), "cap.references.required") == []


@pytest.mark.parametrize(
    "item",
    [
        "test@bluealert.example,BLU-1",
        "test@bluealert.example,BLU-1,2026-11-24T03:00:00Z",
        "test@bluealert.example,BLU-1,2026-11-24",
        ",BLU-1,2026-11-24T03:00:00-06:00",
        "a,b,c,2026-11-24T03:00:00-06:00",
    ],
)
def test_each_reference_is_sender_identifier_sent(item: str) -> None:
    references = f"<references>{REFERENCE} {item}</references>"
    data = _edited(_set("cap:msgType", "Update"), _add("", references, before="cap:info"))
    [bad] = _only(data, "cap.references.syntax")
    assert bad.location == "/cap:alert/cap:references"
    assert f"{item!r} is not sender,identifier,sent" in bad.message


# -- the IPAWS profile --------------------------------------------------------------------


def test_the_ipaws_code_is_required_among_any_others() -> None:
    data = _edited(_set("cap:code", "SOMETHING"))
    assert ("ipaws.code", Severity.ERROR, "/cap:alert") in _findings(data)
    both = _edited(_add("", "<code>OTHER</code>", before="cap:code"))
    assert validate_cap(both) == []


@pytest.mark.parametrize("offset", ["+00:00", "-00:00"])
def test_a_zero_offset_is_a_warning(offset: str) -> None:
    data = _edited(
        _set("cap:sent", f"2026-11-24T09:00:00{offset}"),
        _set("cap:info/cap:expires", f"2026-11-24T15:00:00{offset}"),
    )
    assert _findings(data) == {("ipaws.time.offset", Severity.WARNING, "/cap:alert/cap:sent")}


def test_every_info_shares_category_and_event_codes() -> None:
    assert validate_cap(_edited(_second_info)) == []
    other_category = _edited(_second_info, _set("cap:info[2]/cap:category", "Safety"))
    assert ("ipaws.info.consistent", Severity.ERROR, "/cap:alert") in _findings(other_category)
    extra = "<eventCode><valueName>NWS</valueName><value>X</value></eventCode>"
    other_codes = _edited(_second_info, _add("cap:info[2]", extra, before="cap:expires"))
    assert ("ipaws.info.consistent", Severity.ERROR, "/cap:alert") in _findings(other_codes)


@pytest.mark.parametrize(
    ("removed", "finding", "message"),
    [
        ("cap:info/cap:expires", ("ipaws.expires", Severity.ERROR), "every info needs <expires>"),
        ("cap:info/cap:area", ("ipaws.area", Severity.ERROR), "at least one <area> is required"),
        (
            "cap:info/cap:description",
            ("ipaws.description", Severity.WARNING),
            "<description> is strongly recommended",
        ),
        (
            "cap:info/cap:instruction",
            ("ipaws.instruction", Severity.WARNING),
            "<instruction> is strongly recommended",
        ),
    ],
)
def test_each_info_needs_its_profile_elements(
    removed: str, finding: tuple[str, Severity], message: str
) -> None:
    found = {
        (f.rule, f.severity, f.location, f.message) for f in validate_cap(_edited(_remove(removed)))
    }
    assert (*finding, INFO, message) in found


def test_eas_bound_messages_name_their_originator() -> None:
    data = _edited(_remove("cap:info/cap:parameter[1]"))
    assert _findings(data) == {("ipaws.eas-org", Severity.WARNING, INFO)}
    [finding] = validate_cap(data)
    assert finding.message == "EAS-bound messages need EAS-ORG"


@pytest.mark.parametrize(
    "codes",
    [
        [],
        ["BL"],
        ["blu"],
        ["BLUE"],
        ["BLU", "BLU"],
    ],
)
def test_exactly_one_same_event_code_of_three_capitals(codes: list[str]) -> None:
    event_codes = "".join(
        f"<eventCode><valueName>SAME</valueName><value>{c}</value></eventCode>" for c in codes
    )
    data = _edited(_remove("cap:info/cap:eventCode"), _add("cap:info", event_codes, "cap:expires"))
    assert ("ipaws.eventcode", Severity.ERROR, INFO) in _findings(data)


def test_a_same_event_code_under_another_name_does_not_count() -> None:
    data = _edited(_set("cap:info/cap:eventCode/cap:valueName", "NWS"))
    assert ("ipaws.eventcode", Severity.ERROR, INFO) in _findings(data)


GEOCODE = "<geocode><valueName>SAME</valueName><value>{}</value></geocode>"


def test_a_same_geocode_is_expected() -> None:
    data = _edited(_remove("cap:info/cap:area/cap:geocode"))
    assert _findings(data) == {("ipaws.geocode", Severity.WARNING, INFO)}


@pytest.mark.parametrize(("count", "warned"), [(31, False), (32, True)])
def test_eas_airs_only_31_geocodes(count: int, warned: bool) -> None:
    codes = "".join(GEOCODE.format(f"048{n:03d}") for n in range(1, count))  # plus 048113
    data = _edited(_add("cap:info/cap:area", codes))
    expected = {("ipaws.geocode.count", Severity.WARNING, INFO)} if warned else set()
    assert _findings(data) == expected
    if warned:
        assert "32 SAME geocodes" in validate_cap(data)[0].message


@pytest.mark.parametrize("code", ["48113", "0481130", "04811A"])
def test_a_same_geocode_is_six_digits(code: str) -> None:
    data = _edited(_add("cap:info/cap:area", GEOCODE.format(code)))
    where = f"{INFO}/cap:area/cap:geocode[2]/cap:value"
    assert _findings(data) == {("ipaws.geocode.format", Severity.ERROR, where)}
    assert repr(code) in validate_cap(data)[0].message


# -- Blue Alert rules ---------------------------------------------------------------------

CMAMTEXT = "cap:info/cap:parameter[2]/cap:value"
CMAMLONG = "cap:info/cap:parameter[3]/cap:value"


@pytest.mark.parametrize(
    ("path", "name", "limit"), [(CMAMTEXT, "CMAMtext", 90), (CMAMLONG, "CMAMlongtext", 360)]
)
def test_wea_texts_keep_their_length(path: str, name: str, limit: int) -> None:
    assert validate_cap(_edited(_set(path, "B" * limit))) == []
    data = _edited(_set(path, "B" * (limit + 1)))
    assert _findings(data) == {(f"blue.{name}.length", Severity.ERROR, INFO)}
    assert f"{name} is {limit + 1} characters; at most {limit}" in validate_cap(data)[0].message


@pytest.mark.parametrize(("path", "name"), [(CMAMTEXT, "CMAMtext"), (CMAMLONG, "CMAMlongtext")])
def test_wea_texts_outside_gsm7_are_named_sorted(path: str, name: str) -> None:
    data = _edited(_set(path, "BLUE ALERT 🚓 ✓ ok"))
    assert _findings(data) == {(f"blue.{name}.alphabet", Severity.WARNING, INFO)}
    assert validate_cap(data)[0].message.endswith("GSM 7-bit alphabet: ✓🚓")


def test_a_blue_alert_is_originated_by_civ() -> None:
    data = _edited(_set("cap:info/cap:parameter[1]/cap:value", "WXR"))
    assert _findings(data) == {("blue.eas-org", Severity.ERROR, INFO)}


def test_a_blue_alert_without_a_wea_text_is_warned_of() -> None:
    data = _edited(_remove("cap:info/cap:parameter[2]"))
    assert _findings(data) == {("blue.cmamtext", Severity.WARNING, INFO)}


def test_blue_alert_rules_apply_to_blue_alerts_only() -> None:
    data = _edited(
        _set("cap:info/cap:eventCode/cap:value", "RWT"),
        _set(CMAMTEXT, "B" * 91),
        _set("cap:info/cap:parameter[1]/cap:value", "WXR"),
    )
    assert validate_cap(data) == []


def test_each_info_block_of_a_blue_alert_is_checked() -> None:
    data = _edited(_second_info, _set(f"cap:info[2]/{CMAMTEXT[9:]}", "B" * 91))
    assert _findings(data) == {("blue.CMAMtext.length", Severity.ERROR, f"{INFO}[2]")}


# -- the layers -----------------------------------------------------------------------------


def test_a_document_that_is_not_xml_is_one_finding_at_the_root() -> None:
    [finding] = validate_cap(b"<alert")
    assert (finding.rule, finding.severity, finding.location) == ("xml.xml", Severity.ERROR, "/")


def test_another_namespace_is_named() -> None:
    [finding] = validate_cap(b'<alert xmlns="urn:example"/>')
    assert (finding.rule, finding.location) == ("cap.namespace", "/alert")
    assert "{urn:example}alert, not an alert in the CAP 1.2 namespace" in finding.message


def test_schema_errors_come_first_and_are_located() -> None:
    data = _edited(_set("cap:status", "Bogus"), _set("cap:code", "X"))
    findings = validate_cap(data)
    assert [f.rule for f in findings][:2] == ["xsd", "ipaws.code"]
    assert findings[0].location == "/cap:alert/cap:status"


def test_warnings_alone_leave_a_document_valid() -> None:
    warned = validate_cap(_edited(_remove("cap:info/cap:instruction")))
    assert [f.severity for f in warned] == [Severity.WARNING]
    assert is_valid(warned)
    assert not is_valid(validate_cap(_edited(_set("cap:code", "X"))))


# -- empty elements: each rule still says what is missing -----------------------------------


def test_an_empty_time_is_named_as_not_a_time() -> None:
    [bad] = _only(_edited(_set("cap:info/cap:expires", "")), "cap.time.format")
    assert bad.message.startswith("'' is not a real time")


def test_an_empty_polygon_has_no_points() -> None:
    data = _edited(_set("cap:info/cap:area/cap:polygon", ""))
    [empty] = [f for f in validate_cap(data) if f.rule.startswith("cap.polygon")]
    assert (empty.rule, empty.location) == ("cap.polygon.points", POLYGON)
    assert "this has 0" in empty.message


def test_an_empty_circle_is_no_circle() -> None:
    data = _edited(_set("cap:info/cap:area/cap:circle", ""))
    assert [f.rule for f in validate_cap(data) if f.rule.startswith("cap.")] == [
        "cap.circle.syntax"
    ]


def test_empty_references_list_nothing_to_refuse() -> None:
    data = _edited(_set("cap:msgType", "Update"), _add("", "<references/>", before="cap:info"))
    assert _only(data, "cap.references.syntax") == []
    assert _only(data, "cap.references.required") == []


def test_an_empty_sent_time_is_no_zero_offset() -> None:
    assert _only(_edited(_set("cap:sent", "")), "ipaws.time.offset") == []


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        ("cap:info/cap:eventCode/cap:value", "ipaws.eventcode"),
        ("cap:info/cap:area/cap:geocode/cap:value", "ipaws.geocode.format"),
    ],
)
def test_an_empty_same_code_is_refused(path: str, rule: str) -> None:
    assert rule in {f.rule for f in validate_cap(_edited(_set(path, "")))}


def test_an_empty_category_in_one_info_only_is_inconsistent() -> None:
    data = _edited(_second_info, _set("cap:info[2]/cap:category", ""))
    assert ("ipaws.info.consistent", Severity.ERROR, "/cap:alert") in _findings(data)


@pytest.mark.parametrize(
    ("path", "text", "rule", "message"),
    [
        (
            "polygon",
            "33;-97 1,1 2,2 33;-97",
            "cap.polygon.syntax",
            "a polygon is space-separated lat,lon pairs",
        ),
        (
            "polygon",
            "1,1 2,2 3,3 4,4",
            "cap.polygon.closed",
            "a polygon's first and last points must be the same",
        ),
        ("circle", "1,1", "cap.circle.syntax", "a circle is 'lat,lon radius_km'"),
    ],
)
def test_each_shape_rule_says_it_in_its_own_words(
    path: str, text: str, rule: str, message: str
) -> None:
    [finding] = _only(_edited(_set(f"cap:info/cap:area/cap:{path}", text)), rule)
    assert finding.message == message
