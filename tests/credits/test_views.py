"""The training record, transcripts, certificates and credit review over HTTP."""

import io
import re
import unicodedata
from datetime import datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import event, func, select

import tests.access_matrix as matrix
from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role
from fccnet.clock import local_today
from fccnet.credits.services import current_pd_year
from fccnet.extensions import db
from fccnet.licensing.models import Document
from fccnet.providers.models import Provider
from fccnet.training.models import Attendance, Credit, CreditStatus
from tests import factories
from tests.factories import (
    PDF,
    add_held_credential,
    attend,
    ckc_area,
    create_cpr_session,
    credential,
    submit_credit,
)
from tests.test_hostile_input import HOSTILE

NAME = "María Pérez Núñez"


@pytest.fixture
def people(app):
    """A manager, the provider's coach and another coach, the provider (with a
    sign-in account) and another provider on the other coach's caseload."""
    with app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER)
        coach = factories.create_user(role=Role.COACH)
        other_coach = factories.create_user(role=Role.COACH)
        provider_user = factories.create_user(role=Role.PROVIDER, name="María")
        other_user = factories.create_user(role=Role.PROVIDER)
        actor = coach.load()
        own = factories.create_provider(actor=actor, coach=actor, legal_name=NAME)
        own.user_id = provider_user.id
        other = factories.create_provider(
            actor=actor, coach=other_coach.load(), legal_name="Other Person"
        )
        other.user_id = other_user.id
        db.session.commit()
        return {
            "manager": manager,
            "coach": coach,
            "other_coach": other_coach,
            "provider": provider_user,
            "other_user": other_user,
            "own": own.id,
            "other": other.id,
        }


def record_url(provider_id: int, suffix: str = "") -> str:
    return f"/providers/{provider_id}/training{suffix}"


def run(app, build):
    """Build records with the provider objects and the coach as actor; returns ids."""
    with app.app_context():
        result = build()
        db.session.commit()
        return result


def attended_session(app, people, provider_key="own", **session_args) -> int:
    def build():
        actor = db.session.get(Provider, people["own"]).coach
        session = create_cpr_session(actor, **session_args)
        return attend(session, db.session.get(Provider, people[provider_key]), actor).id

    return run(app, build)


def credit_form(app, **overrides):
    with app.app_context():
        today = local_today()
    data = {
        "title": "Outdoor play safety",
        "organisation": "Capital Community College",
        "taken_on": today.isoformat(),
        "hours": "2.5",
        "ckc_area_id": "",
        "credential_id": "",
        "file": (io.BytesIO(PDF), "certificate.pdf"),
    }
    data.update(overrides)
    return data


def area_id(app, name="Health, Safety and Nutrition") -> str:
    with app.app_context():
        return str(ckc_area(name).id)


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


def this_pd_year(app):
    with app.app_context():
        return current_pd_year()


def credits_of(app, provider_id):
    with app.app_context():
        return db.session.scalars(select(Credit).where(Credit.provider_id == provider_id)).all()


# --- The record -------------------------------------------------------------------------


