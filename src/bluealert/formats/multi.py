"""NTCIP 1203 MULTI read back: its tags (with their place) and the text of each page and line.

A sign checks a message this way before it agrees to show it; the local sign agent does the
same, and tests read the pages a sign shows from its MULTI. `[[` and `]]` are a literal bracket
(NTCIP 1203 v03 §6.4); `[nl]` ends a line, `[np]` a page; every other tag only changes how the
text looks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# dmsSupportedMultiTags (NTCIP 1203 v03 multiCfg.14): bit n set = tag supported. The bits past 13
# (fields, text and colour rectangles, page background) are not used by bluealert.
TAG_BITS = {
    "cb": 0,
    "cf": 1,
    "fl": 2,
    "fo": 3,
    "g": 4,
    "hc": 5,
    "jl": 6,
    "jp": 7,
    "ms": 8,
    "mv": 9,
    "nl": 10,
    "np": 11,
    "pt": 12,
    "sc": 13,
}
# Longest names first, so that `[fl]` is flashing and `[f1]` a field.
_NAMES = "cb|cf|cr|fl|fo|f|g|hc|jl|jp|ms|mv|nl|np|pb|pt|sc|tr"
_TAG = re.compile(rf"/?({_NAMES})(.*)", re.IGNORECASE | re.DOTALL)


class MultiError(ValueError):
    """The MULTI string cannot be read; `position` is the 1-based character where it fails."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


@dataclass(frozen=True, slots=True)
class Tag:
    name: str  # lower case: 'pt', 'nl', 'fl', ...; '' for a tag no standard names
    value: str  # what follows the name: '30o3' for [pt30o3]
    position: int  # 1-based, of its '['


@dataclass(frozen=True)
class Multi:
    pages: list[list[str]] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The pages as one line of plain text: lines joined by ' / ', pages by ' | '."""
        return " | ".join(" / ".join(lines) for lines in self.pages)


def read_multi(multi: str) -> Multi:
    """Split `multi` into pages of lines and its tags; raises `MultiError` where it is broken."""
    pages: list[list[str]] = [[""]]
    tags: list[Tag] = []
    i = 0
    while i < len(multi):
        if multi.startswith("[[", i) or multi.startswith("]]", i):
            pages[-1][-1] += multi[i]
            i += 2
            continue
        if multi[i] == "]":
            raise MultiError("']' with no '[' before it (a bracket in text is ']]')", i + 1)
        if multi[i] != "[":
            pages[-1][-1] += multi[i]
            i += 1
            continue
        end = multi.find("]", i)
        if end < 0:
            raise MultiError("a tag opened with '[' is never closed", i + 1)
        tag = _tag(multi[i + 1 : end], i + 1)
        tags.append(tag)
        if tag.name == "nl":
            pages[-1].append("")
        elif tag.name == "np":
            pages.append([""])
        i = end + 1
    if pages == [[""]]:
        pages = []
    return Multi(pages, tags)


def _tag(body: str, position: int) -> Tag:
    found = _TAG.fullmatch(body)
    if found is None:
        return Tag("", body, position)
    return Tag(found.group(1).lower(), found.group(2), position)


def tag_value_problem(tag: Tag) -> str | None:
    """Why the value of a tag is out of its range (NTCIP 1203 v03 §6.4), or None."""
    if tag.name == "jl" and tag.value not in {"2", "3", "4", "5"}:
        return "[jl] is 2 (left), 3 (centre), 4 (right) or 5 (full)"
    if tag.name == "jp" and tag.value not in {"2", "3", "4"}:
        return "[jp] is 2 (top), 3 (middle) or 4 (bottom)"
    if tag.name == "pt":
        times = re.fullmatch(r"(\d{0,3})(?:o(\d{0,3}))?", tag.value)
        if times is None or any(int(t) > 255 for t in times.groups() if t):
            return "[ptXoY] times are tenths of a second, 0 to 255"
    if tag.name in {"nl", "np"} and not re.fullmatch(r"\d{0,2}", tag.value):
        return f"[{tag.name}] takes at most a number"
    return None
