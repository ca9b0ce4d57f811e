"""Lists with names for managers: providers as filtered, contacts and credits of a period.

Called directly (rows and values), then over HTTP and read back with the csv module:
formula-looking names come back neutralised, accented names intact, dates in ISO form,
and staff-only text (staff notes, internal contact notes) never in the file.

The network: in Hartford, a provider whose names look like formulas (coach Carl) and María
José Núñez (no coach); in New Britain, Ana Elsewhere (coach Carl); and a deleted record.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from fccnet.coaching import services as coaching
from fccnet.coaching.models import CoachingTopic, Contact, ContactMode
from fccnet.coaching.services import ContactInput
from fccnet.credits.services import Period
from fccnet.extensions import db
from fccnet.providers.queries import ProviderFilters
from fccnet.providers.services import delete_provider
from fccnet.reports import exports
from fccnet.reports.scope import ReportScope
from tests import factories
from tests.reports.conftest import counting_queries

TODAY = date(2026, 3, 10)
FEBRUARY = Period(date(2026, 2, 1), date(2026, 2, 28))
FEBRUARY_QUERY = {"preset": "custom", "start": "2026-02-01", "end": "2026-02-28"}
FORMULA_NAME = '=HYPERLINK("http://evil.example","click")'
STAFF_NOTE = "STAFF-ONLY-7c1e: owes the landlord"
INTERNAL_NOTE = "INTERNAL-ONLY-4b2d: worried about money"
BUSINESS_PLAN, BUDGETING = "Business plan and start-up", "Budgeting and cash flow"


def topic(position: int) -> CoachingTopic:
    return db.session.scalar(select(CoachingTopic).where(CoachingTopic.position == position))


def contact(provider, actor, on: date, minutes: int, mode: ContactMode, **fields) -> Contact:
    values = {"summary": "Talked.", **fields}
    return coaching.log_contact(
        provider,
        ContactInput(contacted_on=on, minutes=minutes, mode=mode, **values),
        actor=actor,
        today=TODAY,
    )


@pytest.fixture
def network(app, manager, coach):
    with app.app_context():
        factories.ensure_defaults()
        actor, carl = manager.load(), coach.load()
        formula = factories.create_provider(
            actor=actor,
            coach=carl,
            legal_name=FORMULA_NAME,
            preferred_name="+1",
            business_name="@SUM(A1:A2)",
            phone="860-555-0123",
            email="formula@example.org",
            staff_notes=STAFF_NOTE,
            first_contact_on=date(2026, 1, 5),
            languages=["es"],
            preferred_language="es",
        )
        formula.license_number = "CT-0042"
        formula.license_expires_on = date(2030, 1, 31)
        formula.capacity_full_time = 6
        formula.capacity_school_age = 3
        maria = factories.create_provider(
            actor=actor, legal_name="María José Núñez", first_contact_on=date(2026, 2, 1)
        )
        elsewhere = factories.create_provider(
            actor=actor,
            coach=carl,
            legal_name="Ana Elsewhere",
            town_id=factories.town("New Britain").id,
            neighborhood_id=None,
            first_contact_on=date(2026, 2, 20),
        )
        deleted = factories.create_provider(actor=actor, coach=carl, legal_name="Deleted Person")

        # Topics chosen last first: the file lists them in the list's order.
        contact(
            formula,
            carl,
            date(2026, 2, 3),
            45,
            ContactMode.HOME_VISIT,
            summary="-2 hours of paperwork a week",
            internal_notes=INTERNAL_NOTE,
            next_steps="Bring the receipts",
            topics=[topic(2), topic(1)],
        )
        orphan = contact(maria, carl, date(2026, 2, 10), 30, ContactMode.PHONE)
        db.session.execute(update(Contact).where(Contact.id == orphan.id).values(coach_id=None))
        contact(maria, carl, date(2026, 1, 31), 60, ContactMode.PHONE)  # before February
        coaching.delete_contact(
            contact(maria, carl, date(2026, 2, 11), 15, ContactMode.PHONE),
            "Logged twice",
            actor=actor,
        )
        contact(elsewhere, carl, date(2026, 2, 15), 20, ContactMode.VIDEO, topics=[topic(1)])
        contact(deleted, carl, date(2026, 2, 12), 50, ContactMode.PHONE)

        factories.submit_credit(
            formula, actor, title="@Infant sleep", taken_on=date(2026, 2, 5), minutes=100
        )
        factories.add_held_credential(maria, "CPR", date(2028, 2, 10), taken_on=date(2026, 2, 10))
        factories.add_held_credential(maria, "CPR", date(2028, 3, 1), taken_on=date(2026, 3, 1))
        factories.add_held_credential(deleted, "CPR", date(2028, 2, 12), taken_on=date(2026, 2, 12))
        delete_provider(deleted, actor=actor, reason="Duplicate record")
        db.session.commit()
        return {
            "formula": formula.id,
            "maria": maria.id,
            "elsewhere": elsewhere.id,
            "hartford": factories.town("Hartford").id,
        }


def read_back(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- Called directly ----------------------------------------------------------------------


def test_providers_are_the_filtered_list_with_their_names_and_never_staff_notes(
    in_request, network
):
    with in_request():
        header, rows = exports.providers(ProviderFilters(town_id=network["hartford"]), today=TODAY)

    assert header[:3] == ["Provider ID", "Legal name", "Preferred name"]
    assert len(header) == 16
    # Hartford only, by legal name; the deleted record and New Britain's left out.
    assert rows == [
        [
            network["formula"],
            FORMULA_NAME,
            "+1",
            "@SUM(A1:A2)",
            "(860) 555-0123",
            "formula@example.org",
            "Hartford",
            "Frog Hollow",
            "Inquiry",
            "Carl Coach",
            date(2026, 1, 5),
            "CT-0042",
            date(2030, 1, 31),
            6,
            3,
            "Spanish",
        ],
        [
            network["maria"],
            "María José Núñez",
            None,
            None,
            None,
            None,
            "Hartford",
            "Frog Hollow",
            "Inquiry",
            None,
            date(2026, 2, 1),
            None,
            None,
            None,
            None,
            "English",
        ],
    ]
    assert not any(STAFF_NOTE in str(cell) for row in rows for cell in row)


def test_providers_follow_the_lists_sort_and_stage_names_in_the_readers_language(
    in_request, network
):
    with in_request("es"):
        header, rows = exports.providers(
            ProviderFilters(sort="first_contact", descending=True), today=TODAY
        )

    assert header[1] == "Nombre legal"
    # First contact, latest first: Ana Elsewhere 20 February, María 1 February, the
    # formula-looking one 5 January.
    assert [row[0] for row in rows] == [network["elsewhere"], network["maria"], network["formula"]]
    assert {row[8] for row in rows} == {"Consulta"}
    assert rows[2][15] == "Español"


def test_the_providers_export_is_one_query_whatever_the_size(
    app, in_request, network, manager, coach
):
    with in_request(), counting_queries() as few:
        exports.providers(ProviderFilters(), today=TODAY)
    with app.app_context():
        for _ in range(6):
            factories.create_provider(actor=manager.load(), coach=coach.load())
    with in_request(), counting_queries() as more:
        _, rows = exports.providers(ProviderFilters(), today=TODAY)

    assert len(rows) == 3 + 6
    assert more() == few() == 1


def test_contacts_of_the_period_with_topics_in_order_and_never_internal_notes(in_request, network):
    with in_request():
        header, rows = exports.contacts(ReportScope(period=FEBRUARY, today=TODAY))

    assert header == [
        "Date",
        "Provider ID",
        "Provider",
        "Coach",
        "Mode",
        "Minutes",
        "Topics",
        "Summary",
        "Next steps",
    ]
    # February only (31 January left out), not the deleted contact of 11 February nor
    # the deleted record's of 12 February; by date.
    assert rows == [
        [
            date(2026, 2, 3),
            network["formula"],
            "+1",
            "Carl Coach",
            "Home visit",
            45,
            f"{BUSINESS_PLAN}; {BUDGETING}",
            "-2 hours of paperwork a week",
            "Bring the receipts",
        ],
        [
            date(2026, 2, 10),
            network["maria"],
            "María José Núñez",
            None,
            "Phone call",
            30,
            None,
            "Talked.",
            "",
        ],
        [
            date(2026, 2, 15),
            network["elsewhere"],
            "Ana Elsewhere",
            "Carl Coach",
            "Video call",
            20,
            BUSINESS_PLAN,
            "Talked.",
            "",
        ],
    ]
    assert not any(INTERNAL_NOTE in str(cell) for row in rows for cell in row)


def test_contacts_follow_the_scope_and_the_readers_language(in_request, network):
    hartford = ReportScope(period=FEBRUARY, today=TODAY, town_id=network["hartford"])
    with in_request("es"):
        _, rows = exports.contacts(hartford)

    assert [row[1] for row in rows] == [network["formula"], network["maria"]]
    assert rows[0][4] == "Visita al hogar"
    assert rows[0][6] == "Plan de negocios y puesta en marcha; Presupuesto y flujo de caja"


def test_credits_taken_in_the_period_with_hours_to_one_decimal(in_request, network):
    with in_request():
        header, rows = exports.credits(ReportScope(period=FEBRUARY, today=TODAY))

    assert header[0] == "Provider ID"
    assert header[5] == "Hours"
    # 100 minutes = 1.666... hours: 1.7; the CPR hour: 60 minutes = 1.0. The credit of
    # 1 March and the deleted record's are left out.
    assert rows == [
        [
            network["formula"],
            "+1",
            "@Infant sleep",
            "Capital Community College",
            date(2026, 2, 5),
            Decimal("1.7"),
            "Health, Safety and Nutrition",
            None,
            None,
            "Pending approval",
            "Elsewhere",
        ],
        [
            network["maria"],
            "María José Núñez",
            "CPR course",
            "Red Cross",
            date(2026, 2, 10),
            Decimal("1.0"),
            "Health, Safety and Nutrition",
            "CPR",
            date(2028, 2, 10),
            "Approved",
            "Elsewhere",
        ],
    ]


# --- Over HTTP ----------------------------------------------------------------------------


def test_a_manager_downloads_the_filtered_providers_as_a_safe_csv(client, auth, manager, network):
    auth.sign_in(manager)
    response = client.get(f"/reports/exports/providers.csv?town={network['hartford']}")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_back(response.data)
    assert rows[0][:2] == ["Provider ID", "Legal name"]
    formula, maria = rows[1:]
    # Neutralised with a leading single quote; the phone is written as people read it.
    assert formula[1:5] == ["'" + FORMULA_NAME, "'+1", "'@SUM(A1:A2)", "(860) 555-0123"]
    assert formula[10] == "2026-01-05"
    assert formula[12] == "2030-01-31"
    assert maria[1] == "María José Núñez"
    assert STAFF_NOTE.encode() not in response.data


def test_a_manager_downloads_the_contacts_and_credits_of_a_period(client, auth, manager, network):
    auth.sign_in(manager)
    contacts = client.get("/reports/exports/contacts.csv", query_string=FEBRUARY_QUERY)
    credits = client.get("/reports/exports/credits.csv", query_string=FEBRUARY_QUERY)

    assert contacts.status_code == credits.status_code == 200
    assert contacts.mimetype == credits.mimetype == "text/csv"
    contact_rows = read_back(contacts.data)
    assert len(contact_rows) == 1 + 3
    assert contact_rows[1][:3] == ["2026-02-03", str(network["formula"]), "'+1"]
    assert contact_rows[1][7] == "'-2 hours of paperwork a week"
    assert contact_rows[2][2] == "María José Núñez"
    assert INTERNAL_NOTE.encode() not in contacts.data

    credit_rows = read_back(credits.data)
    assert [row[4:6] for row in credit_rows[1:]] == [["2026-02-05", "1.7"], ["2026-02-10", "1.0"]]
    assert credit_rows[1][2] == "'@Infant sleep"
    assert credit_rows[2][8] == "2028-02-10"


@pytest.mark.parametrize(
    "path",
    [
        "/reports/exports/providers.csv",
        "/reports/exports/contacts.csv",
        "/reports/exports/credits.csv",
    ],
)
def test_coaches_and_providers_cannot_export_lists(client, auth, coach, provider, network, path):
    for person in (coach, provider):
        with auth.signed_in(person):
            response = client.get(path, query_string=FEBRUARY_QUERY)
            assert response.status_code == 403
            assert b"Deleted Person" not in response.data
