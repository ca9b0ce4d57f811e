"""The report card: January to June 2026 against July to December 2025, network-wide, with
the change of each figure; the breakdowns by town and neighborhood, with small counts
suppressed so that none can be worked out from the whole card; the page and the PDF.
The network's zone is New York (a change at 23:30 on June 30 is 03:30 UTC on July 1)."""

import io
import random
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from fccnet.auth.models import Role
from fccnet.coaching.models import Contact, ContactMode
from fccnet.credits.services import Period
from fccnet.database import utcnow
from fccnet.extensions import db
from fccnet.providers.models import Neighborhood, Town
from fccnet.reports import report_card
from fccnet.reports.protection import TownCounts, protect_places
from fccnet.reports.report_card import NOTE_LINE
from fccnet.reports.tables import SUPPRESSED, Kind, show
from fccnet.training import pdf
from fccnet.training.models import Credit, CreditSource, CreditStatus
from tests import factories
from tests.reports.conftest import counting_queries
from tests.reports.test_outcomes import at, history, licensed_provider
from tests.reports.test_partner import page_tables
from tests.reports.test_suppression import assert_nothing_recoverable, random_count

FIRST_HALF = Period(date(2026, 1, 1), date(2026, 6, 30))
TODAY = date(2026, 11, 22)
CARD_ARGS = {"half": "custom", "start": "2026-01-01", "end": "2026-06-30"}
S = SUPPRESSED
ZONE = "North Hartford Promise Zone"


def credit(provider, taken_on, minutes, status=CreditStatus.APPROVED):
    db.session.add(
        Credit(
            provider_id=provider.id,
            source=CreditSource.EXTERNAL,
            title="Infant sleep safety",
            taken_on=taken_on,
            minutes=minutes,
            ckc_area_id=factories.ckc_area().id,
            status=status,
        )
    )


def contact(provider, contacted_on, minutes, deleted=False):
    db.session.add(
        Contact(
            provider_id=provider.id,
            contacted_on=contacted_on,
            minutes=minutes,
            mode=ContactMode.HOME_VISIT,
            deleted_at=utcnow() if deleted else None,
        )
    )


@pytest.fixture
def network(ctx):
    factories.ensure_defaults()
    manager = factories.create_user(role=Role.MANAGER).load()

    def make(name, first_contact_on, town="Hartford", neighborhood=None, **license_fields):
        provider = licensed_provider(manager, name, town, neighborhood, **license_fields)
        provider.first_contact_on = first_contact_on
        return provider

    # An inquiry on the last day of June, licensed at 23:30 that evening.
    ana = make(
        "Ana", date(2026, 6, 30), neighborhood="Frog Hollow", capacity_full_time=6,
        capacity_school_age=3,
    )  # fmt: skip
    history(ana, ("licensed", at(2026, 7, 1, 3, 30)))
    # July 1: neither half.
    bea = make("Bea", date(2026, 7, 1), neighborhood="Clay-Arsenal")
    # December 31 at noon: the half before, and licensed at its end and at this one's.
    cruz = make("Cruz", date(2025, 12, 31), town="Avon", capacity_full_time=4)
    history(cruz, ("licensed", at(2025, 12, 31, 17)))
    # Licensed in the half before, withdrawn in this one.
    dora = make("Dora", date(2025, 7, 1), town="Avon", capacity_full_time=5)
    history(dora, ("licensed", at(2025, 8, 1, 15)), ("withdrawn", at(2026, 3, 1, 15)))
    eva = make("Eva", date(2026, 1, 1), neighborhood="Northeast")
    # Deleted: nothing of hers counts.
    fay = make("Fay", date(2026, 2, 1), town="Berlin", capacity_full_time=6)
    history(fay, ("licensed", at(2026, 3, 1, 15)))
    fay.deleted_at = utcnow()
    # Licensed since 2024: licensed at both ends, new in neither half.
    gil = make(
        "Gil", date(2024, 1, 1), neighborhood="Northeast", capacity_full_time=3,
        capacity_school_age=3,
    )  # fmt: skip
    history(gil, ("licensed", at(2024, 6, 1, 15)))
    make("Hal", date(2026, 6, 15), town="Berlin")

    credit(ana, date(2026, 6, 30), 120)
    credit(cruz, date(2026, 1, 1), 60)
    credit(dora, date(2025, 7, 1), 90)
    credit(ana, date(2026, 3, 1), 600, CreditStatus.PENDING)
    credit(dora, date(2025, 10, 1), 30, CreditStatus.REJECTED)
    credit(fay, date(2026, 3, 1), 300)
    credit(eva, date(2026, 7, 1), 45)

    contact(ana, date(2026, 3, 1), 30)
    contact(eva, date(2026, 6, 30), 45)
    contact(cruz, date(2025, 12, 31), 60)
    contact(ana, date(2026, 4, 1), 120, deleted=True)
    contact(fay, date(2026, 4, 1), 200)
    contact(bea, date(2026, 7, 1), 15)
    db.session.commit()


