"""Reports, their CSV files, the report card, the data-partner export and list exports."""

from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from fccnet.clock import local_today
from fccnet.credits.services import Period
from fccnet.credits.views import send_pdf
from fccnet.extensions import db
from fccnet.forms import filter_query
from fccnet.permissions import login_required_for, require
from fccnet.providers.forms import ProviderFilterForm
from fccnet.providers.views import active_coaches, place_choices, provider_filters, stage_choices
from fccnet.reports import (
    coaching,
    compliance,
    exports,
    outcomes,
    partner,
    pipeline,
    report_card,
    services,
    training,
)
from fccnet.reports.csv_export import csv_bytes, csv_filename
from fccnet.reports.forms import (
    STALLED_DAYS_DEFAULT,
    PipelineFilterForm,
    ReportCardForm,
    ReportFilterForm,
)
from fccnet.reports.periods import Preset, preset_period
from fccnet.reports.permissions import (
    can_export_lists,
    can_export_partner_data,
    can_view_report_card,
    can_view_reports,
    is_limited_to_caseload,
)
from fccnet.reports.scope import ReportScope
from fccnet.reports.tables import Report, table_csv
from fccnet.settings.services import all_settings

bp = Blueprint("reports", __name__, url_prefix="/reports")
login_required_for(bp)


@dataclass(frozen=True)
class ReportKind:
    title: str
    summary: str
    build: Callable[[ReportScope], Report]
    form: type[ReportFilterForm] = ReportFilterForm
    allowed: Callable = can_view_reports


REPORTS = {
    "pipeline": ReportKind(
        _l("Pipeline"),
        _l("Providers in each stage, the funnel, time in each stage and who has stalled."),
        pipeline.build,
        PipelineFilterForm,
    ),
    "outcomes": ReportKind(
        _l("Outcomes"),
        _l("Newly licensed providers and slots, licensed providers, licenses expiring."),
        outcomes.build,
    ),
    "training": ReportKind(
        _l("Training"),
        _l("Sessions, seats and attendance, credit hours, who is short of hours, credentials."),
        training.build,
    ),
    "coaching": ReportKind(
        _l("Coaching"),
        _l("Contacts and hours by coach, month, mode and topic; action items."),
        coaching.build,
    ),
    "compliance": ReportKind(
        _l("Compliance"),
        _l("Checklist items overdue or due soon, by requirement."),
        compliance.build,
    ),
    "partner": ReportKind(
        _l("Data-partner export"),
        _l("Counts by town, neighborhood and stage without names, small counts suppressed."),
        partner.build,
        allowed=can_export_partner_data,
    ),
}
REPORT_NAMES = ", ".join(REPORTS)
# The list with names behind a report, for managers: report name -> export name.
LIST_EXPORTS = {"coaching": "contacts", "training": "credits"}


def yes_no() -> tuple[str, str]:
    return (_("yes"), _("no"))


def send_csv(data: bytes, stem: str):
    return send_file(
        BytesIO(data),
        mimetype="text/csv",
        as_attachment=True,
        download_name=csv_filename(stem, local_today()),
        max_age=0,
    )


def exported(export: str, rows: int, form) -> None:
    services.record_export(export, rows=rows, filters=filter_query(form), actor=current_user)
    db.session.commit()


def read_filters(form_class: type[ReportFilterForm]) -> tuple[ReportFilterForm, ReportScope | None]:
    """The filter form from the address, and the scope it asks for (None when it is wrong).
    A coach's reports are always their own caseload: they get no coach filter."""
    towns, neighborhoods = place_choices()
    limited = is_limited_to_caseload(current_user)
    form = form_class(
        request.args,
        coaches=() if limited else active_coaches(),
        towns=towns,
        neighborhoods=neighborhoods,
    )
    if limited:
        del form.coach
    if not form.validate():
        return form, None
    today = local_today()
    preset = Preset(form.preset.data)
    if preset is Preset.CUSTOM:
        period = Period(form.start.data, form.end.data)
    else:
        period = preset_period(
            preset, today, pd_year_start_month=all_settings()["pd_year_start_month"]
        )
    options = {}
    if isinstance(form, PipelineFilterForm):
        options["stalled_days"] = form.stalled_days.data or STALLED_DAYS_DEFAULT
    scope = ReportScope(
        period=period,
        today=today,
        coach_id=current_user.id if limited else form.coach.data,
        town_id=form.town.data,
        neighborhood_id=form.neighborhood.data,
        promise_zone=form.promise_zone.data,
        language=form.language.data or "",
        options=options,
    )
    return form, scope


