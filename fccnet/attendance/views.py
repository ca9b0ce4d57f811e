"""A session's roster: the sign-in sheet, attendance for everyone at once, walk-ins."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from fccnet.attendance import services
from fccnet.attendance.forms import (
    ATTENDANCE_LABELS,
    NOT_MARKED,
    RosterForm,
    WalkInForm,
    parse_attendance,
)
from fccnet.clock import local_today
from fccnet.extensions import db
from fccnet.forms import save
from fccnet.permissions import current_actor, login_required_for, require
from fccnet.providers.models import Provider
from fccnet.providers.queries import ProviderFilters, list_providers
from fccnet.training import queries as training_queries
from fccnet.training.forms import ProviderSearchForm
from fccnet.training.hours import hours_to_minutes, minutes_to_hours
from fccnet.training.models import (
    Attendance,
    Credit,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)
from fccnet.training.permissions import can_take_attendance, can_view_roster
from fccnet.training.services import has_started

bp = Blueprint("attendance", __name__, url_prefix="/training/sessions/<int:session_id>")
login_required_for(bp)

WALK_IN_CHOICES = 50  # providers listed for one search
SIGN_IN_BLANK_LINES = 8  # for walk-ins on the printed sheet


def load_session(session_id: int) -> TrainingSession:
    return db.session.scalar(
        select(TrainingSession)
        .where(TrainingSession.id == session_id)
        .options(joinedload(TrainingSession.course), joinedload(TrainingSession.trainer))
    ) or abort(404)


def roster_registrations(session: TrainingSession) -> list[Registration]:
    return list(
        db.session.scalars(
            training_queries.list_session_registrations(session.id, RegistrationStatus.REGISTERED)
        )
    )


# --- The roster --------------------------------------------------------------------------


def roster_form_from(registrations: list[Registration]) -> RosterForm:
    """The form as saved: each person's mark, and the hours of a partial attendance."""
    return RosterForm(
        formdata=None,
        data={
            "rows": [
                {
                    "registration_id": str(registration.id),
                    "marked_at": services.mark_version(registration),
                    "attendance": registration.attendance.value
                    if registration.attendance
                    else NOT_MARKED,
                    "hours": minutes_to_hours(registration.attended_minutes)
                    if registration.attendance is Attendance.PARTIAL
                    else None,
                }
                for registration in registrations
            ]
        },
    )


def pair_rows(form: RosterForm, registrations: list[Registration]) -> list | None:
    """(row, registration) for each posted row, or None when a row names a registration
    that is not on this roster (or names one twice)."""
    by_id = {registration.id: registration for registration in registrations}
    pairs, seen = [], set()
    for entry in form.rows:
        registration = by_id.get(entry.form.registration_id_value())
        if registration is None or registration.id in seen:
            return None
        seen.add(registration.id)
        pairs.append((entry.form, registration))
    return pairs


def label_rows(pairs) -> None:
    for row, registration in pairs:
        name = registration.provider.display_name
        row.hours.label.text = _("Hours attended for %(name)s", name=name)
        row.attendance.label.text = _("Attendance of %(name)s", name=name)


def save_marks(session: TrainingSession, form: RosterForm, pairs) -> bool:
    marks = [
        services.AttendanceMark(
            registration.id,
            parse_attendance(row.attendance.data),
            hours_to_minutes(row.hours.data) if row.hours.data is not None else None,
            seen_version=row.marked_at.data,
        )
        for row, registration in pairs
    ]
    return bool(
        save(form, lambda: services.record_attendance(session, marks, actor=current_actor()))
    )


@bp.route("/roster", methods=["GET", "POST"])
def roster(session_id: int):
    session = load_session(session_id)
    require(can_view_roster(current_user, session))
    if request.method == "GET":
        return render_roster(session)
    require(can_take_attendance(current_user, session))
    registrations = roster_registrations(session)
    form = RosterForm()
    pairs = pair_rows(form, registrations)
    if pairs is None:
        # Someone was added since the page was opened, or the ids were tampered with.
        form = roster_form_from(registrations)
        form.form_errors.append(
            _("The roster changed since the page was opened. Check the marks and save again.")
        )
    elif form.validate_on_submit():
        if save_marks(session, form, pairs):
            marked = sum(1 for row, _registration in pairs if row.attendance.data != NOT_MARKED)
            flash(
                ngettext(
                    "Attendance saved for %(num)d person.",
                    "Attendance saved for %(num)d people.",
                    marked,
                ),
                "success",
            )
            return redirect(url_for("attendance.roster", session_id=session.id))
        # The rollback expired what was loaded: load the roster again, in one query.
        registrations = roster_registrations(session)
        # The person has now been told of any change made meanwhile; saving again applies
        # their marks.
        current = {registration.id: registration for registration in registrations}
        for entry in form.rows:
            registration = current.get(entry.form.registration_id_value())
            if registration is not None:
                entry.form.marked_at.data = services.mark_version(registration)
    return render_roster(session, roster_form=form, registrations=registrations)


