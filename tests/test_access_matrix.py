"""Runs every case of tests/access_matrix.py for every principal."""

import pytest
from flask import url_for
from sqlalchemy import select

from fccnet.auth.models import Role
from fccnet.extensions import db
from fccnet.licensing.models import Requirement, Stage
from fccnet.providers.models import ReferralSource
from tests import access_matrix, factories
from tests.access_matrix import (
    ANONYMOUS,
    CASES,
    COACH,
    EXEMPT_ENDPOINTS,
    LOGIN,
    MANAGER,
    PRINCIPALS,
    PROVIDER,
)

REFUSED = {LOGIN, 403, 404}


def declared_routes(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in EXEMPT_ENDPOINTS
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_endpoint_and_method_is_in_the_matrix(app):
    in_matrix = {(case.endpoint, case.method) for case in CASES}
    missing = declared_routes(app) - in_matrix
    unknown = in_matrix - declared_routes(app)
    assert not missing, f"add these to tests/access_matrix.py: {sorted(missing)}"
    assert not unknown, f"the matrix names routes that do not exist: {sorted(unknown)}"


@pytest.fixture
def world(app):
    """The signed-in principals and the records the cases' URLs point at, by name."""
    with app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER)
        coach = factories.create_user(role=Role.COACH)
        other_coach = factories.create_user(role=Role.COACH)
        provider_user = factories.create_user(role=Role.PROVIDER)
        actor = coach.load()
        own = factories.create_provider(actor=actor, coach=actor, legal_name="Own Provider")
        own.user_id = provider_user.id
        other = factories.create_provider(
            actor=actor, coach=other_coach.load(), legal_name="Other Provider"
        )
        unassigned = factories.create_provider(actor=actor, legal_name="Unassigned Provider")
        db.session.commit()
        records = {
            "target_user": factories.create_user(role=Role.COACH, name="Target Coach").id,
            "inactive_user": factories.create_user(role=Role.PROVIDER, active=False).id,
            "own_provider": own.id,
            "other_provider": other.id,
            "unassigned_provider": unassigned.id,
            "coach_user": coach.id,
            "other_coach_user": other_coach.id,
            "town": factories.town().id,
            "neighborhood": factories.neighborhood().id,
            "stage": db.session.scalar(select(Stage.id).where(Stage.key == "orientation")),
            "requirement": db.session.scalar(select(Requirement.id).order_by(Requirement.id)),
            "referral_source": db.session.scalar(select(ReferralSource.id)),
        }
        for build in access_matrix.RECORD_BUILDERS:
            built = build(records)
            # Two domains naming a record alike would silently point one's cases elsewhere.
            assert not built.keys() & records.keys(), built.keys() & records.keys()
            records.update(built)
            db.session.commit()
    principals = {MANAGER: manager, COACH: coach, PROVIDER: provider_user}
    return principals, records


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_access(app, auth, principal, case, world, table_snapshot):
    principals, records = world
    if principal != ANONYMOUS:
        assert auth.sign_in(principals[principal]).status_code == 302
    client = auth.client
    with app.test_request_context():
        url_args = {name: records.get(value, value) for name, value in case.url_args.items()}
        url = url_for(case.endpoint, **url_args)
        sign_in_url = url_for("auth.sign_in")
    expected = case.expect[principal]
    before = table_snapshot() if expected in REFUSED else None

    response = client.open(url, method=case.method, data=case.data)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response.headers["Location"].startswith(sign_in_url)
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:500]
    if before is not None:
        assert table_snapshot() == before, "a refused request changed the database"


def test_matrix_module_has_no_duplicate_cases():
    ids = [case.id for case in access_matrix.CASES]
    assert len(ids) == len(set(ids))
