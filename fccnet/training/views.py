"""The training calendar, the catalog, sessions and registration."""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from io import BytesIO
from itertools import groupby

from babel.dates import format_skeleton
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from fccnet.auth.models import User
from fccnet.clock import local_date, local_today, network_zone
from fccnet.extensions import db
from fccnet.forms import Saved, save
from fccnet.licensing.services import add_months
from fccnet.permissions import current_actor, login_required_for, require
from fccnet.providers.models import Provider
from fccnet.providers.queries import own_provider_id, provider_locale
from fccnet.providers.views import load_provider
from fccnet.training import permissions, queries, services
from fccnet.training.forms import (
    ButtonForm,
    CalendarFilterForm,
    CourseForm,
    ProviderSearchForm,
    RegisterForm,
    SessionForm,
)
from fccnet.training.hours import hours_to_minutes, minutes_to_hours
from fccnet.training.ical import sessions_calendar
from fccnet.training.models import (
    CalendarFeed,
    CkcArea,
    Course,
    Credential,
    Delivery,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)

bp = Blueprint("training", __name__, url_prefix="/training")
login_required_for(bp)

# Calendar apps cannot sign in: the personal feed is reached by its secret address alone.
feed_bp = Blueprint("feeds", __name__, url_prefix="/feeds")

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
# What services.new_feed_token makes (token_urlsafe(32): 43 characters).
FEED_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
PROVIDER_MATCHES = 50
# A busy month of a large network holds hundreds of sessions.
SESSIONS_PER_PAGE = 40


def act(action: Callable[[], object], *, taken: str | None = None) -> Saved:
    """Run a button's service call and commit; a refusal is flashed for the page
    the person is sent back to (nothing is saved then)."""
    form = ButtonForm()
    saved = save(form, action, taken=(None, taken) if taken else None)
    for message in form.form_errors:
        flash(str(message), "danger")
    return saved


def locale_name() -> str:
    return str(get_locale())


def load_session(session_id: int) -> TrainingSession:
    return db.session.scalar(queries.load_session_page(session_id)) or abort(404)


def session_url(training_session: TrainingSession) -> str:
    return url_for("training.session", session_id=training_session.id, _external=True)


def ics_response(body: bytes, filename: str | None = None):
    if filename:
        return send_file(
            BytesIO(body),
            mimetype="text/calendar",
            as_attachment=True,
            download_name=filename,
            max_age=0,
        )
    response = make_response(body)
    response.mimetype = "text/calendar"
    return response


# --- Calendar --------------------------------------------------------------------------


def parse_month(value: str | None) -> date:
    """The first day of ?month=YYYY-MM, or of this month when absent or not a month."""
    match = MONTH_PATTERN.match(value or "")
    if match:
        year, month = int(match[1]), int(match[2])
        if 1900 < year < 2200 and 1 <= month <= 12:
            return date(year, month, 1)
    return local_today().replace(day=1)


def month_label(month: date) -> str:
    return format_skeleton("yMMMM", month, locale=get_locale())


@bp.route("/")
def calendar():
    require(permissions.can_view_calendar(current_user))
    locale = locale_name()
    areas = db.session.scalars(queries.list_ckc_areas()).all()
    form = CalendarFilterForm(request.args, areas=[(area.id, area.name(locale)) for area in areas])
    month = parse_month(request.args.get("month"))
    filters = queries.CalendarFilters()
    if form.validate():
        filters = queries.CalendarFilters(
            ckc_area_id=form.area.data,
            language=form.language.data or None,
            delivery=Delivery(form.delivery.data) if form.delivery.data else None,
        )
    filtered = bool(filters.ckc_area_id or filters.language or filters.delivery)
    form.month.data = month.strftime("%Y-%m")
    page = db.paginate(
        queries.list_month_sessions(month, filters),
        per_page=SESSIONS_PER_PAGE,
        error_out=False,
    )
    sessions = page.items

    own_id = own_provider_id(current_user)
    statuses = {}
    if own_id and sessions:
        statuses = dict(
            db.session.execute(
                queries.registration_statuses(own_id, [s.id for s in sessions])
            ).all()
        )
    kept = {
        key: value for key, value in request.args.items() if key in ("area", "language", "delivery")
    }
    previous_month, next_month = add_months(month, -1), add_months(month, 1)
    return render_template(
        "training/calendar.html",
        form=form,
        page=page,
        month=month,
        month_label=month_label(month),
        days=[
            (day, list(group))
            for day, group in groupby(sessions, key=lambda s: local_date(s.starts_at))
        ],
        filtered=filtered,
        statuses=statuses,
        own_id=own_id,
        previous_url=url_for("training.calendar", month=previous_month.strftime("%Y-%m"), **kept),
        previous_label=month_label(previous_month),
        next_url=url_for("training.calendar", month=next_month.strftime("%Y-%m"), **kept),
        next_label=month_label(next_month),
        this_month_url=url_for("training.calendar", **kept),
        locale=locale,
    )