def figures(card):
    return [
        (str(m.label), m.current, m.previous, m.shown_change(), m.shown_change_share())
        for m in card.measures
    ]


def test_each_figure_with_the_period_before_and_the_change(network, in_request):
    with in_request():
        card = report_card.build_card(FIRST_HALF, today=TODAY)
        assert card.previous == Period(date(2025, 7, 1), date(2025, 12, 31))
        assert figures(card) == [
            # Ana (June 30), Eva (January 1), Hal; before: Cruz (December 31), Dora (July 1).
            ("New inquiries", 3, 2, "+1", "+50.0%"),
            # Ana (23:30 June 30); before: Cruz and Dora.
            ("Newly licensed providers", 1, 2, "-1", "-50.0%"),
            # Ana 6; before: Cruz 4 + Dora 5 = 9. Change -3 / 9.
            ("Full-time slots added", 6, 9, "-3", "-33.3%"),
            # Nothing before: no percentage.
            ("School-age slots added", 3, 0, "+3", ""),
            # Ana, Cruz, Gil; before: Cruz, Dora, Gil.
            ("Licensed providers at the end of the period", 3, 3, "0", "0.0%"),
            # Approved: Ana 120 + Cruz 60 = 180 min = 3.0 h; before: Dora 90 = 1.5 h.
            ("Training hours", 180, 90, "+1.5", "+100.0%"),
            # Ana 30 + Eva 45 = 75 min = 1.3 h (1.25 rounded up); before: Cruz 60 = 1.0 h.
            # The change of the figures shown is 0.3 h; 15 / 60 minutes is 25%.
            ("Coaching hours", 75, 60, "+0.3", "+25.0%"),
        ]


def test_the_breakdowns_by_town_and_neighborhood(network, in_request):
    with in_request():
        card = report_card.build_card(FIRST_HALF, today=TODAY)
        by_town, by_neighborhood = card.tables()
    # The true counts (inquiries, newly licensed, licensed at the end) this half:
    # Avon (0, 0, 1): Cruz licensed at the end (Dora withdrawn). Berlin (1, 0, 0): Hal's
    # inquiry (Fay deleted). Hartford, all in neighborhoods: Frog Hollow (1, 1, 1), Ana;
    # Northeast (1, 0, 1), Eva's inquiry and Gil. Clay-Arsenal (Bea, July) has nothing and
    # is left out; the Promise Zone is Northeast's. Network: (3, 1, 3).
    # Every count that is not zero is 1 or 2: suppressed. The zeros are shown but for
    # Avon's newly licensed: with the network's 1 newly licensed and the 0s of Avon and
    # Berlin shown, Hartford's suppressed 1 would be the network's 1 less nothing, so one
    # of those zeros (the first) is suppressed too.
    assert by_town.rows == [("Avon", 0, S, S), ("Berlin", S, 0, 0), ("Hartford", S, S, S)]
    # The network's totals, in full, as in the summary.
    assert list(by_town.footer) == ["Network", 3, 1, 3]
    # Northeast's newly licensed 0 shown, and Clay-Arsenal and Upper Albany have nothing:
    # the Promise Zone's 0 is shown too. Its other counts are Northeast's, suppressed.
    assert by_neighborhood.rows == [
        ("Frog Hollow", S, S, S),
        ("Northeast", S, 0, S),
        (ZONE, S, 0, S),
    ]
    assert list(by_neighborhood.footer) == ["Total", S, S, S]


