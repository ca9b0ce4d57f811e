"""Who may use which endpoint: every endpoint and method of app.url_map, declared.

Each case names an endpoint, a method, the URL arguments (by the name of a
record of the `world` fixture in tests/test_access_matrix.py), and the expected
outcome for each principal: an HTTP status, or LOGIN (a redirect to the sign-in
page). The provider principal owns "own_provider" and is assigned to the coach
principal; "other_provider" belongs to someone else and another coach.
tests/test_access_matrix.py fails when an endpoint is missing here.

Each domain declares its cases in tests/<domain>/access_cases.py (CASES, and
RECORD_BUILDERS for records its URLs need); they are gathered at the bottom.
"""

from dataclasses import dataclass, field

ANONYMOUS = "anonymous"
MANAGER = "manager"
COACH = "coach"
PROVIDER = "provider"
PRINCIPALS = (ANONYMOUS, MANAGER, COACH, PROVIDER)

LOGIN = "login"

# Endpoints served by Flask or extensions, with no application logic.
EXEMPT_ENDPOINTS = {"static", "bootstrap.static"}


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    expect: dict[str, int | str]
    # URL argument -> name of a record the test creates ("target_user", ...)
    # or a literal value.
    url_args: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)

    # Tells apart cases of one endpoint on different records ("own", "other").
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}" + (f" [{self.label}]" if self.label else "")


def everyone(outcome, **overrides) -> dict[str, int | str]:
    return {principal: overrides.get(principal, outcome) for principal in PRINCIPALS}


def signed_in(outcome, **overrides) -> dict[str, int | str]:
    return everyone(outcome, anonymous=LOGIN, **overrides)


def managers_only(outcome) -> dict[str, int | str]:
    return signed_in(403, manager=outcome)


ACCOUNT_CASES = [
    Case("health.healthz", "GET", everyone(200)),
    Case("home.index", "GET", signed_in(200)),
    Case("auth.sign_in", "GET", everyone(302, anonymous=200)),
    Case("auth.sign_in", "POST", everyone(302, anonymous=200)),
    Case("auth.sign_out", "POST", signed_in(302)),
    Case("auth.change_password", "GET", signed_in(200)),
    Case("auth.change_password", "POST", signed_in(200)),
    Case("auth.open_password_link", "GET", everyone(404), url_args={"token": "no-such-token"}),
    # Without a link opened in this session there is nothing to set.
    Case("auth.set_password", "GET", everyone(404)),
    Case("auth.set_password", "POST", everyone(404)),
    Case("auth.language", "POST", everyone(302), data={"language": "es"}),
    Case("users.index", "GET", managers_only(200)),
    Case("users.create", "GET", managers_only(200)),
    Case("users.create", "POST", managers_only(200)),
    Case("users.edit", "GET", managers_only(200), url_args={"user_id": "target_user"}),
    Case(
        "users.edit",
        "POST",
        managers_only(200),
        url_args={"user_id": "target_user"},
        data={"name": "", "email": "not-an-email"},
    ),
    Case("users.deactivate", "POST", managers_only(302), url_args={"user_id": "target_user"}),
    Case("users.reactivate", "POST", managers_only(302), url_args={"user_id": "inactive_user"}),
    Case(
        "users.issue_password_link",
        "POST",
        managers_only(200),
        url_args={"user_id": "target_user"},
    ),
    Case("audit.index", "GET", managers_only(200)),
]


def _gather():
    from tests.attendance import access_cases as attendance
    from tests.coaching import access_cases as coaching
    from tests.credits import access_cases as credits
    from tests.licensing import access_cases as licensing
    from tests.providers import access_cases as providers
    from tests.reports import access_cases as reports
    from tests.settings import access_cases as settings
    from tests.training import access_cases as training

    domains = (providers, licensing, settings, training, attendance, credits, coaching, reports)
    cases = [*ACCOUNT_CASES]
    builders = []
    for domain in domains:
        cases.extend(domain.CASES)
        builders.extend(getattr(domain, "RECORD_BUILDERS", ()))
    return cases, builders


CASES, RECORD_BUILDERS = _gather()
