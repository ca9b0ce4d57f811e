"""The managers' settings pages over HTTP: forms, errors at the field, hostile input.

Who may open which page (managers only; 403 for coaches and providers) is
declared in tests/settings/access_cases.py and run by tests/test_access_matrix.py.
"""

import re

import pytest
from sqlalchemy import func, select

from fccnet.audit.models import AuditEvent
from fccnet.coaching.models import CoachingTopic
from fccnet.extensions import db
from fccnet.licensing.models import Requirement, Stage
from fccnet.providers.models import Neighborhood, ReferralSource, Town
from fccnet.settings.services import get_setting
from fccnet.training.models import CkcArea, Credential
from tests import factories
from tests.test_hostile_input import HOSTILE, assert_safe

VALID_SETTINGS = {
    "background_check_age": "18",
    "license_validity_months": "48",
    "default_full_time_slots": "6",
    "default_school_age_slots": "3",
    "pd_annual_hours": "10",
    "pd_year_start_month": "7",
}
VALID_CREDENTIAL = {
    "name_en": "Pediatric CPR",
    "name_es": "RCP pediátrica",
    "valid_months": "24",
    "requirement_id": "",
}
VALID_REQUIREMENT = {
    "name_en": "Fire safety inspection",
    "name_es": "Inspección de incendios",
    "description_en": "",
    "description_es": "",
    "applies_to": "provider",
    "condition": "always",
    "before_licensing": "y",
    "valid_months": "",
    "valid_months_at_application": "",
    "active": "y",
}


@pytest.fixture
def defaults(app):
    with app.app_context():
        factories.ensure_defaults()


@pytest.fixture
def as_manager(client, auth, manager, defaults):
    assert auth.sign_in(manager).status_code == 302
    return client


def read(app, statement):
    with app.app_context():
        return db.session.scalar(statement)


def record_id(app, model, **where):
    return read(app, select(model.id).filter_by(**where))


def audit_changes(app, action):
    with app.app_context():
        return [
            event.changes
            for event in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        ]


def field_error(response, field: str) -> str:
    html = response.get_data(as_text=True)
    match = re.search(
        rf'<div id="{field}-error" class="invalid-feedback d-block">(.*?)</div>', html
    )
    assert match, f"no error at {field}"
    return match.group(1)


def order_on_page(html: str, endpoint_path: str) -> list[str]:
    return re.findall(rf'<a href="/settings/{endpoint_path}/\d+">([^<]+)</a>', html)


# --- Navigation ----------------------------------------------------------------------------------


def test_only_managers_see_the_settings_link(client, auth, manager, coach, provider, defaults):
    for principal, shown in ((manager, True), (coach, False), (provider, False)):
        with auth.signed_in(principal):
            html = client.get("/").get_data(as_text=True)
            assert ('href="/settings"' in html) is shown


def test_every_settings_page_links_every_section(as_manager):
    html = as_manager.get("/settings/stages").get_data(as_text=True)
    for path in (
        "/settings",
        "/settings/towns",
        "/settings/how-heard",
        "/settings/requirements",
        "/settings/ckc-areas",
        "/settings/credentials",
        "/settings/coaching-topics",
    ):
        assert f'href="{path}"' in html
    assert 'aria-current="page">Pipeline stages' in html


# --- Network settings ------------------------------------------------------------------------------


def test_the_settings_form_shows_every_setting_with_its_current_value(app, as_manager):
    html = as_manager.get("/settings").get_data(as_text=True)
    assert '<label class="form-label" for="background_check_age">Background check age' in html
    assert 'id="license_validity_months"' in html and 'value="48"' in html
    assert 'min="14"' in html and 'max="21"' in html


def test_the_settings_form_shows_the_professional_development_settings(as_manager):
    html = as_manager.get("/settings").get_data(as_text=True)
    assert re.search(
        r'<label class="form-label" for="pd_annual_hours">Professional development hours', html
    )
    assert re.search(r'<input [^>]*id="pd_annual_hours"[^>]*value="10"', html)
    assert re.search(
        r'<label class="form-label" for="pd_year_start_month">'
        r"Professional development year starts in month \(1-12\)",
        html,
    )
    month = re.search(r'<input [^>]*id="pd_year_start_month"[^>]*>', html).group(0)
    assert 'value="7"' in month and 'min="1"' in month and 'max="12"' in month
    assert 'aria-describedby="pd_year_start_month-help"' in month
    assert '<div id="pd_year_start_month-help" class="form-text">From 1 to 12.</div>' in html


def test_changing_the_month_the_professional_development_year_starts(app, as_manager):
    response = as_manager.post("/settings", data={**VALID_SETTINGS, "pd_year_start_month": "9"})
    assert response.status_code == 302
    with app.app_context():
        assert get_setting("pd_year_start_month") == 9
    assert audit_changes(app, "setting.changed") == [{"pd_year_start_month": [7, 9]}]
    html = as_manager.get("/settings").get_data(as_text=True)
    assert re.search(r'<input [^>]*id="pd_year_start_month"[^>]*value="9"', html)

    response = as_manager.post("/settings", data={**VALID_SETTINGS, "pd_year_start_month": "13"})
    assert response.status_code == 200
    assert field_error(response, "pd_year_start_month") == "Enter a number from 1 to 12."
    with app.app_context():
        assert get_setting("pd_year_start_month") == 9


