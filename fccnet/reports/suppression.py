"""Small-cell suppression for the data-partner export, so no small count can be worked out.

The table is published with its row totals, column totals and grand total, and the
margins are counts like any other cell. The rules:

- Primary: every count from `minimum` to `maximum` (1 to 4), inner cell or total, is
  suppressed. Zeros are published: "nobody" says nothing about a person.
- Complementary: more cells are suppressed until, from everything published and the
  fact that counts are whole numbers of at least zero, a reader can pin down no
  suppressed cell to one value, nor confine a primary cell to `minimum..maximum`.

The usual rule "a row or column never has exactly one suppressed cell" is necessary but
not enough (two suppressed blocks joined by one cell give that cell away; published zeros
and small totals pin cells down), so every suppressed cell is checked exactly instead.
Mathematically the table with its margins is a circulation, each cell an arc:

    row i -> column j (cell), column j -> A (column total), A -> B (grand total),
    B -> row i (row total)

A cell's value can change by t while everything published holds exactly when t units
can flow around a cycle through it over suppressed arcs (forward freely, backward at
most the arc's own value), so its range is found with a maximum flow. When a cell is
exposed, the cheapest cycle of four cells through it is suppressed as well (fewest
totals, then fewest cells, then fewest zeros, then the smallest values; ties by
position). One always exists: a cell, its row total, its column total and the grand
total can all grow together without limit (for a total, the same kind of rectangle seen
from it), so the loop ends. In a table of one column, a row total thus
goes with its only cell.

Only this table is protected: publishing another one that shares its counts (town
subtotals beside neighbourhood rows, say) adds equations this check does not see.
"""

from collections import deque
from dataclasses import dataclass

Cell = tuple[int, int]  # (row, column) with the margins: index `rows` is the totals row


@dataclass(frozen=True)
class SuppressedTable:
    """What may be published: None where a count is suppressed."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


def suppress(table: list[list[int]], *, minimum: int = 1, maximum: int = 4) -> SuppressedTable:
    """The table with its margins, small counts and their complements suppressed."""
    if any(len(row) != len(table[0]) for row in table):
        raise ValueError("every row needs the same number of cells")
    if any(not isinstance(value, int) or value < 0 for row in table for value in row):
        raise ValueError("counts are whole numbers of at least zero")
    if not 0 <= minimum <= maximum:
        raise ValueError("need 0 <= minimum <= maximum")
    protection = _Protection(table, minimum, maximum)
    protection.run()
    return protection.published()


class _Protection:
    def __init__(self, table: list[list[int]], minimum: int, maximum: int):
        self.rows, self.columns = len(table), len(table[0]) if table else 0
        self.minimum, self.maximum = minimum, maximum
        self.count: dict[Cell, int] = {
            (i, j): table[i][j] for i in range(self.rows) for j in range(self.columns)
        }
        for i in range(self.rows):
            self.count[i, self.columns] = sum(table[i])
        for j in range(self.columns):
            self.count[self.rows, j] = sum(row[j] for row in table)
        self.count[self.rows, self.columns] = sum(map(sum, table))
        self.primary = {cell for cell, count in self.count.items() if minimum <= count <= maximum}
        self.suppressed = set(self.primary)

    def run(self) -> None:
        protected: set[Cell] = set()
        while unchecked := sorted(self.suppressed - protected):
            for cell in unchecked:
                protected.add(cell)
                if not self.is_protected(cell, self.suppressed):
                    self.suppressed |= self.cheapest_rectangle(cell)
                    break  # cells checked before stay protected: more suppression only widens

    def published(self) -> SuppressedTable:
        def shown(cell: Cell) -> int | None:
            return None if cell in self.suppressed else self.count[cell]

        rows, columns = self.rows, self.columns
        return SuppressedTable(
            cells=[[shown((i, j)) for j in range(columns)] for i in range(rows)],
            row_totals=[shown((i, columns)) for i in range(rows)],
            column_totals=[shown((rows, j)) for j in range(columns)],
            total=shown((rows, columns)),
        )

    def is_margin(self, cell: Cell) -> bool:
        return cell[0] == self.rows or cell[1] == self.columns

    def arc(self, cell: Cell) -> tuple[object, object]:
        """The cell's (tail, head) in the circulation of the module docstring."""
        i, j = cell
        if i < self.rows and j < self.columns:
            return ("row", i), ("column", j)
        if i < self.rows:
            return "B", ("row", i)
        if j < self.columns:
            return ("column", j), "A"
        return "A", "B"

    def is_protected(self, cell: Cell, suppressed: set[Cell]) -> bool:
        """Whether the cell's range, given what `suppressed` leaves published, holds more
        than one value and, for a primary cell, reaches below `minimum` or above `maximum`."""
        value = self.count[cell]
        if cell in self.primary:
            rise_needed, fall_needed = self.maximum - value + 1, value - self.minimum + 1
        else:
            rise_needed, fall_needed = 1, 1
        tail, head = self.arc(cell)
        # Rising by t means t more units going round a cycle: from head back to tail over
        # the other suppressed cells. Falling is the other way round, and stops at zero.
        others = suppressed - {cell}
        if self.max_flow(others, head, tail, rise_needed) >= rise_needed:
            return True
        return (
            fall_needed <= value and self.max_flow(others, tail, head, fall_needed) >= fall_needed
        )

    def max_flow(self, cells: set[Cell], source: object, sink: object, enough: int) -> int:
        """How much can flow from source to sink over these cells, counted no further than
        `enough` (which thus serves as an unlimited capacity)."""
        capacity: dict[object, dict[object, int]] = {}
        for cell in cells:
            tail, head = self.arc(cell)
            capacity.setdefault(tail, {}).setdefault(head, 0)
            capacity.setdefault(head, {}).setdefault(tail, 0)
            capacity[tail][head] += enough  # a count may grow without limit
            capacity[head][tail] += self.count[cell]  # and shrink to zero
        flow = 0
        while flow < enough and source in capacity:
            came_from: dict[object, object] = {source: None}
            queue = deque([source])
            while queue and sink not in came_from:
                node = queue.popleft()
                for neighbour, room in capacity[node].items():
                    if room > 0 and neighbour not in came_from:
                        came_from[neighbour] = node
                        queue.append(neighbour)
            if sink not in came_from:
                break
            path = []
            node = sink
            while node != source:
                path.append((came_from[node], node))
                node = came_from[node]
            push = min(enough - flow, *(capacity[u][v] for u, v in path))
            for u, v in path:
                capacity[u][v] -= push
                capacity[v][u] += push
            flow += push
        return flow

    def cheapest_rectangle(self, cell: Cell) -> set[Cell]:
        """The cells to suppress with `cell`: the cheapest rectangle of four cells through
        it that protects it."""
        i, j = cell
        candidates = []
        for other_i in range(self.rows + 1):
            for other_j in range(self.columns + 1):
                added = {(i, other_j), (other_i, other_j), (other_i, j)} - self.suppressed
                if other_i == i or other_j == j or not added:
                    continue
                cost = (
                    sum(map(self.is_margin, added)),
                    len(added),
                    sum(self.count[c] == 0 for c in added),
                    sum(self.count[c] for c in added),
                    other_i,
                    other_j,
                )
                candidates.append((cost, added))
        for _cost, added in sorted(candidates, key=lambda candidate: candidate[0]):
            if self.is_protected(cell, self.suppressed | added):
                return added
        raise AssertionError("the rectangle through the totals always protects a cell")