def test_the_next_half_starts_on_july_first(network, in_request):
    with in_request():
        card = report_card.build_card(Period(date(2026, 7, 1), date(2026, 12, 31)), today=TODAY)
    # Bea's July 1 inquiry; the half before is the one above.
    assert figures(card)[0] == ("New inquiries", 1, 3, "-2", "-66.7%")
    assert figures(card)[1] == ("Newly licensed providers", 0, 1, "-1", "-100.0%")


def test_a_network_with_nothing_yet_has_a_card_of_zeros(ctx, in_request):
    factories.ensure_defaults()
    with in_request():
        card = report_card.build_card(FIRST_HALF, today=TODAY)
        pages, text = pdf_text(report_card.card_pdf(card, locale="en"))
        assert [(m.current, m.previous, m.shown_change_share()) for m in card.measures] == [
            (0, 0, "")
        ] * 7
        assert all(table.rows == [] for table in card.tables())
    assert pages == 1 and "No inquiry, new license or licensed provider" in text


def test_the_card_runs_two_queries(network, in_request):
    with in_request(), counting_queries() as count:
        report_card.build_card(FIRST_HALF, today=TODAY)
    assert count() == 2


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_the_pdf_has_the_figures_on_one_page(app, network, in_request):
    app.config["NETWORK_NAME"] = "Test City Child Care Network"
    with in_request():
        card = report_card.build_card(FIRST_HALF, today=TODAY)
        pages, text = pdf_text(report_card.card_pdf(card, locale="en"))
    assert pages == 1
    assert "Test City Child Care Network" in text
    assert "Report card January to June 2026" in text
    assert "Previous period: July to December 2025" in text
    assert "New inquiries 3 2 +1 +50.0%" in text
    assert "Coaching hours 1.3 1.0 +0.3 +25.0%" in text
    assert "Hartford suppressed suppressed suppressed" in text
    assert "Network 3 1 3" in text


def test_the_pdf_follows_the_locale_it_is_asked_for(network, in_request):
    with in_request("en"):
        card = report_card.build_card(FIRST_HALF, today=TODAY)
        _pages, text = pdf_text(report_card.card_pdf(card, locale="es"))
    assert "enero" in text and "diciembre 2025" in text
    assert "1,3 1,0 +0,3" in text


def test_every_town_and_neighborhood_still_fits_one_page(network, in_request):
    manager = factories.create_user(role=Role.MANAGER).load()
    # An inquiry in every other town and in every Hartford neighborhood.
    places = [(town.name, None) for town in db.session.scalars(select(Town))]
    places += [("Hartford", hood.name) for hood in db.session.scalars(select(Neighborhood))]
    for town, neighborhood in places:
        if town != "Hartford" or neighborhood:
            provider = licensed_provider(manager, f"In {neighborhood or town}", town, neighborhood)
            provider.first_contact_on = date(2026, 2, 1)
    db.session.commit()
    with in_request():
        card = report_card.build_card(FIRST_HALF, today=TODAY)
        pages, text = pdf_text(report_card.card_pdf(card, locale="en"))
    assert len(card.places.towns) == 26 and len(card.places.neighborhoods) == 17
    assert pages == 1
    assert "Windsor Locks" in text and "West End" in text and "Network" in text
    # The town table's last row stays above the notes, and the notes above the margin.
    heights = text_heights(report_card.card_pdf(card, locale="en"))
    notes_top = max(y for y, text in heights if text.startswith("New inquiries: first contact"))
    assert min(y for y, text in heights if text == "Network") > notes_top
    assert min(y for y, _text in heights) >= 12 / 25.4 * 72  # 12 mm, in points
    # A name too long for its column wraps, and the row's figures sit on its last line.
    with in_request():
        [zone] = [row for row in card.tables()[1].rows if "Promise Zone" in row[0]]
        figures = [show(value, Kind.COUNT) for value in zone[1:]]
    [(first_line, first)] = [(y, t) for y, t in heights if t.startswith("North Hartford")]
    [(last_line, _last)] = [(y, t) for y, t in heights if f"{first} {t}" == zone[0]]
    assert last_line < first_line
    assert figures and all((last_line, figure) in heights for figure in figures)