def test_saving_settings_stores_and_audits_the_changes(app, as_manager):
    response = as_manager.post("/settings", data={**VALID_SETTINGS, "background_check_age": "16"})
    assert response.status_code == 302
    with app.app_context():
        assert get_setting("background_check_age") == 16
    assert audit_changes(app, "setting.changed") == [{"background_check_age": [18, 16]}]
    assert b"Settings saved." in as_manager.get("/settings").data


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("22", "Enter a number from 14 to 21."),
        ("13", "Enter a number from 14 to 21."),
        ("eighteen", "Enter a whole number, such as 12."),
        ("1.5", "Enter a whole number, such as 12."),
        ("9" * 5000, "Enter a whole number, such as 12."),
        ("", "This field is required."),
    ],
)
def test_a_setting_outside_its_range_is_refused_at_its_field(app, as_manager, value, message):
    response = as_manager.post("/settings", data={**VALID_SETTINGS, "background_check_age": value})
    assert response.status_code == 200
    assert field_error(response, "background_check_age") == message
    assert audit_changes(app, "setting.changed") == []


def test_a_missing_setting_is_refused_and_nothing_is_saved(app, as_manager):
    data = {**VALID_SETTINGS, "license_validity_months": "60"}
    del data["default_full_time_slots"]
    response = as_manager.post("/settings", data=data)
    assert response.status_code == 200
    assert field_error(response, "default_full_time_slots") == "This field is required."
    with app.app_context():
        assert get_setting("license_validity_months") == 48


# --- Towns and neighborhoods ---------------------------------------------------------------------


def test_the_towns_list_shows_neighborhood_and_provider_counts(app, as_manager, manager):
    with app.app_context():
        factories.create_provider(actor=manager.load())
    html = as_manager.get("/settings/towns").get_data(as_text=True)
    row = re.search(r">Hartford</a></td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>", html)
    assert row.groups() == ("17", "1")
    assert 'role="region" tabindex="0" aria-labelledby="towns-caption"' in html


def test_adding_renaming_and_deactivating_a_town(app, as_manager):
    response = as_manager.post("/settings/towns/new", data={"name": " Plainville "})
    town_id = record_id(app, Town, name="Plainville")
    assert response.headers["Location"] == f"/settings/towns/{town_id}"

    response = as_manager.post(f"/settings/towns/{town_id}", data={"name": "Plainville Center"})
    assert response.status_code == 302
    assert audit_changes(app, "town.updated") == [{"name": ["Plainville", "Plainville Center"]}]

    assert as_manager.post(f"/settings/towns/{town_id}/deactivate").status_code == 302
    assert read(app, select(Town.active).where(Town.id == town_id)) is False
    html = as_manager.get(f"/settings/towns/{town_id}").get_data(as_text=True)
    assert "Deactivated" in html and f"/settings/towns/{town_id}/reactivate" in html

    as_manager.post(f"/settings/towns/{town_id}/reactivate")
    assert read(app, select(Town.active).where(Town.id == town_id)) is True


def test_a_duplicate_town_name_is_refused_at_the_field(app, as_manager):
    response = as_manager.post("/settings/towns/new", data={"name": "Hartford"})
    assert response.status_code == 200
    assert field_error(response, "name") == "There is already a town with this name."
    assert read(app, select(func.count()).select_from(Town).where(Town.name == "Hartford")) == 1


def test_a_town_in_use_cannot_be_deleted_only_deactivated(app, as_manager, manager):
    with app.app_context():
        provider = factories.create_provider(actor=manager.load())
        town_id = provider.town_id
    for method in ("DELETE", "POST"):
        assert (
            as_manager.open(f"/settings/towns/{town_id}/delete", method=method).status_code == 404
        )
    assert as_manager.delete(f"/settings/towns/{town_id}").status_code == 405
    as_manager.post(f"/settings/towns/{town_id}/deactivate")
    assert read(app, select(func.count()).select_from(Town).where(Town.id == town_id)) == 1


def test_neighborhoods_are_added_renamed_and_put_in_the_promise_zone(app, as_manager):
    avon = record_id(app, Town, name="Avon")
    response = as_manager.post(
        f"/settings/towns/{avon}/neighborhoods/new", data={"name": "Avon Old Farms"}
    )
    assert response.headers["Location"] == f"/settings/towns/{avon}"
    hood = record_id(app, Neighborhood, name="Avon Old Farms")
    as_manager.post(
        f"/settings/neighborhoods/{hood}", data={"name": "Old Farms", "promise_zone": "y"}
    )
    assert audit_changes(app, "neighborhood.updated") == [
        {"name": ["Avon Old Farms", "Old Farms"], "promise_zone": [False, True]}
    ]
    html = as_manager.get(f"/settings/towns/{avon}").get_data(as_text=True)
    assert re.search(r">Old Farms</a></td>\s*<td>Yes</td>", html)

    hartford = record_id(app, Town, name="Hartford")
    response = as_manager.post(
        f"/settings/towns/{hartford}/neighborhoods/new", data={"name": "Frog Hollow"}
    )
    assert field_error(response, "name") == "This town already has a neighborhood with this name."


def test_a_neighborhood_of_another_town_is_edited_in_its_own_town(app, as_manager):
    hood = record_id(app, Neighborhood, name="Clay-Arsenal")
    html = as_manager.get(f"/settings/neighborhoods/{hood}").get_data(as_text=True)
    assert "Back to Hartford" in html
    assert re.search(r'<input [^>]*checked[^>]* id="promise_zone"', html)


def test_missing_records_are_404(as_manager):
    for path in (
        "/settings/towns/999999",
        "/settings/neighborhoods/999999",
        "/settings/how-heard/999999",
        "/settings/stages/999999",
        "/settings/requirements/999999",
        "/settings/ckc-areas/999999",
        "/settings/credentials/999999",
        "/settings/coaching-topics/999999",
    ):
        assert as_manager.get(path).status_code == 404
    assert as_manager.post("/settings/stages/999999/move/up").status_code == 404
    assert as_manager.post("/settings/stages/1/move/sideways").status_code == 404
    for path in ("/settings/ckc-areas", "/settings/credentials", "/settings/coaching-topics"):
        assert as_manager.post(f"{path}/999999/move/up").status_code == 404
        assert as_manager.post(f"{path}/999999/deactivate").status_code == 404
        assert as_manager.post(f"{path}/1/move/sideways").status_code == 404


