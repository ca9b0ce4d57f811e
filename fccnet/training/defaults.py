"""Seeded training lists: CKC areas and the credentials courses grant.

Managers change them afterwards; `ensure_defaults()` only fills a list that is empty.
"""

from sqlalchemy import func, select

from fccnet.extensions import db
from fccnet.licensing.models import Requirement
from fccnet.training.models import CkcArea, Credential

# Connecticut's Core Knowledge and Competencies framework areas (a manager confirms them).
CKC_AREAS = [
    ("Child Development and Learning", "Desarrollo y aprendizaje infantil"),
    ("Health, Safety and Nutrition", "Salud, seguridad y nutrición"),
    (
        "Teaching Practices and Learning Environments",
        "Prácticas de enseñanza y entornos de aprendizaje",
    ),
    (
        "Observation, Documentation and Assessment",
        "Observación, documentación y evaluación",
    ),
    ("Family and Community Partnerships", "Alianzas con las familias y la comunidad"),
    ("Professionalism and Leadership", "Profesionalismo y liderazgo"),
    (
        "Program Administration and Business Practices",
        "Administración del programa y prácticas comerciales",
    ),
]

# (English, Spanish, valid months or None for ever, checklist requirement key it answers)
CREDENTIALS = [
    ("First Aid", "Primeros auxilios", 24, "first_aid"),
    ("CPR", "RCP", 24, "cpr"),
    (
        "Medication administration (oral, topical, inhalant)",
        "Administración de medicamentos (oral, tópica, inhalada)",
        36,
        "medication",
    ),
    (
        "Medication administration (injectable)",
        "Administración de medicamentos (inyectables)",
        12,
        "medication_injectable",
    ),
    (
        "Health and safety orientation",
        "Orientación de salud y seguridad",
        None,
        "health_safety",
    ),
    (
        "Care 4 Kids provider orientation",
        "Orientación para proveedores de Care 4 Kids",
        None,
        None,
    ),
]


def _is_empty(model) -> bool:
    return db.session.scalar(select(func.count()).select_from(model)) == 0


def ensure_defaults() -> None:
    if _is_empty(CkcArea):
        for position, (name_en, name_es) in enumerate(CKC_AREAS, start=1):
            db.session.add(CkcArea(name_en=name_en, name_es=name_es, position=position))
    if _is_empty(Credential):
        requirements = dict(db.session.execute(select(Requirement.key, Requirement.id)).all())
        for position, (name_en, name_es, months, key) in enumerate(CREDENTIALS, start=1):
            db.session.add(
                Credential(
                    name_en=name_en,
                    name_es=name_es,
                    valid_months=months,
                    requirement_id=requirements.get(key),
                    position=position,
                )
            )
    db.session.flush()