@pytest.mark.usefixtures("fixed_pdf_creation_date")
@pytest.mark.parametrize("locale", ["en", "es"])
def test_the_notes_drawn_line_by_line_are_what_multi_cell_draws(network, in_request, locale):
    with in_request(locale):
        card = report_card.build_card(FIRST_HALF, today=TODAY)
        notes = " ".join([card.notes(), *(t.description for t in card.tables() if t.rows)])

        def page(draw) -> bytes:
            document = pdf._Document(orientation="portrait", title="t", author="a", subject="s")
            document.set_margins(14, 12, 14)
            document.set_auto_page_break(False, margin=12)
            document.add_page()
            document.use(7.5, color=pdf.MUTED)
            draw(document)
            return document.to_bytes()

        def measured_lines(document):
            lines = document.multi_cell(
                document.epw, NOTE_LINE, notes, dry_run=True, output="LINES"
            )
            assert len(lines) > 2
            document.set_y(200)
            for line in lines:
                document.line_of(line, NOTE_LINE)

        def wrapped(document):
            document.set_y(200)
            document.wrapped(notes, NOTE_LINE)

        assert page(measured_lines) == page(wrapped)


def text_heights(data: bytes) -> list[tuple[float, str]]:
    """Each piece of text of the first page, with its height above the page's bottom edge
    (in points)."""
    pieces = []

    def visit(text, _matrix, text_matrix, _font, _size):
        if text.strip():
            pieces.append((text_matrix[5], text.strip()))

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return pieces


def test_the_page_shows_the_card_to_a_manager(client, auth, manager, network):
    auth.sign_in(manager)
    html = client.get("/reports/card", query_string=CARD_ARGS).get_data(as_text=True)
    assert "Report card" in html
    assert "January 1, 2026" in html and "June 30, 2026" in html
    assert "+50.0%" in html and "+0.3" in html
    assert "North Hartford Promise Zone" in html
    assert "/reports/card.pdf?half=custom&amp;start=2026-01-01&amp;end=2026-06-30" in html


def test_the_pdf_downloads_for_a_manager(client, auth, manager, network):
    auth.sign_in(manager)
    response = client.get("/reports/card.pdf", query_string=CARD_ARGS)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "+50.0%" in pdf_text(response.data)[1]


def test_a_wrong_range_shows_the_error_and_no_card(client, auth, manager, network):
    auth.sign_in(manager)
    html = client.get("/reports/card", query_string={**CARD_ARGS, "end": "2025-01-01"}).get_data(
        as_text=True
    )
    assert "The last day cannot be before the first." in html
    assert "Download PDF" not in html


def test_coaches_do_not_see_the_card(client, auth, coach, network):
    auth.sign_in(coach)
    assert client.get("/reports/card", query_string=CARD_ARGS).status_code == 403
    assert client.get("/reports/card.pdf", query_string=CARD_ARGS).status_code == 403


# --- Suppression, by hand -----------------------------------------------------------------


def add_providers(manager, town, *, inquiries=0, newly_licensed=0, licensed_before=0):
    """Providers of `town` (no neighborhood) counted this half: `inquiries` first contacted
    in it and never licensed, `newly_licensed` first contacted before it and licensed in
    it, `licensed_before` licensed since 2025; both licensed at the end of the half."""
    for number in range(inquiries):
        provider = licensed_provider(manager, f"{town} inquiry {number}", town)
        provider.first_contact_on = date(2026, 3, 1)
    for number in range(newly_licensed):
        provider = licensed_provider(manager, f"{town} new {number}", town)
        provider.first_contact_on = date(2025, 10, 1)
        history(provider, ("licensed", at(2026, 4, 1, 15)))
    for number in range(licensed_before):
        provider = licensed_provider(manager, f"{town} licensed {number}", town)
        provider.first_contact_on = date(2025, 1, 1)
        history(provider, ("licensed", at(2025, 3, 1, 15)))


@pytest.fixture
def three_towns(ctx):
    """(inquiries, newly licensed, licensed at the end) this half: Avon (2, 5, 10), Berlin
    (6, 0, 8), Canton (7, 5, 9); the network (15, 10, 27)."""
    factories.ensure_defaults()
    manager = factories.create_user(role=Role.MANAGER).load()
    add_providers(manager, "Avon", inquiries=2, newly_licensed=5, licensed_before=5)
    add_providers(manager, "Berlin", inquiries=6, licensed_before=8)
    add_providers(manager, "Canton", inquiries=7, newly_licensed=5, licensed_before=4)
    db.session.commit()