# --- How they heard of us ----------------------------------------------------------------------------


def test_how_heard_answers_are_added_edited_and_deactivated(app, as_manager):
    response = as_manager.post(
        "/settings/how-heard/new", data={"name_en": "Radio", "name_es": "Radio"}
    )
    assert response.headers["Location"] == "/settings/how-heard"
    source = record_id(app, ReferralSource, name_en="Radio")
    as_manager.post(
        f"/settings/how-heard/{source}", data={"name_en": "Radio ad", "name_es": "Anuncio"}
    )
    assert audit_changes(app, "referral_source.updated") == [
        {"name_en": ["Radio", "Radio ad"], "name_es": ["Radio", "Anuncio"]}
    ]
    as_manager.post(f"/settings/how-heard/{source}/deactivate")
    html = as_manager.get("/settings/how-heard").get_data(as_text=True)
    assert re.search(r">Radio ad</a></td>\s*<td lang=\"es\">Anuncio</td>\s*<td><span", html)
    as_manager.post(f"/settings/how-heard/{source}/reactivate")
    assert read(app, select(ReferralSource.active).where(ReferralSource.id == source)) is True


def test_how_heard_names_are_required_and_unique(as_manager):
    response = as_manager.post("/settings/how-heard/new", data={"name_en": "Other", "name_es": ""})
    assert field_error(response, "name_es") == "This field is required."
    response = as_manager.post("/settings/how-heard/new", data={"name_en": "Other", "name_es": "x"})
    assert field_error(response, "name_en") == "There is already an answer with this English name."


# --- Pipeline stages --------------------------------------------------------------------------------


def test_stages_are_listed_in_order_and_reordered(app, as_manager):
    html = as_manager.get("/settings/stages").get_data(as_text=True)
    assert order_on_page(html, "stages")[:3] == ["Inquiry", "Orientation", "Preparing application"]
    orientation = record_id(app, Stage, key="orientation")

    response = as_manager.post(f"/settings/stages/{orientation}/move/up")
    assert response.headers["Location"] == "/settings/stages"
    html = as_manager.get("/settings/stages").get_data(as_text=True)
    assert order_on_page(html, "stages")[:2] == ["Orientation", "Inquiry"]
    assert "Orientation moved." in html
    assert audit_changes(app, "stage.moved") == [{"position": [2, 1]}]

    # The first row offers no "move up", the last no "move down".
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "Move up" not in first_row and "Move down" in first_row
    assert 'Move up<span class="visually-hidden">: Orientation' not in html


def test_a_new_stage_gets_a_key_and_goes_last(app, as_manager):
    response = as_manager.post(
        "/settings/stages/new",
        data={"name_en": "Waiting for fingerprints", "name_es": "Esperando huellas", "active": "y"},
    )
    assert response.headers["Location"] == "/settings/stages"
    html = as_manager.get("/settings/stages").get_data(as_text=True)
    assert order_on_page(html, "stages")[-1] == "Waiting for fingerprints"
    assert record_id(app, Stage, key="waiting_for_fingerprints") is not None


def test_editing_a_stage_never_changes_its_key_or_position(app, as_manager):
    orientation = record_id(app, Stage, key="orientation")
    response = as_manager.post(
        f"/settings/stages/{orientation}",
        data={
            "name_en": "Welcome",
            "name_es": "Bienvenida",
            "is_closed": "y",
            "key": "licensed",
            "position": "99",
            "id": "1",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        stage = db.session.get(Stage, orientation)
        assert (stage.key, stage.position, stage.name_en) == ("orientation", 2, "Welcome")
        assert (stage.is_closed, stage.active) == (True, False)  # the unticked box: not in use


def test_the_licensed_stage_cannot_be_closed(app, as_manager):
    licensed = record_id(app, Stage, key="licensed")
    response = as_manager.post(
        f"/settings/stages/{licensed}",
        data={"name_en": "Licensed", "name_es": "Con licencia", "is_closed": "y", "active": "y"},
    )
    assert response.status_code == 200
    assert field_error(response, "is_closed") == "The Licensed stage cannot be a closed stage."
    assert read(app, select(Stage.is_closed).where(Stage.id == licensed)) is False


# --- Requirement templates -----------------------------------------------------------------------


def test_a_requirement_is_added_with_every_field(app, as_manager):
    data = {
        **VALID_REQUIREMENT,
        "applies_to": "each_adult",
        "condition": "has_well",
        "valid_months": "24",
        "valid_months_at_application": "6",
        "description_es": "Detectores de humo",
    }
    del data["before_licensing"]
    response = as_manager.post("/settings/requirements/new", data=data)
    assert response.headers["Location"] == "/settings/requirements"
    with app.app_context():
        created = db.session.scalar(
            select(Requirement).where(Requirement.key == "fire_safety_inspection")
        )
        assert created.applies_to.value == "each_adult"
        assert created.condition.value == "has_well"
        assert created.before_licensing is False
        assert (created.valid_months, created.valid_months_at_application) == (24, 6)
        assert created.description_es == "Detectores de humo"
    html = as_manager.get("/settings/requirements").get_data(as_text=True)
    assert order_on_page(html, "requirements")[-1] == "Fire safety inspection"
    assert "Only when the home has a well" in html and "6 at application" in html


def test_editing_a_requirement_shows_its_values_and_records_changes(app, as_manager):
    medical = record_id(app, Requirement, key="medical_statement")
    html = as_manager.get(f"/settings/requirements/{medical}").get_data(as_text=True)
    assert 'value="36"' in html and 'value="12"' in html
    assert '<option value="provider_and_adults" selected>' in html

    response = as_manager.post(
        f"/settings/requirements/{medical}",
        data={
            **VALID_REQUIREMENT,
            "name_en": "Medical statement",
            "name_es": "Declaración médica",
            "applies_to": "provider_and_adults",
            "valid_months": "",
            "valid_months_at_application": "12",
        },
    )
    assert response.status_code == 302
    assert audit_changes(app, "requirement.updated") == [{"valid_months": [36, None]}]
    html = as_manager.get("/settings/requirements").get_data(as_text=True)
    assert "Never expires" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("valid_months", "0", "Enter a number from 1 to 600."),
        ("valid_months", "many", "Enter a whole number, such as 12."),
        ("valid_months_at_application", "601", "Enter a number from 1 to 600."),
        ("applies_to", "everyone", "Not a valid choice."),
        ("name_en", "", "This field is required."),
        ("description_en", "x" * 2001, "Field cannot be longer than 2000 characters."),
    ],
)
def test_invalid_requirement_values_are_refused_at_their_field(
    app, as_manager, field, value, message
):
    response = as_manager.post(
        "/settings/requirements/new", data={**VALID_REQUIREMENT, field: value}
    )
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert record_id(app, Requirement, key="fire_safety_inspection") is None


