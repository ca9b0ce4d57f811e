"""Small-cell suppression: a reader who knows everything published (and that counts are
whole numbers of at least zero) can work out no suppressed count.

The proof is exact, not by example: for every suppressed cell, `feasible_ranges` finds its
smallest and largest possible value by linear programming over what is published (an
exact simplex in fractions, checked below against brute force). The constraint matrix of a
table with margins is totally unimodular, so these bounds are whole numbers and every
whole number between them is possible: they are exactly what a reader could deduce.
"""

import random
from fractions import Fraction

import pytest

from fccnet.reports.suppression import SuppressedTable, suppress

Cell = tuple[int, int]  # (row, column) with the margins: index `rows` is the totals row


def with_margins(table: list[list[int]]) -> dict[Cell, int]:
    rows, columns = len(table), len(table[0])
    grid = {(i, j): table[i][j] for i in range(rows) for j in range(columns)}
    grid.update({(i, columns): sum(table[i]) for i in range(rows)})
    grid.update({(rows, j): sum(row[j] for row in table) for j in range(columns)})
    grid[rows, columns] = sum(map(sum, table))
    return grid


def published_grid(result: SuppressedTable) -> dict[Cell, int | None]:
    rows, columns = len(result.cells), len(result.column_totals)
    grid = {(i, j): result.cells[i][j] for i in range(rows) for j in range(columns)}
    grid.update({(i, columns): total for i, total in enumerate(result.row_totals)})
    grid.update({(rows, j): total for j, total in enumerate(result.column_totals)})
    grid[rows, columns] = result.total
    return grid


# --- The exact oracle: a small two-phase simplex (Bland's rule, so it always ends) ---


def _pivot(rows: list[list[Fraction]], basis: list[int], r: int, column: int) -> None:
    pivot = rows[r][column]
    rows[r] = [value / pivot for value in rows[r]]
    for other, row in enumerate(rows):
        if other != r and row[column]:
            factor = row[column]
            rows[other] = [a - factor * b for a, b in zip(row, rows[r], strict=True)]
    basis[r] = column


def _simplex(rows, basis, cost, columns) -> bool:
    """Maximise cost·x from a feasible basis; False when unbounded."""
    while True:
        for column in columns:
            if column in basis:
                continue
            reduced = cost[column] - sum(
                cost[b] * row[column] for b, row in zip(basis, rows, strict=True)
            )
            if reduced > 0:
                break
        else:
            return True
        ratios = [
            (row[-1] / row[column], b, r)
            for r, (b, row) in enumerate(zip(basis, rows, strict=True))
            if row[column] > 0
        ]
        if not ratios:
            return False
        _pivot(rows, basis, min(ratios)[2], column)


class Polytope:
    """{x >= 0 : every equation holds}, with a feasible basis found once (phase one)."""

    def __init__(self, equations: list[tuple[dict[int, int], int]], size: int):
        self.size = size
        count = len(equations)
        rows = []
        for k, (coefficients, rhs) in enumerate(equations):
            sign = -1 if rhs < 0 else 1
            row = [Fraction(0)] * (size + count + 1)
            for variable, coefficient in coefficients.items():
                row[variable] += sign * coefficient
            row[size + k] = Fraction(1)
            row[-1] = Fraction(sign * rhs)
            rows.append(row)
        basis = list(range(size, size + count))
        phase_one = [0] * size + [-1] * count
        assert _simplex(rows, basis, phase_one, range(size + count))
        assert all(row[-1] == 0 for b, row in zip(basis, rows, strict=True) if b >= size), (
            "infeasible"
        )
        for r, b in enumerate(basis):
            if b >= size:
                column = next((j for j in range(size) if rows[r][j]), None)
                if column is not None:
                    _pivot(rows, basis, r, column)
        kept = [r for r, b in enumerate(basis) if b < size]  # the rest were redundant
        self.rows = [[*rows[r][:size], rows[r][-1]] for r in kept]
        self.basis = [basis[r] for r in kept]

    def maximum(self, objective: list[int]) -> Fraction | None:
        rows, basis = [row[:] for row in self.rows], self.basis[:]
        if not _simplex(rows, basis, objective, range(self.size)):
            return None
        return sum(objective[b] * row[-1] for b, row in zip(basis, rows, strict=True))


