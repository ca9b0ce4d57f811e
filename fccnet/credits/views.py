"""A provider's training record, transcript, certificates, and credits from elsewhere."""

from datetime import date
from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from fccnet.clock import local_date, local_today
from fccnet.credits import queries
from fccnet.credits.forms import (
    CREDENTIAL_STATE_LABELS,
    CREDIT_SOURCE_LABELS,
    CREDIT_STATUS_LABELS,
    ExternalCreditForm,
    PeriodForm,
    RejectCreditForm,
    ReviewForm,
)
from fccnet.credits.permissions import (
    can_download_certificate,
    can_review_credit,
    can_review_credits,
    can_submit_credit,
    can_view_training_record,
)
from fccnet.credits.services import (
    ExternalCreditInput,
    Period,
    approve_credit,
    current_pd_year,
    reject_credit,
    required_minutes,
    submit_external_credit,
)
from fccnet.extensions import db
from fccnet.forms import save
from fccnet.licensing.permissions import can_download_document
from fccnet.licensing.services import MAX_DOCUMENT_BYTES
from fccnet.permissions import current_actor, login_required_for, require
from fccnet.providers.models import Provider
from fccnet.providers.queries import provider_locale
from fccnet.providers.services import record_view
from fccnet.providers.views import load_provider
from fccnet.training import pdf
from fccnet.training.hours import hours_to_minutes, minutes_to_hours
from fccnet.training.models import (
    Attendance,
    CkcArea,
    Credential,
    Credit,
    CreditSource,
    CreditStatus,
)
from fccnet.training.queries import (
    list_ckc_areas,
    list_credentials,
    list_upcoming_registrations,
)

bp = Blueprint("credits", __name__, url_prefix="/providers/<int:provider_id>/training")
login_required_for(bp)

review_bp = Blueprint("credit_review", __name__, url_prefix="/training/credits")
login_required_for(review_bp)

CREDITS_PER_PAGE = 50
# Bootstrap's width utilities: the progress bar's fill, rounded to the nearest quarter
# (an inline width would need `style`, which the Content-Security-Policy forbids).
PROGRESS_CLASSES = {0: "", 25: "w-25", 50: "w-50", 75: "w-75", 100: "w-100"}


def load_record(provider_id: int) -> Provider:
    """The provider whose training record this is; a provider reaching for another's: 404."""
    provider = load_provider(provider_id)
    require(can_view_training_record(current_user, provider), hide=True)
    return provider


def credit_title(credit: Credit, locale: str) -> str:
    """A network session's credit reads as its course, in the reader's language."""
    if credit.registration is not None:
        return credit.registration.session.course.title(locale)
    return credit.title


def progress_class(done: int, required: int) -> str:
    share = 100 if required <= 0 else min(done * 100 / required, 100)
    return PROGRESS_CLASSES[int(share / 25 + 0.5) * 25]


def label_context() -> dict:
    return {
        "status_labels": CREDIT_STATUS_LABELS,
        "source_labels": CREDIT_SOURCE_LABELS,
        "state_labels": CREDENTIAL_STATE_LABELS,
        "credit_title": credit_title,
        "locale": str(get_locale()),
    }


@bp.route("")
def record(provider_id: int):
    provider = load_record(provider_id)
    today = local_today()
    period = current_pd_year(today)
    credits = list(db.session.scalars(queries.list_credits(provider.id)))
    by_area = queries.counted_minutes_by_area(provider.id, period)
    done = sum(minutes for _area, minutes in by_area)
    required = required_minutes()
    page = render_template(
        "credits/record.html",
        provider=provider,
        period=period,
        today=today,
        credits=credits,
        by_area=by_area,
        done=done,
        required=required,
        left=max(required - done, 0),
        progress_now=minutes_to_hours(min(done, required)),
        progress_max=minutes_to_hours(required),
        progress_class=progress_class(done, required),
        held=queries.held_credentials(credits),
        upcoming=list(db.session.scalars(list_upcoming_registrations(provider.id))),
        may_download_evidence=can_download_document(current_user, provider),
        **label_context(),
    )
    record_view(provider, actor=current_actor())
    db.session.commit()  # the view event
    return page


