"""Tables and titles that fit the terminal: what matters stays whole, the rest gives way.

Rich squeezes every column of a table that is too wide, so in 80 columns an id became ``M…``
and a long source path pushed a panel's ``KNOWN`` out of its title. Here each column says how
much it matters: the table is built for the width it is printed in, dropping the least important
columns first, and never cutting the ones marked ``whole`` (ids); paths give up their start, not
the file name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

ELLIPSIS = "…"
FLEX_MIN = 12
"""Narrowest a flexible column is squeezed to before a less important column is dropped."""
FLEX_FLOOR = 8
"""Narrowest a flexible column is squeezed to before an id too long to fit is folded."""


def elide_left(text: str, width: int) -> str:
    """``text`` cut from the start to ``width`` cells (``…/logs/build.log``): the end of a
    path names the file, its start only where the checkout lives."""
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    if width == 1:
        return ELLIPSIS
    kept = ""
    for char in reversed(text):
        if cell_len(kept) + cell_len(char) > width - 1:
            break
        kept = char + kept
    return ELLIPSIS + kept


@dataclass(frozen=True, slots=True)
class Column:
    """One column and how it gives way when the table is too wide.

    ``drop``: 0 is never dropped; higher numbers are dropped first. ``whole``: never cut or
    wrapped while the terminal can hold it (ids, counts, dates). ``path``: cut from the start.
    Other columns fold their text over several lines, and are squeezed to ``least`` cells at
    most before a less important column is dropped to make room.
    """

    header: str
    drop: int = 0
    whole: bool = False
    path: bool = False
    justify: Literal["left", "center", "right"] = "left"
    ratio: int | None = None
    style: str = ""
    least: int = FLEX_MIN


Cell = str | Text


class FitTable:
    """A Rich table built at print time for the width it gets (see the module docstring)."""

    def __init__(
        self, columns: Sequence[Column], *, title: str | Text | None = None,
        caption: str | Text | None = None,
    ) -> None:
        self.columns = tuple(columns)
        self.title = title
        self.caption = caption
        self.rows: list[tuple[Cell, ...]] = []

    def add_row(self, *cells: Cell) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(cells)

    def kept_columns(self, width: int) -> list[int]:
        """Indexes of the columns shown in ``width`` cells, in table order."""
        kept = list(range(len(self.columns)))
        need = [self._need(i) for i in kept]
        droppable = sorted(
            (i for i, c in enumerate(self.columns) if c.drop > 0),
            key=lambda i: (-self.columns[i].drop, -i),
        )
        for index in droppable:
            if _table_width(need[i] for i in kept) <= width:
                break
            kept.remove(index)
        return kept

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        kept = self.kept_columns(width)
        folded = self._folded_widths(kept, width)
        table = Table(title=self.title, caption=self.caption)
        for index in kept:
            column = self.columns[index]
            whole = column.whole and index not in folded
            table.add_column(
                column.header, justify=column.justify, ratio=column.ratio, style=column.style,
                no_wrap=whole or column.path, overflow="fold", width=folded.get(index),
                min_width=self._longest(index) if whole else None,
            )
        room = self._path_room(kept, width)
        for row in self.rows:
            cells: list[Cell] = []
            for index in kept:
                cell = row[index]
                if self.columns[index].path:
                    plain = cell.plain if isinstance(cell, Text) else cell
                    cell = Text(elide_left(plain, room.get(index, len(plain))))
                cells.append(cell)
            table.add_row(*cells)
        yield table

    def _longest(self, index: int) -> int:
        header = cell_len(self.columns[index].header)
        return max([header, *(_cell_width(row[index]) for row in self.rows)])

    def _need(self, index: int) -> int:
        """Cells a column needs at least: all of a whole one, a little of the others."""
        longest = self._longest(index)
        column = self.columns[index]
        if column.whole:
            return longest
        least = max(column.least, cell_len(column.header))
        if column.path:  # room for the file name at least
            least = max([least, *(_file_name_width(row[index]) for row in self.rows)])
        return min(longest, least)

    def _folded_widths(self, kept: list[int], width: int) -> dict[int, int]:
        """Widths of the whole columns that cannot be whole here (an id longer than the
        terminal allows): they share what the other columns leave and fold, every character
        kept. Empty when the whole columns fit."""
        whole = [i for i in kept if self.columns[i].whole]
        frame = _table_width([0] * len(kept))
        floor = sum(min(self._need(i), FLEX_FLOOR) for i in kept if i not in whole)
        if not whole or frame + floor + sum(self._longest(i) for i in whole) <= width:
            return {}  # the other columns give way below their least first
        others = sum(self._need(i) for i in kept if i not in whole)
        share = max(FLEX_MIN, width - frame - others) // len(whole)
        share = max(1, min(share, (width - frame - floor) // len(whole)))
        return {i: min(self._longest(i), share) for i in whole}

    def _path_room(self, kept: list[int], width: int) -> dict[int, int]:
        """Cells each path column gets: what the others leave, shared alike."""
        paths = [i for i in kept if self.columns[i].path]
        if not paths:
            return {}
        others = sum(self._need(i) for i in kept if i not in paths)
        free = width - _table_width([0] * len(kept)) - others
        share = max(FLEX_MIN, free // len(paths))
        return {i: max(share, cell_len(self.columns[i].header)) for i in paths}


def _file_name_width(cell: Cell) -> int:
    plain = cell.plain if isinstance(cell, Text) else cell
    return cell_len(plain.replace("\\", "/").rsplit("/", 1)[-1]) + 2  # "…/" before it


def _cell_width(cell: Cell) -> int:
    plain = cell.plain if isinstance(cell, Text) else cell
    return max((cell_len(line) for line in plain.splitlines()), default=0)


def _table_width(needs: Iterable[int]) -> int:
    """Width of a default Rich table with these column widths: borders and one space of
    padding each side of every cell."""
    widths = list(needs)
    return sum(widths) + 3 * len(widths) + 1