def feasible_ranges(result: SuppressedTable) -> dict[Cell, tuple[int, int | None]]:
    """For each suppressed cell, its smallest and largest value (None: no limit) given
    everything published."""
    grid = published_grid(result)
    rows, columns = len(result.cells), len(result.column_totals)
    hidden = sorted(cell for cell, value in grid.items() if value is None)
    variable = {cell: k for k, cell in enumerate(hidden)}
    lines = [[(i, j) for j in range(columns + 1)] for i in range(rows + 1)]
    lines += [[(i, j) for i in range(rows + 1)] for j in range(columns + 1)]
    equations = []
    for line in lines:  # each line's cells add up to its last one, the total
        *parts, total = line
        coefficients: dict[int, int] = {}
        rhs = 0
        for cell, sign in [*((part, 1) for part in parts), (total, -1)]:
            if grid[cell] is None:
                coefficients[variable[cell]] = coefficients.get(variable[cell], 0) + sign
            else:
                rhs -= sign * grid[cell]
        if coefficients:
            equations.append((coefficients, rhs))
        else:
            assert rhs == 0, "the published numbers contradict each other"
    polytope = Polytope(equations, len(hidden))
    ranges = {}
    for cell, k in variable.items():
        unit = [0] * len(hidden)
        unit[k] = 1
        high = polytope.maximum(unit)
        low = -polytope.maximum([-u for u in unit])
        assert low.denominator == 1 and (high is None or high.denominator == 1)
        ranges[cell] = (int(low), None if high is None else int(high))
    return ranges


def hide(table: list[list[int]], cells: set[Cell]) -> SuppressedTable:
    """A table published with exactly these cells hidden (any pattern, for the oracle)."""
    rows, columns = len(table), len(table[0])
    grid = {cell: None if cell in cells else value for cell, value in with_margins(table).items()}
    return SuppressedTable(
        cells=[[grid[i, j] for j in range(columns)] for i in range(rows)],
        row_totals=[grid[i, columns] for i in range(rows)],
        column_totals=[grid[rows, j] for j in range(columns)],
        total=grid[rows, columns],
    )


def brute_force(published: SuppressedTable) -> dict[Cell, set[int]]:
    """Every value each hidden cell takes over all fillings that add up. The grand total
    must be published: it bounds every cell."""
    grid = published_grid(published)
    rows, columns = len(published.cells), len(published.column_totals)
    cap = grid[rows, columns]
    assert cap is not None
    lines = [[(i, j) for j in range(columns + 1)] for i in range(rows + 1)]
    lines += [[(i, j) for i in range(rows + 1)] for j in range(columns + 1)]
    hidden = sorted(cell for cell, value in grid.items() if value is None)
    seen: dict[Cell, set[int]] = {cell: set() for cell in hidden}

    def adds_up(line: list[Cell]) -> bool:
        *parts, total = (grid[cell] for cell in line)
        known = sum(part for part in parts if part is not None)
        if total is None:
            return True
        return known == total if None not in parts else known <= total

    def fill(k: int) -> None:
        if k == len(hidden):
            for cell in hidden:
                seen[cell].add(grid[cell])
            return
        for value in range(cap + 1):
            grid[hidden[k]] = value
            if all(adds_up(line) for line in lines if hidden[k] in line):
                fill(k + 1)
        grid[hidden[k]] = None

    fill(0)
    return seen


