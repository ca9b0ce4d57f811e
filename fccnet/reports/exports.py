"""Lists with names, as the header and rows of a CSV file (fccnet.reports.csv_export writes
them), for managers: providers as the list was filtered, and the contacts and credits of a
report's scope. Values stay raw (dates, numbers); labels are in the reader's language.

What is for staff only inside the app never leaves it here: no staff notes on providers,
no internal notes on contacts."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select

from fccnet.auth.models import User
from fccnet.coaching.forms import MODE_LABELS
from fccnet.coaching.models import CoachingTopic, Contact, contact_topics
from fccnet.credits.forms import CREDIT_SOURCE_LABELS, CREDIT_STATUS_LABELS
from fccnet.extensions import db
from fccnet.licensing.models import Stage
from fccnet.providers.forms import LANGUAGE_NAMES
from fccnet.providers.models import Neighborhood, Provider, Town
from fccnet.providers.queries import ProviderFilters, list_providers
from fccnet.providers.services import format_phone
from fccnet.reports.scope import ReportScope
from fccnet.reports.tables import in_reader_language, minutes_as_hours
from fccnet.training.models import CkcArea, Credential, Credit

TOPIC_SEPARATOR = "; "

Rows = tuple[list[str], list[list]]


def _name_in_reader_language(model) -> ColumnElement[str]:
    """The name column of a bilingual list (stages, topics, areas) in the reader's language."""
    return in_reader_language(model.name_en, model.name_es)


def _translated(labels: dict) -> dict:
    """Lazy labels made text once per export, not once per row (each costs a lookup)."""
    return {key: str(label) for key, label in labels.items()}


def _provider_name() -> ColumnElement[str]:
    """The name the network uses for a provider: the preferred one, else the legal one."""
    return func.coalesce(Provider.preferred_name, Provider.legal_name).label("provider")


def _rows(query, **shown) -> list[list]:
    """The query's rows as lists, each column named in `shown` passed through its function
    (a code to its label, minutes to hours)."""
    rows = []
    # On the session's connection, as plain rows: the ORM's row handling would add about
    # half again to an export of 100,000 rows.
    for row in db.session.connection().execute(query):
        values = row._asdict()
        for name, show in shown.items():
            values[name] = show(values[name])
        rows.append(list(values.values()))
    return rows


def providers(filters: ProviderFilters, *, today: date) -> Rows:
    """The providers list as filtered and sorted, one row each, with its names joined in."""
    query = (
        list_providers(filters, today=today)
        .with_only_columns(
            Provider.id,
            Provider.legal_name,
            Provider.preferred_name,
            Provider.business_name,
            Provider.phone,
            Provider.email,
            Town.name.label("town"),
            Neighborhood.name.label("neighborhood"),
            _name_in_reader_language(Stage).label("stage"),
            User.name.label("coach"),
            Provider.first_contact_on,
            Provider.license_number,
            Provider.license_expires_on,
            Provider.capacity_full_time,
            Provider.capacity_school_age,
            Provider.preferred_language,
        )
        .join_from(Provider, Town, Town.id == Provider.town_id)
        .outerjoin(Neighborhood, Neighborhood.id == Provider.neighborhood_id)
        .join(Stage, Stage.id == Provider.stage_id)
        .outerjoin(User, User.id == Provider.coach_id)
    )
    header = [
        _("Provider ID"),
        _("Legal name"),
        _("Preferred name"),
        _("Business name"),
        _("Phone"),
        _("Email"),
        _("Town"),
        _("Neighborhood"),
        _("Stage"),
        _("Coach"),
        _("First contact"),
        _("License number"),
        _("License expires"),
        _("Full-time capacity"),
        _("School-age capacity"),
        _("Preferred language"),
    ]
    languages = _translated(LANGUAGE_NAMES)
    return header, _rows(
        query,
        # As people read it, (860) 555-0123: E.164's leading "+" would pass for a formula.
        phone=lambda phone: format_phone(phone) if phone else None,
        preferred_language=lambda code: languages.get(code, code),
    )


def topic_names(contact_id: ColumnElement[int]) -> ColumnElement[str]:
    """A contact's topics in the reader's language, joined with TOPIC_SEPARATOR
    (group_concat on SQLite, string_agg on PostgreSQL). They are aggregated from a
    subquery sorted in the list's order, which both databases follow in practice without
    promising it: ORDER BY inside the aggregate would, but SQLite understands it only from
    3.44."""
    ordered = (
        select(_name_in_reader_language(CoachingTopic).label("name"))
        .join(contact_topics, contact_topics.c.topic_id == CoachingTopic.id)
        .where(contact_topics.c.contact_id == contact_id)
        .order_by(CoachingTopic.position, CoachingTopic.id)
        .correlate(Contact)
        .subquery()
    )
    return select(func.aggregate_strings(ordered.c.name, TOPIC_SEPARATOR)).scalar_subquery()


def contacts(scope: ReportScope) -> Rows:
    """Contacts dated within the period with providers in scope, deleted ones left out.
    Internal notes are never exported."""
    query = (
        select(
            Contact.contacted_on,
            Contact.provider_id,
            _provider_name(),
            User.name.label("coach"),
            Contact.mode,
            Contact.minutes,
            topic_names(Contact.id).label("topics"),
            Contact.summary,
            Contact.next_steps,
        )
        .join(Provider, Provider.id == Contact.provider_id)
        .outerjoin(User, User.id == Contact.coach_id)
        .where(
            Contact.deleted_at.is_(None),
            Contact.contacted_on >= scope.period.start,
            Contact.contacted_on <= scope.period.end,
            *scope.provider_conditions(),
        )
        .order_by(Contact.contacted_on, Contact.id)
    )
    header = [
        _("Date"),
        _("Provider ID"),
        _("Provider"),
        _("Coach"),
        _("Mode"),
        _("Minutes"),
        _("Topics"),
        _("Summary"),
        _("Next steps"),
    ]
    return header, _rows(query, mode=_translated(MODE_LABELS).get)


def credits(scope: ReportScope) -> Rows:
    """Credits taken within the period by providers in scope, whatever their status."""
    query = (
        select(
            Credit.provider_id,
            _provider_name(),
            Credit.title,
            Credit.organisation,
            Credit.taken_on,
            Credit.minutes,
            _name_in_reader_language(CkcArea).label("area"),
            _name_in_reader_language(Credential).label("credential"),
            Credit.credential_expires_on,
            Credit.status,
            Credit.source,
        )
        .join(Provider, Provider.id == Credit.provider_id)
        .join(CkcArea, CkcArea.id == Credit.ckc_area_id)
        .outerjoin(Credential, Credential.id == Credit.credential_id)
        .where(
            Credit.taken_on >= scope.period.start,
            Credit.taken_on <= scope.period.end,
            *scope.provider_conditions(),
        )
        .order_by(Credit.taken_on, Credit.id)
    )
    header = [
        _("Provider ID"),
        _("Provider"),
        _("Title"),
        _("Organisation"),
        _("Date taken"),
        _("Hours"),
        _("CKC area"),
        _("Credential"),
        _("Credential expires"),
        _("Status"),
        _("Source"),
    ]
    return header, _rows(
        query,
        minutes=minutes_as_hours,
        status=_translated(CREDIT_STATUS_LABELS).get,
        source=_translated(CREDIT_SOURCE_LABELS).get,
    )
