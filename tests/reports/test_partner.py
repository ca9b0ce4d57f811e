"""The data-partner export: counts by town, neighborhood and stage at the end of the
period, new inquiries and newly licensed providers by town; no names, no identifiers,
and no suppressed count that anyone could work out from everything the export shows.

The proof of the last point is exact: every count the export shows (cells, row totals,
totals rows, in all three tables) is an equation over the true counts of the smallest
places (a town without neighborhoods, a neighborhood); for every suppressed count the
exact simplex of test_suppression finds the smallest and largest value the equations
allow.
"""

import csv
import html
import io
import random
import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from fccnet.credits.services import Period
from fccnet.extensions import db
from fccnet.licensing.models import Stage, StageChange
from fccnet.providers.models import Neighborhood, Provider, Town
from fccnet.reports import partner
from fccnet.reports.partner import Line, TownCounts, protect_places
from fccnet.reports.scope import ReportScope
from fccnet.reports.tables import SUPPRESSED
from tests import factories
from tests.reports.conftest import counting_queries
from tests.reports.test_suppression import assert_nothing_recoverable, random_count

NEW_YORK = ZoneInfo("America/New_York")
MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
SENTINEL = "Zqxjv Sentinel"
UNKNOWN = "Unknown neighborhood"


def new_york(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), NEW_YORK)


def add_provider(town: Town, neighborhood: Neighborhood | None, history, **fields) -> Provider:
    """A provider whose stage history is `history`: (stage key, moment) pairs."""
    stages = {stage.key: stage for stage in db.session.scalars(select(Stage))}
    provider = Provider(
        legal_name=fields.pop("legal_name", "Provider"),
        town_id=town.id,
        neighborhood_id=neighborhood.id if neighborhood else None,
        first_contact_on=fields.pop("first_contact_on", history[0][1].date()),
        stage_id=stages[history[-1][0]].id,
        languages=["en"],
        **fields,
    )
    db.session.add(provider)
    db.session.flush()
    for key, moment in history:
        db.session.add(
            StageChange(provider_id=provider.id, to_stage_id=stages[key].id, changed_at=moment)
        )
    return provider


def keep_active(towns: set[str], stages: set[str]) -> None:
    db.session.execute(update(Town).values(active=Town.name.in_(towns)))
    db.session.execute(update(Stage).values(active=Stage.key.in_(stages)))


def march_scope(**filters) -> ReportScope:
    return ReportScope(period=MARCH, today=date(2025, 4, 15), **filters)


# --- Counts, by hand -------------------------------------------------------------------------


