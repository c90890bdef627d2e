"""IPAWS rules as tables: which SAME areas and event codes a COG covers, what the pre-flight
refuses and warns of, how each channel answers, and that every answer the stand-in writes is
valid against the WSDL's own schema."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lxml import etree

from bluealert.dispatch.ipaws.answers import ChannelStatus, PostAnswer
from bluealert.dispatch.ipaws.cog import CapFacts, CogProfile, cap_facts, preflight
from bluealert.dispatch.ipaws.standin import channel_statuses, fault, parameter_list
from bluealert.dispatch.ipaws.wsdl import FAULT_DETAIL, SOAP_NS, request_schema
from tests import factories as f

PROFILE = CogProfile(
    120999, "Texas DPS", event_codes=frozenset({"BLU"}), geo_codes=frozenset({"048000", "040109"})
)
FACTS = CapFacts("BLU-TX-1-v1", ("BLU",), ("048113",), frozenset())


@pytest.mark.parametrize(
    ("code", "covered"),
    [
        ("048113", True),  # a county of a permitted state
        ("148113", True),  # part of that county (P = 1)
        ("048000", True),  # the state itself
        ("040109", True),  # a county permitted by itself
        ("140109", True),  # part of that county
        ("040143", False),  # another county of that state
        ("040000", False),  # that whole state
        ("022071", False),  # a state never named
    ],
)
def test_a_cog_covers_its_counties_their_parts_and_whole_states(code: str, covered: bool) -> None:
    assert PROFILE.may_alert(code) is covered
    assert replace(PROFILE, all_geo_codes=True).may_alert(code)


def test_a_cog_sends_its_event_codes_or_all() -> None:
    assert PROFILE.may_send("BLU")
    assert not PROFILE.may_send("CAE")
    assert replace(PROFILE, all_event_codes=True).may_send("CAE")


def test_preflight_clears_what_the_cog_may_send() -> None:
    checked = preflight(PROFILE, FACTS)
    assert checked.cleared
    assert checked.refusals == ()
    assert checked.warnings == ()


@pytest.mark.parametrize(
    ("profile", "facts", "code", "words"),
    [
        (replace(PROFILE, enabled=False), FACTS, "cog-disabled",
         "COG 120999 (Texas DPS) is not enabled"),
        (replace(PROFILE, event_codes=frozenset({"CAE", "LAE"})), FACTS, "event-code-not-permitted",
         "may not send event code BLU (permitted: CAE, LAE)"),
        (PROFILE, replace(FACTS, event_codes=()), "event-code-not-permitted", "no SAME event code"),
        (PROFILE, replace(FACTS, same_codes=("048113", "040143", "022071")),
         "geocode-not-permitted", "may not alert SAME area(s) 040143, 022071"),
        (PROFILE, replace(FACTS, same_codes=()), "geocode-not-permitted", "names no SAME area"),
    ],
)  # fmt: skip
def test_preflight_refuses_naming_what_the_cog_may_not_do(
    profile: CogProfile, facts: CapFacts, code: str, words: str
) -> None:
    checked = preflight(profile, facts)
    assert not checked.cleared
    assert [p.code for p in checked.refusals] == [code]
    assert words in checked.reason()


def test_preflight_warns_of_channels_the_cog_may_not_reach_unless_the_sender_blocked_them() -> None:
    narrow = replace(PROFILE, channels=frozenset({"EAS", "PUBLIC"}))
    checked = preflight(narrow, FACTS)
    assert checked.cleared
    who = "COG 120999 (Texas DPS) may not send to"
    assert checked.warnings == (
        f"{who} WEA (cmasAlertAuthorized = N): it will not carry this",
        f"{who} NWEM (nwemAuthorized = N): it will not carry this",
    )
    blocked = preflight(narrow, replace(FACTS, blocked=frozenset({"NWEM"})))
    assert [w.split(" (")[1] for w in blocked.warnings] == ["Texas DPS) may not send to WEA"]


def test_the_profile_travels_as_getrequest_parameters_and_back() -> None:
    profile = replace(PROFILE, channels=frozenset({"EAS", "CMAS"}), all_geo_codes=True)
    items = profile.parameters()
    assert ("cmasAlertAuthorized", "Y", ()) in items
    assert ("publicAlertAuthorized", "N", ()) in items
    assert ("geoCodes", "", (("SAME", "040109"), ("SAME", "048000"))) in items
    assert CogProfile.from_parameters(items) == profile


def test_cap_facts_read_event_codes_areas_and_blocked_channels() -> None:
    facts = cap_facts(etree.fromstring(f.testdata("ipaws_real_RWT_cancel_signed.xml")))
    assert facts.event_codes == ("RWT",)
    assert facts.same_codes == ("001000",)
    assert facts.blocked == frozenset({"CMAS", "NWEM"})


def test_a_post_answer_reads_back_what_it_wrote_and_refuses_anything_else() -> None:
    answer = PostAnswer(
        "BLU-TX-1-v1",
        (
            ChannelStatus.of("EAS", None),
            ChannelStatus.of("CMAS", "blocked"),
            ChannelStatus("CAPEXCH", 200, False, "Ack"),
        ),
    )
    assert answer.text().splitlines() == [
        "SUCCESS BLU-TX-1-v1", "EAS 500 N Ack", "CMAS 601 N message-not-disseminated-as-CMAS",
        "CAPEXCH 200 N Ack",
    ]  # fmt: skip
    assert PostAnswer.parse(answer.text()) == answer
    assert answer.summary() == (
        "IPAWS accepted BLU-TX-1-v1: EAS Ack; WEA message-not-disseminated-as-CMAS"
    )
    with pytest.raises(ValueError, match="expected SUCCESS first"):
        PostAnswer.parse("FAILURE")
    with pytest.raises(ValueError, match="not a channel status: 'EAS five N Ack'"):
        PostAnswer.parse("SUCCESS x\nEAS five N Ack")


def _cap(*parameters: tuple[str, str]) -> etree._Element:
    cap = "urn:oasis:names:tc:emergency:cap:1.2"
    root = etree.Element(f"{{{cap}}}alert")
    info = etree.SubElement(root, f"{{{cap}}}info")
    for name, value in parameters:
        parameter = etree.SubElement(info, f"{{{cap}}}parameter")
        etree.SubElement(parameter, f"{{{cap}}}valueName").text = name
        etree.SubElement(parameter, f"{{{cap}}}value").text = value
    return root


FULL = (("EAS-ORG", "CIV"), ("CMAMtext", "BLUE ALERT"))


ONLY_WEA = (("CMAMtext", "x"),)
ONLY_EAS = (("EAS-ORG", "CIV"),)


@pytest.mark.parametrize(
    ("profile", "blocked", "parameters", "expected"),
    [  # items for NWEM, EAS, CMAS (WEA), PUBLIC: x00 disseminated, x01 not
        (PROFILE, set(), FULL, "400 500 600 800"),
        (PROFILE, {"NWEM", "EAS"}, FULL, "401 501 600 800"),
        (PROFILE, {"CMAS", "PUBLIC"}, FULL, "400 500 601 801"),
        (replace(PROFILE, channels=frozenset({"PUBLIC"})), set(), FULL, "401 501 601 800"),
        (replace(PROFILE, channels=frozenset({"EAS", "NWEM"})), set(), FULL, "400 500 601 801"),
        (PROFILE, set(), ONLY_WEA, "400 501 600 800"),
        (PROFILE, set(), ONLY_EAS, "400 500 601 800"),
    ],
)
def test_each_channel_answers_unless_blocked_not_permitted_or_missing_its_text(
    profile: CogProfile,
    blocked: set[str],
    parameters: tuple[tuple[str, str], ...],
    expected: str,
) -> None:
    facts = replace(FACTS, blocked=frozenset(blocked))
    answer = channel_statuses(profile, facts, _cap(*parameters))
    items = {s.channel: s.item for s in answer.statuses if s.channel != "CAPEXCH"}
    assert " ".join(str(items[c]) for c in ("NWEM", "EAS", "CMAS", "PUBLIC")) == expected
    exchange = [(s.item, s.status) for s in answer.statuses if s.channel == "CAPEXCH"]
    assert exchange == [(200, "Ack"), (202, "alert-signature-is-valid")]
    assert items["IPAWS"] == 300
    disseminated = {s.channel for s in answer.statuses if s.disseminated}
    assert disseminated == {"CAPEXCH"} | {c for c, n in items.items() if n % 100 == 0}


def test_the_stand_in_answers_only_what_the_wsdl_declares() -> None:
    schema = request_schema()
    answer = parameter_list(PROFILE.parameters())
    assert schema.validate(answer), schema.error_log
    detail = etree.fromstring(fault("unknown-cog", "no COG 7")).find(f".//{FAULT_DETAIL}")
    assert detail is not None
    assert schema.validate(detail), schema.error_log
    envelope = etree.fromstring(fault("unknown-cog", "no COG 7"))
    assert envelope.findtext(f"{{{SOAP_NS}}}Body/{{{SOAP_NS}}}Fault/faultcode") == "soapenv:Client"
    broken = parameter_list([("ACK", "PONG", ())])
    broken.append(etree.Element("unexpected"))
    assert not schema.validate(broken)