def test_a_town_with_two_inquiries_has_them_suppressed_with_a_complement(three_towns, in_request):
    with in_request():
        card = report_card.build_card(FIRST_HALF, today=TODAY)
        by_town, by_neighborhood = card.tables()
    # Avon's 2 inquiries are suppressed, and so is the cheapest rectangle through them
    # (no totals, no zeros, the smallest sum): Avon's newly licensed 5, Canton's 5 and
    # Canton's 7 inquiries (5 + 5 + 7 = 17; through Berlin, 5 + 0 + 6 has a zero and
    # 10 + 8 + 6 = 24). The network's 15 inquiries less Berlin's 6 leave Avon and Canton
    # 9 together, Avon anything from 0 to 9; their newly licensed 10, from 0 to 10 each.
    assert by_town.rows == [("Avon", S, S, 10), ("Berlin", 6, 0, 8), ("Canton", S, S, 9)]
    assert list(by_town.footer) == ["Network", 15, 10, 27]
    assert by_neighborhood.rows == [] and by_neighborhood.footer is None
    assert [(str(m.label), m.current) for m in card.measures][:2] == [
        ("New inquiries", 15),
        ("Newly licensed providers", 10),
    ]


def card_of(towns: list[TownCounts], zone=frozenset()) -> report_card.ReportCard:
    """A card of these places' counts (inquiries, newly licensed, licensed at the end),
    with the network's and the Promise Zone's counts their sums."""
    places = [((town.name, None), town.counts) for town in towns]
    places += [((town.name, name), counts) for town in towns for name, counts in town.neighborhoods]

    def added_up(chosen) -> list[int]:
        return [sum(counts[column] for _place, counts in chosen) for column in range(3)]

    published, promise_zone = report_card.protected_breakdowns(
        towns,
        set(zone),
        network=added_up(places),
        zone_counts=added_up([(place, counts) for place, counts in places if place in zone]),
    )
    return report_card.ReportCard(
        period=FIRST_HALF,
        previous=Period(date(2025, 7, 1), date(2025, 12, 31)),
        generated_on=TODAY,
        measures=[],
        places=published,
        promise_zone=promise_zone,
    )


def test_the_network_total_gives_no_suppressed_count_away(in_request):
    towns = [
        TownCounts("Avon", [2, 6, 7]),
        TownCounts("Hartford", [0, 0, 0], [("Asylum Hill", [8, 6, 9]), ("Frog Hollow", [10, 5, 20])]),
    ]  # fmt: skip
    with in_request():
        by_town, by_neighborhood = card_of(towns).tables()
    # Avon is its block's only row: its 2 inquiries and their complement, its newly
    # licensed 6, are suppressed (with the block's totals, Avon's own). Hartford's block
    # has nothing small: (8 + 10, 6 + 5, 9 + 20) = (18, 11, 29). But the network's
    # (20, 17, 36) is shown: 20 - 18 would be Avon's 2, and 17 - 11 its 6. So Hartford's
    # row is suppressed in those columns, with one of its neighborhoods, the smallest
    # (alone, it would not do): Asylum Hill's 8 inquiries, Frog Hollow's 5 newly licensed.
    # A reader then knows Avon + Asylum Hill = 20 - 10 = 10 inquiries, and Avon + Frog
    # Hollow = 17 - 6 = 11 newly licensed.
    assert by_town.rows == [("Avon", S, S, 7), ("Hartford", S, S, 29)]
    assert list(by_town.footer) == ["Network", 20, 17, 36]
    assert by_neighborhood.rows == [
        ("Asylum Hill", S, 6, 9),
        ("Frog Hollow", 10, S, 20),
        (ZONE, 0, 0, 0),
    ]
    assert list(by_neighborhood.footer) == ["Total", S, S, 29]


HARTFORD_ZONE = frozenset(
    ("Hartford", name) for name in ("Clay-Arsenal", "Northeast", "Upper Albany")
)