def transcript_period(today: date) -> tuple[PeriodForm, Period]:
    """The period the query string asks for, or the current PD year when it asks for
    none or for one that is not valid (the form then says why, next to the field)."""
    default = current_pd_year(today)
    form = PeriodForm(request.args)
    if not form.validate():
        return form, default
    start = form["from"].data or default.start
    end = form["to"].data or default.end
    if start > end:
        form["to"].errors.append(_("The end must be on or after the start."))
        return form, default
    return form, Period(start, end)


def transcript_data(provider: Provider, period: Period):
    """The period's credits (oldest first) and its approved minutes by area."""
    credits = list(
        db.session.scalars(
            queries.list_credits(provider.id, period)
            .order_by(None)
            .order_by(Credit.taken_on, Credit.id)
        )
    )
    return credits, queries.counted_minutes_by_area(provider.id, period)


@bp.route("/transcript")
def transcript(provider_id: int):
    provider = load_record(provider_id)
    today = local_today()
    form, period = transcript_period(today)
    credits, by_area = transcript_data(provider, period)
    # Empty fields show the period shown; what was typed stays as typed.
    for name, day in (("from", period.start), ("to", period.end)):
        if not form[name].raw_data or not form[name].raw_data[0]:
            form[name].raw_data = []
            form[name].data = day
    return render_template(
        "credits/transcript.html",
        provider=provider,
        form=form,
        period=period,
        today=today,
        credits=credits,
        by_area=by_area,
        total=sum(minutes for _area, minutes in by_area),
        required=required_minutes(),
        **label_context(),
    )


def send_pdf(data: bytes, filename: str):
    return send_file(
        BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=filename,
        max_age=0,
    )


@bp.route("/transcript.pdf")
def transcript_pdf(provider_id: int):
    provider = load_record(provider_id)
    today = local_today()
    _form, period = transcript_period(today)
    credits, by_area = transcript_data(provider, period)
    language = provider_locale(provider)
    with force_locale(language):
        lines = [
            pdf.TranscriptLine(
                taken_on=credit.taken_on,
                title=credit_title(credit, language),
                organisation=credit.organisation
                if credit.source is CreditSource.EXTERNAL
                else None,
                source=str(CREDIT_SOURCE_LABELS[credit.source]),
                ckc_area=credit.ckc_area.name(language),
                minutes=credit.minutes,
                status=str(CREDIT_STATUS_LABELS[credit.status]),
                credential=credit.credential.name(language) if credit.credential else None,
                credential_expires_on=credit.credential_expires_on,
            )
            for credit in credits
        ]
        data = pdf.transcript_pdf(
            pdf.Transcript(
                network_name=current_app.config["NETWORK_NAME"],
                provider_name=provider.legal_name,
                period_start=period.start,
                period_end=period.end,
                generated_on=today,
                lines=lines,
                total_minutes=sum(minutes for _area, minutes in by_area),
                required_minutes=required_minutes(),
                minutes_by_area=[(area.name(language), minutes) for area, minutes in by_area],
            )
        )
    return send_pdf(
        data, f"transcript-{provider.id}-{period.start.isoformat()}-{period.end.isoformat()}.pdf"
    )


@bp.route("/certificates/<int:registration_id>.pdf")
def certificate(provider_id: int, registration_id: int):
    """A certificate of completion for a session this provider attended (fully or in part)."""
    provider = load_record(provider_id)
    registration = db.session.scalar(
        queries.load_certificate_registration(provider.id, registration_id)
    )
    if registration is None or registration.attendance not in (
        Attendance.ATTENDED,
        Attendance.PARTIAL,
    ):
        abort(404)
    require(can_download_certificate(current_user, registration), hide=True)
    credit = db.session.scalar(queries.registration_credit(registration.id))
    if credit is None:
        abort(404)
    session = registration.session
    language = provider_locale(provider)
    with force_locale(language):
        data = pdf.certificate_pdf(
            pdf.Certificate(
                network_name=current_app.config["NETWORK_NAME"],
                provider_name=provider.legal_name,
                course_title=session.course.title(language),
                session_date=local_date(session.starts_at),
                minutes=credit.minutes,
                ckc_area=credit.ckc_area.name(language),
                trainer=session.trainer_label,
                credential=credit.credential.name(language) if credit.credential else None,
                credential_expires_on=credit.credential_expires_on,
                reference=f"C-{registration.id:06d}",
                generated_on=local_today(),
            )
        )
    return send_pdf(data, f"certificate-{provider.id}-{registration.id}.pdf")


