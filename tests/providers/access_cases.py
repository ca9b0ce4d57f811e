"""Access-matrix cases of the provider record (gathered by tests/access_matrix.py).

"own_provider" belongs to the provider principal and is assigned to the coach
principal; "other_provider" is someone else's, assigned to another coach.
"""

from tests.access_matrix import Case, managers_only, signed_in

OWN = {"provider_id": "own_provider"}
OTHER = {"provider_id": "other_provider"}
STAFF_ONLY = signed_in(200, provider=403)


def deleted_provider(records):
    from fccnet.auth.models import User
    from fccnet.extensions import db
    from fccnet.providers import services
    from tests import factories

    actor = db.session.get(User, records["coach_user"])
    provider = factories.create_provider(actor=actor, legal_name="Deleted Provider")
    services.delete_provider(provider, actor=actor, reason="test")
    return {"deleted_provider": provider.id}


RECORD_BUILDERS = [deleted_provider]

CASES = [
    Case("providers.index", "GET", STAFF_ONLY),
    Case("providers.create", "GET", STAFF_ONLY),
    Case("providers.create", "POST", STAFF_ONLY, data={"legal_name": ""}),
    Case("providers.detail", "GET", signed_in(200), url_args=OWN, label="own"),
    Case("providers.detail", "GET", signed_in(200, provider=404), url_args=OTHER, label="other"),
    Case("providers.edit", "GET", signed_in(200, provider=403), url_args=OWN, label="own"),
    Case(
        "providers.edit",
        "GET",
        signed_in(200, coach=403, provider=404),
        url_args=OTHER,
        label="other",
    ),
    Case(
        "providers.edit",
        "POST",
        signed_in(200, provider=403),
        url_args=OWN,
        data={"legal_name": ""},
    ),
    Case("providers.contact", "GET", signed_in(403, provider=200), url_args=OWN, label="own"),
    Case("providers.contact", "GET", signed_in(403, provider=404), url_args=OTHER, label="other"),
    Case(
        "providers.contact",
        "POST",
        signed_in(403, provider=200),
        url_args=OWN,
        data={"phone": "not a phone"},
    ),
    Case("providers.household_member", "GET", signed_in(200, provider=403), url_args=OWN),
    Case(
        "providers.household_member",
        "POST",
        signed_in(200, provider=403),
        url_args=OWN,
        data={"name": ""},
    ),
    Case("providers.assign_coach", "GET", managers_only(200), url_args=OWN),
    Case("providers.assign_coach", "POST", managers_only(302), url_args=OWN),
    Case("providers.delete", "GET", managers_only(200), url_args=OWN),
    Case("providers.delete", "POST", managers_only(200), url_args=OWN, data={"reason": ""}),
    Case(
        "providers.restore",
        "POST",
        signed_in(404, manager=302),
        url_args={"provider_id": "deleted_provider"},
    ),
    Case("providers.invite", "POST", signed_in(200, provider=403), url_args=OWN, label="own"),
    # The other record has no email yet: the manager is sent back with a message.
    Case(
        "providers.invite",
        "POST",
        signed_in(302, coach=403, provider=404),
        url_args=OTHER,
        label="other",
    ),
    Case("providers.caseloads", "GET", managers_only(200)),
    Case("providers.caseloads", "POST", managers_only(200)),
]