# --- Catalog ---------------------------------------------------------------------------


def course_form(course: Course | None = None) -> CourseForm:
    """The form with active areas and credentials (and the course's own, if retired)."""
    locale = locale_name()
    areas = [
        (area.id, area.name(locale))
        for area in db.session.scalars(queries.list_ckc_areas(include_inactive=True))
        if area.active or (course is not None and area.id == course.ckc_area_id)
    ]
    credentials = [
        (credential.id, credential.name(locale))
        for credential in db.session.scalars(queries.list_credentials(include_inactive=True))
        if credential.active or (course is not None and credential.id == course.credential_id)
    ]
    form = CourseForm(obj=course, areas=areas, credentials=credentials)
    if course is None:
        del form.active
    elif request.method == "GET":
        form.credit_hours.data = minutes_to_hours(course.credit_minutes)
    return form


def course_input(form: CourseForm) -> services.CourseInput:
    credential_id = form.credential_id.data
    return services.CourseInput(
        title_en=form.title_en.data,
        title_es=form.title_es.data,
        description_en=form.description_en.data or "",
        description_es=form.description_es.data or "",
        ckc_area=db.session.get(CkcArea, form.ckc_area_id.data) or abort(400),
        credit_minutes=hours_to_minutes(form.credit_hours.data),
        delivery=Delivery(form.delivery.data),
        credential=db.session.get(Credential, credential_id) if credential_id else None,
        active=form.active.data if "active" in form else True,
    )


@bp.route("/courses")
def courses():
    require(permissions.can_manage_training(current_user))
    return render_template(
        "training/courses.html",
        courses=db.session.scalars(queries.list_courses()).all(),
        locale=locale_name(),
    )