@bp.route("/credits/new", methods=["GET", "POST"])
def submit_credit(provider_id: int):
    provider = load_record(provider_id)
    require(can_submit_credit(current_user, provider))
    locale = str(get_locale())
    form = ExternalCreditForm(
        areas=[(area.id, area.name(locale)) for area in db.session.scalars(list_ckc_areas())],
        credentials=[
            (credential.id, credential.name(locale))
            for credential in db.session.scalars(list_credentials())
        ],
    )
    if form.validate_on_submit():
        area = db.session.get(CkcArea, form.ckc_area_id.data)
        credential = (
            db.session.get(Credential, form.credential_id.data) if form.credential_id.data else None
        )
        upload = form.file.data
        data = ExternalCreditInput(
            title=form.title.data,
            organisation=form.organisation.data,
            taken_on=form.taken_on.data,
            minutes=hours_to_minutes(form.hours.data),
            ckc_area=area,
            evidence=upload.read(MAX_DOCUMENT_BYTES + 1),
            evidence_filename=upload.filename or "",
            credential=credential,
        )
        if save(form, lambda: submit_external_credit(provider, data, actor=current_actor())):
            flash(_("Sent for approval. It will count once a manager approves it."), "success")
            return redirect(url_for("credits.record", provider_id=provider.id))
    return render_template("credits/submit_credit.html", form=form, provider=provider)


# --- The managers' review queue --------------------------------------------------------


def render_queue(reject_form: RejectCreditForm | None = None, rejecting: int | None = None):
    page = db.paginate(queries.list_pending_credits(), per_page=CREDITS_PER_PAGE, error_out=False)
    return render_template(
        "credits/queue.html",
        page=page,
        reject_form=reject_form,
        rejecting=rejecting,
        **label_context(),
    )


@review_bp.route("")
def queue():
    require(can_review_credits(current_user))
    return render_queue()


def load_credit_to_review(credit_id: int) -> Credit:
    # Refused before the lookup: whoever may not review learns nothing about which ids exist.
    require(can_review_credits(current_user))
    credit = db.get_or_404(Credit, credit_id)
    require(can_review_credit(current_user, credit))
    return credit


def back_to_queue():
    return redirect(url_for("credit_review.queue", page=request.args.get("page", type=int)))


def already_reviewed(credit: Credit) -> bool:
    if credit.status is CreditStatus.PENDING:
        return False
    flash(_("This credit was already reviewed; nothing was changed."), "info")
    return True


def flash_form_errors(form) -> None:
    for message in form.form_errors:
        flash(message, "warning")


@review_bp.route("/<int:credit_id>/approve", methods=["POST"])
def approve(credit_id: int):
    credit = load_credit_to_review(credit_id)
    form = ReviewForm()
    if already_reviewed(credit):
        return back_to_queue()
    if form.validate_on_submit() and save(
        form, lambda: approve_credit(credit, actor=current_actor())
    ):
        flash(
            _(
                "Approved: %(title)s for %(name)s. The hours now count.",
                title=credit.title,
                name=credit.provider.display_name,
            ),
            "success",
        )
    else:
        flash_form_errors(form)
    return back_to_queue()


@review_bp.route("/<int:credit_id>/reject", methods=["POST"])
def reject(credit_id: int):
    credit = load_credit_to_review(credit_id)
    form = RejectCreditForm()
    if already_reviewed(credit):
        return back_to_queue()
    if form.validate_on_submit() and save(
        form, lambda: reject_credit(credit, form.reason.data, actor=current_actor())
    ):
        flash(
            _(
                "Rejected: %(title)s for %(name)s. The provider sees the reason on their record.",
                title=credit.title,
                name=credit.provider.display_name,
            ),
            "success",
        )
        return back_to_queue()
    if form.form_errors:
        # Reviewed by someone else meanwhile, for instance.
        flash_form_errors(form)
        return back_to_queue()
    return render_queue(reject_form=form, rejecting=credit.id)