@pytest.fixture
def march(app):
    """Providers around March 2025 (times in New York). Active towns: Avon, Berlin,
    Hartford; Bolton is retired but has a provider, Canton is retired and empty. The
    stage Paused is retired but has a provider; Not eligible is retired and empty."""
    with app.app_context():
        factories.ensure_defaults()
        town, hood = factories.town, factories.neighborhood
        hartford, avon, berlin, bolton = map(town, ("Hartford", "Avon", "Berlin", "Bolton"))
        frog_hollow, asylum_hill = hood("Frog Hollow"), hood("Asylum Hill")
        last_day, next_day = MARCH.end, MARCH.end + timedelta(days=1)
        jan10 = new_york(date(2025, 1, 10), 9)
        providers = {
            # Moved at 23:30 on the last day: that is still March in New York.
            "P1": (hartford, frog_hollow, [("inquiry", jan10), ("orientation", new_york(last_day, 23, 30))]),
            # Moved at 00:30 the day after: still an inquiry at the end of March.
            "P2": (hartford, frog_hollow, [("inquiry", jan10), ("orientation", new_york(next_day, 0, 30))]),
            "P3": (hartford, frog_hollow, [("inquiry", new_york(date(2025, 3, 1), 10)), ("licensed", new_york(date(2025, 3, 15), 12))]),
            "P4": (hartford, asylum_hill, [("inquiry", new_york(last_day, 18))]),
            "P5": (hartford, asylum_hill, [("inquiry", new_york(date(2025, 3, 10), 9))]),  # deleted
            "P6": (hartford, None, [("inquiry", new_york(date(2025, 2, 3), 9)), ("paused", new_york(date(2025, 3, 10), 9))]),
            # First contacted after March: not counted.
            "P7": (avon, None, [("inquiry", new_york(date(2025, 4, 2), 9))]),
            "P8": (avon, None, [("inquiry", new_york(date(2024, 12, 1), 9)), ("licensed", new_york(date(2025, 2, 10), 9))]),
            "P9": (bolton, None, [("inquiry", new_york(date(2025, 3, 5), 9))]),
            "P10": (avon, None, [("inquiry", new_york(date(2025, 1, 2), 9)), ("licensed", new_york(last_day, 23, 30))]),
            "P11": (avon, None, [("inquiry", new_york(date(2025, 1, 2), 9)), ("licensed", new_york(next_day, 0, 30))]),
            # Licensed in February, withdrew, licensed again in March: first licensed in February.
            "P12": (berlin, None, [("inquiry", new_york(date(2024, 11, 1), 9)), ("licensed", new_york(date(2025, 2, 1), 9)), ("withdrawn", new_york(date(2025, 3, 5), 9)), ("licensed", new_york(date(2025, 3, 20), 9))]),
            # An active network member is licensed too.
            "P13": (hartford, asylum_hill, [("inquiry", new_york(date(2025, 2, 20), 9)), ("active_member", new_york(date(2025, 3, 2), 9))]),
        }  # fmt: skip
        for name, (where, neighborhood, history) in providers.items():
            extra = {"deleted_at": new_york(date(2025, 3, 11), 9)} if name == "P5" else {}
            add_provider(where, neighborhood, history, legal_name=name, **extra)
        keep_active(
            {"Avon", "Berlin", "Hartford"},
            {key for (key,) in db.session.execute(select(Stage.key))} - {"paused", "not_eligible"},
        )
        db.session.commit()


STAGES = [
    "Inquiry",
    "Orientation",
    "Preparing application",
    "Application submitted",
    "Awaiting inspection",
    "Licensed",
    "Active network member",
    "Paused",  # retired, but P6 is in it
    "Withdrawn",  # nobody in it, but active
]


def at_stages(stages: list[str] = STAGES, **counts: int) -> list[int]:
    """Counts in these stages' order, named by each stage's first word."""
    return [counts.get(name.split()[0].lower(), 0) for name in stages]


def test_counts_by_town_neighborhood_and_stage_at_the_end_of_the_period(in_request, march):
    with in_request():
        stage_names, towns = partner.counts_by_place(march_scope())

    assert stage_names == STAGES
    by_name = {town.name: town for town in towns}
    # Active towns and the retired Bolton with P9; not the retired, empty Canton.
    assert list(by_name) == ["Avon", "Berlin", "Bolton", "Hartford"]
    # Avon: P11 still an inquiry (licensed 00:30 on April 1); P8 and P10 (23:30 on
    # March 31) licensed; P7 first contacted in April is left out.
    assert by_name["Avon"] == TownCounts("Avon", at_stages(inquiry=1, licensed=2))
    # Berlin: P12 licensed again on March 20.
    assert by_name["Berlin"] == TownCounts("Berlin", at_stages(licensed=1))
    assert by_name["Bolton"] == TownCounts("Bolton", at_stages(inquiry=1))
    hartford = by_name["Hartford"]
    # P6, with no neighborhood, paused (a retired stage, shown because P6 is in it).
    assert hartford.counts == at_stages(paused=1)
    neighborhoods = dict(hartford.neighborhoods)
    assert list(neighborhoods) == sorted(neighborhoods) and len(neighborhoods) == 17
    # Asylum Hill: P4 an inquiry, P13 an active member (P5 is deleted).
    assert neighborhoods["Asylum Hill"] == at_stages(inquiry=1, active=1)
    # Frog Hollow: P2 an inquiry (moved 00:30 on April 1), P1 in orientation (moved
    # 23:30 on March 31), P3 licensed.
    assert neighborhoods["Frog Hollow"] == at_stages(inquiry=1, orientation=1, licensed=1)
    assert all(
        counts == at_stages()
        for name, counts in neighborhoods.items()
        if name not in ("Asylum Hill", "Frog Hollow")
    )


