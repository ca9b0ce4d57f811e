"""The seeded coaching topics (a managed list; `ensure_defaults()` fills it when empty)."""

from sqlalchemy import func, select

from fccnet.coaching.models import CoachingTopic
from fccnet.extensions import db

# From the Business Administration Scale for Family Child Care and common network curricula.
TOPICS = [
    ("Business plan and start-up", "Plan de negocios y puesta en marcha"),
    ("Budgeting and cash flow", "Presupuesto y flujo de caja"),
    ("Recordkeeping and taxes", "Registros contables e impuestos"),
    (
        "Contracts, policies and family handbook",
        "Contratos, políticas y manual para las familias",
    ),
    ("Marketing and enrollment", "Mercadeo e inscripción"),
    (
        "Care 4 Kids, the food program (CACFP) and grants",
        "Care 4 Kids, el programa de alimentos (CACFP) y subvenciones",
    ),
    ("Insurance and risk", "Seguros y riesgos"),
    ("Licensing compliance", "Cumplimiento de la licencia"),
    (
        "Technology and child care management software",
        "Tecnología y programas de gestión de cuidado infantil",
    ),
    ("Provider as employer", "El proveedor como empleador"),
    ("Family communication", "Comunicación con las familias"),
    (
        "Professional development and credentials",
        "Desarrollo profesional y credenciales",
    ),
]


def ensure_defaults() -> None:
    if db.session.scalar(select(func.count()).select_from(CoachingTopic)) == 0:
        for position, (name_en, name_es) in enumerate(TOPICS, start=1):
            db.session.add(CoachingTopic(name_en=name_en, name_es=name_es, position=position))
    db.session.flush()