def test_requirements_move_down_and_up(app, as_manager):
    html = as_manager.get("/settings/requirements").get_data(as_text=True)
    first, second = order_on_page(html, "requirements")[:2]
    first_id = record_id(app, Requirement, name_en=first)
    as_manager.post(f"/settings/requirements/{first_id}/move/down")
    html = as_manager.get("/settings/requirements").get_data(as_text=True)
    assert order_on_page(html, "requirements")[:2] == [second, first]
    as_manager.post(f"/settings/requirements/{first_id}/move/up")
    html = as_manager.get("/settings/requirements").get_data(as_text=True)
    assert order_on_page(html, "requirements")[:2] == [first, second]


# --- CKC areas -------------------------------------------------------------------------------------


def test_ckc_areas_are_listed_in_order_and_reordered(app, as_manager):
    html = as_manager.get("/settings/ckc-areas").get_data(as_text=True)
    assert "<h1>Settings</h1>" in html and 'aria-current="page">CKC areas' in html
    assert order_on_page(html, "ckc-areas")[:2] == [
        "Child Development and Learning",
        "Health, Safety and Nutrition",
    ]
    assert '<td lang="es">Desarrollo y aprendizaje infantil</td>' in html
    second = record_id(app, CkcArea, name_en="Health, Safety and Nutrition")

    response = as_manager.post(f"/settings/ckc-areas/{second}/move/up")
    assert response.headers["Location"] == "/settings/ckc-areas"
    html = as_manager.get("/settings/ckc-areas").get_data(as_text=True)
    assert order_on_page(html, "ckc-areas")[:2] == [
        "Health, Safety and Nutrition",
        "Child Development and Learning",
    ]
    assert "Health, Safety and Nutrition moved." in html
    assert audit_changes(app, "ckc_area.moved") == [{"position": [2, 1]}]
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "Move up" not in first_row and "Move down" in first_row

    as_manager.post(f"/settings/ckc-areas/{second}/move/down")
    html = as_manager.get("/settings/ckc-areas").get_data(as_text=True)
    assert order_on_page(html, "ckc-areas")[0] == "Child Development and Learning"


def test_a_ckc_area_is_added_at_the_end_and_renamed(app, as_manager):
    html = as_manager.get("/settings/ckc-areas/new").get_data(as_text=True)
    assert '<label class="form-label" for="name_en">Name in English</label>' in html
    assert '<label class="form-label" for="name_es">Name in Spanish</label>' in html
    response = as_manager.post(
        "/settings/ckc-areas/new",
        data={"name_en": " Infant Care ", "name_es": "Cuidado infantil"},
    )
    assert response.headers["Location"] == "/settings/ckc-areas"
    html = as_manager.get("/settings/ckc-areas").get_data(as_text=True)
    assert order_on_page(html, "ckc-areas")[-1] == "Infant Care"
    assert "CKC area added at the end of the list." in html
    area = record_id(app, CkcArea, name_en="Infant Care")

    html = as_manager.get(f"/settings/ckc-areas/{area}").get_data(as_text=True)
    assert 'value="Infant Care"' in html and 'value="Cuidado infantil"' in html
    response = as_manager.post(
        f"/settings/ckc-areas/{area}",
        data={"name_en": "Infant and Toddler Care", "name_es": "Cuidado infantil", "position": "1"},
    )
    assert response.status_code == 302
    assert audit_changes(app, "ckc_area.updated") == [
        {"name_en": ["Infant Care", "Infant and Toddler Care"]}
    ]
    with app.app_context():
        stored = db.session.get(CkcArea, area)
        assert stored.position == 8 and stored.active  # posted extra fields change nothing


def test_ckc_area_names_are_required_and_unique_at_the_field(app, as_manager):
    response = as_manager.post(
        "/settings/ckc-areas/new",
        data={"name_en": "Child Development and Learning", "name_es": "Otra"},
    )
    assert response.status_code == 200
    assert field_error(response, "name_en") == "There is already a CKC area with this English name."
    response = as_manager.post("/settings/ckc-areas/new", data={"name_en": "Fresh", "name_es": ""})
    assert field_error(response, "name_es") == "This field is required."
    assert read(app, select(func.count()).select_from(CkcArea)) == 7

    area = record_id(app, CkcArea, name_en="Professionalism and Leadership")
    response = as_manager.post(
        f"/settings/ckc-areas/{area}",
        data={"name_en": "Health, Safety and Nutrition", "name_es": "x"},
    )
    assert field_error(response, "name_en") == "There is already a CKC area with this English name."


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        (
            "/settings/ckc-areas/new",
            {"name_en": "Child Development and Learning", "name_es": "Otra"},
            "There is already a CKC area with this English name.",
        ),
        (
            "/settings/credentials/new",
            {**VALID_CREDENTIAL, "name_en": "CPR"},
            "There is already a credential with this English name.",
        ),
        (
            "/settings/coaching-topics/new",
            {"name_en": "Insurance and risk", "name_es": "Otro"},
            "There is already a coaching topic with this English name.",
        ),
    ],
)
def test_a_concurrent_duplicate_caught_by_the_database_shows_at_the_name(
    app, as_manager, monkeypatch, path, data, message
):
    """Two managers adding the same name at once: the unique constraint refuses the second."""
    from fccnet.settings import services

    monkeypatch.setattr(services, "_ensure_english_name_free", lambda *args, **kwargs: None)
    response = as_manager.post(path, data=data)
    assert response.status_code == 200
    assert field_error(response, "name_en") == message