def test_filters_narrow_the_counts(app, in_request, march):
    with app.app_context():
        frog_hollow = factories.neighborhood("Frog Hollow").id
    with in_request():
        stages, towns = partner.counts_by_place(march_scope(neighborhood_id=frog_hollow))

    # The retired Paused and Bolton have nobody left to show; active ones stay, empty.
    assert stages == [name for name in STAGES if name != "Paused"]
    by_name = {town.name: town for town in towns}
    assert list(by_name) == ["Avon", "Berlin", "Hartford"]
    assert by_name["Avon"].counts == by_name["Berlin"].counts == at_stages(stages)
    neighborhoods = dict(by_name["Hartford"].neighborhoods)
    # P1, P2 and P3 only.
    assert neighborhoods["Frog Hollow"] == at_stages(stages, inquiry=1, orientation=1, licensed=1)
    assert sum(map(sum, neighborhoods.values())) == 3


def test_new_inquiries_and_newly_licensed_by_town(in_request, march):
    with in_request():
        rows = [tuple(row) for row in partner.newly_licensed_counts(march_scope())]

    assert rows == [
        # Inquiries: P7 came in April, P8, P10, P11 before March. Licensed: P10 at 23:30
        # on March 31; P11 at 00:30 on April 1 is April's; P8 in February.
        ("Avon", 0, 1),
        # P12 was first licensed in February; licensed again in March does not count.
        ("Berlin", 0, 0),
        # Retired, shown because P9 came in on March 5.
        ("Bolton", 1, 0),
        # Inquiries: P3 (March 1) and P4 (March 31); P5 is deleted. Licensed: P3, and P13
        # (an active member since March 2).
        ("Hartford", 2, 2),
    ]


# --- Putting the tables together, by hand ----------------------------------------------------


def test_nothing_small_is_published_as_it_is():
    towns = [
        TownCounts("Avon", [5, 0]),
        TownCounts("Berlin", [10, 7]),
        TownCounts("Hartford", [0, 0], [("Asylum Hill", [6, 5]), ("Frog Hollow", [0, 9])]),
    ]

    published = protect_places(towns, 2)

    # Hartford = Asylum Hill + Frog Hollow = (6 + 0, 5 + 9) = (6, 14), 20 in all; its
    # providers without a neighborhood (none) get no row.
    assert published.towns == [
        ("Avon", Line([5, 0], 5)),
        ("Berlin", Line([10, 7], 17)),
        ("Hartford", Line([6, 14], 20)),
    ]
    # (5 + 10 + 6, 0 + 7 + 14) = (21, 21), 42 in all.
    assert published.towns_footer == Line([21, 21], 42)
    assert published.neighborhoods == [
        ("Hartford", "Asylum Hill", Line([6, 5], 11)),
        ("Hartford", "Frog Hollow", Line([0, 9], 9)),
    ]
    assert published.neighborhoods_footer == Line([6, 14], 20)


def test_a_suppressed_town_count_is_not_given_away_by_the_totals_row():
    """Hartford's first count, 3 (all in Asylum Hill), is suppressed. The town table's
    totals row would give it away: 8 in the first column, minus Avon's 5."""
    towns = [
        TownCounts("Avon", [5, 6]),
        TownCounts("Hartford", [0, 0], [("Asylum Hill", [3, 10]), ("Frog Hollow", [0, 20])]),
    ]

    published = protect_places(towns, 2)

    towns_table = dict(published.towns)
    assert towns_table["Avon"] == Line([5, 6], 11)
    assert towns_table["Hartford"].cells[0] is None
    assert published.towns_footer.cells[0] is None
    # The neighborhoods' totals row is Hartford's row, suppressed alike.
    assert published.neighborhoods_footer == towns_table["Hartford"]
    assert_nothing_recoverable(*published_equations(towns, published))


