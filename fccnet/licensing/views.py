"""Moving a provider through the pipeline, their checklist, evidence, and what is due."""

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from fccnet.extensions import db
from fccnet.forms import page_status, save
from fccnet.licensing import permissions, queries, services
from fccnet.licensing.forms import ComplianceFilterForm, DocumentForm, ItemForm, StageForm
from fccnet.licensing.models import LICENSED_STAGE_KEY, ChecklistItem, Document, ItemStatus, Stage
from fccnet.permissions import current_actor, login_required_for, require
from fccnet.providers.permissions import can_see_staff_fields
from fccnet.providers.views import active_coaches, coach_choices, load_provider, stage_choices
from fccnet.settings.services import all_settings

bp = Blueprint("licensing", __name__, url_prefix="/providers/<int:provider_id>")
login_required_for(bp)

compliance_bp = Blueprint("compliance", __name__, url_prefix="/compliance")
login_required_for(compliance_bp)

COMPLIANCE_PER_PAGE = 50


@bp.route("/stage", methods=["GET", "POST"])
def move_stage(provider_id: int):
    provider = load_provider(provider_id)
    require(permissions.can_move_stage(current_user, provider))
    form = StageForm()
    form.stage_id.choices = [c for c in stage_choices() if c.value != provider.stage_id]
    if request.method == "GET":
        settings = all_settings()
        form.capacity_full_time.data = settings["default_full_time_slots"]
        form.capacity_school_age.data = settings["default_school_age_slots"]
        form.stage_id.data = request.args.get("stage_id", type=int)
    if form.validate_on_submit():
        stage = db.session.get(Stage, form.stage_id.data) or abort(400)
        license = None
        if stage.key == LICENSED_STAGE_KEY:
            missing = [
                field
                for field in (
                    form.license_number,
                    form.license_issued_on,
                    form.capacity_full_time,
                    form.capacity_school_age,
                )
                if field.data in (None, "")
            ]
            for field in missing:
                field.errors = [*field.errors, _("Required to record the license.")]
            if not missing:
                license = services.LicenseDetails(
                    form.license_number.data,
                    form.license_issued_on.data,
                    form.capacity_full_time.data,
                    form.capacity_school_age.data,
                )
        if (stage.key != LICENSED_STAGE_KEY or license is not None) and save(
            form,
            lambda: services.move_stage(
                provider,
                stage,
                actor=current_actor(),
                note=form.note.data,
                reason=form.reason.data,
                license=license,
            ),
        ):
            flash(_("Stage changed to %(stage)s.", stage=stage.name(str(get_locale()))), "success")
            return redirect(url_for("providers.detail", provider_id=provider.id))
    return render_template("licensing/move_stage.html", form=form, provider=provider)


def _item_of(provider, item_id: int) -> ChecklistItem:
    item = db.session.get(ChecklistItem, item_id)
    if item is None or item.provider_id != provider.id:
        abort(404)
    return item


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
def update_item(provider_id: int, item_id: int):
    provider = load_provider(provider_id)
    require(permissions.can_update_item(current_user, provider))
    item = _item_of(provider, item_id)
    form = ItemForm(obj=item)
    if request.method == "GET":
        form.version.data = item.version
        form.status.data = request.args.get("status", item.status.value)
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_item(
            item,
            services.ItemUpdate(
                status=ItemStatus(form.status.data),
                due_on=form.due_on.data,
                submitted_on=form.submitted_on.data,
                completed_on=form.completed_on.data,
                expires_on=form.expires_on.data,
                waived_reason=form.waived_reason.data,
            ),
            actor=current_actor(),
            expected_version=form.opened_version(),
        ),
    ):
        flash(_("Checklist item saved."), "success")
        return redirect(url_for("providers.detail", provider_id=provider.id, _anchor="checklist"))
    return render_template(
        "licensing/update_item.html",
        form=form,
        provider=provider,
        item=item,
        locale=str(get_locale()),
    ), page_status(form)


@bp.route("/documents", methods=["POST"])
def upload_document(provider_id: int):
    provider = load_provider(provider_id)
    require(permissions.can_upload_document(current_user, provider))
    form = DocumentForm()
    item_ids = db.session.scalars(
        db.select(ChecklistItem.id).where(ChecklistItem.provider_id == provider.id)
    ).all()
    form.checklist_item_id.choices = [SelectChoice(None, "—")] + [
        SelectChoice(item_id, str(item_id)) for item_id in item_ids
    ]
    if form.validate_on_submit():
        upload = form.file.data
        item_id = form.checklist_item_id.data
        item = _item_of(provider, item_id) if item_id else None
        if save(
            form,
            lambda: services.store_document(
                provider,
                upload.read(services.MAX_DOCUMENT_BYTES + 1),
                upload.filename or "",
                actor=current_actor(),
                item=item,
            ),
        ):
            flash(_("Document uploaded."), "success")
            return redirect(
                url_for("providers.detail", provider_id=provider.id, _anchor="documents")
            )
    return render_template("licensing/upload_failed.html", form=form, provider=provider), 400


@bp.route("/documents/<int:document_id>")
def download_document(provider_id: int, document_id: int):
    provider = load_provider(provider_id)
    require(permissions.can_download_document(current_user, provider), hide=True)
    document = db.session.scalar(
        queries.list_documents(
            provider.id, include_household=can_see_staff_fields(current_user)
        ).where(Document.id == document_id)
    )
    if document is None:
        abort(404)
    return send_file(
        BytesIO(document.content),
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.filename,
        max_age=0,
    )


@compliance_bp.route("")
def caseload():
    """What is overdue or coming due: a coach's caseload, or any coach's for a manager."""
    require(permissions.can_view_compliance(current_user))
    form = None
    if current_user.is_coach:
        coach_id = current_user.id
    else:
        form = ComplianceFilterForm(request.args)
        form.coach.choices = coach_choices(active_coaches(), _("Every coach"))
        coach_id = form.coach.data if form.validate() else None
    today = services.local_today()
    page = db.paginate(
        queries.list_compliance(today=today, coach_id=coach_id),
        per_page=COMPLIANCE_PER_PAGE,
        error_out=False,
    )
    return render_template(
        "licensing/compliance.html",
        form=form,
        page=page,
        today=today,
        windows=queries.URGENCY_WINDOWS,
        locale=str(get_locale()),
    )