def test_a_ckc_area_is_deactivated_and_reactivated(app, as_manager):
    area = record_id(app, CkcArea, name_en="Family and Community Partnerships")
    response = as_manager.post(f"/settings/ckc-areas/{area}/deactivate")
    assert response.headers["Location"] == f"/settings/ckc-areas/{area}"
    assert read(app, select(CkcArea.active).where(CkcArea.id == area)) is False
    html = as_manager.get(f"/settings/ckc-areas/{area}").get_data(as_text=True)
    assert "Family and Community Partnerships is deactivated." in html
    assert f'action="/settings/ckc-areas/{area}/reactivate"' in html
    html = as_manager.get("/settings/ckc-areas").get_data(as_text=True)
    assert re.search(
        r">Family and Community Partnerships</a></td>\s*<td[^>]*>[^<]*</td>\s*<td><span", html
    )

    as_manager.post(f"/settings/ckc-areas/{area}/reactivate")
    assert read(app, select(CkcArea.active).where(CkcArea.id == area)) is True
    assert audit_changes(app, "ckc_area.reactivated") == [{"active": [False, True]}]


# --- Coaching topics -------------------------------------------------------------------------------


def test_coaching_topics_are_listed_in_order_and_reordered(app, as_manager):
    html = as_manager.get("/settings/coaching-topics").get_data(as_text=True)
    assert "<h1>Settings</h1>" in html and 'aria-current="page">Coaching topics' in html
    assert 'aria-labelledby="coaching-topics-caption"' in html
    assert len(order_on_page(html, "coaching-topics")) == 12
    assert order_on_page(html, "coaching-topics")[:2] == [
        "Business plan and start-up",
        "Budgeting and cash flow",
    ]
    assert '<td lang="es">Plan de negocios y puesta en marcha</td>' in html
    second = record_id(app, CoachingTopic, name_en="Budgeting and cash flow")

    response = as_manager.post(f"/settings/coaching-topics/{second}/move/up")
    assert response.headers["Location"] == "/settings/coaching-topics"
    html = as_manager.get("/settings/coaching-topics").get_data(as_text=True)
    assert order_on_page(html, "coaching-topics")[:2] == [
        "Budgeting and cash flow",
        "Business plan and start-up",
    ]
    assert "Budgeting and cash flow moved." in html
    assert audit_changes(app, "coaching_topic.moved") == [{"position": [2, 1]}]
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "Move up" not in first_row and "Move down" in first_row
    last_row = html.split("</tbody>")[0].split("<tr>")[-1]
    assert "Move up" in last_row and "Move down" not in last_row

    as_manager.post(f"/settings/coaching-topics/{second}/move/down")
    html = as_manager.get("/settings/coaching-topics").get_data(as_text=True)
    assert order_on_page(html, "coaching-topics")[0] == "Business plan and start-up"
    assert as_manager.post(f"/settings/coaching-topics/{second}/move/sideways").status_code == 404
    assert len(audit_changes(app, "coaching_topic.moved")) == 2


def test_a_coaching_topic_is_added_at_the_end_and_renamed(app, as_manager):
    html = as_manager.get("/settings/coaching-topics/new").get_data(as_text=True)
    assert '<label class="form-label" for="name_en">Name in English</label>' in html
    assert '<label class="form-label" for="name_es">Name in Spanish</label>' in html
    response = as_manager.post(
        "/settings/coaching-topics/new",
        data={"name_en": " Succession planning ", "name_es": "Planificación"},
    )
    assert response.headers["Location"] == "/settings/coaching-topics"
    html = as_manager.get("/settings/coaching-topics").get_data(as_text=True)
    assert order_on_page(html, "coaching-topics")[-1] == "Succession planning"
    assert "Coaching topic added at the end of the list." in html
    topic = record_id(app, CoachingTopic, name_en="Succession planning")
    assert audit_changes(app, "coaching_topic.created") == [
        {
            "name_en": [None, "Succession planning"],
            "name_es": [None, "Planificación"],
            "position": [None, 13],
            "active": [None, True],
        }
    ]

    html = as_manager.get(f"/settings/coaching-topics/{topic}").get_data(as_text=True)
    assert 'value="Succession planning"' in html and 'value="Planificación"' in html
    assert f'action="/settings/coaching-topics/{topic}/deactivate"' in html
    response = as_manager.post(
        f"/settings/coaching-topics/{topic}",
        data={
            "name_en": "Succession and closing",
            "name_es": "Planificación",
            "position": "1",
            "active": "",
        },
    )
    assert response.headers["Location"] == "/settings/coaching-topics"
    html = as_manager.get("/settings/coaching-topics").get_data(as_text=True)
    assert "Coaching topic saved." in html
    assert audit_changes(app, "coaching_topic.updated") == [
        {"name_en": ["Succession planning", "Succession and closing"]}
    ]
    with app.app_context():
        stored = db.session.get(CoachingTopic, topic)
        assert stored.position == 13 and stored.active  # posted extra fields change nothing


