"""Coaching contacts (with addenda, versions and deletion), action items, goals and the
provider timeline. Every page hangs off the provider's record."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from fccnet.clock import local_today
from fccnet.coaching import queries, services
from fccnet.coaching.forms import (
    LABELS,
    ActionItemForm,
    AddendumForm,
    CloseActionItemForm,
    CoachingContactForm,
    DeleteContactForm,
    GoalForm,
    GoalProgressForm,
    LogContactForm,
)
from fccnet.coaching.models import ActionItem, ActionStatus, Contact, Goal, GoalStatus, ItemOwner
from fccnet.coaching.permissions import (
    can_add_addendum,
    can_close_action_item,
    can_correct_contact,
    can_delete_contact,
    can_edit_action_item,
    can_edit_contact,
    can_log_contact,
    can_manage_action_items,
    can_manage_goals,
    can_view_contact,
    can_view_contact_versions,
    can_view_internal_notes,
)
from fccnet.coaching.services import ActionItemInput, ContactInput, GoalInput
from fccnet.coaching.timeline import timeline_page
from fccnet.database import MAX_ID
from fccnet.errors import DomainError
from fccnet.extensions import db
from fccnet.forms import page_status, save, show_conflict
from fccnet.permissions import current_actor, login_required_for, require
from fccnet.providers.models import Provider
from fccnet.providers.views import load_provider

bp = Blueprint("coaching", __name__, url_prefix="/providers/<int:provider_id>")
login_required_for(bp)

CONTACTS_PER_PAGE = 20


def locale() -> str:
    return str(get_locale())


def page_context() -> dict:
    return {"today": local_today(), "locale": locale(), **LABELS}


def back_to(provider: Provider, anchor: str):
    return redirect(url_for("providers.detail", provider_id=provider.id, _anchor=anchor))


def record_of(provider: Provider, model, record_id: int):
    """The provider's contact, action item or goal of this id; a 404 for another's."""
    record = db.session.get(model, record_id)
    if record is None or record.provider_id != provider.id:
        abort(404)
    return record


def load_contact(provider: Provider, contact_id: int) -> Contact:
    """The contact, or a 404: also for a deleted one, except to managers."""
    contact = record_of(provider, Contact, contact_id)
    require(can_view_contact(current_user, contact), hide=True)
    return contact


def contact_form(form_class, contact: Contact | None = None, **kwargs):
    chosen = [topic.id for topic in contact.topics] if contact else []
    topics = list(db.session.scalars(queries.list_topics_for_form(chosen)))
    return form_class(topics=topics, locale=locale(), **kwargs)


def contact_input(form: CoachingContactForm) -> ContactInput:
    return ContactInput(
        contacted_on=form.contacted_on.data,
        minutes=form.minutes.data,
        mode=form.mode.data,
        summary=form.summary.data or "",
        internal_notes=form.internal_notes.data or "",
        next_steps=form.next_steps.data or "",
        topics=form.chosen_topics(),
    )


# --- Contacts ---------------------------------------------------------------------------


@bp.route("/contacts/new", methods=["GET", "POST"])
def log_contact(provider_id: int):
    provider = load_provider(provider_id)
    require(can_log_contact(current_user, provider))
    form = contact_form(LogContactForm)
    if request.method == "GET":
        form.contacted_on.data = local_today()

    def log():
        actor = current_actor()
        contact = services.log_contact(provider, contact_input(form), actor=actor)
        for row in form.action_items:
            if row.form.description.data:
                services.create_action_item(
                    provider, action_item_input(row.form), actor=actor, contact=contact
                )
        return contact

    if form.validate_on_submit() and (saved := save(form, log)):
        flash(_("Contact logged."), "success")
        return redirect(
            url_for("coaching.contact", provider_id=provider.id, contact_id=saved.value.id)
        )
    return render_template(
        "coaching/log_contact.html", form=form, provider=provider, **page_context()
    ), page_status(form)


@bp.route("/contacts")
def contacts(provider_id: int):
    provider = load_provider(provider_id)
    page = db.paginate(
        queries.list_contacts(provider.id), per_page=CONTACTS_PER_PAGE, error_out=False
    )
    return render_template(
        "coaching/contacts.html",
        provider=provider,
        page=page,
        staff=can_view_internal_notes(current_user),
        **page_context(),
    )


def render_contact(provider: Provider, contact: Contact, addendum_form=None, status=200):
    staff = can_view_internal_notes(current_user)
    versions, version_topics = [], {}
    if can_view_contact_versions(current_user, contact):
        versions = list(db.session.scalars(queries.list_contact_versions(contact.id)))
        topic_ids = {topic_id for version in versions for topic_id in version.topic_ids}
        if topic_ids:
            version_topics = {
                topic.id: topic
                for topic in db.session.scalars(queries.list_topics_by_id(topic_ids))
            }
    return render_template(
        "coaching/contact.html",
        provider=provider,
        contact=contact,
        staff=staff,
        addenda=list(db.session.scalars(queries.list_addenda(contact.id, include_internal=staff))),
        action_items=list(
            db.session.scalars(queries.list_action_items(provider.id, contact_id=contact.id))
        ),
        versions=versions,
        version_topics=version_topics,
        addendum_form=addendum_form or AddendumForm(),
        **page_context(),
    ), status


@bp.route("/contacts/<int:contact_id>")
def contact(provider_id: int, contact_id: int):
    provider = load_provider(provider_id)
    return render_contact(provider, load_contact(provider, contact_id))


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
def edit_contact(provider_id: int, contact_id: int):
    provider = load_provider(provider_id)
    contact = load_contact(provider, contact_id)
    # A correction typed while the window closed is shown back with the reason, not lost.
    require(
        can_correct_contact(current_user, contact)
        if request.method == "POST"
        else can_edit_contact(current_user, contact)
    )
    form = contact_form(CoachingContactForm, contact, obj=contact)
    if request.method == "GET":
        form.topic_ids.data = [topic.id for topic in contact.topics]
        form.mode.data = contact.mode.value
        form.version.data = contact.version
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_contact(
            contact,
            contact_input(form),
            actor=current_actor(),
            expected_version=form.opened_version(),
        ),
    ):
        flash(_("Contact saved."), "success")
        return redirect(url_for("coaching.contact", provider_id=provider.id, contact_id=contact.id))
    return render_template(
        "coaching/edit_contact.html",
        form=form,
        provider=provider,
        contact=contact,
        **page_context(),
    ), page_status(form)


@bp.route("/contacts/<int:contact_id>/addenda", methods=["POST"])
def add_addendum(provider_id: int, contact_id: int):
    provider = load_provider(provider_id)
    contact = load_contact(provider, contact_id)
    require(can_add_addendum(current_user, contact))
    form = AddendumForm()
    if form.validate_on_submit() and save(
        form,
        lambda: services.add_addendum(
            contact, form.text.data, actor=current_actor(), internal=not form.shared.data
        ),
    ):
        flash(_("Addendum added."), "success")
        return redirect(
            url_for(
                "coaching.contact",
                provider_id=provider.id,
                contact_id=contact.id,
                _anchor="addenda",
            )
        )
    return render_contact(provider, contact, addendum_form=form)


@bp.route("/contacts/<int:contact_id>/delete", methods=["GET", "POST"])
def delete_contact(provider_id: int, contact_id: int):
    provider = load_provider(provider_id)
    contact = load_contact(provider, contact_id)
    require(can_delete_contact(current_user, contact))
    form = DeleteContactForm()
    if form.validate_on_submit() and save(
        form, lambda: services.delete_contact(contact, form.reason.data, actor=current_actor())
    ):
        flash(_("The contact is deleted."), "success")
        return back_to(provider, "coaching")
    return render_template(
        "coaching/delete_contact.html",
        form=form,
        provider=provider,
        contact=contact,
        **page_context(),
    )


# --- Action items -----------------------------------------------------------------------


def load_action_item(provider: Provider, item_id: int) -> ActionItem:
    return record_of(provider, ActionItem, item_id)


def action_item_input(form) -> ActionItemInput:
    return ActionItemInput(
        description=form.description.data,
        owner=ItemOwner(form.owner.data),
        due_on=form.due_on.data,
    )


@bp.route("/action-items/new", methods=["GET", "POST"])
def new_action_item(provider_id: int):
    provider = load_provider(provider_id)
    require(can_manage_action_items(current_user, provider))
    contact = None
    if contact_id := request.args.get("contact_id", type=int):
        require(0 < contact_id <= MAX_ID, hide=True)
        contact = load_contact(provider, contact_id)
    form = ActionItemForm()
    if form.validate_on_submit() and save(
        form,
        lambda: services.create_action_item(
            provider, action_item_input(form), actor=current_actor(), contact=contact
        ),
    ):
        flash(_("Action item added."), "success")
        return back_to(provider, "action-items")
    return render_template(
        "coaching/action_item.html", form=form, provider=provider, item=None, **page_context()
    )


@bp.route("/action-items/<int:item_id>/edit", methods=["GET", "POST"])
def edit_action_item(provider_id: int, item_id: int):
    provider = load_provider(provider_id)
    item = load_action_item(provider, item_id)
    # Closed since the form was opened: the 409 page (the version moved), nothing lost.
    require(
        can_manage_action_items(current_user, provider)
        if request.method == "POST"
        else can_edit_action_item(current_user, item)
    )
    form = ActionItemForm(obj=item)
    if request.method == "GET":
        form.owner.data = item.owner.value
        form.version.data = item.version
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_action_item(
            item,
            action_item_input(form),
            actor=current_actor(),
            expected_version=form.opened_version(),
        ),
    ):
        flash(_("Action item saved."), "success")
        return back_to(provider, "action-items")
    return render_template(
        "coaching/action_item.html", form=form, provider=provider, item=item, **page_context()
    ), page_status(form)


@bp.route("/action-items/<int:item_id>/close", methods=["GET", "POST"])
def close_action_item(provider_id: int, item_id: int):
    provider = load_provider(provider_id)
    item = load_action_item(provider, item_id)
    form = CloseActionItemForm()
    if request.method == "POST" and form.opened_version() not in (None, item.version):
        # Changed since the form was opened (perhaps no longer this person's to close):
        # the 409 page shows what changed and keeps the comment.
        form.validate()
        show_conflict(form, item)
        return render_template(
            "coaching/close_action_item.html",
            form=form,
            provider=provider,
            item=item,
            **page_context(),
        ), page_status(form)
    require(can_close_action_item(current_user, item))
    staff = can_manage_action_items(current_user, provider)
    if not staff:
        # A provider marks their own items done; dropping one is agreed with the coach.
        form.status.choices = form.status.choices[:1]
    if request.method == "GET":
        if item.status is not ActionStatus.OPEN:
            flash(_("This action item is already closed."), "info")
            return back_to(provider, "action-items")
        form.version.data = item.version
    if form.validate_on_submit() and save(
        form,
        lambda: services.close_action_item(
            item,
            ActionStatus(form.status.data),
            actor=current_actor(),
            comment=form.comment.data,
            expected_version=form.opened_version(),
        ),
    ):
        flash(_("Action item closed."), "success")
        return back_to(provider, "action-items")
    return render_template(
        "coaching/close_action_item.html", form=form, provider=provider, item=item, **page_context()
    ), page_status(form)


@bp.route("/action-items/<int:item_id>/reopen", methods=["POST"])
def reopen_action_item(provider_id: int, item_id: int):
    provider = load_provider(provider_id)
    require(can_manage_action_items(current_user, provider))
    item = load_action_item(provider, item_id)
    try:
        services.reopen_action_item(item, actor=current_actor())
    except DomainError as error:
        flash(str(error), "info")
    else:
        db.session.commit()
        flash(_("Action item reopened."), "success")
    return back_to(provider, "action-items")


# --- Goals ------------------------------------------------------------------------------


def load_goal(provider: Provider, goal_id: int) -> Goal:
    return record_of(provider, Goal, goal_id)


def goal_input(form: GoalForm) -> GoalInput:
    return GoalInput(
        description=form.description.data,
        target_on=form.target_on.data,
        status=GoalStatus(form.status.data),
    )


@bp.route("/goals/new", methods=["GET", "POST"])
@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def goal(provider_id: int, goal_id: int | None = None):
    provider = load_provider(provider_id)
    require(can_manage_goals(current_user, provider))
    existing = load_goal(provider, goal_id) if goal_id else None
    form = GoalForm(obj=existing)
    if request.method == "GET" and existing:
        form.status.data = existing.status.value
        form.version.data = existing.version

    def save_goal():
        if existing is None:
            return services.create_goal(provider, goal_input(form), actor=current_actor())
        return services.update_goal(
            existing,
            goal_input(form),
            actor=current_actor(),
            expected_version=form.opened_version(),
        )

    if form.validate_on_submit() and save(form, save_goal):
        flash(_("Goal saved."), "success")
        return back_to(provider, "goals")
    return render_template(
        "coaching/goal.html", form=form, provider=provider, goal=existing, **page_context()
    ), page_status(form)


@bp.route("/goals/<int:goal_id>/progress", methods=["GET", "POST"])
def goal_progress(provider_id: int, goal_id: int):
    provider = load_provider(provider_id)
    require(can_manage_goals(current_user, provider))
    goal = load_goal(provider, goal_id)
    form = GoalProgressForm()
    if request.method == "GET":
        form.noted_on.data = local_today()
    if form.validate_on_submit() and save(
        form,
        lambda: services.add_goal_progress(
            goal, form.note.data, actor=current_actor(), noted_on=form.noted_on.data
        ),
    ):
        flash(_("Progress noted."), "success")
        return back_to(provider, "goals")
    return render_template(
        "coaching/goal_progress.html", form=form, provider=provider, goal=goal, **page_context()
    )


# --- Timeline ---------------------------------------------------------------------------


@bp.route("/timeline")
def timeline(provider_id: int):
    provider = load_provider(provider_id)
    page = timeline_page(
        provider.id,
        staff=can_view_internal_notes(current_user),
        page=request.args.get("page", 1, type=int),
    )
    return render_template("coaching/timeline.html", provider=provider, page=page, **page_context())