def test_the_record_shows_hours_progress_credits_and_badges(app, client, auth, people):
    attended_session(app, people)  # 3 approved hours this PD year, CPR for two years

    def build():
        provider = db.session.get(Provider, people["own"])
        actor = provider.coach
        today = local_today()
        submit_credit(provider, actor, title="Waiting for a manager", minutes=120)
        rejected = submit_credit(provider, actor, title="Refused course", minutes=60)
        rejected.status = CreditStatus.REJECTED
        rejected.rejection_reason = "The certificate has no date"
        for name, expires in (
            ("First Aid", today - timedelta(days=3)),
            ("Medication administration (injectable)", today + timedelta(days=30)),
        ):
            add_held_credential(provider, name, expires, taken_on=today - timedelta(days=400))

    run(app, build)
    auth.sign_in(people["provider"])
    response = client.get(record_url(people["own"]))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "3 of 10 hours" in page
    assert "7 hours left" in page
    progress = re.search(r'<div class="progress[^"]*" role="progressbar"[^>]*>', page).group(0)
    assert 'aria-valuenow="3.00"' in progress and 'aria-valuemax="10.00"' in progress
    assert 'aria-valuemin="0"' in progress and "aria-label=" in progress
    assert 'class="progress-bar w-25"' in page  # 30 % rounds to a quarter
    assert "style=" not in page
    # Every credit, with its source and status.
    assert "CPR for caregivers" in page and "Network session" in page
    assert "Elsewhere (Capital Community College)" in page
    assert "Waiting for a manager" in page and "Pending approval" in page
    assert "Rejected" in page and "The certificate has no date" in page
    # Credentials held, with their badges.
    assert re.search(r"text-bg-danger\">Expired</span>\s*<strong>First Aid", page)
    assert re.search(
        r"text-bg-warning\">Expires within 90 days</span>\s*<strong>Medication administration",
        page,
    )
    assert re.search(r"text-bg-success\">Valid</span>\s*<strong>CPR", page)
    # Buttons and links the provider may use.
    assert f'href="{record_url(people["own"], "/credits/new")}"' in page
    assert f'href="{record_url(people["own"], "/transcript")}"' in page
    assert f'href="{record_url(people["own"], "/transcript.pdf")}"' in page
    assert "/certificates/" in page
    assert f"/providers/{people['own']}/documents/" in page  # the evidence


def test_only_approved_hours_this_pd_year_count_on_the_record(app, client, auth, people):
    def build():
        provider = db.session.get(Provider, people["own"])
        last_year = current_pd_year().start - timedelta(days=1)
        old = submit_credit(provider, provider.coach, title="Last year", taken_on=last_year)
        old.status = CreditStatus.APPROVED
        submit_credit(provider, provider.coach, title="Still pending")

    run(app, build)
    auth.sign_in(people["coach"])
    page = client.get(record_url(people["own"])).get_data(as_text=True)
    assert "0 of 10 hours" in page and "10 hours left" in page
    assert "Last year" in page and "Still pending" in page
    assert 'class="progress-bar "' in page


def test_session_titles_follow_the_readers_language(app, client, auth, people):
    attended_session(app, people)
    with app.app_context():
        db.session.get(Provider, people["own"]).user.language = "es"
        db.session.commit()
    auth.sign_in(people["provider"])
    assert "RCP para cuidadoras" in client.get(record_url(people["own"])).get_data(as_text=True)
    auth.sign_out()
    auth.sign_in(people["manager"])
    assert "CPR for caregivers" in client.get(record_url(people["own"])).get_data(as_text=True)