def test_coaching_topic_names_are_required_and_unique_at_the_field(app, as_manager):
    taken = "There is already a coaching topic with this English name."
    response = as_manager.post(
        "/settings/coaching-topics/new",
        data={"name_en": "Insurance and risk", "name_es": "Otro"},
    )
    assert response.status_code == 200
    assert field_error(response, "name_en") == taken
    response = as_manager.post(
        "/settings/coaching-topics/new", data={"name_en": "Fresh", "name_es": ""}
    )
    assert field_error(response, "name_es") == "This field is required."
    response = as_manager.post(
        "/settings/coaching-topics/new", data={"name_en": "x" * 121, "name_es": "x"}
    )
    assert field_error(response, "name_en") == "Field cannot be longer than 120 characters."
    assert read(app, select(func.count()).select_from(CoachingTopic)) == 12
    assert audit_changes(app, "coaching_topic.created") == []

    topic = record_id(app, CoachingTopic, name_en="Marketing and enrollment")
    response = as_manager.post(
        f"/settings/coaching-topics/{topic}",
        data={"name_en": "Insurance and risk", "name_es": "x"},
    )
    assert response.status_code == 200
    assert field_error(response, "name_en") == taken
    stored = read(app, select(CoachingTopic.name_en).where(CoachingTopic.id == topic))
    assert stored == "Marketing and enrollment"


def test_a_coaching_topic_is_deactivated_and_reactivated(app, as_manager):
    topic = record_id(app, CoachingTopic, name_en="Insurance and risk")
    response = as_manager.post(f"/settings/coaching-topics/{topic}/deactivate")
    assert response.headers["Location"] == f"/settings/coaching-topics/{topic}"
    assert read(app, select(CoachingTopic.active).where(CoachingTopic.id == topic)) is False
    html = as_manager.get(f"/settings/coaching-topics/{topic}").get_data(as_text=True)
    assert "Insurance and risk is deactivated." in html
    assert f'action="/settings/coaching-topics/{topic}/reactivate"' in html
    assert f'action="/settings/coaching-topics/{topic}/deactivate"' not in html
    html = as_manager.get("/settings/coaching-topics").get_data(as_text=True)
    assert re.search(r">Insurance and risk</a></td>\s*<td[^>]*>[^<]*</td>\s*<td><span", html)

    response = as_manager.post(f"/settings/coaching-topics/{topic}/reactivate")
    assert response.headers["Location"] == f"/settings/coaching-topics/{topic}"
    assert read(app, select(CoachingTopic.active).where(CoachingTopic.id == topic)) is True
    html = as_manager.get(f"/settings/coaching-topics/{topic}").get_data(as_text=True)
    assert "Insurance and risk is in use again." in html
    assert audit_changes(app, "coaching_topic.deactivated") == [{"active": [True, False]}]
    assert audit_changes(app, "coaching_topic.reactivated") == [{"active": [False, True]}]
    assert as_manager.post(f"/settings/coaching-topics/{topic}/delete").status_code == 404
    assert read(app, select(func.count()).select_from(CoachingTopic)) == 12


# --- Credentials -----------------------------------------------------------------------------------


def test_credentials_are_listed_with_validity_and_linked_requirement(as_manager):
    html = as_manager.get("/settings/credentials").get_data(as_text=True)
    assert 'aria-current="page">Credentials' in html
    assert order_on_page(html, "credentials")[:2] == ["First Aid", "CPR"]
    rows = {}
    for row in html.split("<tbody>")[1].split("</tr>"):
        if found := re.search(r'/settings/credentials/\d+">([^<]+)</a>', row):
            rows[found.group(1)] = row
    assert "<td>24</td>" in rows["CPR"] and "<td>CPR certificate</td>" in rows["CPR"]
    orientation = rows["Care 4 Kids provider orientation"]
    assert "<td>Never expires</td>" in orientation and "<td>None</td>" in orientation


def test_a_credential_is_added_with_its_validity_and_requirement(app, as_manager):
    cpr = record_id(app, Requirement, key="cpr")
    html = as_manager.get("/settings/credentials/new").get_data(as_text=True)
    assert (
        '<label class="form-label" for="requirement_id">Completes this checklist requirement'
        in html
    )
    assert '<option value="None" selected>None</option>' in html
    assert f'<option value="{cpr}">CPR certificate</option>' in html
    assert 'id="valid_months-help"' in html

    response = as_manager.post(
        "/settings/credentials/new", data={**VALID_CREDENTIAL, "requirement_id": str(cpr)}
    )
    assert response.headers["Location"] == "/settings/credentials"
    with app.app_context():
        created = db.session.scalar(select(Credential).where(Credential.name_en == "Pediatric CPR"))
        assert (created.name_es, created.valid_months, created.requirement_id) == (
            "RCP pediátrica",
            24,
            cpr,
        )
        assert created.active
    html = as_manager.get("/settings/credentials").get_data(as_text=True)
    assert order_on_page(html, "credentials")[-1] == "Pediatric CPR"
    assert "Credential added at the end of the list." in html


def test_editing_a_credential_shows_its_values_and_records_changes(app, as_manager):
    first_aid = record_id(app, Credential, name_en="First Aid")
    linked = record_id(app, Requirement, key="first_aid")
    html = as_manager.get(f"/settings/credentials/{first_aid}").get_data(as_text=True)
    assert re.search(r'<input [^>]*id="valid_months"[^>]*value="24"', html)
    assert f'<option value="{linked}" selected>' in html

    response = as_manager.post(
        f"/settings/credentials/{first_aid}",
        data={
            "name_en": "First Aid",
            "name_es": "Primeros auxilios",
            "valid_months": "",
            "requirement_id": "",
            "active": "",
            "position": "99",
        },
    )
    assert response.status_code == 302
    assert audit_changes(app, "credential.updated") == [
        {"valid_months": [24, None], "requirement_id": [linked, None]}
    ]
    with app.app_context():
        stored = db.session.get(Credential, first_aid)
        assert (stored.position, stored.active) == (1, True)
    html = as_manager.get("/settings/credentials").get_data(as_text=True)
    assert re.search(r">First Aid</a>.*?</td>\s*<td>Never expires</td>\s*<td>None</td>", html, re.S)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("valid_months", "0", "Enter a number from 1 to 600."),
        ("valid_months", "601", "Enter a number from 1 to 600."),
        ("valid_months", "two years", "Enter a whole number, such as 12."),
        ("name_en", "CPR", "There is already a credential with this English name."),
        ("name_en", "", "This field is required."),
        ("name_es", "x" * 121, "Field cannot be longer than 120 characters."),
        ("requirement_id", "999999", "Not a valid choice."),
    ],
)
def test_invalid_credential_values_are_refused_at_their_field(
    app, as_manager, field, value, message
):
    response = as_manager.post("/settings/credentials/new", data={**VALID_CREDENTIAL, field: value})
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert record_id(app, Credential, name_en=VALID_CREDENTIAL["name_en"]) is None
    assert audit_changes(app, "credential.created") == []


