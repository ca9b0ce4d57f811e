"""Access-matrix cases of the settings pages (gathered by tests/access_matrix.py).

Managers only: coaches and providers get 403, anonymous visitors the sign-in page.
Posts that a manager makes with invalid data re-show the form (200).
"""

from tests.access_matrix import Case, managers_only

TOWN = {"town_id": "town"}
NEIGHBORHOOD = {"neighborhood_id": "neighborhood"}
SOURCE = {"referral_source_id": "referral_source"}
STAGE = {"stage_id": "stage"}
REQUIREMENT = {"requirement_id": "requirement"}
CKC_AREA = {"ckc_area_id": "ckc_area"}
CREDENTIAL = {"credential_id": "credential"}
COACHING_TOPIC = {"coaching_topic_id": "coaching_topic"}
INVALID_NAME = {"name": ""}
INVALID_NAMES = {"name_en": "", "name_es": ""}


def inactive_records(records):
    """A deactivated town and how-heard answer, for the reactivate buttons."""
    from fccnet.extensions import db
    from fccnet.providers.models import ReferralSource, Town

    town = Town(name="Old Town", active=False)
    source = ReferralSource(name_en="Old answer", name_es="Respuesta vieja", active=False)
    db.session.add_all([town, source])
    db.session.flush()
    return {"inactive_town": town.id, "inactive_referral_source": source.id}


def training_list_records(records):
    """A seeded CKC area and credential, and a deactivated one of each to reactivate."""
    from sqlalchemy import select

    from fccnet.extensions import db
    from fccnet.training.models import CkcArea, Credential

    area = CkcArea(name_en="Old area", name_es="Área vieja", position=90, active=False)
    credential = Credential(
        name_en="Old credential", name_es="Credencial vieja", position=90, active=False
    )
    db.session.add_all([area, credential])
    db.session.flush()
    return {
        "ckc_area": db.session.scalar(
            select(CkcArea.id).where(CkcArea.active).order_by(CkcArea.id)
        ),
        "credential": db.session.scalar(
            select(Credential.id).where(Credential.active).order_by(Credential.id)
        ),
        "inactive_ckc_area": area.id,
        "inactive_credential": credential.id,
    }


def coaching_topic_records(records):
    """A seeded coaching topic, and a deactivated one to reactivate."""
    from sqlalchemy import select

    from fccnet.coaching.models import CoachingTopic
    from fccnet.extensions import db

    topic = CoachingTopic(name_en="Old topic", name_es="Tema viejo", position=90, active=False)
    db.session.add(topic)
    db.session.flush()
    return {
        "coaching_topic": db.session.scalar(
            select(CoachingTopic.id).where(CoachingTopic.active).order_by(CoachingTopic.id)
        ),
        "inactive_coaching_topic": topic.id,
    }


RECORD_BUILDERS = [inactive_records, training_list_records, coaching_topic_records]


def _form_cases(endpoint, url_args=None, data=None):
    url_args = url_args or {}
    return [
        Case(endpoint, "GET", managers_only(200), url_args=url_args),
        Case(endpoint, "POST", managers_only(200), url_args=url_args, data=data or {}),
    ]


CASES = [
    *_form_cases("settings.index", data={"background_check_age": "nope"}),
    # Towns and neighborhoods
    Case("settings.towns", "GET", managers_only(200)),
    *_form_cases("settings.create_town", data=INVALID_NAME),
    *_form_cases("settings.edit_town", TOWN, INVALID_NAME),
    Case("settings.deactivate_town", "POST", managers_only(302), url_args=TOWN),
    Case(
        "settings.reactivate_town",
        "POST",
        managers_only(302),
        url_args={"town_id": "inactive_town"},
    ),
    *_form_cases("settings.create_neighborhood", TOWN, INVALID_NAME),
    *_form_cases("settings.edit_neighborhood", NEIGHBORHOOD, INVALID_NAME),
    # How they heard of us
    Case("settings.referral_sources", "GET", managers_only(200)),
    *_form_cases("settings.create_referral_source", data=INVALID_NAMES),
    *_form_cases("settings.edit_referral_source", SOURCE, INVALID_NAMES),
    Case("settings.deactivate_referral_source", "POST", managers_only(302), url_args=SOURCE),
    Case(
        "settings.reactivate_referral_source",
        "POST",
        managers_only(302),
        url_args={"referral_source_id": "inactive_referral_source"},
    ),
    # Pipeline stages
    Case("settings.stages", "GET", managers_only(200)),
    *_form_cases("settings.create_stage", data=INVALID_NAMES),
    *_form_cases("settings.edit_stage", STAGE, INVALID_NAMES),
    Case("settings.move_stage", "POST", managers_only(302), url_args={**STAGE, "direction": "up"}),
    # Requirement templates
    Case("settings.requirements", "GET", managers_only(200)),
    *_form_cases("settings.create_requirement", data=INVALID_NAMES),
    *_form_cases("settings.edit_requirement", REQUIREMENT, INVALID_NAMES),
    Case(
        "settings.move_requirement",
        "POST",
        managers_only(302),
        url_args={**REQUIREMENT, "direction": "down"},
    ),
    # CKC areas
    Case("settings.ckc_areas", "GET", managers_only(200)),
    *_form_cases("settings.create_ckc_area", data=INVALID_NAMES),
    *_form_cases("settings.edit_ckc_area", CKC_AREA, INVALID_NAMES),
    Case(
        "settings.move_ckc_area",
        "POST",
        managers_only(302),
        url_args={**CKC_AREA, "direction": "down"},
    ),
    Case("settings.deactivate_ckc_area", "POST", managers_only(302), url_args=CKC_AREA),
    Case(
        "settings.reactivate_ckc_area",
        "POST",
        managers_only(302),
        url_args={"ckc_area_id": "inactive_ckc_area"},
    ),
    # Credentials
    Case("settings.credentials", "GET", managers_only(200)),
    *_form_cases("settings.create_credential", data={**INVALID_NAMES, "valid_months": "0"}),
    *_form_cases("settings.edit_credential", CREDENTIAL, {**INVALID_NAMES, "valid_months": "601"}),
    Case(
        "settings.move_credential",
        "POST",
        managers_only(302),
        url_args={**CREDENTIAL, "direction": "down"},
    ),
    Case("settings.deactivate_credential", "POST", managers_only(302), url_args=CREDENTIAL),
    Case(
        "settings.reactivate_credential",
        "POST",
        managers_only(302),
        url_args={"credential_id": "inactive_credential"},
    ),
    # Coaching topics
    Case("settings.coaching_topics", "GET", managers_only(200)),
    *_form_cases("settings.create_coaching_topic", data=INVALID_NAMES),
    *_form_cases("settings.edit_coaching_topic", COACHING_TOPIC, INVALID_NAMES),
    Case(
        "settings.move_coaching_topic",
        "POST",
        managers_only(302),
        url_args={**COACHING_TOPIC, "direction": "down"},
    ),
    Case("settings.deactivate_coaching_topic", "POST", managers_only(302), url_args=COACHING_TOPIC),
    Case(
        "settings.reactivate_coaching_topic",
        "POST",
        managers_only(302),
        url_args={"coaching_topic_id": "inactive_coaching_topic"},
    ),
]
