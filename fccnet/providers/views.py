"""The providers list, the provider page and its forms, households and caseloads."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from fccnet.audit.queries import list_audit_events_about
from fccnet.auth import services as auth_services
from fccnet.auth.models import Role, User
from fccnet.clock import local_today
from fccnet.coaching import queries as coaching_queries
from fccnet.coaching.forms import LABELS as COACHING_LABELS
from fccnet.coaching.timeline import latest_entries
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.forms import page_status, save, show_domain_error
from fccnet.licensing import queries as licensing_queries
from fccnet.licensing.forms import DocumentForm
from fccnet.licensing.models import LICENSED_STAGE_KEY, Stage
from fccnet.licensing.services import days_in_stages
from fccnet.permissions import current_actor, login_required_for, require
from fccnet.providers import permissions, queries, services
from fccnet.providers.forms import (
    AssignCoachForm,
    CaseloadForm,
    ContactForm,
    CreateProviderForm,
    DeleteProviderForm,
    HouseholdMemberForm,
    ProviderFilterForm,
    ProviderForm,
)
from fccnet.providers.models import HouseholdMember, Neighborhood, Provider, ReferralSource, Town

bp = Blueprint("providers", __name__, url_prefix="/providers")
login_required_for(bp)

PROVIDERS_PER_PAGE = 50


def active_coaches():
    """(id, name) of every active coach, for the coach lists."""
    return db.session.execute(
        select(User.id, User.name)
        .where(User.role == Role.COACH, User.active.is_(True))
        .order_by(User.name)
    ).all()


def stage_choices() -> list[SelectChoice]:
    locale = str(get_locale())
    stages = db.session.scalars(
        select(Stage).where(Stage.active.is_(True)).order_by(Stage.position)
    )
    return [SelectChoice(stage.id, stage.name(locale)) for stage in stages]


def coach_choices(coaches, empty_label) -> list[SelectChoice]:
    return [SelectChoice(None, empty_label)] + [SelectChoice(c.id, c.name) for c in coaches]


def place_choices():
    towns = list(db.session.scalars(select(Town).where(Town.active.is_(True)).order_by(Town.name)))
    neighborhoods = list(db.session.scalars(select(Neighborhood).order_by(Neighborhood.name)))
    return towns, neighborhoods


def provider_form(form_class, **kwargs):
    towns, neighborhoods = place_choices()
    locale = str(get_locale())
    sources = db.session.scalars(
        select(ReferralSource).where(ReferralSource.active.is_(True)).order_by(ReferralSource.id)
    )
    return form_class(
        towns=towns,
        neighborhoods=neighborhoods,
        referral_sources=[SelectChoice(source.id, source.name(locale)) for source in sources],
        **kwargs,
    )


def load_provider(provider_id: int) -> Provider:
    """The provider, or the same 404 for a missing record and one the user may not see."""
    provider = db.session.scalar(queries.load_provider_page(provider_id)) or abort(404)
    require(permissions.can_view_provider(current_user, provider), hide=True)
    return provider


def provider_filters(form: ProviderFilterForm, user: User) -> queries.ProviderFilters:
    """The list's filters from a validated filter form (deleted records for managers only)."""
    return queries.ProviderFilters(
        q=form.q.data or "",
        stage_id=form.stage.data,
        coach_id=form.coach.data,
        town_id=form.town.data,
        neighborhood_id=form.neighborhood.data,
        promise_zone=form.promise_zone.data,
        language=form.language.data or "",
        overdue=form.overdue.data,
        deleted=form.deleted.data and user.is_manager,
        sort=form.sort.data,
        descending=form.descending.data,
    )