def test_the_oracle_agrees_with_brute_force():
    generator = random.Random(6)
    outcomes: set[str] = set()
    for _ in range(200):
        rows, columns = generator.randint(1, 3), generator.randint(1, 3)
        table = [[generator.choice([0, 1, 1, 2, 3]) for _ in range(columns)] for _ in range(rows)]
        cells = [(i, j) for i in range(rows + 1) for j in range(columns + 1)][:-1]
        hidden = set(generator.sample(cells, generator.randint(1, min(3, len(cells)))))
        if generator.random() < 0.5:  # a rectangle, so that some cells have a true range
            (i, k), (j, m) = (generator.sample(range(n + 1), 2) for n in (rows, columns))
            hidden |= {(i, j), (i, m), (k, j), (k, m)} - {(rows, columns)}
        published = hide(table, hidden)

        seen = brute_force(published)
        for cell, (low, high) in feasible_ranges(published).items():
            assert (low, high) == (min(seen[cell]), max(seen[cell]))
            outcomes.add("fixed" if low == high else "range")
    assert outcomes == {"fixed", "range"}


def test_the_oracle_knows_when_there_is_no_limit():
    everything = {(0, 0), (0, 1), (1, 0), (1, 1)}

    assert feasible_ranges(hide([[3]], everything)) == dict.fromkeys(everything, (0, None))
    # x + 5 = row total, and x = column total: all free once the grand total is hidden.
    assert feasible_ranges(hide([[3, 5]], {(0, 0), (0, 2), (1, 0), (1, 2)})) == {
        (0, 0): (0, None),
        (0, 2): (5, None),
        (1, 0): (0, None),
        (1, 2): (5, None),
    }
    # The row total still pins it.
    assert feasible_ranges(hide([[3, 5]], {(0, 0), (1, 0), (1, 2)})) == {
        (0, 0): (3, 3),
        (1, 0): (3, 3),
        (1, 2): (8, 8),
    }


def test_the_oracle_sees_through_the_two_per_line_rule():
    """Two hidden rectangles joined by one cell: every row and column hides zero or at
    least two cells, yet the joining cell can be worked out."""
    table = [[10, 11, 12, 13], [14, 15, 16, 17], [18, 19, 20, 21], [22, 23, 24, 25]]
    rectangles = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3)}

    ranges = feasible_ranges(hide(table, rectangles | {(1, 2)}))

    assert ranges[1, 2] == (16, 16)
    assert ranges[0, 0] == (0, 21)


# --- The property ---


def assert_protected(table: list[list[int]]) -> SuppressedTable:
    result = suppress(table)
    truth = with_margins(table)
    published = published_grid(result)
    for cell, value in published.items():
        assert value in (None, truth[cell]), f"{cell} published wrong"
        if 1 <= truth[cell] <= 4:
            assert value is None, f"small count {truth[cell]} at {cell} published"
    for cell, (low, high) in feasible_ranges(result).items():
        value = truth[cell]
        assert low <= value and (high is None or value <= high)
        assert high is None or low < high, f"{cell} = {value} can be worked out"
        if 1 <= value <= 4:
            assert low == 0 or high is None or high > 4, f"{cell} known to be small"
    return result


def random_count(generator: random.Random, zeros: float, small: float) -> int:
    """0 with chance `zeros`, 1 to 4 with chance `small`, else 5 to 30."""
    draw = generator.random()
    if draw < zeros:
        return 0
    if draw < zeros + small:
        return generator.randint(1, 4)
    return generator.randint(5, 30)


def random_table(generator: random.Random) -> list[list[int]]:
    rows, columns = generator.randint(1, 6), generator.randint(1, 6)
    zeros, small = generator.uniform(0, 0.5), generator.uniform(0, 0.6)
    return [[random_count(generator, zeros, small) for _ in range(columns)] for _ in range(rows)]