def test_a_coach_of_another_caseload_sees_the_record_but_cannot_add_to_it(
    app, client, auth, people, table_snapshot
):
    auth.sign_in(people["other_coach"])
    page = client.get(record_url(people["own"])).get_data(as_text=True)
    assert "Training record" in page
    assert "Add training taken elsewhere" not in page
    before = table_snapshot()
    assert client.get(record_url(people["own"], "/credits/new")).status_code == 403
    response = client.post(
        record_url(people["own"], "/credits/new"),
        data=credit_form(app, ckc_area_id=area_id(app)),
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert table_snapshot() == before


def test_a_provider_reaching_for_another_record_gets_404(app, client, auth, people):
    registration = attended_session(app, people, provider_key="other")
    auth.sign_in(people["provider"])
    for suffix in (
        "",
        "/transcript",
        "/transcript.pdf",
        f"/certificates/{registration}.pdf",
        "/credits/new",
    ):
        assert client.get(record_url(people["other"], suffix)).status_code == 404
    assert (
        client.get(record_url(people["own"], f"/certificates/{registration}.pdf")).status_code
        == 404
    )


def test_the_provider_page_links_to_the_training_record(app, client, auth, people):
    auth.sign_in(people["provider"])
    page = client.get(f"/providers/{people['own']}").get_data(as_text=True)
    assert f'href="{record_url(people["own"])}"' in page
    assert "My training" in page  # the navigation
    assert "Credits to review" not in page


def test_the_record_loads_in_a_fixed_number_of_queries(app, client, auth, people):
    def count(url):
        with app.app_context():
            engine = db.engine
        statements = []

        def listener(*_args):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    attended_session(app, people, title_en="First course")
    auth.sign_in(people["provider"])
    few = count(record_url(people["own"]))

    def build():
        provider = db.session.get(Provider, people["own"])
        actor = provider.coach
        for number in range(5):
            attend(create_cpr_session(actor, title_en=f"Course {number}"), provider, actor)
            submit_credit(provider, actor, title=f"Elsewhere {number}")
        future = create_cpr_session(
            actor, starts_at=datetime.now().astimezone() + timedelta(days=9)
        )
        from fccnet.training.services import register

        register(future, provider, actor=actor)

    run(app, build)
    assert count(record_url(people["own"])) == few


# --- Credits from elsewhere -------------------------------------------------------------


def test_a_provider_submits_a_credit_that_counts_once_approved(app, client, auth, people):
    auth.sign_in(people["provider"])
    form = client.get(record_url(people["own"], "/credits/new")).get_data(as_text=True)
    for name in ("title", "organisation", "taken_on", "hours", "ckc_area_id", "file"):
        assert f'for="{name}"' in form
    response = client.post(
        record_url(people["own"], "/credits/new"),
        data=credit_form(app, ckc_area_id=area_id(app), hours="2,5"),
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.request.path == record_url(people["own"])
    page = response.get_data(as_text=True)
    assert "Sent for approval. It will count once a manager approves it." in page
    assert "Pending approval" in page and "0 of 10 hours" in page
    (credit,) = credits_of(app, people["own"])
    assert credit.status is CreditStatus.PENDING and credit.minutes == 150
    assert credit.created_by_id == people["provider"].id
    with app.app_context():
        document = db.session.get(Document, credit.document_id)
        assert document.provider_id == people["own"] and document.content == PDF
    auth.sign_out()

    auth.sign_in(people["manager"])
    queue = client.get("/training/credits").get_data(as_text=True)
    assert "Outdoor play safety" in queue and NAME in queue
    assert f'href="/providers/{people["own"]}/documents/{credit.document_id}"' in queue
    response = client.post(f"/training/credits/{credit.id}/approve", follow_redirects=True)
    assert "The hours now count." in response.get_data(as_text=True)
    (credit,) = credits_of(app, people["own"])
    assert credit.status is CreditStatus.APPROVED
    assert credit.reviewed_by_id == people["manager"].id
    assert "2.5 of 10 hours" in client.get(record_url(people["own"])).get_data(as_text=True)


def test_a_coach_submits_for_a_provider_on_their_caseload(app, client, auth, people):
    auth.sign_in(people["coach"])
    response = client.post(
        record_url(people["own"], "/credits/new"),
        data=credit_form(app, ckc_area_id=area_id(app), credential_id=_credential_id(app)),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    (credit,) = credits_of(app, people["own"])
    assert credit.created_by_id == people["coach"].id
    assert credit.credential_id == int(_credential_id(app))


def _credential_id(app, name="CPR") -> str:
    with app.app_context():
        return str(credential(name).id)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"file": (io.BytesIO(b"just some notes"), "notes.txt")},
            "file",
            "Upload a PDF, JPEG or PNG file.",
        ),
        ({"file": None}, "file", "Choose a file."),
        ({"hours": "0"}, "hours", "Enter hours above 0 and at most 40."),
        ({"hours": "40.5"}, "hours", "Enter hours above 0 and at most 40."),
        ({"hours": "NaN"}, "hours", "Enter hours above 0 and at most 40."),
        ({"hours": "many"}, "hours", "Not a valid decimal value."),
        ({"taken_on": "2999-01-01"}, "taken_on", "The date cannot be in the future."),
        ({"ckc_area_id": ""}, "ckc_area_id", ""),
        ({"title": "  "}, "title", ""),
    ],
)
def test_a_refused_credit_says_why_at_the_field_and_saves_nothing(
    app, client, auth, people, overrides, field, message
):
    auth.sign_in(people["provider"])
    data = credit_form(app, ckc_area_id=area_id(app)) | overrides
    data = {name: value for name, value in data.items() if value is not None}
    response = client.post(
        record_url(people["own"], "/credits/new"), data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error = re.search(
        rf'<div id="{field}-error" class="invalid-feedback d-block">([^<]*)</div>', page
    )
    assert error, page
    assert message in error.group(1)
    assert credits_of(app, people["own"]) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == 0


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_in_a_credit_is_refused_at_the_field_or_stored_as_typed(
    app, client, auth, people, value
):
    auth.sign_in(people["provider"])
    for field in ("title", "organisation"):
        response = client.post(
            record_url(people["own"], "/credits/new"),
            data=credit_form(app, ckc_area_id=area_id(app), **{field: value}),
            content_type="multipart/form-data",
        )
        assert response.status_code in (200, 302)
        html = response.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
        if response.status_code == 200:
            assert f'id="{field}-error"' in html
        else:
            stored = credits_of(app, people["own"])[-1]
            assert getattr(stored, field) == value.strip()
            page = client.get(record_url(people["own"])).get_data(as_text=True)
            assert "<script>alert(1)</script>" not in page and "<img src=x" not in page


# --- The review queue -------------------------------------------------------------------


def pending_credit(app, people, provider_key="own", **values) -> int:
    def build():
        provider = db.session.get(Provider, people[provider_key])
        return submit_credit(provider, provider.coach, **values).id

    return run(app, build)


def test_a_rejection_needs_a_reason_shown_next_to_that_rows_field(
    app, client, auth, people, table_snapshot
):
    first = pending_credit(app, people, title="First course")
    second = pending_credit(app, people, provider_key="other", title="Second course")
    auth.sign_in(people["manager"])
    queue = client.get("/training/credits").get_data(as_text=True)
    assert queue.index("First course") < queue.index("Second course")  # oldest first
    for credit_id in (first, second):
        assert f'<label for="reason-{credit_id}"' in queue
    before = table_snapshot()
    response = client.post(f"/training/credits/{second}/reject", data={"reason": "   "})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="reason-{second}-error"' in page and f'id="reason-{first}-error"' not in page
    assert f'aria-describedby="reason-{second}-error"' in page
    assert "Give the reason, so the provider knows what to fix." in page
    assert table_snapshot() == before

    response = client.post(
        f"/training/credits/{second}/reject", data={"reason": "No date on the certificate"}
    )
    assert response.status_code == 302
    (credit,) = credits_of(app, people["other"])
    assert credit.status is CreditStatus.REJECTED
    assert credit.rejection_reason == "No date on the certificate"
    queue = client.get("/training/credits").get_data(as_text=True)
    assert f'id="reason-{second}"' not in queue and f'id="reason-{first}"' in queue
    auth.sign_out()
    auth.sign_in(people["other_user"])
    page = client.get(record_url(people["other"])).get_data(as_text=True)
    assert "No date on the certificate" in page and "0 of 10 hours" in page


def test_reviewing_an_already_reviewed_credit_is_a_friendly_message(app, client, auth, people):
    credit_id = pending_credit(app, people)
    auth.sign_in(people["manager"])
    assert client.post(f"/training/credits/{credit_id}/approve").status_code == 302
    for action, data in (("approve", {}), ("reject", {"reason": "Too late"}), ("reject", {})):
        response = client.post(
            f"/training/credits/{credit_id}/{action}", data=data, follow_redirects=True
        )
        assert response.status_code == 200
        assert "This credit was already reviewed" in response.get_data(as_text=True)
    (credit,) = credits_of(app, people["own"])
    assert credit.status is CreditStatus.APPROVED and credit.rejection_reason is None


def test_only_managers_review_credits(app, client, auth, people, table_snapshot):
    credit_id = pending_credit(app, people)
    for principal in ("coach", "provider"):
        auth.sign_in(people[principal])
        before = table_snapshot()
        assert client.get("/training/credits").status_code == 403
        assert client.post(f"/training/credits/{credit_id}/approve").status_code == 403
        assert (
            client.post(f"/training/credits/{credit_id}/reject", data={"reason": "x"}).status_code
            == 403
        )
        assert table_snapshot() == before
        assert "Credits to review" not in client.get("/").get_data(as_text=True)
        auth.sign_out()
    auth.sign_in(people["manager"])
    assert "Credits to review" in client.get("/").get_data(as_text=True)
    assert client.post("/training/credits/999999/approve").status_code == 404


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_rejection_reasons(app, client, auth, people, value):
    credit_id = pending_credit(app, people)
    auth.sign_in(people["manager"])
    response = client.post(f"/training/credits/{credit_id}/reject", data={"reason": value})
    assert response.status_code in (200, 302)
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    (credit,) = credits_of(app, people["own"])
    if response.status_code == 200:
        assert f'id="reason-{credit_id}-error"' in html
        assert credit.status is CreditStatus.PENDING
    else:
        assert credit.rejection_reason == value.strip()


def test_the_queue_pages_by_fifty(app, client, auth, people):
    def build():
        provider = db.session.get(Provider, people["own"])
        for number in range(51):
            submit_credit(provider, provider.coach, title=f"Course number {number:02d}")

    run(app, build)
    auth.sign_in(people["manager"])
    first = client.get("/training/credits").get_data(as_text=True)
    assert "51 credits waiting" in first
    assert "Course number 49" in first and "Course number 50" not in first
    second = client.get("/training/credits?page=2").get_data(as_text=True)
    assert "Course number 50" in second


# --- Transcripts and certificates -------------------------------------------------------


def test_the_transcript_page_lists_the_period_with_totals(app, client, auth, people):
    attended_session(app, people)
    pending_credit(app, people, title="Pending elsewhere")

    def build():
        provider = db.session.get(Provider, people["own"])
        old = submit_credit(
            provider,
            provider.coach,
            title="Older course",
            taken_on=current_pd_year().start - timedelta(days=10),
        )
        old.status = CreditStatus.APPROVED

    run(app, build)
    auth.sign_in(people["provider"])
    page = client.get(record_url(people["own"], "/transcript")).get_data(as_text=True)
    period = this_pd_year(app)
    assert "Training transcript" in page and NAME in page
    assert app.config["NETWORK_NAME"] in page
    assert f'value="{period.start.isoformat()}"' in page  # the period shown in the form
    assert "CPR for caregivers" in page and "Pending elsewhere" in page
    assert "Older course" not in page
    assert re.search(r"Counted hours</dt><dd[^>]*>3</dd>", page)
    assert '<label class="form-label" for="from">' in page
    assert '<label class="form-label" for="to">' in page

    start = (period.start - timedelta(days=30)).isoformat()
    page = client.get(
        record_url(people["own"], f"/transcript?from={start}&to={period.end.isoformat()}")
    ).get_data(as_text=True)
    assert "Older course" in page
    assert re.search(r"Counted hours</dt><dd[^>]*>5</dd>", page)
    assert f"from={start}" in page  # the PDF link keeps the period


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2025-02-30", "from"),
        ("from=not-a-date", "from"),
        ("from=2025-03-01&to=2025-01-01", "to"),
    ],
)
def test_an_invalid_period_is_explained_and_the_pd_year_shown(
    app, client, auth, people, query, field
):
    auth.sign_in(people["provider"])
    response = client.get(record_url(people["own"], f"/transcript?{query}"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    period = this_pd_year(app)
    assert period.start.strftime("%B") in page  # the PD year is shown instead
    pdf = client.get(record_url(people["own"], f"/transcript.pdf?{query}"))
    assert pdf.status_code == 200
    assert (
        f"transcript-{people['own']}-{period.start.isoformat()}"
        in pdf.headers["Content-Disposition"]
    )


def test_the_pdf_transcript_in_english(app, client, auth, people):
    attended_session(app, people)
    pending_credit(app, people, title="Pending elsewhere")
    auth.sign_in(people["provider"])
    response = client.get(record_url(people["own"], "/transcript.pdf"))
    period = this_pd_year(app)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert (
        f"transcript-{people['own']}-{period.start.isoformat()}-{period.end.isoformat()}.pdf"
        in disposition
    )
    text = pdf_text(response)
    assert "Training transcript" in text and NAME in text
    assert app.config["NETWORK_NAME"] in text
    assert "CPR for caregivers" in text and "Pending elsewhere" in text
    assert "Approved" in text and "Pending" in text
    assert f"July 1, {period.start.year}" in text
    assert "Counted hours: 3" in text  # the pending credit does not count


def test_the_pdf_transcript_follows_the_providers_language(app, client, auth, people):
    attended_session(app, people)
    with app.app_context():
        db.session.get(Provider, people["own"]).preferred_language = "es"
        db.session.commit()
    auth.sign_in(people["manager"])  # an English-speaking reader
    text = pdf_text(client.get(record_url(people["own"], "/transcript.pdf")))
    period = this_pd_year(app)
    assert NAME in text
    assert "RCP para cuidadoras" in text and "CPR for caregivers" not in text
    assert "Salud, seguridad y nutrición" in text
    assert f"1 de julio de {period.start.year}" in text
    assert "RCP" in text


def test_a_certificate_for_an_attended_session(app, client, auth, people):
    registration = attended_session(app, people)
    auth.sign_in(people["provider"])
    response = client.get(record_url(people["own"], f"/certificates/{registration}.pdf"))
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = pdf_text(response)
    assert "Certificate of completion" in text and NAME in text
    assert "CPR for caregivers" in text and "Rosa Trainer" in text
    assert f"C-{registration:06d}" in text


def test_a_certificate_for_partial_attendance_in_the_providers_language(app, client, auth, people):
    def build():
        provider = db.session.get(Provider, people["own"])
        provider.preferred_language = "es"
        session = create_cpr_session(provider.coach)
        return attend(session, provider, provider.coach, Attendance.PARTIAL, 90).id

    registration = run(app, build)
    auth.sign_in(people["coach"])
    text = pdf_text(client.get(record_url(people["own"], f"/certificates/{registration}.pdf")))
    assert "RCP para cuidadoras" in text and NAME in text
    assert " de " in text  # a Spanish date


def test_no_certificate_for_a_no_show_or_someone_elses_registration(app, client, auth, people):
    def build():
        own = db.session.get(Provider, people["own"])
        other = db.session.get(Provider, people["other"])
        session = create_cpr_session(own.coach)
        return (
            attend(session, own, own.coach, Attendance.NO_SHOW).id,
            attend(session, other, own.coach).id,
        )

    no_show, others = run(app, build)
    auth.sign_in(people["manager"])
    assert client.get(record_url(people["own"], f"/certificates/{no_show}.pdf")).status_code == 404
    assert client.get(record_url(people["own"], f"/certificates/{others}.pdf")).status_code == 404
    assert client.get(record_url(people["other"], f"/certificates/{others}.pdf")).status_code == 200
    assert client.get(record_url(people["own"], "/certificates/999999.pdf")).status_code == 404
    page = client.get(record_url(people["own"])).get_data(as_text=True)
    assert "/certificates/" not in page


def test_every_credits_endpoint_is_in_the_access_matrix_for_own_and_other_records():
    provider_endpoints = {
        "credits.record",
        "credits.transcript",
        "credits.transcript_pdf",
        "credits.certificate",
        "credits.submit_credit",
    }
    for endpoint in provider_endpoints:
        labels = {case.label for case in matrix.CASES if case.endpoint == endpoint}
        assert {"own", "other"} <= labels, endpoint
        for case in matrix.CASES:
            if case.endpoint == endpoint and case.label == "other":
                assert case.expect[matrix.PROVIDER] == 404


def test_get_pages_change_nothing_but_the_view_log(app, client, auth, people, table_snapshot):
    registration = attended_session(app, people)
    pending_credit(app, people)
    auth.sign_in(people["manager"])
    before = table_snapshot()
    for suffix in ("/transcript", "/transcript.pdf", f"/certificates/{registration}.pdf"):
        assert client.get(record_url(people["own"], suffix)).status_code == 200
    assert client.get("/training/credits").status_code == 200
    assert table_snapshot() == before

    # Opening the training record is logged, as opening the provider's page is.
    assert client.get(record_url(people["own"], "")).status_code == 200
    with app.app_context():
        viewed = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "provider.viewed")
        ).all()
    assert [(event.target_id, event.actor_id) for event in viewed] == [
        (people["own"], people["manager"].id)
    ]
