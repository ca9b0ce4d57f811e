"""Network settings and the managed lists, called directly (no HTTP)."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role
from fccnet.coaching.models import CoachingTopic
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.licensing.models import AppliesTo, Condition, Requirement, Stage
from fccnet.providers.models import Neighborhood, ReferralSource, Town
from fccnet.settings import services
from fccnet.training.models import CkcArea, Credential
from tests import factories


@pytest.fixture
def actor(ctx):
    factories.ensure_defaults()
    return factories.create_user(role=Role.MANAGER).load()


def events(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def stage_keys() -> list[str]:
    return list(db.session.scalars(select(Stage.key).order_by(Stage.position, Stage.id)))


def requirement_keys() -> list[str]:
    return list(
        db.session.scalars(select(Requirement.key).order_by(Requirement.position, Requirement.id))
    )


def stage(key: str) -> Stage:
    return db.session.scalar(select(Stage).where(Stage.key == key))


def requirement(key: str) -> Requirement:
    return db.session.scalar(select(Requirement).where(Requirement.key == key))


def refused(call, field: str) -> str:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.field == field
    return str(caught.value)


# --- Network settings ------------------------------------------------------------------------


def test_changing_a_setting_is_stored_and_audited_with_old_and_new_values(actor):
    services.change_setting("background_check_age", 16, actor=actor)
    assert services.get_setting("background_check_age") == 16
    assert services.all_settings()["background_check_age"] == 16
    (event,) = events("setting.changed")
    assert event.actor_id == actor.id
    assert event.changes == {"background_check_age": [18, 16]}

    services.change_setting("background_check_age", 16, actor=actor)  # no change, no event
    assert len(events("setting.changed")) == 1


@pytest.mark.parametrize("value", [13, 22, -1])
def test_a_setting_outside_its_range_is_refused_at_its_field(actor, value):
    message = refused(
        lambda: services.change_setting("background_check_age", value, actor=actor),
        "background_check_age",
    )
    assert message == "Enter a number from 14 to 21."
    assert services.get_setting("background_check_age") == 18
    assert events("setting.changed") == []


def test_the_professional_development_year_can_start_in_another_month(actor):
    assert services.all_settings()["pd_year_start_month"] == 7
    services.change_setting("pd_year_start_month", 9, actor=actor)
    assert services.all_settings()["pd_year_start_month"] == 9
    assert events("setting.changed")[0].changes == {"pd_year_start_month": [7, 9]}
    for month in (0, 13):
        message = refused(
            lambda month=month: services.change_setting("pd_year_start_month", month, actor=actor),
            "pd_year_start_month",
        )
        assert message == "Enter a number from 1 to 12."
    assert services.get_setting("pd_year_start_month") == 9


# --- Towns and neighborhoods ---------------------------------------------------------------------


def test_creating_a_town_audits_it(actor):
    town = services.create_town("  Plainville ", actor=actor)
    assert town.id is not None and town.name == "Plainville" and town.active
    (event,) = events("town.created")
    assert (event.target_type, event.target_id) == ("towns", town.id)
    assert event.changes == {"name": [None, "Plainville"], "active": [None, True]}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 81, "Use at most 80 characters."),
        ("Tab\tTown", "Remove the invisible or control characters"),
        ("abc\u202edcba", "Remove the invisible or control characters"),
        ("Hartford", "There is already a town with this name."),
    ],
)
def test_town_names_are_checked_at_the_name_field(actor, name, message):
    assert refused(lambda: services.create_town(name, actor=actor), "name").startswith(message)
    assert events("town.created") == []


def test_renaming_a_town_records_old_and_new_name(actor):
    town = factories.town("Avon")
    services.rename_town(town, "Avon Lake", actor=actor)
    assert town.name == "Avon Lake"
    (event,) = events("town.updated")
    assert event.changes == {"name": ["Avon", "Avon Lake"]}

    services.rename_town(town, "Avon Lake", actor=actor)  # unchanged: nothing recorded
    assert len(events("town.updated")) == 1
    refused(lambda: services.rename_town(town, "Hartford", actor=actor), "name")


def test_a_town_is_deactivated_and_reactivated_never_deleted(actor):
    hartford = factories.town()
    provider = factories.create_provider(actor=actor)
    services.deactivate_town(hartford, actor=actor)
    services.deactivate_town(hartford, actor=actor)  # twice: one event
    assert hartford.active is False
    assert provider.town_id == hartford.id
    (event,) = events("town.deactivated")
    assert event.changes == {"active": [True, False]}

    services.reactivate_town(hartford, actor=actor)
    assert hartford.active is True
    assert events("town.reactivated")[0].changes == {"active": [False, True]}
    assert not hasattr(services, "delete_town")


def test_town_names_are_unique_in_the_database_too(actor):
    db.session.add(Town(name="Hartford"))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_neighborhoods_are_unique_within_their_town(actor):
    hartford, avon = factories.town("Hartford"), factories.town("Avon")
    refused(
        lambda: services.create_neighborhood(hartford, "Frog Hollow", actor=actor),
        "name",
    )
    hood = services.create_neighborhood(avon, "Frog Hollow", promise_zone=True, actor=actor)
    assert hood.town_id == avon.id and hood.promise_zone is True
    (event,) = events("neighborhood.created")
    assert event.changes == {
        "town_id": [None, avon.id],
        "name": [None, "Frog Hollow"],
        "promise_zone": [None, True],
    }


def test_a_neighborhood_is_renamed_and_its_promise_zone_toggled(actor):
    hood = factories.neighborhood("Frog Hollow")
    services.update_neighborhood(hood, {"name": "Frog Hollow", "promise_zone": True}, actor=actor)
    services.update_neighborhood(hood, {"name": "Park Street"}, actor=actor)
    assert (hood.name, hood.promise_zone) == ("Park Street", True)
    first, second = events("neighborhood.updated")
    assert first.changes == {"promise_zone": [False, True]}
    assert second.changes == {"name": ["Frog Hollow", "Park Street"]}
    refused(lambda: services.update_neighborhood(hood, {"name": "Downtown"}, actor=actor), "name")


def test_neighborhood_names_are_unique_per_town_in_the_database_too(actor):
    db.session.add(Neighborhood(town_id=factories.town().id, name="Downtown"))
    with pytest.raises(IntegrityError):
        db.session.flush()


# --- How people heard of us -----------------------------------------------------------------------


def test_referral_sources_are_created_edited_and_deactivated_with_an_audit_trail(actor):
    source = services.create_referral_source({"name_en": "Radio", "name_es": "Radio"}, actor=actor)
    services.update_referral_source(
        source, {"name_en": "Radio ad", "name_es": "Anuncio de radio"}, actor=actor
    )
    services.deactivate_referral_source(source, actor=actor)
    services.reactivate_referral_source(source, actor=actor)
    assert events("referral_source.created")[0].changes == {
        "name_en": [None, "Radio"],
        "name_es": [None, "Radio"],
        "active": [None, True],
    }
    assert events("referral_source.updated")[0].changes == {
        "name_en": ["Radio", "Radio ad"],
        "name_es": ["Radio", "Anuncio de radio"],
    }
    assert events("referral_source.deactivated")[0].changes == {"active": [True, False]}
    assert events("referral_source.reactivated")[0].changes == {"active": [False, True]}
    assert source.active is True


def test_referral_source_names_are_required_and_english_names_unique(actor):
    refused(
        lambda: services.create_referral_source({"name_en": "Other", "name_es": "x"}, actor=actor),
        "name_en",
    )
    refused(
        lambda: services.create_referral_source({"name_en": "Fresh", "name_es": " "}, actor=actor),
        "name_es",
    )
    db.session.add(ReferralSource(name_en="Other", name_es="Otra"))
    with pytest.raises(IntegrityError):
        db.session.flush()


# --- Pipeline stages --------------------------------------------------------------------------------


def test_a_new_stage_goes_last_with_a_key_made_from_its_english_name(actor):
    new = services.create_stage(
        {"name_en": "Waiting for fingerprints", "name_es": "Esperando huellas"}, actor=actor
    )
    again = services.create_stage(
        {"name_en": "Waiting  for fingerprints!", "name_es": "x"}, actor=actor
    )
    accented = services.create_stage({"name_en": "Revisión", "name_es": "Revisión"}, actor=actor)
    emoji = services.create_stage({"name_en": "👩🏽‍🍼", "name_es": "👩🏽‍🍼"}, actor=actor)
    assert (new.key, again.key, accented.key, emoji.key) == (
        "waiting_for_fingerprints",
        "waiting_for_fingerprints_2",
        "revision",
        "stage",
    )
    assert stage_keys()[-4:] == [new.key, again.key, accented.key, emoji.key]
    assert new.active and not new.is_closed
    event = events("stage.created")[0]
    assert event.changes["key"] == [None, "waiting_for_fingerprints"]
    assert event.changes["name_es"] == [None, "Esperando huellas"]
    assert event.changes["position"] == [None, 11]


def test_a_long_english_name_still_makes_a_key_that_fits(actor):
    name = "A very long stage name " * 3
    first = services.create_stage({"name_en": name[:80], "name_es": "x"}, actor=actor)
    second = services.create_stage({"name_en": name[:79], "name_es": "x"}, actor=actor)
    assert len(first.key) <= services.KEY_MAX_LENGTH
    assert second.key == first.key + "_2"


def test_editing_a_stage_keeps_its_key_and_records_old_and_new_values(actor):
    orientation = stage("orientation")
    services.update_stage(
        orientation,
        {"name_en": "Welcome session", "name_es": "Sesión de bienvenida", "active": False},
        actor=actor,
    )
    assert orientation.key == "orientation"
    (event,) = events("stage.updated")
    assert event.changes == {
        "name_en": ["Orientation", "Welcome session"],
        "name_es": ["Orientación", "Sesión de bienvenida"],
        "active": [True, False],
    }


def test_the_licensed_stage_stays_open_and_in_use(actor):
    licensed = stage("licensed")
    names = {"name_en": "Licensed", "name_es": "Con licencia"}
    refused(
        lambda: services.update_stage(licensed, {**names, "is_closed": True}, actor=actor),
        "is_closed",
    )
    refused(
        lambda: services.update_stage(licensed, {**names, "active": False}, actor=actor),
        "active",
    )
    services.update_stage(licensed, {**names, "name_en": "Licensed home"}, actor=actor)
    assert (licensed.name_en, licensed.is_closed, licensed.active) == ("Licensed home", False, True)


def test_moving_a_stage_swaps_it_with_its_neighbour_and_is_audited(actor):
    orientation = stage("orientation")
    assert services.move_stage(orientation, "up", actor=actor) is True
    assert stage_keys()[:3] == ["orientation", "inquiry", "preparing_application"]
    (event,) = events("stage.moved")
    assert event.changes == {"position": [2, 1]}
    assert event.details == {"direction": "up", "swapped_with": stage("inquiry").id}

    assert services.move_stage(orientation, "up", actor=actor) is False  # already first
    assert services.move_stage(stage("not_eligible"), "down", actor=actor) is False  # last
    assert len(events("stage.moved")) == 1

    services.move_stage(orientation, "down", actor=actor)
    assert stage_keys()[:2] == ["inquiry", "orientation"]


def test_moving_heals_gaps_and_ties_in_positions(actor):
    for index, key in enumerate(stage_keys()):
        stage(key).position = 7 if index < 3 else 100 + index * 10
    db.session.flush()
    before = stage_keys()
    services.move_stage(stage(before[3]), "up", actor=actor)
    after = stage_keys()
    assert after == [*before[:2], before[3], before[2], *before[4:]]
    positions = list(db.session.scalars(select(Stage.position).order_by(Stage.position)))
    assert positions == list(range(1, len(before) + 1))


def test_moving_needs_a_direction(actor):
    with pytest.raises(ValueError):
        services.move_stage(stage("inquiry"), "sideways", actor=actor)


# --- Requirement templates -----------------------------------------------------------------------

NEW_REQUIREMENT = {
    "name_en": "Fire safety inspection",
    "name_es": "Inspección de seguridad contra incendios",
    "description_en": "Smoke detectors\r\non every floor.",
    "description_es": "",
    "applies_to": "provider_and_adults",
    "condition": "has_well",
    "before_licensing": False,
    "valid_months": 24,
    "valid_months_at_application": 6,
    "active": True,
}


def test_a_new_requirement_goes_last_with_every_field_and_an_audit_row(actor):
    created = services.create_requirement(NEW_REQUIREMENT, actor=actor)
    assert created.key == "fire_safety_inspection"
    assert requirement_keys()[-1] == created.key
    assert created.applies_to is AppliesTo.PROVIDER_AND_ADULTS
    assert created.condition is Condition.HAS_WELL
    assert created.description_en == "Smoke detectors\r\non every floor."
    assert (created.valid_months, created.valid_months_at_application) == (24, 6)
    assert created.before_licensing is False
    (event,) = events("requirement.created")
    assert event.changes["applies_to"] == [None, "provider_and_adults"]
    assert event.changes["valid_months"] == [None, 24]


def test_editing_a_requirement_records_old_and_new_values(actor):
    medical = requirement("medical_statement")
    services.update_requirement(
        medical,
        {
            "valid_months": None,
            "valid_months_at_application": None,
            "applies_to": AppliesTo.PROVIDER,
            "description_es": "Del médico",
        },
        actor=actor,
    )
    assert medical.valid_months is None and medical.applies_to is AppliesTo.PROVIDER
    assert medical.name_en == "Medical statement"  # untouched fields stay
    (event,) = events("requirement.updated")
    assert event.changes == {
        "valid_months": [36, None],
        "valid_months_at_application": [12, None],
        "applies_to": ["provider_and_adults", "provider"],
        "description_es": ["", "Del médico"],
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"valid_months": 0}, "valid_months"),
        ({"valid_months": 601}, "valid_months"),
        ({"valid_months_at_application": -3}, "valid_months_at_application"),
        ({"applies_to": "everyone"}, "applies_to"),
        ({"condition": "has_pool"}, "condition"),
        ({"name_es": ""}, "name_es"),
        ({"description_en": "x" * 2001}, "description_en"),
        ({"description_es": "nul\x00byte"}, "description_es"),
    ],
)
def test_invalid_requirement_values_are_refused_at_their_field(actor, change, field):
    refused(lambda: services.create_requirement({**NEW_REQUIREMENT, **change}, actor=actor), field)
    assert events("requirement.created") == []


def test_moving_a_requirement(actor):
    keys = requirement_keys()
    services.move_requirement(requirement(keys[0]), "down", actor=actor)
    assert requirement_keys()[:2] == [keys[1], keys[0]]
    (event,) = events("requirement.moved")
    assert event.changes == {"position": [1, 2]}


def test_requirement_and_stage_keys_are_unique_in_the_database(actor):
    db.session.add(Stage(key="licensed", name_en="Copy", name_es="Copia", position=99))
    with pytest.raises(IntegrityError):
        db.session.flush()


# --- CKC areas -------------------------------------------------------------------------------------


def ckc_area_names() -> list[str]:
    return list(db.session.scalars(select(CkcArea.name_en).order_by(CkcArea.position, CkcArea.id)))


def ckc_area(name_en: str) -> CkcArea:
    return db.session.scalar(select(CkcArea).where(CkcArea.name_en == name_en))


def test_a_new_ckc_area_goes_last_and_is_audited(actor):
    count = len(ckc_area_names())
    area = services.create_ckc_area(
        {"name_en": " Infant and Toddler Care ", "name_es": "Cuidado de bebés"}, actor=actor
    )
    assert (area.name_en, area.name_es, area.active) == (
        "Infant and Toddler Care",
        "Cuidado de bebés",
        True,
    )
    assert area.position == count + 1
    assert ckc_area_names()[-1] == "Infant and Toddler Care"
    (event,) = events("ckc_area.created")
    assert (event.target_type, event.target_id) == ("ckc_areas", area.id)
    assert event.changes == {
        "name_en": [None, "Infant and Toddler Care"],
        "name_es": [None, "Cuidado de bebés"],
        "position": [None, count + 1],
        "active": [None, True],
    }


def test_renaming_a_ckc_area_records_old_and_new_names(actor):
    area = ckc_area("Professionalism and Leadership")
    services.update_ckc_area(
        area, {"name_en": "Professionalism", "name_es": "Profesionalismo"}, actor=actor
    )
    services.update_ckc_area(area, {"name_es": "Profesionalismo"}, actor=actor)  # unchanged
    assert (area.name_en, area.name_es) == ("Professionalism", "Profesionalismo")
    (event,) = events("ckc_area.updated")
    assert event.changes == {
        "name_en": ["Professionalism and Leadership", "Professionalism"],
        "name_es": ["Profesionalismo y liderazgo", "Profesionalismo"],
    }


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name_en": "Child Development and Learning", "name_es": "x"},
            "name_en",
            "There is already a CKC area with this English name.",
        ),
        ({"name_en": "New area", "name_es": "  "}, "name_es", "This field is required."),
        ({"name_en": "x" * 121, "name_es": "x"}, "name_en", "Use at most 120 characters."),
        ({"name_en": "Bad\x00name", "name_es": "x"}, "name_en", "Remove the invisible"),
    ],
)
def test_invalid_ckc_area_names_are_refused_at_their_field(actor, data, field, message):
    assert refused(lambda: services.create_ckc_area(data, actor=actor), field).startswith(message)
    assert events("ckc_area.created") == []


def test_a_ckc_area_cannot_take_another_areas_english_name(actor):
    area = ckc_area("Professionalism and Leadership")
    message = refused(
        lambda: services.update_ckc_area(
            area, {"name_en": "Child Development and Learning"}, actor=actor
        ),
        "name_en",
    )
    assert message == "There is already a CKC area with this English name."
    assert area.name_en == "Professionalism and Leadership"


def test_ckc_area_english_names_are_unique_in_the_database_too(actor):
    db.session.add(CkcArea(name_en="Child Development and Learning", name_es="Copia", position=99))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_moving_a_ckc_area_swaps_it_with_its_neighbour(actor):
    names = ckc_area_names()
    second = ckc_area(names[1])
    assert services.move_ckc_area(second, "up", actor=actor) is True
    assert ckc_area_names()[:2] == [names[1], names[0]]
    (event,) = events("ckc_area.moved")
    assert event.changes == {"position": [2, 1]}
    assert event.details == {"direction": "up", "swapped_with": ckc_area(names[0]).id}
    assert services.move_ckc_area(second, "up", actor=actor) is False  # already first
    assert services.move_ckc_area(ckc_area(names[-1]), "down", actor=actor) is False
    assert len(events("ckc_area.moved")) == 1


def test_a_ckc_area_is_deactivated_and_reactivated_never_deleted(actor):
    area = ckc_area("Family and Community Partnerships")
    services.deactivate_ckc_area(area, actor=actor)
    services.deactivate_ckc_area(area, actor=actor)  # twice: one event
    assert area.active is False
    assert [e.changes for e in events("ckc_area.deactivated")] == [{"active": [True, False]}]
    services.reactivate_ckc_area(area, actor=actor)
    assert area.active is True
    assert events("ckc_area.reactivated")[0].changes == {"active": [False, True]}
    assert not hasattr(services, "delete_ckc_area")


# --- Credentials -----------------------------------------------------------------------------------

NEW_CREDENTIAL = {
    "name_en": "Pediatric CPR",
    "name_es": "RCP pediátrica",
    "valid_months": 24,
    "requirement_id": None,
}


def credential(name_en: str) -> Credential:
    return db.session.scalar(select(Credential).where(Credential.name_en == name_en))


def credential_names() -> list[str]:
    return list(
        db.session.scalars(select(Credential.name_en).order_by(Credential.position, Credential.id))
    )


def test_a_new_credential_goes_last_with_its_validity_and_requirement(actor):
    cpr = requirement("cpr")
    created = services.create_credential({**NEW_CREDENTIAL, "requirement_id": cpr.id}, actor=actor)
    assert (created.valid_months, created.requirement_id, created.active) == (24, cpr.id, True)
    assert credential_names()[-1] == "Pediatric CPR"
    (event,) = events("credential.created")
    assert (event.target_type, event.target_id) == ("credentials", created.id)
    assert event.changes["valid_months"] == [None, 24]
    assert event.changes["requirement_id"] == [None, cpr.id]
    assert event.changes["position"] == [None, len(credential_names())]


def test_a_credential_may_never_expire_and_need_no_requirement(actor):
    created = services.create_credential(
        {**NEW_CREDENTIAL, "valid_months": None, "requirement_id": None}, actor=actor
    )
    assert created.valid_months is None and created.requirement_id is None


def test_editing_a_credential_records_old_and_new_values(actor):
    first_aid = credential("First Aid")
    medication = requirement("medication")
    services.update_credential(
        first_aid,
        {"valid_months": 36, "requirement_id": medication.id, "name_es": "Primeros auxilios"},
        actor=actor,
    )
    assert (first_aid.valid_months, first_aid.requirement_id) == (36, medication.id)
    assert first_aid.name_en == "First Aid"  # untouched fields stay
    (event,) = events("credential.updated")
    assert event.changes == {
        "valid_months": [24, 36],
        "requirement_id": [requirement("first_aid").id, medication.id],
    }

    services.update_credential(
        first_aid, {"valid_months": None, "requirement_id": None}, actor=actor
    )
    assert (first_aid.valid_months, first_aid.requirement_id) == (None, None)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"valid_months": 0}, "valid_months", "Enter a number from 1 to 600."),
        ({"valid_months": 601}, "valid_months", "Enter a number from 1 to 600."),
        ({"valid_months": -12}, "valid_months", "Enter a number from 1 to 600."),
        ({"name_en": "CPR"}, "name_en", "There is already a credential with this English name."),
        ({"name_es": ""}, "name_es", "This field is required."),
        ({"requirement_id": 999999}, "requirement_id", "Choose a checklist requirement"),
    ],
)
def test_invalid_credential_values_are_refused_at_their_field(actor, change, field, message):
    assert refused(
        lambda: services.create_credential({**NEW_CREDENTIAL, **change}, actor=actor), field
    ).startswith(message)
    assert events("credential.created") == []


def test_a_credential_links_only_to_a_requirement_in_use_but_keeps_an_old_link(actor):
    cpr = requirement("cpr")
    cpr.active = False
    db.session.flush()
    refused(
        lambda: services.create_credential(
            {**NEW_CREDENTIAL, "requirement_id": cpr.id}, actor=actor
        ),
        "requirement_id",
    )
    linked = credential("CPR")
    assert linked.requirement_id == cpr.id
    services.update_credential(linked, {"valid_months": 12}, actor=actor)  # the link stays
    assert (linked.valid_months, linked.requirement_id) == (12, cpr.id)
    refused(
        lambda: services.update_credential(
            credential("First Aid"), {"requirement_id": cpr.id}, actor=actor
        ),
        "requirement_id",
    )


def test_credential_english_names_are_unique_in_the_database_too(actor):
    db.session.add(Credential(name_en="CPR", name_es="Copia", position=99))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_moving_deactivating_and_reactivating_a_credential(actor):
    names = credential_names()
    first = credential(names[0])
    assert services.move_credential(first, "down", actor=actor) is True
    assert credential_names()[:2] == [names[1], names[0]]
    assert events("credential.moved")[0].changes == {"position": [1, 2]}

    services.deactivate_credential(first, actor=actor)
    assert first.active is False
    assert events("credential.deactivated")[0].changes == {"active": [True, False]}
    services.reactivate_credential(first, actor=actor)
    assert first.active is True
    assert events("credential.reactivated")[0].changes == {"active": [False, True]}


# --- Coaching topics -------------------------------------------------------------------------------


def topic_names() -> list[str]:
    return list(
        db.session.scalars(
            select(CoachingTopic.name_en).order_by(CoachingTopic.position, CoachingTopic.id)
        )
    )


def topic(name_en: str) -> CoachingTopic:
    return db.session.scalar(select(CoachingTopic).where(CoachingTopic.name_en == name_en))


def test_a_new_coaching_topic_goes_last_and_is_audited(actor):
    count = len(topic_names())
    created = services.create_coaching_topic(
        {"name_en": " Succession planning ", "name_es": "Planificación de la sucesión"},
        actor=actor,
    )
    assert (created.name_en, created.name_es, created.active) == (
        "Succession planning",
        "Planificación de la sucesión",
        True,
    )
    assert created.position == count + 1
    assert topic_names()[-1] == "Succession planning"
    (event,) = events("coaching_topic.created")
    assert (event.actor_id, event.target_type, event.target_id) == (
        actor.id,
        "coaching_topics",
        created.id,
    )
    assert event.changes == {
        "name_en": [None, "Succession planning"],
        "name_es": [None, "Planificación de la sucesión"],
        "position": [None, count + 1],
        "active": [None, True],
    }


def test_renaming_a_coaching_topic_records_old_and_new_names(actor):
    budgeting = topic("Budgeting and cash flow")
    services.update_coaching_topic(
        budgeting, {"name_en": "Budgeting", "name_es": "Presupuesto"}, actor=actor
    )
    services.update_coaching_topic(budgeting, {"name_es": "Presupuesto"}, actor=actor)  # same
    assert (budgeting.name_en, budgeting.name_es) == ("Budgeting", "Presupuesto")
    (event,) = events("coaching_topic.updated")
    assert event.changes == {
        "name_en": ["Budgeting and cash flow", "Budgeting"],
        "name_es": ["Presupuesto y flujo de caja", "Presupuesto"],
    }


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name_en": "Insurance and risk", "name_es": "x"},
            "name_en",
            "There is already a coaching topic with this English name.",
        ),
        ({"name_en": "New topic", "name_es": "  "}, "name_es", "This field is required."),
        ({"name_en": "", "name_es": "x"}, "name_en", "This field is required."),
        ({"name_en": "x" * 121, "name_es": "x"}, "name_en", "Use at most 120 characters."),
        ({"name_en": "x", "name_es": "Mal\x00nombre"}, "name_es", "Remove the invisible"),
    ],
)
def test_invalid_coaching_topic_names_are_refused_at_their_field(actor, data, field, message):
    count = len(topic_names())
    assert refused(lambda: services.create_coaching_topic(data, actor=actor), field).startswith(
        message
    )
    assert len(topic_names()) == count
    assert events("coaching_topic.created") == []


def test_a_coaching_topic_cannot_take_another_topics_english_name(actor):
    marketing = topic("Marketing and enrollment")
    message = refused(
        lambda: services.update_coaching_topic(
            marketing, {"name_en": "Insurance and risk"}, actor=actor
        ),
        "name_en",
    )
    assert message == "There is already a coaching topic with this English name."
    assert marketing.name_en == "Marketing and enrollment"
    assert events("coaching_topic.updated") == []


def test_coaching_topic_english_names_are_unique_in_the_database_too(actor):
    db.session.add(CoachingTopic(name_en="Insurance and risk", name_es="Copia", position=99))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_moving_a_coaching_topic_swaps_it_with_its_neighbour(actor):
    names = topic_names()
    second = topic(names[1])
    assert services.move_coaching_topic(second, "up", actor=actor) is True
    assert topic_names()[:2] == [names[1], names[0]]
    (event,) = events("coaching_topic.moved")
    assert event.changes == {"position": [2, 1]}
    assert event.details == {"direction": "up", "swapped_with": topic(names[0]).id}
    assert services.move_coaching_topic(second, "up", actor=actor) is False  # already first
    assert services.move_coaching_topic(topic(names[-1]), "down", actor=actor) is False
    assert len(events("coaching_topic.moved")) == 1
    with pytest.raises(ValueError):
        services.move_coaching_topic(second, "sideways", actor=actor)


def test_a_coaching_topic_is_deactivated_and_reactivated_never_deleted(actor):
    insurance = topic("Insurance and risk")
    services.deactivate_coaching_topic(insurance, actor=actor)
    services.deactivate_coaching_topic(insurance, actor=actor)  # twice: one event
    assert insurance.active is False
    assert [e.changes for e in events("coaching_topic.deactivated")] == [{"active": [True, False]}]
    services.reactivate_coaching_topic(insurance, actor=actor)
    services.reactivate_coaching_topic(insurance, actor=actor)  # twice: one event
    assert insurance.active is True
    assert [e.changes for e in events("coaching_topic.reactivated")] == [{"active": [False, True]}]
    assert not hasattr(services, "delete_coaching_topic")