def test_no_town_has_neighborhoods():
    published = protect_places([TownCounts("Avon", [5, 3])], 2)

    assert published.neighborhoods == [] and published.neighborhoods_footer is None
    assert published.towns_footer == published.towns[0][1]


# --- The exact check -------------------------------------------------------------------------


def published_equations(towns: list[TownCounts], published) -> tuple[list, dict]:
    """What protect_places shows, as (variables, value) pairs over the smallest places'
    counts (town, neighborhood, column), and those true counts. A town's providers without
    a neighborhood get no row when there are none: the reader may take them as zero, and
    so does this check."""
    truth, places_of = {}, {}
    for town in towns:
        rows = [*town.neighborhoods, (None, town.counts)]
        if town.neighborhoods and not any(town.counts):
            rows.pop()
        places_of[town.name] = [(town.name, name) for name, _counts in rows]
        for name, counts in rows:
            truth.update({(town.name, name, j): count for j, count in enumerate(counts)})
    columns = len(published.towns_footer.cells)

    def line_equations(line: Line, places: list) -> list:
        cells = [([(*place, j) for place in places], value) for j, value in enumerate(line.cells)]
        return [*cells, ([(*place, j) for place in places for j in range(columns)], line.total)]

    shown = []
    for name, line in published.towns:
        shown += line_equations(line, places_of[name])
    every_place = [place for places in places_of.values() for place in places]
    shown += line_equations(published.towns_footer, every_place)
    for town, neighborhood, line in published.neighborhoods:
        shown += line_equations(line, [(town, neighborhood)])
    if published.neighborhoods_footer is not None:
        neighborhood_places = [(town, name) for town, name, _line in published.neighborhoods]
        shown += line_equations(published.neighborhoods_footer, neighborhood_places)
    return shown, truth


def random_towns(generator: random.Random) -> tuple[list[TownCounts], int]:
    columns = generator.randint(1, 4)
    zeros, small = generator.uniform(0, 0.5), generator.uniform(0, 0.6)

    def counts() -> list[int]:
        return [random_count(generator, zeros, small) for _ in range(columns)]

    towns = []
    for number in range(generator.randint(1, 4)):
        town = TownCounts(f"Town {number}", counts())
        if generator.random() < 0.5:
            town.neighborhoods = [(f"Place {k}", counts()) for k in range(generator.randint(1, 3))]
            if generator.random() < 0.5:
                town.counts = [0] * columns
        towns.append(town)
    return towns, columns


def test_no_suppressed_count_can_be_worked_out_from_both_tables_together():
    generator = random.Random(20250331)
    suppressed = 0
    for _ in range(300):
        towns, columns = random_towns(generator)
        published = protect_places(towns, columns)
        shown, truth = published_equations(towns, published)
        suppressed += assert_nothing_recoverable(shown, truth) > 0
        with_neighborhoods = [town.name for town in towns if town.neighborhoods]
        if len(with_neighborhoods) == 1:  # its row is its neighborhoods' totals, alike
            town_line = dict(published.towns)[with_neighborhoods[0]]
            assert published.neighborhoods_footer == town_line
    assert suppressed > 200  # the cases are not trivially safe


# --- Through the database, the page and the CSV files -----------------------------------------


