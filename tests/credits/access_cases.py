"""Access-matrix cases of the training record, transcripts, certificates and credit review."""

from tests import factories
from tests.access_matrix import Case, managers_only, signed_in

OWN = {"provider_id": "own_provider"}
OTHER = {"provider_id": "other_provider"}


def training_records(records):
    from fccnet.auth.models import User
    from fccnet.extensions import db
    from fccnet.providers.models import Provider

    actor = db.session.get(User, records["coach_user"])
    own = db.session.get(Provider, records["own_provider"])
    other = db.session.get(Provider, records["other_provider"])
    session = factories.create_cpr_session(
        actor, title_en="Matrix CPR", title_es="RCP de la matriz"
    )
    found = {
        "own_attended_registration": factories.attend(session, own, actor).id,
        "other_attended_registration": factories.attend(session, other, actor).id,
        "pending_credit": factories.submit_credit(own, actor).id,
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
        url_args={**OWN, "registration_id": "own_attended_registration"},
        label="own",
    ),
    Case(
        "credits.certificate",
        "GET",
        OTHER_RECORD,
        url_args={**OTHER, "registration_id": "other_attended_registration"},
        label="other",
    ),
    # Another provider's registration under one's own record: 404 for everyone.
    Case(
        "credits.certificate",
        "GET",
        signed_in(404),
        url_args={**OWN, "registration_id": "other_attended_registration"},
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