# --- Walk-ins ----------------------------------------------------------------------------


def walk_in_choices(session: TrainingSession, q: str) -> list[SelectChoice]:
    """At most WALK_IN_CHOICES active providers matching the search, not yet on the roster."""
    on_roster = select(Registration.provider_id).where(
        Registration.session_id == session.id,
        Registration.status == RegistrationStatus.REGISTERED,
    )
    providers = db.session.scalars(
        list_providers(ProviderFilters(q=q), today=local_today())
        .where(Provider.id.not_in(on_roster))
        .limit(WALK_IN_CHOICES)
    )
    return [SelectChoice(None, _("Choose a provider"))] + [
        SelectChoice(provider.id, provider.display_name) for provider in providers
    ]


def search_text(value) -> str:
    """The search as typed, or nothing when it is not a usable search."""
    form = ProviderSearchForm(formdata=None, data={"q": value})
    return (form.q.data or "") if form.validate() else ""


@bp.route("/walk-ins", methods=["POST"])
def add_walk_in(session_id: int):
    session = load_session(session_id)
    require(can_view_roster(current_user, session))
    require(can_take_attendance(current_user, session))
    form = WalkInForm()
    if form.validate_on_submit():
        provider = db.session.get(Provider, form.provider_id.data)
        if provider is None or provider.is_deleted:
            form.provider_id.errors = [_("Choose a provider from the list.")]
        else:
            attendance = Attendance(form.attendance.data)
            hours = form.hours.data
            if save(
                form,
                lambda: services.add_walk_in(
                    session,
                    provider,
                    actor=current_actor(),
                    attendance=attendance,
                    minutes=hours_to_minutes(hours) if hours is not None else None,
                ),
                taken=("provider_id", _("This person is already on the roster.")),
            ):
                flash(_("%(name)s was added to the roster.", name=provider.display_name), "success")
                return redirect(
                    url_for("attendance.roster", session_id=session.id, _anchor="roster")
                )
    return render_roster(session, walk_in_form=form, q=search_text(form.q.data))


# --- The page ----------------------------------------------------------------------------


def render_roster(
    session: TrainingSession,
    *,
    roster_form: RosterForm | None = None,
    registrations: list[Registration] | None = None,
    walk_in_form: WalkInForm | None = None,
    q: str | None = None,
):
    if registrations is None:
        registrations = roster_registrations(session)
    waitlist = list(
        db.session.scalars(
            training_queries.list_session_registrations(session.id, RegistrationStatus.WAITLISTED)
        )
    )
    credit_minutes = dict(
        db.session.execute(
            select(Credit.registration_id, Credit.minutes).where(
                Credit.registration_id.in_([registration.id for registration in registrations])
            )
        ).all()
    )
    started = has_started(session)
    cancelled = session.status is SessionStatus.CANCELLED
    may_mark = can_take_attendance(current_user, session) and started and not cancelled
    rows = []
    search_form = None
    if may_mark:
        roster_form = roster_form or roster_form_from(registrations)
        rows = pair_rows(roster_form, registrations) or []
        label_rows(rows)
        search_form = ProviderSearchForm(request.args)
        if q is None:
            q = (search_form.q.data or "") if search_form.validate() else ""
        if walk_in_form is None:
            walk_in_form = WalkInForm(formdata=None, data={"q": q})
        walk_in_form.q.data = q
        walk_in_form.provider_id.choices = walk_in_choices(session, q)
        walk_in_form.provider_id.description = (
            _(
                "At most %(num)d providers are listed; search to narrow the list.",
                num=WALK_IN_CHOICES,
            )
            if len(walk_in_form.provider_id.choices) > 1
            else _("No active provider who is not on the roster matches this search.")
        )
    else:
        # A refused save (the session has not started, or was cancelled) has no form to show in.
        for form in (roster_form, walk_in_form):
            for message in form.form_errors if form is not None else ():
                flash(message, "error")
    return render_template(
        "attendance/roster.html",
        session=session,
        registrations=registrations,
        waitlist=waitlist,
        credit_minutes=credit_minutes,
        started=started,
        cancelled=cancelled,
        may_mark=may_mark,
        roster_form=roster_form if may_mark else None,
        rows=rows,
        search_form=search_form,
        walk_in_form=walk_in_form if may_mark else None,
        q=q,
        attendance_labels=ATTENDANCE_LABELS,
        locale=str(get_locale()),
    )


# --- The printed sign-in sheet -----------------------------------------------------------


@bp.route("/sign-in-sheet")
def sign_in_sheet(session_id: int):
    session = load_session(session_id)
    require(can_view_roster(current_user, session))
    return render_template(
        "attendance/sign_in_sheet.html",
        session=session,
        registrations=roster_registrations(session),
        blank_lines=SIGN_IN_BLANK_LINES,
        locale=str(get_locale()),
    )
