"""Access-matrix cases of reports: staff read reports (a coach over their own caseload);
the report card, the data-partner export and lists with names are for managers only."""

from tests.access_matrix import Case, managers_only, signed_in

STAFF = signed_in(200, provider=403)
CARE_REPORTS = ("pipeline", "outcomes", "training", "coaching", "compliance")
FIRST_TABLE = {
    "pipeline": "stages_today",
    "outcomes": "by_town",
    "training": "summary",
    "coaching": "by_coach",
    "compliance": "by_requirement",
}

CASES = [
    Case("reports.index", "GET", STAFF),
    *(
        Case("reports.report", "GET", STAFF, url_args={"name": name}, label=name)
        for name in CARE_REPORTS
    ),
    *(
        Case(
            "reports.report_csv",
            "GET",
            STAFF,
            url_args={"name": name, "key": FIRST_TABLE[name]},
            label=name,
        )
        for name in CARE_REPORTS
    ),
    Case(
        "reports.report", "GET", managers_only(200), url_args={"name": "partner"}, label="partner"
    ),
    Case(
        "reports.report_csv",
        "GET",
        managers_only(200),
        url_args={"name": "partner", "key": "towns_by_stage"},
        label="partner",
    ),
    Case("reports.card", "GET", managers_only(200)),
    Case("reports.card_pdf", "GET", managers_only(200)),
    Case("reports.providers_csv", "GET", managers_only(200)),
    *(
        Case("reports.list_csv", "GET", managers_only(200), url_args={"name": name}, label=name)
        for name in ("contacts", "credits")
    ),
]
