"""Runs every case of tests/access_matrix.py for every principal."""

import pytest
from flask import url_for

from fccnet.auth.models import Role
from tests import access_matrix
from tests.access_matrix import ANONYMOUS, CASES, EXEMPT_ENDPOINTS, LOGIN, PRINCIPALS

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
def records(make_user):
    return {
        "target_user": make_user(role=Role.COACH, name="Target Coach").id,
        "inactive_user": make_user(role=Role.PROVIDER, name="Gone Provider", active=False).id,
    }


@pytest.fixture
def principal_client(app, auth, make_user):
    def sign_in_as(principal: str):
        if principal != ANONYMOUS:
            response = auth.sign_in(make_user(role=Role(principal)))
            assert response.status_code == 302
        return auth.client

    return sign_in_as


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_access(app, principal, case, records, principal_client, table_snapshot):
    client = principal_client(principal)
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