@bp.route("/courses/new", methods=["GET", "POST"])
def create_course():
    require(permissions.can_manage_training(current_user))
    form = course_form()
    if form.validate_on_submit() and save(
        form, lambda: services.create_course(course_input(form), actor=current_actor())
    ):
        flash(_("Course added."), "success")
        return redirect(url_for("training.courses"))
    return render_template("training/course_form.html", form=form, course=None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
def edit_course(course_id: int):
    course = db.get_or_404(Course, course_id)
    require(permissions.can_manage_training(current_user))
    form = course_form(course)
    if form.validate_on_submit() and save(
        form, lambda: services.update_course(course, course_input(form), actor=current_actor())
    ):
        flash(_("Course saved."), "success")
        return redirect(url_for("training.courses"))
    return render_template("training/course_form.html", form=form, course=course)


# --- Sessions --------------------------------------------------------------------------


def session_form(training_session: TrainingSession | None = None) -> SessionForm:
    """Active courses and staff (and the session's own course and trainer, if retired)."""
    locale = locale_name()
    current_course = training_session.course_id if training_session else None
    current_trainer = training_session.trainer_id if training_session else None
    courses = [
        (course.id, course.title(locale))
        for course in db.session.scalars(queries.list_courses())
        if course.active or course.id == current_course
    ]
    trainers = db.session.execute(queries.list_staff_trainers(include_id=current_trainer)).all()
    return SessionForm(courses=courses, trainers=trainers)


def fill_session_form(form: SessionForm, training_session: TrainingSession) -> None:
    """The saved session, with its times in the network's zone."""
    zone = network_zone()
    starts = training_session.starts_at.astimezone(zone)
    ends = training_session.ends_at.astimezone(zone)
    form.course_id.data = training_session.course_id
    form.date.data = starts.date()
    form.starts_at.data = starts.time().replace(second=0, microsecond=0)
    form.ends_at.data = ends.time().replace(second=0, microsecond=0)
    form.location.data = training_session.location
    form.meeting_url.data = training_session.meeting_url
    form.language.data = training_session.language
    form.trainer_id.data = training_session.trainer_id
    form.trainer_name.data = training_session.trainer_name
    form.capacity.data = training_session.capacity


def local_moment(day: date, moment) -> datetime:
    """A date and a wall-clock time in the network's zone, as a UTC instant."""
    return datetime.combine(day, moment, tzinfo=network_zone()).astimezone(UTC)


def session_input(form: SessionForm) -> services.SessionInput:
    trainer_id = form.trainer_id.data
    return services.SessionInput(
        course=db.session.get(Course, form.course_id.data) or abort(400),
        starts_at=local_moment(form.date.data, form.starts_at.data),
        ends_at=local_moment(form.date.data, form.ends_at.data),
        capacity=form.capacity.data,
        language=form.language.data,
        location=form.location.data,
        meeting_url=form.meeting_url.data,
        trainer=db.session.get(User, trainer_id) if trainer_id else None,
        trainer_name=form.trainer_name.data,
    )


@bp.route("/sessions/new", methods=["GET", "POST"])
def create_session():
    require(permissions.can_manage_training(current_user))
    form = session_form()
    if request.method == "GET":
        form.course_id.data = request.args.get("course_id", type=int)
    if form.validate_on_submit() and (
        created := save(
            form, lambda: services.create_session(session_input(form), actor=current_actor())
        )
    ):
        flash(_("Session scheduled."), "success")
        return redirect(url_for("training.session", session_id=created.value.id))
    return render_template("training/session_form.html", form=form, training_session=None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(session_id: int):
    training_session = load_session(session_id)
    require(permissions.can_manage_training(current_user))
    form = session_form(training_session)
    if request.method == "GET":
        fill_session_form(form, training_session)
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_session(
            training_session, session_input(form), actor=current_actor()
        ),
    ):
        flash(_("Session saved."), "success")
        return redirect(url_for("training.session", session_id=training_session.id))
    return render_template(
        "training/session_form.html", form=form, training_session=training_session
    )


@bp.route("/sessions/<int:session_id>/cancel", methods=["POST"])
def cancel_session(session_id: int):
    training_session = load_session(session_id)
    require(permissions.can_manage_training(current_user))
    if act(lambda: services.cancel_session(training_session, actor=current_actor())):
        flash(_("The session is cancelled."), "success")
    return redirect(url_for("training.session", session_id=session_id))


def sees_meeting_link(training_session: TrainingSession, registration) -> bool:
    """Staff, and providers holding a seat in the session."""
    if permissions.can_register_others(current_user):
        return True
    return registration is not None and registration.status is RegistrationStatus.REGISTERED


def own_registration(training_session: TrainingSession, provider_id: int | None):
    if provider_id is None:
        return None
    return db.session.scalar(
        select(Registration).where(
            Registration.session_id == training_session.id,
            Registration.provider_id == provider_id,
        )
    )


@bp.route("/sessions/<int:session_id>", endpoint="session")
def session_detail(session_id: int):
    training_session = load_session(session_id)
    require(permissions.can_view_calendar(current_user))
    own_id = own_provider_id(current_user)
    registration = own_registration(training_session, own_id)
    position = None
    if registration is not None and registration.status is RegistrationStatus.WAITLISTED:
        position = db.session.scalar(queries.waitlist_position(registration))
    staff = permissions.can_register_others(current_user)
    registered = waitlisted = []
    search_form = register_form = None
    if staff:
        registered = db.session.scalars(
            queries.list_session_registrations(training_session.id, RegistrationStatus.REGISTERED)
        ).all()
        waitlisted = db.session.scalars(
            queries.list_session_registrations(training_session.id, RegistrationStatus.WAITLISTED)
        ).all()
        search_form = ProviderSearchForm(request.args)
        register_form = RegisterForm()
        register_form.provider_id.choices = []
        if search_form.validate() and search_form.q.data:
            matches = db.session.execute(
                queries.find_providers_to_register(search_form.q.data, limit=PROVIDER_MATCHES)
            ).all()
            register_form.provider_id.choices = [
                SelectChoice(
                    row.id,
                    row.legal_name + (f" ({row.preferred_name})" if row.preferred_name else ""),
                )
                for row in matches
            ]
    return render_template(
        "training/session.html",
        training_session=training_session,
        course=training_session.course,
        registration=registration,
        position=position,
        own_id=own_id,
        started=services.has_started(training_session),
        scheduled=training_session.status is SessionStatus.SCHEDULED,
        show_meeting_link=sees_meeting_link(training_session, registration),
        staff=staff,
        registered=registered,
        waitlisted=waitlisted,
        search_form=search_form,
        register_form=register_form,
        roster_url=(
            url_for("attendance.roster", session_id=training_session.id)
            if permissions.can_view_roster(current_user, training_session)
            else None
        ),
        locale=locale_name(),
        statuses=RegistrationStatus,
    )


@bp.route("/sessions/<int:session_id>.ics", endpoint="session_ics")
def session_ics(session_id: int):
    training_session = load_session(session_id)
    require(permissions.can_view_calendar(current_user))
    registration = own_registration(training_session, own_provider_id(current_user))
    locale = locale_name()
    body = sessions_calendar(
        [training_session],
        calendar_name=training_session.course.title(locale),
        locale=locale,
        session_url=session_url,
        with_meeting_links=sees_meeting_link(training_session, registration),
    )
    return ics_response(body, f"training-session-{training_session.id}.ics")


# --- Registration ----------------------------------------------------------------------


def registrant(form: RegisterForm) -> Provider | None:
    """Whom to register: a provider only ever themselves (another id is a 404)."""
    if current_user.is_provider:
        own_id = own_provider_id(current_user) or abort(404)
        if form.provider_id.data not in (None, own_id):
            abort(404)
        return db.session.get(Provider, own_id)
    if not form.provider_id.data:
        return None
    return db.session.get(Provider, form.provider_id.data) or abort(404)


@bp.route("/sessions/<int:session_id>/register", methods=["POST"])
def register(session_id: int):
    training_session = load_session(session_id)
    require(permissions.can_view_calendar(current_user))
    back = url_for("training.session", session_id=training_session.id)
    provider = registrant(RegisterForm())
    if provider is None:
        flash(_("Choose a provider to register."), "danger")
        return redirect(back)
    require(permissions.can_register_provider(current_user, provider), hide=True)
    self_service = not permissions.can_register_others(current_user)
    name = provider.display_name
    taken = (
        _("You are already registered for this session.")
        if self_service
        else _("%(name)s is already registered for this session.", name=name)
    )
    saved = act(
        lambda: services.register(training_session, provider, actor=current_actor()), taken=taken
    )
    if saved:
        registration = saved.value
        if registration.status is RegistrationStatus.REGISTERED:
            flash(
                _("You are registered.")
                if self_service
                else _("%(name)s is registered.", name=name),
                "success",
            )
        else:
            number = db.session.scalar(queries.waitlist_position(registration))
            flash(
                _("The session is full; you are on the waitlist (number %(n)d).", n=number)
                if self_service
                else _(
                    "The session is full; %(name)s is on the waitlist (number %(n)d).",
                    name=name,
                    n=number,
                ),
                "info",
            )
    return redirect(back)


@bp.route("/registrations/<int:registration_id>/cancel", methods=["POST"])
def cancel_registration(registration_id: int):
    registration = db.session.get(Registration, registration_id) or abort(404)
    require(permissions.can_cancel_registration(current_user, registration), hide=True)
    session_id = registration.session_id
    if saved := act(lambda: services.cancel_registration(registration, actor=current_actor())):
        flash(_("Registration cancelled."), "success")
        if saved.value and permissions.can_register_others(current_user):
            flash(
                _(
                    "Moved up from the waitlist: %(names)s.",
                    names=", ".join(moved.provider.display_name for moved in saved.value),
                ),
                "info",
            )
    return redirect(url_for("training.session", session_id=session_id))


# --- Personal calendar feed ------------------------------------------------------------


def load_own_feed_provider(provider_id: int) -> Provider:
    provider = load_provider(provider_id)
    require(permissions.can_manage_feed(current_user, provider), hide=True)
    return provider


@bp.route("/feed/<int:provider_id>")
def feed(provider_id: int):
    provider = load_own_feed_provider(provider_id)
    feed = db.session.get(CalendarFeed, provider.id)
    feed_url = url_for("feeds.personal_feed", token=feed.token, _external=True) if feed else None
    return render_template("training/feed.html", provider=provider, feed_url=feed_url)


@bp.route("/feed/<int:provider_id>/regenerate", methods=["POST"])
def regenerate_feed(provider_id: int):
    """Make the provider's feed address, or replace it."""
    provider = load_own_feed_provider(provider_id)
    replacing = db.session.get(CalendarFeed, provider.id) is not None
    if act(lambda: services.regenerate_feed(provider, actor=current_actor())):
        if replacing:
            flash(
                _(
                    "Your calendar has a new address. The old one no longer works: "
                    "update the subscription in your calendar app."
                ),
                "success",
            )
        else:
            flash(_("Your calendar address is ready. Add it to your calendar app."), "success")
    return redirect(url_for("training.feed", provider_id=provider.id))


@feed_bp.route("/<token>.ics")
def personal_feed(token: str):
    """A provider's registered sessions, for a calendar app (no sign-in: the token is the key)."""
    if not FEED_TOKEN_PATTERN.match(token):
        abort(404)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))
    if feed is None:
        abort(404)
    provider = db.session.get(Provider, feed.provider_id)
    # The feed is the provider's own: it ends with their account, as their sessions do.
    if provider is None or provider.is_deleted or not (provider.user and provider.user.active):
        abort(404)
    locale = provider_locale(provider)
    sessions = db.session.scalars(queries.list_feed_sessions(provider.id)).all()
    with force_locale(locale):
        name = _("Training: %(name)s", name=provider.display_name)
        body = sessions_calendar(
            sessions, calendar_name=name, locale=locale, session_url=session_url
        )
    return ics_response(body)