def test_a_deactivated_requirement_is_not_offered_but_an_existing_link_stays(app, as_manager):
    cpr_requirement = record_id(app, Requirement, key="cpr")
    with app.app_context():
        db.session.get(Requirement, cpr_requirement).active = False
        db.session.commit()
    html = as_manager.get("/settings/credentials/new").get_data(as_text=True)
    assert f'<option value="{cpr_requirement}">' not in html
    response = as_manager.post(
        "/settings/credentials/new",
        data={**VALID_CREDENTIAL, "requirement_id": str(cpr_requirement)},
    )
    assert field_error(response, "requirement_id") == "Not a valid choice."

    cpr = record_id(app, Credential, name_en="CPR")
    html = as_manager.get(f"/settings/credentials/{cpr}").get_data(as_text=True)
    assert f'<option value="{cpr_requirement}" selected>' in html
    response = as_manager.post(
        f"/settings/credentials/{cpr}",
        data={
            "name_en": "CPR",
            "name_es": "RCP",
            "valid_months": "12",
            "requirement_id": str(cpr_requirement),
        },
    )
    assert response.status_code == 302
    assert (
        read(app, select(Credential.requirement_id).where(Credential.id == cpr)) == cpr_requirement
    )


def test_credentials_move_and_are_deactivated_and_reactivated(app, as_manager):
    first_aid = record_id(app, Credential, name_en="First Aid")
    response = as_manager.post(f"/settings/credentials/{first_aid}/move/down")
    assert response.headers["Location"] == "/settings/credentials"
    html = as_manager.get("/settings/credentials").get_data(as_text=True)
    assert order_on_page(html, "credentials")[:2] == ["CPR", "First Aid"]
    assert "First Aid moved." in html

    response = as_manager.post(f"/settings/credentials/{first_aid}/deactivate")
    assert response.headers["Location"] == f"/settings/credentials/{first_aid}"
    assert read(app, select(Credential.active).where(Credential.id == first_aid)) is False
    html = as_manager.get(f"/settings/credentials/{first_aid}").get_data(as_text=True)
    assert (
        "Deactivated" in html and f'action="/settings/credentials/{first_aid}/reactivate"' in html
    )
    as_manager.post(f"/settings/credentials/{first_aid}/reactivate")
    assert read(app, select(Credential.active).where(Credential.id == first_aid)) is True
    assert audit_changes(app, "credential.deactivated") == [{"active": [True, False]}]


def test_coaches_and_providers_see_no_training_lists(client, auth, coach, provider, defaults):
    for principal in (coach, provider):
        with auth.signed_in(principal):
            for path in (
                "/settings/ckc-areas",
                "/settings/credentials/new",
                "/settings/coaching-topics",
                "/settings/coaching-topics/new",
            ):
                assert client.get(path).status_code == 403
            html = client.get("/").get_data(as_text=True)
            assert 'href="/settings/ckc-areas"' not in html
            assert 'href="/settings/credentials"' not in html
            assert 'href="/settings/coaching-topics"' not in html


# --- Hostile input through every text field -----------------------------------------------------------