def assert_nothing_recoverable(shown: list, truth: dict, *, may_be_small=lambda form: False) -> int:
    """Several published tables read together. `shown`: (the variables a shown count adds
    up, the count or None when suppressed); `truth`: each variable's value. Every shown
    count is true and outside 1..4 (unless `may_be_small(form)`: a total published in full
    elsewhere); no suppressed count can be pinned to one value, nor a small one confined to
    1..4, by the exact simplex. Returns how many were suppressed."""
    in_forms = {variable for form, _value in shown for variable in form}
    variables = sorted(in_forms | set(truth), key=repr)
    index = {variable: k for k, variable in enumerate(variables)}
    equations, hidden = [], []
    for form, value in shown:
        true_value = sum(truth[variable] for variable in form)
        if value is None:
            hidden.append((form, true_value))
            continue
        assert value == true_value, f"{form} shows {value}, is {true_value}"
        assert not 1 <= value <= 4 or may_be_small(form), f"small count {value} for {form}"
        equations.append(({index[variable]: 1 for variable in form}, value))
    polytope = Polytope(equations, len(variables))
    for form, true_value in hidden:
        objective = [0] * len(variables)
        for variable in form:
            objective[index[variable]] = 1
        high = polytope.maximum(objective)
        low = -polytope.maximum([-c for c in objective])
        assert low <= true_value and (high is None or true_value <= high)
        assert high is None or low < high, f"{form} = {true_value} can be worked out"
        if 1 <= true_value <= 4:
            assert low == 0 or high is None or high > 4, f"{form} known to be small"
    return len(hidden)


def test_no_suppressed_count_can_be_worked_out_in_random_tables():
    generator = random.Random(20261122)
    suppressed_any = 0
    for _ in range(400):
        table = random_table(generator)
        result = assert_protected(table)
        suppressed_any += any(v is None for v in published_grid(result).values())
    assert suppressed_any > 300  # the cases are not trivially safe


@pytest.mark.parametrize(
    "table",
    [
        pytest.param([[3, 10, 12], [8, 20, 30], [9, 15, 40]], id="one small cell"),
        pytest.param([[3, 2, 12], [8, 20, 30], [9, 15, 40]], id="two small cells in a row"),
        pytest.param([[1, 2, 3], [8, 20, 30], [9, 15, 40]], id="a whole row of small cells"),
        pytest.param([[1, 1], [1, 1]], id="all small"),
        pytest.param([[3, 0, 0], [0, 9, 7], [0, 8, 20]], id="small cell among zeros"),
        pytest.param([[1, 2], [0, 0]], id="small totals pin cells"),
        pytest.param([[3, 0], [0, 0]], id="the only count"),
        pytest.param([[2, 10, 0, 7]], id="one row"),
        pytest.param([[2], [10], [0], [7]], id="one column"),
        pytest.param([[4]], id="one small cell alone"),
        pytest.param([[9]], id="one large cell alone"),
        pytest.param([[0, 0], [0, 0]], id="all zeros"),
        pytest.param([[10, 11, 12], [13, 14, 15]], id="nothing small"),
    ],
)
def test_edge_cases_are_protected(table):
    assert_protected(table)


def test_one_small_cell_costs_a_rectangle_and_keeps_the_totals():
    result = suppress([[3, 10, 12], [8, 20, 30], [9, 15, 40]])

    assert result.cells == [[None, None, 12], [8, 20, 30], [None, None, 40]]
    assert result.row_totals == [25, 58, 64]
    assert result.column_totals == [20, 45, 82]
    assert result.total == 147


def test_in_one_column_a_row_total_goes_with_its_only_cell():
    result = suppress([[3], [10], [7]])

    assert result.cells == [[None], [10], [None]]
    assert result.row_totals == [None, 10, None]
    assert (result.column_totals, result.total) == ([20], 20)


def test_small_totals_are_suppressed_too():
    result = suppress([[10, 2], [10, 0]])

    assert result.column_totals[1] is None
    assert result.cells[0][1] is None


def test_zeros_and_large_counts_alone_are_published_as_they_are():
    table = [[0, 10, 0], [5, 0, 30]]

    assert suppress(table) == SuppressedTable(
        cells=table, row_totals=[10, 35], column_totals=[5, 10, 30], total=45
    )


def test_empty_table():
    assert suppress([]) == SuppressedTable(cells=[], row_totals=[], column_totals=[], total=0)


def test_the_thresholds_can_change():
    result = suppress([[6, 20], [30, 40]], minimum=1, maximum=9)

    assert result.cells[0][0] is None


@pytest.mark.parametrize("table", [[[1, 2], [3]], [[-1, 5]], [[1.5, 2]]])
def test_bad_tables_are_refused(table):
    with pytest.raises(ValueError):
        suppress(table)