def test_the_promise_zone_is_suppressed_where_one_of_its_neighborhoods_is(in_request):
    hartford = [
        ("Asylum Hill", [7, 8, 11]),
        ("Clay-Arsenal", [3, 5, 8]),
        ("Frog Hollow", [6, 5, 15]),
        ("Northeast", [9, 8, 10]),
        ("Upper Albany", [9, 7, 12]),
    ]
    with in_request():
        by_town, by_neighborhood = card_of(
            [TownCounts("Hartford", [0, 0, 0], hartford)], HARTFORD_ZONE
        ).tables()
    # Clay-Arsenal's 3 inquiries go with the cheapest rectangle: its newly licensed 5,
    # Frog Hollow's 5 and Frog Hollow's 6 inquiries (16; through Asylum Hill 5 + 8 + 7 =
    # 20, Upper Albany 21, Northeast 22). The Zone's licensed at the end, 8 + 10 + 12 =
    # 30, is shown; its inquiries and newly licensed are not. Hartford is the network:
    # (7 + 3 + 6 + 9 + 9, 8 + 5 + 5 + 8 + 7, 11 + 8 + 15 + 10 + 12) = (34, 33, 56).
    assert by_neighborhood.rows == [
        ("Asylum Hill", 7, 8, 11),
        ("Clay-Arsenal", S, S, 8),
        ("Frog Hollow", S, S, 15),
        ("Northeast", 9, 8, 10),
        ("Upper Albany", 9, 7, 12),
        (ZONE, S, S, 30),
    ]
    assert list(by_neighborhood.footer) == ["Total", 34, 33, 56]
    assert by_town.rows == [("Hartford", 34, 33, 56)]
    assert list(by_town.footer) == ["Network", 34, 33, 56]


def test_the_promise_zone_cannot_be_worked_out_from_the_rest_of_hartford(in_request):
    hartford = [
        ("Asylum Hill", [7, 8, 11]),
        ("Clay-Arsenal", [3, 5, 8]),
        ("Frog Hollow", [12, 6, 15]),
        ("Northeast", [6, 7, 10]),
        ("Upper Albany", [9, 5, 12]),
    ]
    with in_request():
        by_neighborhood = card_of(
            [TownCounts("Hartford", [0, 0, 0], hartford)], HARTFORD_ZONE
        ).tables()[1]
    # Clay-Arsenal's 3 inquiries now go with Northeast (5 + 7 + 6 = 18; Upper Albany 19,
    # Asylum Hill 20, Frog Hollow 23), both in the Zone: its inquiries would be Hartford's
    # 37 less Asylum Hill's 7 and Frog Hollow's 12 = 18, and its newly licensed 31 - 8 - 6
    # = 17. So one more neighborhood outside the Zone is suppressed in each: the smallest,
    # Asylum Hill's 7 inquiries and Frog Hollow's 6 newly licensed (Upper Albany's 5 is in
    # the Zone: that would not do).
    assert by_neighborhood.rows == [
        ("Asylum Hill", S, 8, 11),
        ("Clay-Arsenal", S, S, 8),
        ("Frog Hollow", 12, S, 15),
        ("Northeast", S, S, 10),
        ("Upper Albany", 9, 5, 12),
        (ZONE, S, S, 30),
    ]
    assert list(by_neighborhood.footer) == ["Total", 37, 31, 56]


def test_the_page_and_the_pdf_suppress_the_same_counts(client, auth, manager, three_towns):
    auth.sign_in(manager)
    page = client.get("/reports/card", query_string=CARD_ARGS).get_data(as_text=True)
    pdf = pdf_text(client.get("/reports/card.pdf", query_string=CARD_ARGS).data)[1]

    by_town = page_tables(page)["card-by-town"]
    assert by_town[1:] == [
        ["Avon", "suppressed", "suppressed", "10"],
        ["Berlin", "6", "0", "8"],
        ["Canton", "suppressed", "suppressed", "9"],
        ["Network", "15", "10", "27"],
    ]
    for row in by_town[1:]:
        assert " ".join(row) in pdf
    # Both say what the rule is.
    assert "every count from 1 to 4 is suppressed" in page
    assert "every count from 1 to 4 is suppressed" in pdf


# --- No suppressed count can be worked out -------------------------------------------------