def allowed_reports() -> dict[str, ReportKind]:
    return {name: kind for name, kind in REPORTS.items() if kind.allowed(current_user)}


@bp.route("")
def index():
    require(can_view_reports(current_user))
    return render_template(
        "reports/index.html",
        reports=allowed_reports(),
        card=can_view_report_card(current_user),
    )


@bp.route(f"/<any({REPORT_NAMES}):name>")
def report(name: str):
    kind = REPORTS[name]
    require(kind.allowed(current_user))
    form, scope = read_filters(kind.form)
    return render_template(
        "reports/report.html",
        name=name,
        kind=kind,
        form=form,
        scope=scope,
        report=kind.build(scope) if scope else None,
        limited=is_limited_to_caseload(current_user),
        list_exports=LIST_EXPORTS,
    )


@bp.route(f"/<any({REPORT_NAMES}):name>/<key>.csv")
def report_csv(name: str, key: str):
    kind = REPORTS[name]
    require(kind.allowed(current_user))
    form, scope = read_filters(kind.form)
    if scope is None:
        # The page shows what is wrong with the filters, next to them.
        return redirect(url_for("reports.report", name=name, **filter_query(form)))
    table = kind.build(scope).table(key) or abort(404)
    # A list of people (rows linked to their records) leaves the app only with a manager.
    require(not table.names_people or can_export_lists(current_user))
    if table.names_people:
        exported(f"{name}.{key}", len(table.rows), form)
    return send_csv(table_csv(table, yes_no=yes_no()), f"{kind.title} {table.title}")


# --- The report card --------------------------------------------------------------------


def read_card_range() -> tuple[ReportCardForm, Period | None]:
    form = ReportCardForm(request.args, today=local_today())
    return form, form.period() if form.validate() else None


@bp.route("/card")
def card():
    require(can_view_report_card(current_user))
    form, period = read_card_range()
    return render_template(
        "reports/card.html",
        form=form,
        card=report_card.build_card(period, today=local_today()) if period else None,
    )


@bp.route("/card.pdf")
def card_pdf():
    require(can_view_report_card(current_user))
    form, period = read_card_range()
    if period is None:
        return redirect(url_for("reports.card", **filter_query(form)))
    card = report_card.build_card(period, today=local_today())
    return send_pdf(
        report_card.card_pdf(card, locale=str(get_locale())),
        csv_filename(_("Report card"), period.end).removesuffix(".csv") + ".pdf",
    )


# --- Lists with names (managers) ----------------------------------------------------------


@bp.route("/exports/providers.csv")
def providers_csv():
    require(can_export_lists(current_user))
    towns, neighborhoods = place_choices()
    form = ProviderFilterForm(
        request.args,
        stages=stage_choices(),
        coaches=active_coaches(),
        towns=towns,
        neighborhoods=neighborhoods,
    )
    if not form.validate():
        return redirect(url_for("providers.index", **filter_query(form)))
    header, rows = exports.providers(provider_filters(form, current_user), today=local_today())
    exported("providers", len(rows), form)
    return send_csv(csv_bytes(header, rows, yes_no=yes_no()), _("Providers"))


@bp.route("/exports/<any(contacts,credits):name>.csv")
def list_csv(name: str):
    require(can_export_lists(current_user))
    form, scope = read_filters(ReportFilterForm)
    if scope is None:
        report_name = next(report for report, export in LIST_EXPORTS.items() if export == name)
        return redirect(url_for("reports.report", name=report_name, **filter_query(form)))
    header, rows = getattr(exports, name)(scope)
    exported(name, len(rows), form)
    return send_csv(
        csv_bytes(header, rows, yes_no=yes_no()),
        _("Contacts") if name == "contacts" else _("Credits"),
    )