# form -> (path, valid data, its text fields, the model it creates)
TEXT_FORMS = {
    "town": ("/settings/towns/new", {}, ("name",), Town),
    "neighborhood": ("/settings/towns/{avon}/neighborhoods/new", {}, ("name",), Neighborhood),
    "referral_source": (
        "/settings/how-heard/new",
        {"name_en": "Radio", "name_es": "Radio"},
        ("name_en", "name_es"),
        ReferralSource,
    ),
    "stage": (
        "/settings/stages/new",
        {"name_en": "New stage", "name_es": "Etapa nueva", "active": "y"},
        ("name_en", "name_es"),
        Stage,
    ),
    "requirement": (
        "/settings/requirements/new",
        VALID_REQUIREMENT,
        ("name_en", "name_es", "description_en", "description_es"),
        Requirement,
    ),
    "ckc_area": (
        "/settings/ckc-areas/new",
        {"name_en": "New area", "name_es": "Área nueva"},
        ("name_en", "name_es"),
        CkcArea,
    ),
    "credential": (
        "/settings/credentials/new",
        VALID_CREDENTIAL,
        ("name_en", "name_es"),
        Credential,
    ),
    "coaching_topic": (
        "/settings/coaching-topics/new",
        {"name_en": "New topic", "name_es": "Tema nuevo"},
        ("name_en", "name_es"),
        CoachingTopic,
    ),
}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("form", TEXT_FORMS, ids=TEXT_FORMS.keys())
def test_hostile_input_through_every_text_field(app, as_manager, form, value):
    path, valid, fields, model = TEXT_FORMS[form]
    path = path.format(avon=record_id(app, Town, name="Avon"))
    with app.app_context():
        count_before = db.session.scalar(select(func.count()).select_from(model))
    for field in fields:
        response = as_manager.post(path, data={**valid, field: value})
        assert_safe(response)
        with app.app_context():
            rows = db.session.scalars(select(model).order_by(model.id.desc())).all()
            count = len(rows)
            stored = getattr(rows[0], field)
        if response.status_code == 302:
            assert count == count_before + 1
            assert stored == value.strip(), "accepted input is stored exactly as typed"
            with app.app_context():
                db.session.delete(db.session.get(model, rows[0].id))
                db.session.commit()
            listing = {
                "town": "/settings/towns",
                "neighborhood": path.rsplit("/neighborhoods", 1)[0],
                "referral_source": "/settings/how-heard",
                "stage": "/settings/stages",
                "requirement": "/settings/requirements",
                "ckc_area": "/settings/ckc-areas",
                "credential": "/settings/credentials",
                "coaching_topic": "/settings/coaching-topics",
            }[form]
            assert_safe(as_manager.get(listing))
        else:
            assert response.status_code == 200
            assert count == count_before, "refused input stored nothing"
            assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert_safe(as_manager.get("/audit"))


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_through_the_edit_forms(app, as_manager, value):
    ids = {
        "town": record_id(app, Town, name="Avon"),
        "hood": record_id(app, Neighborhood, name="Frog Hollow"),
        "source": record_id(app, ReferralSource, name_en="Other"),
        "stage": record_id(app, Stage, key="orientation"),
        "requirement": record_id(app, Requirement, key="references"),
        "ckc_area": record_id(app, CkcArea, name_en="Professionalism and Leadership"),
        "credential": record_id(app, Credential, name_en="CPR"),
        "coaching_topic": record_id(app, CoachingTopic, name_en="Insurance and risk"),
    }
    cases = [
        (f"/settings/towns/{ids['town']}", {"name": value}, "name"),
        (f"/settings/neighborhoods/{ids['hood']}", {"name": value}, "name"),
        (f"/settings/how-heard/{ids['source']}", {"name_en": "Other", "name_es": value}, "name_es"),
        (
            f"/settings/stages/{ids['stage']}",
            {"name_en": value, "name_es": "Orientación", "active": "y"},
            "name_en",
        ),
        (
            f"/settings/requirements/{ids['requirement']}",
            {**VALID_REQUIREMENT, "name_en": "References", "description_es": value},
            "description_es",
        ),
        (
            f"/settings/ckc-areas/{ids['ckc_area']}",
            {"name_en": "Professionalism and Leadership", "name_es": value},
            "name_es",
        ),
        (
            f"/settings/credentials/{ids['credential']}",
            {**VALID_CREDENTIAL, "name_en": value},
            "name_en",
        ),
        (
            f"/settings/coaching-topics/{ids['coaching_topic']}",
            {"name_en": value, "name_es": "Seguros y riesgos"},
            "name_en",
        ),
    ]
    for path, data, field in cases:
        response = as_manager.post(path, data=data)
        assert_safe(response)
        if response.status_code == 200:
            assert f'id="{field}-error"' in response.get_data(as_text=True)
        else:
            assert response.status_code == 302
        assert_safe(as_manager.get(path))


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_through_the_number_fields(app, as_manager, value):
    for field in VALID_SETTINGS:
        response = as_manager.post("/settings", data={**VALID_SETTINGS, field: value})
        assert_safe(response)
        assert response.status_code == 200
        assert f'id="{field}-error"' in response.get_data(as_text=True)
    response = as_manager.post(
        "/settings/credentials/new", data={**VALID_CREDENTIAL, "valid_months": value}
    )
    assert_safe(response)
    if value.strip():
        assert 'id="valid_months-error"' in response.get_data(as_text=True)
    else:  # blank: never expires
        assert response.status_code == 302
        assert (
            read(app, select(Credential.valid_months).where(Credential.name_en == "Pediatric CPR"))
            is None
        )
    response = as_manager.post(
        "/settings/credentials/new",
        data={**VALID_CREDENTIAL, "name_en": "Another", "requirement_id": value},
    )
    assert_safe(response)
    if value.strip():
        assert 'id="requirement_id-error"' in response.get_data(as_text=True)
    for field in ("valid_months", "valid_months_at_application"):
        response = as_manager.post(
            "/settings/requirements/new", data={**VALID_REQUIREMENT, field: value}
        )
        assert_safe(response)
        if value.strip():
            assert f'id="{field}-error"' in response.get_data(as_text=True)
        else:  # blank: never expires
            assert response.status_code == 302
            with app.app_context():
                created = db.session.scalar(
                    select(Requirement).where(Requirement.name_en == "Fire safety inspection")
                )
                assert getattr(created, field) is None
                db.session.delete(created)
                db.session.commit()
    assert audit_changes(app, "setting.changed") == []


def test_the_audit_log_reads_settings_changes(app, as_manager):
    town = record_id(app, Town, name="Avon")
    as_manager.post(f"/settings/towns/{town}", data={"name": "Avon Lake"})
    as_manager.post("/settings", data={**VALID_SETTINGS, "default_full_time_slots": "7"})
    html = as_manager.get("/audit").get_data(as_text=True)
    assert "Town renamed" in html and f"Town #{town}" in html
    assert "Name: Avon → Avon Lake" in html
    assert "Network setting changed" in html and "Default full-time slots: 6 → 7" in html


def test_the_audit_log_reads_coaching_topic_changes(app, as_manager):
    topic = record_id(app, CoachingTopic, name_en="Insurance and risk")
    as_manager.post(
        f"/settings/coaching-topics/{topic}",
        data={"name_en": "Insurance", "name_es": "Seguros y riesgos"},
    )
    as_manager.post(f"/settings/coaching-topics/{topic}/move/up")
    as_manager.post(f"/settings/coaching-topics/{topic}/deactivate")
    html = as_manager.get("/audit").get_data(as_text=True)
    for label in ("Coaching topic changed", "Coaching topic moved", "Coaching topic deactivated"):
        assert label in html
    assert f"Coaching topic #{topic}" in html
    assert "Insurance and risk → Insurance" in html