def page_tables(page: str) -> dict[str, list[list[str]]]:
    """Each report table of the page: its rows of cell texts, the header row first."""
    tables = {}
    for key, body in re.findall(
        r'<section[^>]*aria-labelledby="([\w-]+)-title">(.*?)</section>', page, re.S
    ):
        rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
        tables[key] = [
            [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in rows
        ]  # fmt: skip
    return tables


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_manager_downloads_each_table_as_the_page_shows_it(
    app, client, auth, manager, coach, provider, march
):
    with app.app_context():
        add_provider(
            factories.town("Hartford"),
            factories.neighborhood("Frog Hollow"),
            [("inquiry", new_york(date(2025, 3, 3), 9))],
            legal_name=SENTINEL,
            preferred_name=SENTINEL,
            business_name=SENTINEL,
            email="zqxjv@example.org",
            street=f"1 {SENTINEL} Street",
            license_number="ZQXJV-1",
        )
        db.session.commit()
        names = {
            *db.session.scalars(select(Town.name)),
            *db.session.scalars(select(Neighborhood.name)),
            *db.session.scalars(select(Stage.name_en)),
        }
    query = {"preset": "custom", "start": "2025-03-01", "end": "2025-03-31"}
    auth.sign_in(manager)
    response = client.get("/reports/partner", query_string=query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    tables = page_tables(page)
    assert list(tables) == ["towns_by_stage", "neighborhoods_by_stage", "newly_licensed_by_town"]
    assert "suppressed" in page and "1 to 4" in page  # the intro says what the rule is
    for key, table in tables.items():
        download = client.get(f"/reports/partner/{key}.csv", query_string=query)
        assert download.status_code == 200 and download.mimetype == "text/csv"
        rows = csv_rows(download.data)
        assert rows == table
        assert SENTINEL.lower() not in download.data.decode("utf-8-sig").lower()
        assert "zqxjv" not in download.data.decode("utf-8-sig").lower()
        # No name or identifier: places, stages and totals as labels; counts and the
        # marker in every other cell.
        assert set(rows[0][1:]) <= names | {"Total", "New inquiries", "Newly licensed"}
        assert {row[0] for row in rows[1:]} <= names | {"Total", UNKNOWN}
        assert {cell for row in rows[1:] for cell in row[1:] if not cell.isdigit()} <= {
            "suppressed"
        }
    assert "zqxjv" not in page.lower()
    # Hartford: P1, P2, P3, P4, P6, P13 and the sentinel: 7, shown; Frog Hollow: P1, P2,
    # P3 and the sentinel: 4, suppressed.
    town_rows = {row[0]: row for row in tables["towns_by_stage"]}
    assert town_rows["Hartford"][-1] == "7"
    hood_rows = {row[0]: row for row in tables["neighborhoods_by_stage"]}
    assert hood_rows["Frog Hollow"][-1] == "suppressed"
    # The neighborhoods' totals row is Hartford's row of the town table.
    assert hood_rows["Total"][1:] == town_rows["Hartford"][1:]
    auth.sign_out()

    for other in (coach, provider):
        auth.sign_in(other)
        assert client.get("/reports/partner", query_string=query).status_code == 403
        assert client.get("/reports/partner/towns_by_stage.csv").status_code == 403
        auth.sign_out()


def table_equations(table, row_places: list[list], columns: list, *, totals: bool) -> list:
    """A Table's shown counts as (variables, value) pairs: row i adds up the variables
    (place, column) of row_places[i]; the footer adds up every row."""
    every_place = [place for places in row_places for place in places]
    shown = []
    for row, places in [*zip(table.rows, row_places, strict=True), (table.footer, every_place)]:
        values = [None if value is SUPPRESSED else value for value in row[1:]]
        cells = values[:-1] if totals else values
        for column, value in zip(columns, cells, strict=True):
            shown.append(([(*place, column) for place in places], value))
        if totals:
            every_cell = [(*place, column) for place in places for column in columns]
            shown.append((every_cell, values[-1]))
    return shown


@pytest.mark.parametrize("seed", range(4))
def test_no_suppressed_count_can_be_worked_out_through_the_real_queries(app, in_request, seed):
    """Random providers in Avon (given two neighborhoods), Berlin and the retired Bolton,
    moving between three stages around the end of March."""
    generator = random.Random(seed)
    end = datetime.combine(MARCH.end + timedelta(days=1), time(), NEW_YORK)
    stage_names = {"inquiry": "Inquiry", "orientation": "Orientation", "licensed": "Licensed"}
    truth: Counter = Counter()
    with app.app_context():
        factories.ensure_defaults()
        keep_active({"Avon", "Berlin"}, set(stage_names))
        avon, berlin, bolton = map(factories.town, ("Avon", "Berlin", "Bolton"))
        north, south = (Neighborhood(town_id=avon.id, name=name) for name in ("North", "South"))
        db.session.add_all([north, south])
        db.session.flush()
        places = [(avon, north), (avon, south), (avon, None), (berlin, None), (bolton, None)]
        weights = [generator.random() for _ in places]
        for _ in range(generator.randint(5, 40)):
            town, neighborhood = generator.choices(places, weights)[0]
            hours = sorted(
                generator.uniform(-24 * 40, 24 * 3) for _ in range(generator.randint(1, 3))
            )
            moments = [end + timedelta(hours=hour) for hour in hours]
            history = [("inquiry", moments[0])] + [
                (generator.choice(list(stage_names)), moment) for moment in moments[1:]
            ]
            first_contact = moments[0].astimezone(NEW_YORK).date()
            add_provider(town, neighborhood, history, first_contact_on=first_contact)
            place = (town.name, neighborhood.name if neighborhood else None)
            if stages_before_end := [key for key, moment in history if moment < end]:
                truth[*place, stage_names[stages_before_end[-1]]] += 1
            truth[town.name, "inquiries"] += first_contact in MARCH
            licensed = [moment for key, moment in history if key == "licensed"]
            truth[town.name, "licensed"] += (
                bool(licensed) and licensed[0].astimezone(NEW_YORK).date() in MARCH
            )
        db.session.commit()

    with in_request():
        report = partner.build(march_scope())

    towns_table = report.table("towns_by_stage")
    stages = [column.label for column in towns_table.columns[1:-1]]
    assert stages == list(stage_names.values())
    bolton_counted = any(key[0] == "Bolton" and len(key) == 3 and truth[key] for key in truth)
    assert [row[0] for row in towns_table.rows] == ["Avon", "Berlin", *["Bolton"] * bolton_counted]
    neighborhoods_table = report.table("neighborhoods_by_stage")
    avon_places = [
        ("Avon", None if row[0] == UNKNOWN else row[0]) for row in neighborhoods_table.rows
    ]
    town_places = {"Avon": avon_places, "Berlin": [("Berlin", None)], "Bolton": [("Bolton", None)]}
    shown = table_equations(
        towns_table, [town_places[row[0]] for row in towns_table.rows], stages, totals=True
    ) + table_equations(
        neighborhoods_table, [[place] for place in avon_places], stages, totals=True
    )
    assert_nothing_recoverable(shown, truth)

    licensed_table = report.table("newly_licensed_by_town")
    bolton_in_licensed = truth["Bolton", "inquiries"] + truth["Bolton", "licensed"] > 0
    assert [row[0] for row in licensed_table.rows] == [
        "Avon",
        "Berlin",
        *["Bolton"] * bolton_in_licensed,
    ]
    shown = table_equations(
        licensed_table,
        [[(row[0],)] for row in licensed_table.rows],
        ["inquiries", "licensed"],
        totals=False,
    )
    assert_nothing_recoverable(shown, truth)


def test_the_report_runs_the_same_queries_whatever_the_data(in_request, march, app):
    with in_request(), counting_queries() as count:
        partner.build(march_scope())
        few = count()
    with app.app_context():
        avon = factories.town("Avon")
        for number in range(30):
            add_provider(avon, None, [("inquiry", new_york(date(2025, 3, 1 + number % 28), 9))])
        db.session.commit()
    with in_request(), counting_queries() as count:
        partner.build(march_scope())
        assert count() == few