def places_of(towns: list[TownCounts]) -> dict[str, list[tuple[str, str | None]]]:
    """Each town's smallest places, as the card has them: its neighborhoods and, when it
    has any, its providers without one; or the town itself."""
    return {
        town.name: [(town.name, name) for name, _counts in town.neighborhoods]
        + ([(town.name, None)] if any(town.counts) or not town.neighborhoods else [])
        for town in towns
    }


def card_equations(card: report_card.ReportCard, towns: list[TownCounts], zone) -> list:
    """Every count the breakdowns show or suppress, as (the variables (town, neighborhood,
    column) it adds up, the count or None), read from the card's tables."""
    places = places_of(towns)
    with_neighborhoods = [town.name for town in towns if town.neighborhoods]

    def label(town: str, name: str | None) -> str:
        name = name or "Unknown neighborhood"
        return f"{town}: {name}" if len(with_neighborhoods) > 1 else name

    neighborhoods = {label(*place): place for town in with_neighborhoods for place in places[town]}
    by_town, by_neighborhood = card.tables()
    lines = [(places[row[0]], row[1:]) for row in by_town.rows]
    lines.append(([place for town in places.values() for place in town], by_town.footer[1:]))
    if neighborhoods:
        *rows, zone_row = by_neighborhood.rows
        assert zone_row[0] == ZONE
        lines += [([neighborhoods[row[0]]], row[1:]) for row in rows]
        lines.append(([place for place in neighborhoods.values() if place in zone], zone_row[1:]))
        lines.append((list(neighborhoods.values()), by_neighborhood.footer[1:]))
    else:
        assert by_neighborhood.rows == []
    return [
        ([(*place, column) for place in line], None if value is SUPPRESSED else value)
        for line, values in lines
        for column, value in enumerate(values)
    ]


def assert_card_protected(shown: list, truth: dict) -> int:
    """The card's tables read together; a network total may be small (the summary shows
    it in full anyway)."""
    network = [{v for v in truth if v[-1] == column} for column in range(3)]
    return assert_nothing_recoverable(shown, truth, may_be_small=lambda form: set(form) in network)


def random_network(generator: random.Random) -> tuple[list[TownCounts], frozenset]:
    """Up to four towns, some with up to four neighborhoods (some of the first such town's
    in the Promise Zone); only places with something, as the card has them."""
    zeros, small = generator.uniform(0, 0.5), generator.uniform(0, 0.6)

    def counts() -> list[int]:
        while not any(drawn := [random_count(generator, zeros, small) for _ in range(3)]):
            pass
        return drawn

    towns: list[TownCounts] = []
    zone: set[tuple[str, str]] = set()
    for number in range(generator.randint(1, 4)):
        town = TownCounts(f"Town {number}", counts())
        if generator.random() < 0.5:
            town.neighborhoods = [(f"Place {k}", counts()) for k in range(generator.randint(1, 4))]
            if generator.random() < 0.5:
                town.counts = [0, 0, 0]
            if not zone:
                zone = {(town.name, n) for n, _c in town.neighborhoods if generator.random() < 0.6}
        towns.append(town)
    return towns, frozenset(zone)


def suppressed_places(published) -> int:
    return sum(
        line.cells.count(None) for *_place, line in [*published.towns, *published.neighborhoods]
    )


def test_no_suppressed_count_can_be_worked_out_from_the_whole_card(in_request):
    """Both tables, the Promise Zone row and the network totals read together, through
    the card's own protection and tables, over random networks."""
    generator = random.Random(20260630)
    suppressed = more_than_alone = 0
    with in_request():
        for _ in range(300):
            towns, zone = random_network(generator)
            places = places_of(towns)
            counts = {(town.name, None): town.counts for town in towns} | {
                (town.name, name): c for town in towns for name, c in town.neighborhoods
            }
            truth = {
                (*place, column): counts[place][column]
                for town_places in places.values()
                for place in town_places
                for column in range(3)
            }
            card = card_of(towns, zone)
            suppressed += assert_card_protected(card_equations(card, towns, zone), truth) > 0
            alone = protect_places(towns, 3)
            more_than_alone += suppressed_places(card.places) > suppressed_places(alone)
    assert suppressed > 200  # the cases are not trivially safe
    # and the network totals and the Promise Zone often call for more suppression than
    # the data-partner protection's.
    assert more_than_alone > 50
