"""Terminal tables whose identifiers are never cut or wrapped: people copy them whole.

Only prose columns (sentences, names, notes, times) wrap, word by word; every other column — a
reference, an id, a criterion or rule id, a FIPS or SAME code, a short value such as a state —
keeps its longest value on one line. When the terminal is too narrow to leave the prose columns
room to be read, each row is printed as a record instead: one `header: value` line per column,
the first in bold, the others indented, the prose wrapped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from bluealert.cli.output import console

# Box drawing takes a rule and a space on each side of every column, and one closing rule.
_BORDER_PER_COLUMN = 3
# Below this many cells a prose column is a stack of word fragments, not something to read.
MIN_PROSE_WIDTH = 10


@dataclass(frozen=True)
class Col:
    """A column: its header, and whether it is prose that may wrap (else it is kept whole)."""

    header: str
    prose: bool = False


def _cell_width(cell: str) -> int:
    return Text.from_markup(cell).cell_len


def print_table(
    title: str | None,
    columns: Sequence[Col],
    rows: Iterable[Sequence[str]],
    *,
    show_header: bool = True,
) -> None:
    """Print rows (rich markup allowed) under the columns, all but prose kept whole."""
    cells = [list(row) for row in rows]
    whole = [
        max([len(c.header), *(_cell_width(row[i]) for row in cells)])
        for i, c in enumerate(columns)
        if not c.prose
    ]
    prose_count = sum(c.prose for c in columns)
    room = console.width - sum(whole) - _BORDER_PER_COLUMN * len(columns) - 1
    if room < MIN_PROSE_WIDTH * prose_count or (prose_count == 0 and room < 0):
        _print_records(title, columns, cells)
        return
    table = Table(title=title, show_header=show_header)
    for column in columns:
        if column.prose:
            table.add_column(column.header, overflow="fold")
        else:
            table.add_column(column.header, no_wrap=True, min_width=len(column.header))
    for row in cells:
        table.add_row(*row)
    console.print(table)


def _print_records(title: str | None, columns: Sequence[Col], cells: list[list[str]]) -> None:
    if title:
        console.print(f"[bold]{title}[/]", highlight=False)
    for row in cells:
        first = f"[bold]{columns[0].header}: {row[0]}[/]"
        console.print(first, highlight=False, soft_wrap=not columns[0].prose)
        for column, cell in zip(columns[1:], row[1:], strict=True):
            line = f"{column.header}: {cell}"
            if column.prose:
                console.print(Padding(line, (0, 0, 0, 2)), highlight=False)
            else:
                console.print(f"  {line}", highlight=False, soft_wrap=True)
