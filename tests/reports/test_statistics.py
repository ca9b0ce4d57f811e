"""Percentiles in SQL: the same numbers as PostgreSQL's percentile_cont, on both databases.

percentile_cont(p) over n sorted values v1..vn takes the position h = p * (n - 1) counted
from 0 and returns v[floor h] + (h - floor h) * (v[floor h + 1] - v[floor h]).
"""

import random
from fractions import Fraction

import pytest
from sqlalchemy import literal_column, select, union_all

from fccnet.extensions import db
from fccnet.reports.statistics import percentiles

MEDIAN_P90 = {"median": 0.5, "p90": 0.9}
GROUP_SIZES = {"a": 1, "b": 2, "c": 7, "d": 40, "e": 101}


def rows_of(pairs: list[tuple[str, int | None]]):
    """A SELECT of ("grp", "value") rows, written as literals (no table needed)."""
    return union_all(
        *(
            select(
                literal_column(f"'{group}'").label("grp"),
                literal_column("CAST(NULL AS INTEGER)" if value is None else str(value)).label(
                    "value"
                ),
            )
            for group, value in pairs
        )
    )


def by_group(pairs, fractions=MEDIAN_P90) -> dict[str, tuple]:
    query = percentiles(rows_of(pairs), fractions, by=("grp",))
    return {row[0]: tuple(row[1:]) for row in db.session.execute(query)}


def overall(values, fractions=MEDIAN_P90) -> tuple:
    return tuple(
        db.session.execute(percentiles(rows_of([("x", v) for v in values]), fractions)).one()
    )


def test_one_value_is_every_percentile(ctx):
    # n = 1: h = p * 0 = 0 for every p, so the value itself.
    assert overall([7]) == (1, 7.0, 7.0)


def test_two_values(ctx):
    # 10, 20: median h = 0.5 -> 10 + 0.5 * 10 = 15; p90 h = 0.9 -> 10 + 0.9 * 10 = 19.
    assert overall([20, 10]) == (2, 15.0, 19.0)


def test_an_odd_count_takes_the_middle_value(ctx):
    # 1, 3, 4, 8, 10 (given unsorted): median h = 0.5 * 4 = 2 -> 4;
    # p90 h = 0.9 * 4 = 3.6 -> 8 + 0.6 * (10 - 8) = 9.2.
    assert overall([8, 1, 10, 3, 4]) == (5, 4.0, 9.2)


def test_an_even_count_blends_the_two_middle_values(ctx):
    # 2, 4, 6, 9: median h = 1.5 -> 4 + 0.5 * 2 = 5; p90 h = 2.7 -> 6 + 0.7 * 3 = 8.1.
    assert overall([9, 2, 6, 4]) == (4, 5.0, 8.1)


def test_ties(ctx):
    # 3, 3, 3, 5, 5, 12: median h = 2.5 -> 3 + 0.5 * (5 - 3) = 4;
    # p90 h = 4.5 -> 5 + 0.5 * (12 - 5) = 8.5; quartile h = 1.25 -> 3 + 0.25 * 0 = 3.
    assert overall([5, 3, 12, 3, 5, 3], {"median": 0.5, "p90": 0.9, "q1": 0.25}) == (
        6,
        4.0,
        8.5,
        3.0,
    )


def test_the_ends_are_the_smallest_and_largest_values(ctx):
    assert overall([4, 0, 9, 2], {"min": 0, "max": 1}) == (4, 0.0, 9.0)


def test_a_fraction_given_exactly(ctx):
    # 0, 3, 9, 30: a third is h = 1/3 * 3 = 1 -> 3 exactly; two thirds h = 2 -> 9.
    thirds = {"third": Fraction(1, 3), "two_thirds": Fraction(2, 3)}
    assert overall([30, 0, 9, 3], thirds) == (4, 3.0, 9.0)


def test_nulls_are_left_out(ctx):
    # As percentile_cont: 2, 6 remain; median 4, p90 h = 0.9 -> 2 + 0.9 * 4 = 5.6.
    assert overall([None, 6, None, 2]) == (2, 4.0, 5.6)


def test_no_value_gives_an_empty_row(ctx):
    assert overall([None]) == (0, None, None)


def test_each_group_has_its_own_percentiles(ctx):
    # a: 1, 2, 3 -> median 2, p90 h = 1.8 -> 2 + 0.8 * 1 = 2.8.
    # b: 10 -> 10 and 10.  c: 0, 100 -> 50 and 90.
    pairs = [("a", 3), ("b", 10), ("a", 1), ("c", 100), ("a", 2), ("c", 0)]
    assert by_group(pairs) == {
        "a": (3, 2.0, 2.8),
        "b": (1, 10.0, 10.0),
        "c": (2, 50.0, 90.0),
    }


def test_a_fraction_outside_zero_to_one_is_refused(ctx):
    with pytest.raises(ValueError, match="fraction"):
        percentiles(rows_of([("x", 1)]), {"bad": 1.5})


def reference_percentiles(pairs, fractions) -> dict[str, list[float]]:
    """The definition, computed in Python: PostgreSQL's percentile_cont, which is
    numpy's "linear" method (the value at rank (n - 1) * p, interpolated)."""
    groups: dict[str, list[int]] = {}
    for group, value in pairs:
        groups.setdefault(group, []).append(value)
    result = {}
    for group, values in groups.items():
        ordered = sorted(values)
        figures = []
        for fraction in fractions:
            rank = (len(ordered) - 1) * fraction
            low = int(rank)
            high = min(low + 1, len(ordered) - 1)
            figures.append(ordered[low] + (rank - low) * (ordered[high] - ordered[low]))
        result[group] = figures
    return result


def test_matches_percentile_cont_on_random_groups(ctx):
    """On both databases, against the definition; on PostgreSQL also against its own
    percentile_cont."""
    generator = random.Random(6)
    pairs = [
        (group, generator.randint(0, 400)) for group in "abcde" for _ in range(GROUP_SIZES[group])
    ]
    fractions = (0.1, 0.5, 0.9, 0.99)
    ours = by_group(pairs, {"p10": 0.1, "median": 0.5, "p90": 0.9, "p99": 0.99})
    expected = reference_percentiles(pairs, fractions)
    if db.engine.dialect.name == "postgresql":
        source = rows_of(pairs).subquery()
        theirs = {
            row[0]: list(row[1:])
            for row in db.session.execute(
                select(
                    source.c.grp,
                    *(db.func.percentile_cont(p).within_group(source.c.value) for p in fractions),
                ).group_by(source.c.grp)
            )
        }
        for group in expected:
            assert theirs[group] == pytest.approx(expected[group], abs=1e-9)
    for group, (count, *values) in ours.items():
        assert count == GROUP_SIZES[group]
        assert values == pytest.approx(expected[group], abs=1e-9)
