"""The seeded defaults: pipeline stages, Connecticut licensing requirements, towns.

Managers can change every one of them afterwards; `ensure_defaults()` only fills
lists that are still empty, so it is safe to run on every start.
"""

from sqlalchemy import func, select

from fccnet.extensions import db
from fccnet.licensing.models import AppliesTo, Condition, Requirement, Stage
from fccnet.providers.models import Neighborhood, ReferralSource, Town

# fmt: off
# (key, English, Spanish, closed)
STAGES = [
    ("inquiry", "Inquiry", "Consulta", False),
    ("orientation", "Orientation", "Orientación", False),
    ("preparing_application", "Preparing application", "Preparando la solicitud", False),
    ("application_submitted", "Application submitted", "Solicitud enviada", False),
    ("awaiting_inspection", "Awaiting inspection", "Esperando la inspección", False),
    ("licensed", "Licensed", "Con licencia", False),
    ("active_member", "Active network member", "Miembro activo de la red", False),
    ("paused", "Paused", "En pausa", True),
    ("withdrawn", "Withdrawn", "Se retiró", True),
    ("not_eligible", "Not eligible", "No es elegible", True),
]

P, ALL = AppliesTo.PROVIDER, AppliesTo.PROVIDER_AND_ADULTS

# (key, English, Spanish, applies to, condition, before licensing, months, months at application)
REQUIREMENTS = [
    ("orientation", "Network orientation", "Orientación de la red", P, None, True, None, None),
    ("application", "Application and fee", "Solicitud y pago", P, None, True, None, None),
    (
        "background_check",
        "Background check (fingerprints, state and national criminal history, child abuse registry)",
        "Verificación de antecedentes (huellas, antecedentes penales estatales y nacionales, registro de abuso infantil)",
        ALL, None, True, 60, None,
    ),
    ("medical_statement", "Medical statement", "Declaración médica", ALL, None, True, 36, 12),
    ("first_aid", "First Aid certificate", "Certificado de primeros auxilios", P, None, True, 24, None),
    ("cpr", "CPR certificate", "Certificado de RCP", P, None, True, 24, None),
    (
        "medication",
        "Medication administration (oral, topical, inhalant)",
        "Administración de medicamentos (oral, tópica, inhalada)",
        P, None, True, 36, None,
    ),
    (
        "medication_injectable",
        "Medication administration (injectable)",
        "Administración de medicamentos (inyectables)",
        P, None, False, 12, None,
    ),
    (
        "health_safety",
        "Health and safety orientation (5 hours)",
        "Orientación de salud y seguridad (5 horas)",
        P, None, True, None, None,
    ),
    ("references", "Three references", "Tres referencias", P, None, True, None, None),
    (
        "well_water",
        "Well water test",
        "Prueba del agua del pozo",
        P, Condition.HAS_WELL, True, None, None,
    ),
    (
        "home_visit",
        "Pre-license home visit with lead check",
        "Visita al hogar antes de la licencia, con revisión de plomo",
        P, None, True, None, None,
    ),
    ("license", "License issued", "Licencia emitida", P, None, False, 48, None),
]

# The Hartford hub's towns (a managed list; Hartford reports by neighborhood).
TOWNS = [
    "Avon", "Berlin", "Bloomfield", "Bolton", "Canton", "East Granby", "East Hartford",
    "East Windsor", "Enfield", "Farmington", "Glastonbury", "Granby", "Hartford", "Manchester",
    "Marlborough", "New Britain", "Newington", "Rocky Hill", "Simsbury", "South Windsor",
    "Suffield", "Vernon", "West Hartford", "Wethersfield", "Windsor", "Windsor Locks",
]
HARTFORD_NEIGHBORHOODS = [
    "Asylum Hill", "Barry Square", "Behind the Rocks", "Blue Hills", "Clay-Arsenal", "Downtown",
    "Frog Hollow", "North Meadows", "Northeast", "Parkville", "Sheldon/Charter Oak", "South End",
    "South Green", "South Meadows", "Southwest", "Upper Albany", "West End",
]
PROMISE_ZONE = {"Clay-Arsenal", "Northeast", "Upper Albany"}

REFERRAL_SOURCES = [
    ("Word of mouth", "De boca en boca"),
    ("Another provider", "Otro proveedor"),
    ("Community event", "Evento comunitario"),
    ("Social media", "Redes sociales"),
    ("City website", "Sitio web de la ciudad"),
    ("2-1-1 or a social service agency", "2-1-1 o una agencia de servicios sociales"),
    ("Care 4 Kids", "Care 4 Kids"),
    ("Flyer or poster", "Volante o cartel"),
    ("Other", "Otro"),
]

# fmt: on


def _is_empty(model) -> bool:
    return db.session.scalar(select(func.count()).select_from(model)) == 0


def ensure_defaults() -> None:
    """Fill every reference list that is still empty with its seeded defaults."""
    if _is_empty(Stage):
        for position, (key, name_en, name_es, closed) in enumerate(STAGES, start=1):
            db.session.add(
                Stage(
                    key=key, name_en=name_en, name_es=name_es, position=position, is_closed=closed
                )
            )
    if _is_empty(Requirement):
        for position, row in enumerate(REQUIREMENTS, start=1):
            key, name_en, name_es, applies_to, condition, before, months, first_months = row
            db.session.add(
                Requirement(
                    key=key,
                    name_en=name_en,
                    name_es=name_es,
                    applies_to=applies_to,
                    condition=condition or Condition.ALWAYS,
                    before_licensing=before,
                    valid_months=months,
                    valid_months_at_application=first_months,
                    position=position,
                )
            )
    if _is_empty(Town):
        for name in TOWNS:
            town = Town(name=name)
            db.session.add(town)
            if name == "Hartford":
                town.neighborhoods = [
                    Neighborhood(name=hood, promise_zone=hood in PROMISE_ZONE)
                    for hood in HARTFORD_NEIGHBORHOODS
                ]
    if _is_empty(ReferralSource):
        for name_en, name_es in REFERRAL_SOURCES:
            db.session.add(ReferralSource(name_en=name_en, name_es=name_es))
    db.session.flush()
