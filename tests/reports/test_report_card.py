"""The report card: January to June 2026 against July to December 2025, network-wide, with
the change of each figure; the breakdowns by town and neighborhood; the page and the PDF.
The network's zone is New York (a change at 23:30 on June 30 is 03:30 UTC on July 1)."""

import io
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
from fccnet.training.models import Credit, CreditSource, CreditStatus
from tests import factories
from tests.reports.conftest import counting_queries
from tests.reports.test_outcomes import at, history, licensed_provider

FIRST_HALF = Period(date(2026, 1, 1), date(2026, 6, 30))
TODAY = date(2026, 11, 22)
CARD_ARGS = {"half": "custom", "start": "2026-01-01", "end": "2026-06-30"}


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
    # (inquiries, newly licensed, full-time, school-age, licensed at the end) this half.
    # Avon: Cruz licensed at the end (Dora withdrawn). Berlin: Hal's inquiry (Fay deleted).
    # Hartford: Ana and Eva's inquiries, Ana's license (6 + 3), Ana and Gil licensed.
    assert by_town.rows == [
        ("Avon", 0, 0, 0, 0, 1),
        ("Berlin", 1, 0, 0, 0, 0),
        ("Hartford", 2, 1, 6, 3, 2),
    ]
    assert list(by_town.footer) == ["Network", 3, 1, 6, 3, 3]
    # Clay-Arsenal (Bea, July) has nothing this half and is left out; the Promise Zone
    # (Clay-Arsenal, Northeast, Upper Albany) is Northeast's: Eva's inquiry, Gil.
    assert by_neighborhood.rows == [
        ("Frog Hollow", 1, 1, 6, 3, 1),
        ("Northeast", 1, 0, 0, 0, 1),
        ("North Hartford Promise Zone", 1, 0, 0, 0, 1),
    ]
    assert list(by_neighborhood.footer) == ["Total", 2, 1, 6, 3, 2]


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
    assert "Hartford 2 1 6 3 2" in text
    assert "Promise Zone 1 0 0 0 1" in text


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
    assert len(card.towns) == 26 and len(card.neighborhoods) == 17
    assert pages == 1
    assert "Windsor Locks" in text and "West End" in text and "Network" in text


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
