"""Access-matrix cases of the training record, transcripts, certificates and credit review.

The helpers below also build the sessions, attendance and credits the credits tests need.
"""

from datetime import datetime, time, timedelta

from tests.access_matrix import Case, managers_only, signed_in

OWN = {"provider_id": "own_provider"}
OTHER = {"provider_id": "other_provider"}
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def area(name_en: str = "Health, Safety and Nutrition"):
    from sqlalchemy import select

    from fccnet.extensions import db
    from fccnet.training.models import CkcArea

    return db.session.scalar(select(CkcArea).where(CkcArea.name_en == name_en))


def credential(name_en: str = "CPR"):
    from sqlalchemy import select

    from fccnet.extensions import db
    from fccnet.training.models import Credential

    return db.session.scalar(select(Credential).where(Credential.name_en == name_en))


def this_pd_year_start():
    """A moment that has passed and falls in the current PD year (an hour ago, or the
    first minute of the year when it began less than an hour ago)."""
    from fccnet.clock import network_zone
    from fccnet.credits.services import current_pd_year
    from fccnet.database import utcnow

    first = datetime.combine(current_pd_year().start, time.min, tzinfo=network_zone())
    return max(utcnow() - timedelta(hours=1), first)


def make_session(
    actor,
    *,
    starts_at: datetime | None = None,
    title_en: str = "CPR for caregivers",
    title_es: str = "RCP para cuidadoras",
    minutes: int = 180,
    credential_name: str | None = "CPR",
    trainer_name: str = "Rosa Trainer",
):
    """A course and one session of it (by default already started this PD year)."""
    from fccnet.training import services
    from fccnet.training.models import Delivery

    course = services.create_course(
        services.CourseInput(
            title_en=title_en,
            title_es=title_es,
            description_en="",
            description_es="",
            ckc_area=area(),
            credit_minutes=minutes,
            delivery=Delivery.IN_PERSON,
            credential=credential(credential_name) if credential_name else None,
        ),
        actor=actor,
    )
    starts_at = starts_at or this_pd_year_start()
    return services.create_session(
        services.SessionInput(
            course=course,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            capacity=20,
            location="Park Street Library",
            trainer_name=trainer_name,
        ),
        actor=actor,
    )


def attend(session, provider, actor, attendance=None, minutes=None):
    """The provider on the session's roster with this attendance (attended unless told)."""
    from fccnet.attendance.services import add_walk_in
    from fccnet.training.models import Attendance

    return add_walk_in(
        session,
        provider,
        actor=actor,
        attendance=attendance or Attendance.ATTENDED,
        minutes=minutes,
    )


def submit_credit(provider, actor, **overrides):
    """A pending credit from elsewhere, with a PDF as evidence."""
    from fccnet.clock import local_today
    from fccnet.credits.services import ExternalCreditInput, submit_external_credit

    values = {
        "title": "Infant sleep safety",
        "organisation": "Capital Community College",
        "taken_on": local_today(),
        "minutes": 120,
        "ckc_area": area(),
        "evidence": PDF,
        "evidence_filename": "certificate.pdf",
        "credential": None,
    } | overrides
    return submit_external_credit(provider, ExternalCreditInput(**values), actor=actor)


def training_records(records):
    from fccnet.auth.models import User
    from fccnet.extensions import db
    from fccnet.providers.models import Provider

    actor = db.session.get(User, records["coach_user"])
    own = db.session.get(Provider, records["own_provider"])
    other = db.session.get(Provider, records["other_provider"])
    session = make_session(actor, title_en="Matrix CPR", title_es="RCP de la matriz")
    found = {
        "own_registration": attend(session, own, actor).id,
        "other_registration": attend(session, other, actor).id,
        "pending_credit": submit_credit(own, actor).id,
    }
    db.session.flush()
    return found


RECORD_BUILDERS = [training_records]

OWN_RECORD = signed_in(200)
# Staff see every record; a provider reaching for another's learns nothing (404).
OTHER_RECORD = signed_in(200, provider=404)
BAD_CREDIT = {"title": "", "organisation": "", "taken_on": "", "hours": ""}


def record_cases(endpoint: str, **extra_args) -> list[Case]:
    return [
        Case(endpoint, "GET", OWN_RECORD, url_args={**OWN, **extra_args}, label="own"),
        Case(endpoint, "GET", OTHER_RECORD, url_args={**OTHER, **extra_args}, label="other"),
    ]


CASES = [
    *record_cases("credits.record"),
    *record_cases("credits.transcript"),
    *record_cases("credits.transcript_pdf"),
    Case(
        "credits.certificate",
        "GET",
        OWN_RECORD,
        url_args={**OWN, "registration_id": "own_registration"},
        label="own",
    ),
    Case(
        "credits.certificate",
        "GET",
        OTHER_RECORD,
        url_args={**OTHER, "registration_id": "other_registration"},
        label="other",
    ),
    # Another provider's registration under one's own record: 404 for everyone.
    Case(
        "credits.certificate",
        "GET",
        signed_in(404),
        url_args={**OWN, "registration_id": "other_registration"},
        label="mismatch",
    ),
    # The provider themselves, their coach ("coach_user") and managers.
    Case("credits.submit_credit", "GET", OWN_RECORD, url_args=OWN, label="own"),
    Case(
        "credits.submit_credit",
        "GET",
        signed_in(200, coach=403, provider=404),
        url_args=OTHER,
        label="other",
    ),
    Case("credits.submit_credit", "POST", OWN_RECORD, url_args=OWN, data=BAD_CREDIT, label="own"),
    Case(
        "credits.submit_credit",
        "POST",
        signed_in(200, coach=403, provider=404),
        url_args=OTHER,
        data=BAD_CREDIT,
        label="other",
    ),
    Case("credit_review.queue", "GET", managers_only(200)),
    Case(
        "credit_review.approve",
        "POST",
        managers_only(302),
        url_args={"credit_id": "pending_credit"},
    ),
    # An empty reason: the queue again, with the message at the field.
    Case(
        "credit_review.reject",
        "POST",
        managers_only(200),
        url_args={"credit_id": "pending_credit"},
        data={"reason": ""},
    ),
]
