"""Percentiles in SQL that SQLite computes as PostgreSQL does.

SQLite has no percentile_cont, so percentiles are taken from ranks: each group's values
are numbered with ROW_NUMBER and counted with COUNT over the group, and the two values
around the wanted position are blended, which is exactly PostgreSQL's percentile_cont
(linear interpolation between closest ranks). The position is kept as a whole-number
fraction, so the ranks come from integer division and the result is exact on both.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import Float, Select, case, cast, func, or_, select


def percentiles(
    values: Select,
    fractions: Mapping[str, float | Decimal | Fraction],
    *,
    by: Sequence[str] = (),
) -> Select:
    """One row per group of `values`: the `by` columns, `count` (values in the group)
    and one column per fraction named by its key, e.g. {"median": 0.5, "p90": 0.9}.

    `values` is a SELECT with a column labelled "value" (NULLs are left out, as
    percentile_cont does) and the `by` columns. A fraction is read as written (0.9 is
    nine tenths; a Fraction for a third). A percentile is a float, or NULL for a group
    with no value; with no `by` there is always exactly one row.
    """
    wanted = {name: _checked(Fraction(str(fraction))) for name, fraction in fractions.items()}
    # Materialized: each value is computed once, not again for each place that uses it.
    source = values.cte().prefix_with("MATERIALIZED")
    groups = [source.c[name] for name in by]
    value = source.c.value
    ranked = (
        select(
            *groups,
            value.label("value"),
            func.row_number().over(partition_by=groups or None, order_by=value).label("rank"),
            # The same window, whole: one sort serves both.
            func.count()
            .over(partition_by=groups or None, order_by=value, rows=(None, None))
            .label("size"),
        )
        .where(value.is_not(None))
        .subquery()
    )
    bounds = {name: _ranks_around(ranked, fraction) for name, fraction in wanted.items()}
    grouped = [ranked.c[name] for name in by]
    return (
        select(
            *grouped,
            func.coalesce(func.max(ranked.c.size), 0).label("count"),
            *(
                _blend(ranked, wanted[name], lower, upper).label(name)
                for name, (lower, upper) in bounds.items()
            ),
        )
        # Only the ranks on either side of a wanted position are read.
        .where(or_(*(ranked.c.rank.in_(ranks) for ranks in bounds.values())))
        .group_by(*grouped)
    )


def _checked(fraction: Fraction) -> Fraction:
    if not 0 <= fraction <= 1:
        raise ValueError(f"a percentile is a fraction from 0 to 1, not {fraction}")
    return fraction


def _scaled_position(ranked, fraction: Fraction):
    """fraction * (size - 1), the 0-based position in the sorted group, times the
    fraction's denominator: a whole number on every row."""
    return (ranked.c.size - 1) * fraction.numerator


def _ranks_around(ranked, fraction: Fraction):
    """The 1-based ranks just below (or at) and just above (or at) the position."""
    scaled, denominator = _scaled_position(ranked, fraction), fraction.denominator
    return scaled // denominator + 1, (scaled + denominator - 1) // denominator + 1


def _blend(ranked, fraction: Fraction, lower_rank, upper_rank):
    """percentile_cont: the lower value plus the position's fractional part of the way
    to the upper one."""
    denominator = fraction.denominator
    lower = func.max(case((ranked.c.rank == lower_rank, ranked.c.value)))
    upper = func.max(case((ranked.c.rank == upper_rank, ranked.c.value)))
    remainder = func.max(_scaled_position(ranked, fraction) % denominator)
    # (lower * d + (upper - lower) * r) / d: one division, so 2.7 comes back as 2.7.
    return cast(lower * denominator + (upper - lower) * remainder, Float) / float(denominator)
