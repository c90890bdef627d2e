"""MULTI read back (NTCIP 1203 v03 §6.4) and the sign pages composed for a sign's own tags."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bluealert.formats.dms import compose_sign, sign_profile
from bluealert.formats.multi import MultiError, Tag, read_multi, tag_value_problem
from tests import factories as f

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
TEMPLATE = (
    "[pt30o3][jp3][jl3]BLUE ALERT[nl]BLK FORD F150[nl]TX LIC ABC1234"
    "[np]BLUE ALERT[nl]SUSPECT ARMED[nl]CALL 911"
)


def test_the_standards_template_reads_as_two_pages_of_three_lines() -> None:
    read = read_multi(TEMPLATE)
    assert read.pages == [
        ["BLUE ALERT", "BLK FORD F150", "TX LIC ABC1234"],
        ["BLUE ALERT", "SUSPECT ARMED", "CALL 911"],
    ]
    assert [t.name for t in read.tags] == ["pt", "jp", "jl", "nl", "nl", "np", "nl", "nl"]
    assert read.tags[0] == Tag("pt", "30o3", 1)
    assert read.text == (
        "BLUE ALERT / BLK FORD F150 / TX LIC ABC1234 | BLUE ALERT / SUSPECT ARMED / CALL 911"
    )


def test_doubled_brackets_are_text_and_nothing_is_a_blank_sign() -> None:
    assert read_multi("A[[1]]B").pages == [["A[1]B"]]
    assert read_multi("").pages == []
    assert read_multi("").text == ""


@pytest.mark.parametrize(
    ("multi", "position"),
    [("ABC[nl", 4), ("AB]C", 3), ("[jl3]A]", 7)],
)
def test_broken_multi_names_the_character(multi: str, position: int) -> None:
    with pytest.raises(MultiError) as raised:
        read_multi(multi)
    assert raised.value.position == position


@pytest.mark.parametrize(
    ("multi", "name", "value"),
    [("[fl]", "fl", ""), ("[f1]", "f", "1"), ("[fo2]", "fo", "2"), ("[FLt5o5]", "fl", "t5o5"),
     ("[/fl]", "fl", ""), ("[zz9]", "", "zz9"), ("[g1,2,3]", "g", "1,2,3")],
)  # fmt: skip
def test_tag_names_longest_first(multi: str, name: str, value: str) -> None:
    (tag,) = read_multi(multi).tags
    assert (tag.name, tag.value) == (name, value)


@pytest.mark.parametrize(
    ("tag", "bad"),
    [(Tag("jl", "3", 1), False), (Tag("jl", "1", 1), True), (Tag("jl", "6", 1), True),
     (Tag("jp", "4", 1), False), (Tag("jp", "5", 1), True),
     (Tag("pt", "30o3", 1), False), (Tag("pt", "30", 1), False), (Tag("pt", "o3", 1), False),
     (Tag("pt", "256o3", 1), True), (Tag("pt", "30o256", 1), True), (Tag("pt", "3x", 1), True),
     (Tag("nl", "", 1), False), (Tag("nl", "2", 1), False), (Tag("np", "x", 1), True)],
)  # fmt: skip
def test_tag_values_in_range(tag: Tag, bad: bool) -> None:
    assert (tag_value_problem(tag) is not None) is bad


def test_a_sign_without_page_time_gets_no_page_time_tag() -> None:
    content = f.alert_content(NOW)
    full = compose_sign(content, sign_profile(3, 18)).multi
    plain = compose_sign(content, sign_profile(3, 18, tags=frozenset({"nl", "np"}))).multi
    assert full.startswith("[pt")
    assert "[pt" not in plain
    assert "[jl" not in plain
    assert "[jp" not in plain
    assert read_multi(plain).pages == read_multi(full).pages


def test_a_sign_without_new_page_shows_one_page_and_without_new_line_one_line() -> None:
    content = f.alert_content(NOW)
    one_page = compose_sign(content, sign_profile(3, 18, 2, frozenset({"nl", "pt"})))
    assert len(one_page.pages) == 1
    assert "[np]" not in one_page.multi
    one_line = compose_sign(content, sign_profile(3, 18, 2, frozenset({"np"})))
    assert all(len(page) == 1 for page in one_line.pages)
    assert "[nl]" not in one_line.multi
    assert sign_profile(3, 21).name == "3x21"