@bp.route("")
def index():
    require(permissions.can_list_providers(current_user))
    towns, neighborhoods = place_choices()
    coaches = active_coaches()
    form = ProviderFilterForm(
        request.args,
        stages=stage_choices(),
        coaches=coaches,
        towns=towns,
        neighborhoods=neighborhoods,
    )
    filters = provider_filters(form, current_user) if form.validate() else queries.ProviderFilters()
    page = db.paginate(
        queries.list_providers(filters, today=local_today()),
        per_page=PROVIDERS_PER_PAGE,
        error_out=False,
    )
    locale = str(get_locale())
    # Names by id, deactivated entries included: listed records may still use them.
    return render_template(
        "providers/index.html",
        form=form,
        page=page,
        stage_names={stage.id: stage.name(locale) for stage in db.session.scalars(select(Stage))},
        town_names=dict(db.session.execute(select(Town.id, Town.name)).all()),
        neighborhood_names={hood.id: hood.name for hood in neighborhoods},
        coach_names=dict(db.session.execute(queries.coach_names()).all()),
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    require(permissions.can_create_provider(current_user))
    form = provider_form(CreateProviderForm)
    coaches = active_coaches()
    form.coach_id.choices = coach_choices(coaches, _("Nobody yet"))
    if request.method == "GET":
        form.first_contact_on.data = local_today()
        form.coach_id.data = current_user.id if current_user.is_coach else None
        form.languages.data = ["en"]
    duplicates = []
    if form.validate_on_submit():
        data = form.provider_data()
        coach = db.session.get(User, data["coach_id"]) if data["coach_id"] else None
        try:
            duplicates = services.find_duplicates(
                legal_name=data["legal_name"],
                town_id=data["town_id"],
                phone=data["phone"],
                email=data["email"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            if duplicates and form.confirm_new.data != "yes":
                # Shown once; saving again creates the record anyway.
                form.confirm_new.data = "yes"
            elif created := save(
                form, lambda: services.create_provider(data, actor=current_actor(), coach=coach)
            ):
                flash(_("Provider record created."), "success")
                return redirect(url_for("providers.detail", provider_id=created.value.id))
    return render_template("providers/create.html", form=form, duplicates=duplicates)


@bp.route("/<int:provider_id>")
def detail(provider_id: int):
    provider = load_provider(provider_id)
    staff = permissions.can_see_staff_fields(current_user)
    services.record_view(provider, actor=current_actor())
    today = local_today()
    # A provider sees their own items and documents, not their household members'.
    checklist = list(
        db.session.scalars(licensing_queries.list_checklist(provider.id, include_household=staff))
    )
    history = list(db.session.scalars(licensing_queries.list_stage_history(provider.id)))
    documents = list(
        db.session.scalars(licensing_queries.list_documents(provider.id, include_household=staff))
    )
    document_form = DocumentForm()
    document_form.checklist_item_id.choices = [SelectChoice(None, "—")] + [
        SelectChoice(item.id, item.requirement.name(str(get_locale()))) for item in checklist
    ]
    audit = []
    if permissions.can_view_provider_history(current_user, provider):
        audit = list(db.session.scalars(list_audit_events_about(provider).limit(50)))
    page = render_template(
        "providers/detail.html",
        provider=provider,
        staff=staff,
        checklist=checklist,
        compliance=list(
            db.session.scalars(
                licensing_queries.list_compliance(
                    today=today, provider_id=provider.id, include_household=staff
                )
            )
        ),
        history=days_in_stages(provider, history),
        documents=documents,
        document_form=document_form,
        audit=audit,
        today=today,
        locale=str(get_locale()),
        next_stage=db.session.scalar(licensing_queries.next_stage(provider.stage)),
        licensed_key=LICENSED_STAGE_KEY,
        coaching=coaching_queries.provider_coaching(provider.id, today=today),
        timeline=latest_entries(provider.id, staff=staff),
        **COACHING_LABELS,
    )
    db.session.commit()  # the view event
    return page


@bp.route("/<int:provider_id>/edit", methods=["GET", "POST"])
def edit(provider_id: int):
    provider = load_provider(provider_id)
    require(permissions.can_edit_provider(current_user, provider))
    form = provider_form(ProviderForm, obj=provider)
    if request.method == "GET":
        form.version.data = provider.version
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_provider(
            provider,
            form.provider_data(),
            actor=current_actor(),
            expected_version=form.opened_version(),
        ),
    ):
        flash(_("Provider record saved."), "success")
        return redirect(url_for("providers.detail", provider_id=provider.id))
    return render_template("providers/edit.html", form=form, provider=provider), page_status(form)


@bp.route("/<int:provider_id>/contact", methods=["GET", "POST"])
def contact(provider_id: int):
    """A provider keeps their own phone, email and language up to date."""
    provider = load_provider(provider_id)
    require(permissions.can_edit_own_contact(current_user, provider))
    form = ContactForm(obj=provider)
    if request.method == "GET":
        form.version.data = provider.version
        form.phone.data = provider.phone
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_provider(
            provider,
            {name: form[name].data for name in services.SELF_SERVICE_FIELDS},
            actor=current_actor(),
            expected_version=form.opened_version(),
            fields=services.SELF_SERVICE_FIELDS,
        ),
    ):
        flash(_("Your contact details are saved."), "success")
        return redirect(url_for("providers.detail", provider_id=provider.id))
    return render_template("providers/contact.html", form=form, provider=provider), page_status(
        form
    )


def _member_of(provider: Provider, member_id: int) -> HouseholdMember:
    member = db.session.get(HouseholdMember, member_id)
    if member is None or member.provider_id != provider.id:
        abort(404)
    return member


@bp.route("/<int:provider_id>/household/new", methods=["GET", "POST"])
@bp.route("/<int:provider_id>/household/<int:member_id>", methods=["GET", "POST"])
def household_member(provider_id: int, member_id: int | None = None):
    provider = load_provider(provider_id)
    require(permissions.can_edit_provider(current_user, provider))
    member = _member_of(provider, member_id) if member_id else None
    form = HouseholdMemberForm(obj=member)
    if request.method == "GET" and member is not None:
        form.version.data = member.version

    def save_member():
        if member is None:
            return services.add_household_member(
                provider, form.member_data(), actor=current_actor()
            )
        return services.update_household_member(
            member,
            form.member_data(),
            actor=current_actor(),
            expected_version=form.opened_version(),
        )

    if form.validate_on_submit() and save(form, save_member):
        flash(_("Household saved."), "success")
        return redirect(url_for("providers.detail", provider_id=provider.id, _anchor="household"))
    return render_template(
        "providers/household_member.html", form=form, provider=provider, member=member
    ), page_status(form)


@bp.route("/<int:provider_id>/coach", methods=["GET", "POST"])
def assign_coach(provider_id: int):
    provider = load_provider(provider_id)
    require(permissions.can_assign_coach(current_user, provider))
    form = AssignCoachForm(coach_id=provider.coach_id)
    form.coach_id.choices = coach_choices(active_coaches(), _("Nobody"))
    coach = db.session.get(User, form.coach_id.data) if form.coach_id.data else None
    if form.validate_on_submit() and save(
        form, lambda: services.assign_coach(provider, coach, actor=current_actor())
    ):
        flash(_("Coach assigned."), "success")
        return redirect(url_for("providers.detail", provider_id=provider.id))
    return render_template("providers/assign_coach.html", form=form, provider=provider)


@bp.route("/<int:provider_id>/delete", methods=["GET", "POST"])
def delete(provider_id: int):
    provider = load_provider(provider_id)
    require(permissions.can_delete_provider(current_user, provider))
    form = DeleteProviderForm()
    if form.validate_on_submit() and save(
        form,
        lambda: services.delete_provider(provider, actor=current_actor(), reason=form.reason.data),
    ):
        flash(_("The record is deleted. A manager can restore it."), "success")
        return redirect(url_for("providers.index"))
    return render_template("providers/delete.html", form=form, provider=provider)


@bp.route("/<int:provider_id>/restore", methods=["POST"])
def restore(provider_id: int):
    provider = load_provider(provider_id)
    require(permissions.can_restore_provider(current_user, provider))
    services.restore_provider(provider, actor=current_actor())
    db.session.commit()
    flash(_("The record is restored."), "success")
    return redirect(url_for("providers.detail", provider_id=provider.id))


@bp.route("/<int:provider_id>/invite", methods=["POST"])
def invite(provider_id: int):
    """Give the provider a sign-in account (if needed) and a one-time set-password link."""
    provider = load_provider(provider_id)
    require(permissions.can_invite_provider(current_user, provider))
    actor = current_actor()
    try:
        user = provider.user or services.create_provider_account(provider, actor=actor)
        token = auth_services.issue_set_password_link(user, actor=actor)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("providers.detail", provider_id=provider.id))
    return render_template(
        "users/password_link.html",
        user=user,
        link=url_for("auth.open_password_link", token=token, _external=True),
        hours=current_app.config["SET_PASSWORD_LINK_HOURS"],
        back_url=url_for("providers.detail", provider_id=provider.id),
    )


@bp.route("/caseloads", methods=["GET", "POST"])
def caseloads():
    require(permissions.can_assign_coach(current_user))
    form = CaseloadForm()
    coaches = active_coaches()
    everyone = db.session.scalars(select(User).where(User.role == Role.COACH).order_by(User.name))
    form.from_coach_id.choices = coach_choices(everyone, "—")
    form.to_coach_id.choices = coach_choices(coaches, "—")
    if form.validate_on_submit():
        from_coach = db.session.get(User, form.from_coach_id.data)
        to_coach = db.session.get(User, form.to_coach_id.data)
        if moved := save(
            form, lambda: services.reassign_caseload(from_coach, to_coach, actor=current_actor())
        ):
            flash(
                _("%(count)d providers moved to %(name)s.", count=moved.value, name=to_coach.name),
                "success",
            )
            return redirect(url_for("providers.caseloads"))
    counts = dict(db.session.execute(queries.count_caseloads()).all())
    return render_template("providers/caseloads.html", form=form, coaches=coaches, counts=counts)
