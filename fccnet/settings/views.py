"""The managers' pages for the network settings and managed lists: towns and
neighborhoods, how people heard of us, pipeline stages, requirement templates,
CKC areas, credentials and coaching topics."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from fccnet.coaching.models import CoachingTopic
from fccnet.extensions import db
from fccnet.forms import save
from fccnet.licensing.models import Requirement, Stage
from fccnet.permissions import current_actor, login_required_for, require
from fccnet.providers.models import Neighborhood, ReferralSource, Town
from fccnet.settings import queries, services
from fccnet.settings.forms import (
    APPLIES_TO_LABELS,
    CONDITION_LABELS,
    CkcAreaForm,
    CoachingTopicForm,
    CredentialForm,
    NeighborhoodForm,
    NetworkSettingsForm,
    ReferralSourceForm,
    RequirementForm,
    StageForm,
    TownForm,
)
from fccnet.settings.permissions import can_manage_settings
from fccnet.training import queries as training_queries
from fccnet.training.models import CkcArea, Credential

bp = Blueprint("settings", __name__, url_prefix="/settings")
login_required_for(bp)


def local_name(record) -> str:
    """A two-language record's name in the reader's language."""
    return record.name(str(get_locale()))


def form_names(form) -> dict:
    """A two-language form's English and Spanish names, for the services."""
    return {"name_en": form.name_en.data, "name_es": form.name_es.data}


def check_direction(direction: str) -> None:
    """Lists move "up" or "down"; any other address is not a page."""
    if direction not in services.DIRECTIONS:
        abort(404)


def moved(record, direction: str, move, back: str):
    """Move a list item up or down with the service `move`, then go back to the list."""
    require(can_manage_settings(current_user))
    check_direction(direction)
    if move(record, direction, actor=current_actor()):
        db.session.commit()
        flash(_("%(name)s moved.", name=local_name(record)), "success")
    return redirect(back)


def deactivated(record, deactivate, name: str, back: str):
    require(can_manage_settings(current_user))
    deactivate(record, actor=current_actor())
    db.session.commit()
    flash(_("%(name)s is deactivated. Records that use it keep it.", name=name), "success")
    return redirect(back)


def reactivated(record, reactivate, name: str, back: str):
    require(can_manage_settings(current_user))
    reactivate(record, actor=current_actor())
    db.session.commit()
    flash(_("%(name)s is in use again.", name=name), "success")
    return redirect(back)


# --- Network settings ----------------------------------------------------------------------------


@bp.route("", methods=["GET", "POST"])
def index():
    require(can_manage_settings(current_user))
    form = NetworkSettingsForm(data=services.all_settings())
    if form.validate_on_submit() and save(
        form,
        lambda: services.change_settings(
            {key: form[key].data for key in services.SETTINGS}, actor=current_actor()
        ),
    ):
        flash(_("Settings saved."), "success")
        return redirect(url_for("settings.index"))
    return render_template("settings/index.html", form=form)


# --- Towns and neighborhoods -----------------------------------------------------------------------


@bp.route("/towns")
def towns():
    require(can_manage_settings(current_user))
    rows = db.session.execute(queries.list_towns()).all()
    return render_template("settings/towns.html", rows=rows)


@bp.route("/towns/new", methods=["GET", "POST"])
def create_town():
    require(can_manage_settings(current_user))
    form = TownForm()
    if form.validate_on_submit() and (
        saved := save(
            form,
            lambda: services.create_town(form.name.data, actor=current_actor()),
            taken=("name", services.TOWN_TAKEN),
        )
    ):
        flash(_("Town added."), "success")
        return redirect(url_for("settings.edit_town", town_id=saved.value.id))
    return render_template("settings/town_form.html", form=form, town=None)


@bp.route("/towns/<int:town_id>", methods=["GET", "POST"])
def edit_town(town_id: int):
    town = db.get_or_404(Town, town_id)
    require(can_manage_settings(current_user))
    form = TownForm(obj=town)
    if form.validate_on_submit() and save(
        form,
        lambda: services.rename_town(town, form.name.data, actor=current_actor()),
        taken=("name", services.TOWN_TAKEN),
    ):
        flash(_("Town saved."), "success")
        return redirect(url_for("settings.edit_town", town_id=town.id))
    neighborhoods = db.session.scalars(queries.list_neighborhoods(town)).all()
    return render_template(
        "settings/town_form.html", form=form, town=town, neighborhoods=neighborhoods
    )


@bp.route("/towns/<int:town_id>/deactivate", methods=["POST"])
def deactivate_town(town_id: int):
    town = db.get_or_404(Town, town_id)
    return deactivated(
        town, services.deactivate_town, town.name, url_for("settings.edit_town", town_id=town.id)
    )


@bp.route("/towns/<int:town_id>/reactivate", methods=["POST"])
def reactivate_town(town_id: int):
    town = db.get_or_404(Town, town_id)
    return reactivated(
        town, services.reactivate_town, town.name, url_for("settings.edit_town", town_id=town.id)
    )


@bp.route("/towns/<int:town_id>/neighborhoods/new", methods=["GET", "POST"])
def create_neighborhood(town_id: int):
    town = db.get_or_404(Town, town_id)
    require(can_manage_settings(current_user))
    form = NeighborhoodForm()
    if form.validate_on_submit() and save(
        form,
        lambda: services.create_neighborhood(
            town, form.name.data, promise_zone=form.promise_zone.data, actor=current_actor()
        ),
        taken=("name", services.NEIGHBORHOOD_TAKEN),
    ):
        flash(_("Neighborhood added."), "success")
        return redirect(url_for("settings.edit_town", town_id=town.id))
    return render_template(
        "settings/neighborhood_form.html", form=form, town=town, neighborhood=None
    )


@bp.route("/neighborhoods/<int:neighborhood_id>", methods=["GET", "POST"])
def edit_neighborhood(neighborhood_id: int):
    neighborhood = db.get_or_404(Neighborhood, neighborhood_id)
    require(can_manage_settings(current_user))
    town = neighborhood.town
    form = NeighborhoodForm(obj=neighborhood)
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_neighborhood(
            neighborhood,
            {"name": form.name.data, "promise_zone": form.promise_zone.data},
            actor=current_actor(),
        ),
        taken=("name", services.NEIGHBORHOOD_TAKEN),
    ):
        flash(_("Neighborhood saved."), "success")
        return redirect(url_for("settings.edit_town", town_id=town.id))
    return render_template(
        "settings/neighborhood_form.html", form=form, town=town, neighborhood=neighborhood
    )


# --- How people heard of the network --------------------------------------------------------------


@bp.route("/how-heard")
def referral_sources():
    require(can_manage_settings(current_user))
    sources = db.session.scalars(queries.list_referral_sources()).all()
    return render_template("settings/referral_sources.html", sources=sources)


@bp.route("/how-heard/new", methods=["GET", "POST"])
def create_referral_source():
    require(can_manage_settings(current_user))
    form = ReferralSourceForm()
    if form.validate_on_submit() and save(
        form,
        lambda: services.create_referral_source(form_names(form), actor=current_actor()),
        taken=("name_en", services.REFERRAL_TAKEN),
    ):
        flash(_("Answer added."), "success")
        return redirect(url_for("settings.referral_sources"))
    return render_template("settings/referral_source_form.html", form=form, source=None)


@bp.route("/how-heard/<int:referral_source_id>", methods=["GET", "POST"])
def edit_referral_source(referral_source_id: int):
    source = db.get_or_404(ReferralSource, referral_source_id)
    require(can_manage_settings(current_user))
    form = ReferralSourceForm(obj=source)
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_referral_source(source, form_names(form), actor=current_actor()),
        taken=("name_en", services.REFERRAL_TAKEN),
    ):
        flash(_("Answer saved."), "success")
        return redirect(url_for("settings.referral_sources"))
    return render_template("settings/referral_source_form.html", form=form, source=source)


@bp.route("/how-heard/<int:referral_source_id>/deactivate", methods=["POST"])
def deactivate_referral_source(referral_source_id: int):
    source = db.get_or_404(ReferralSource, referral_source_id)
    return deactivated(
        source,
        services.deactivate_referral_source,
        local_name(source),
        url_for("settings.edit_referral_source", referral_source_id=source.id),
    )


@bp.route("/how-heard/<int:referral_source_id>/reactivate", methods=["POST"])
def reactivate_referral_source(referral_source_id: int):
    source = db.get_or_404(ReferralSource, referral_source_id)
    return reactivated(
        source,
        services.reactivate_referral_source,
        local_name(source),
        url_for("settings.edit_referral_source", referral_source_id=source.id),
    )


# --- Pipeline stages -----------------------------------------------------------------------------


def _stage_data(form: StageForm) -> dict:
    return {field: form[field].data for field in services.STAGE_FIELDS}


@bp.route("/stages")
def stages():
    require(can_manage_settings(current_user))
    rows = db.session.scalars(queries.list_stages()).all()
    return render_template("settings/stages.html", stages=rows)


@bp.route("/stages/new", methods=["GET", "POST"])
def create_stage():
    require(can_manage_settings(current_user))
    form = StageForm()
    if form.validate_on_submit() and save(
        form,
        lambda: services.create_stage(_stage_data(form), actor=current_actor()),
    ):
        flash(_("Stage added at the end of the list."), "success")
        return redirect(url_for("settings.stages"))
    return render_template("settings/stage_form.html", form=form, stage=None)


@bp.route("/stages/<int:stage_id>", methods=["GET", "POST"])
def edit_stage(stage_id: int):
    stage = db.get_or_404(Stage, stage_id)
    require(can_manage_settings(current_user))
    form = StageForm(obj=stage)
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_stage(stage, _stage_data(form), actor=current_actor()),
    ):
        flash(_("Stage saved."), "success")
        return redirect(url_for("settings.stages"))
    return render_template("settings/stage_form.html", form=form, stage=stage)


@bp.route("/stages/<int:stage_id>/move/<direction>", methods=["POST"])
def move_stage(stage_id: int, direction: str):
    stage = db.get_or_404(Stage, stage_id)
    return moved(stage, direction, services.move_stage, url_for("settings.stages"))


# --- Requirement templates -----------------------------------------------------------------------


@bp.route("/requirements")
def requirements():
    require(can_manage_settings(current_user))
    rows = db.session.scalars(queries.list_requirements()).all()
    return render_template(
        "settings/requirements.html",
        requirements=rows,
        applies_to_labels=APPLIES_TO_LABELS,
        condition_labels=CONDITION_LABELS,
    )


@bp.route("/requirements/new", methods=["GET", "POST"])
def create_requirement():
    require(can_manage_settings(current_user))
    form = RequirementForm()
    if form.validate_on_submit() and save(
        form,
        lambda: services.create_requirement(form.requirement_data(), actor=current_actor()),
    ):
        flash(_("Requirement added at the end of the list."), "success")
        return redirect(url_for("settings.requirements"))
    return render_template("settings/requirement_form.html", form=form, requirement=None)


@bp.route("/requirements/<int:requirement_id>", methods=["GET", "POST"])
def edit_requirement(requirement_id: int):
    requirement = db.get_or_404(Requirement, requirement_id)
    require(can_manage_settings(current_user))
    form = RequirementForm(obj=requirement)
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_requirement(
            requirement, form.requirement_data(), actor=current_actor()
        ),
    ):
        flash(_("Requirement saved."), "success")
        return redirect(url_for("settings.requirements"))
    return render_template("settings/requirement_form.html", form=form, requirement=requirement)


@bp.route("/requirements/<int:requirement_id>/move/<direction>", methods=["POST"])
def move_requirement(requirement_id: int, direction: str):
    requirement = db.get_or_404(Requirement, requirement_id)
    return moved(
        requirement, direction, services.move_requirement, url_for("settings.requirements")
    )


# --- CKC areas -------------------------------------------------------------------------------------


@bp.route("/ckc-areas")
def ckc_areas():
    require(can_manage_settings(current_user))
    rows = db.session.scalars(training_queries.list_ckc_areas(include_inactive=True)).all()
    return render_template("settings/ckc_areas.html", areas=rows)


@bp.route("/ckc-areas/new", methods=["GET", "POST"])
def create_ckc_area():
    require(can_manage_settings(current_user))
    form = CkcAreaForm()
    if form.validate_on_submit() and save(
        form,
        lambda: services.create_ckc_area(form_names(form), actor=current_actor()),
        taken=("name_en", services.CKC_AREA_TAKEN),
    ):
        flash(_("CKC area added at the end of the list."), "success")
        return redirect(url_for("settings.ckc_areas"))
    return render_template("settings/ckc_area_form.html", form=form, area=None)


@bp.route("/ckc-areas/<int:ckc_area_id>", methods=["GET", "POST"])
def edit_ckc_area(ckc_area_id: int):
    area = db.get_or_404(CkcArea, ckc_area_id)
    require(can_manage_settings(current_user))
    form = CkcAreaForm(obj=area)
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_ckc_area(area, form_names(form), actor=current_actor()),
        taken=("name_en", services.CKC_AREA_TAKEN),
    ):
        flash(_("CKC area saved."), "success")
        return redirect(url_for("settings.ckc_areas"))
    return render_template("settings/ckc_area_form.html", form=form, area=area)


@bp.route("/ckc-areas/<int:ckc_area_id>/move/<direction>", methods=["POST"])
def move_ckc_area(ckc_area_id: int, direction: str):
    area = db.get_or_404(CkcArea, ckc_area_id)
    return moved(area, direction, services.move_ckc_area, url_for("settings.ckc_areas"))


@bp.route("/ckc-areas/<int:ckc_area_id>/deactivate", methods=["POST"])
def deactivate_ckc_area(ckc_area_id: int):
    area = db.get_or_404(CkcArea, ckc_area_id)
    return deactivated(
        area,
        services.deactivate_ckc_area,
        local_name(area),
        url_for("settings.edit_ckc_area", ckc_area_id=area.id),
    )


@bp.route("/ckc-areas/<int:ckc_area_id>/reactivate", methods=["POST"])
def reactivate_ckc_area(ckc_area_id: int):
    area = db.get_or_404(CkcArea, ckc_area_id)
    return reactivated(
        area,
        services.reactivate_ckc_area,
        local_name(area),
        url_for("settings.edit_ckc_area", ckc_area_id=area.id),
    )


# --- Credentials -----------------------------------------------------------------------------------


def _credential_form(credential: Credential | None) -> CredentialForm:
    """The form, offering the requirements in use and the one linked now (even if not)."""
    linked = credential.requirement_id if credential else None
    offered = queries.list_requirements().where(
        or_(Requirement.active.is_(True), Requirement.id == linked)
    )
    return CredentialForm(obj=credential, requirements=db.session.scalars(offered).all())


@bp.route("/credentials")
def credentials():
    require(can_manage_settings(current_user))
    rows = db.session.scalars(
        training_queries.list_credentials(include_inactive=True).options(
            joinedload(Credential.requirement)
        )
    ).all()
    return render_template("settings/credentials.html", credentials=rows)


@bp.route("/credentials/new", methods=["GET", "POST"])
def create_credential():
    require(can_manage_settings(current_user))
    form = _credential_form(None)
    if form.validate_on_submit() and save(
        form,
        lambda: services.create_credential(form.credential_data(), actor=current_actor()),
        taken=("name_en", services.CREDENTIAL_TAKEN),
    ):
        flash(_("Credential added at the end of the list."), "success")
        return redirect(url_for("settings.credentials"))
    return render_template("settings/credential_form.html", form=form, credential=None)


@bp.route("/credentials/<int:credential_id>", methods=["GET", "POST"])
def edit_credential(credential_id: int):
    credential = db.get_or_404(Credential, credential_id)
    require(can_manage_settings(current_user))
    form = _credential_form(credential)
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_credential(
            credential, form.credential_data(), actor=current_actor()
        ),
        taken=("name_en", services.CREDENTIAL_TAKEN),
    ):
        flash(_("Credential saved."), "success")
        return redirect(url_for("settings.credentials"))
    return render_template("settings/credential_form.html", form=form, credential=credential)


@bp.route("/credentials/<int:credential_id>/move/<direction>", methods=["POST"])
def move_credential(credential_id: int, direction: str):
    credential = db.get_or_404(Credential, credential_id)
    return moved(credential, direction, services.move_credential, url_for("settings.credentials"))


@bp.route("/credentials/<int:credential_id>/deactivate", methods=["POST"])
def deactivate_credential(credential_id: int):
    credential = db.get_or_404(Credential, credential_id)
    return deactivated(
        credential,
        services.deactivate_credential,
        local_name(credential),
        url_for("settings.edit_credential", credential_id=credential.id),
    )


@bp.route("/credentials/<int:credential_id>/reactivate", methods=["POST"])
def reactivate_credential(credential_id: int):
    credential = db.get_or_404(Credential, credential_id)
    return reactivated(
        credential,
        services.reactivate_credential,
        local_name(credential),
        url_for("settings.edit_credential", credential_id=credential.id),
    )


# --- Coaching topics -------------------------------------------------------------------------------


@bp.route("/coaching-topics")
def coaching_topics():
    require(can_manage_settings(current_user))
    rows = db.session.scalars(queries.list_coaching_topics()).all()
    return render_template("settings/coaching_topics.html", topics=rows)


@bp.route("/coaching-topics/new", methods=["GET", "POST"])
def create_coaching_topic():
    require(can_manage_settings(current_user))
    form = CoachingTopicForm()
    if form.validate_on_submit() and save(
        form,
        lambda: services.create_coaching_topic(form_names(form), actor=current_actor()),
        taken=("name_en", services.COACHING_TOPIC_TAKEN),
    ):
        flash(_("Coaching topic added at the end of the list."), "success")
        return redirect(url_for("settings.coaching_topics"))
    return render_template("settings/coaching_topic_form.html", form=form, topic=None)


@bp.route("/coaching-topics/<int:coaching_topic_id>", methods=["GET", "POST"])
def edit_coaching_topic(coaching_topic_id: int):
    topic = db.get_or_404(CoachingTopic, coaching_topic_id)
    require(can_manage_settings(current_user))
    form = CoachingTopicForm(obj=topic)
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_coaching_topic(topic, form_names(form), actor=current_actor()),
        taken=("name_en", services.COACHING_TOPIC_TAKEN),
    ):
        flash(_("Coaching topic saved."), "success")
        return redirect(url_for("settings.coaching_topics"))
    return render_template("settings/coaching_topic_form.html", form=form, topic=topic)


@bp.route("/coaching-topics/<int:coaching_topic_id>/move/<direction>", methods=["POST"])
def move_coaching_topic(coaching_topic_id: int, direction: str):
    topic = db.get_or_404(CoachingTopic, coaching_topic_id)
    return moved(
        topic, direction, services.move_coaching_topic, url_for("settings.coaching_topics")
    )


@bp.route("/coaching-topics/<int:coaching_topic_id>/deactivate", methods=["POST"])
def deactivate_coaching_topic(coaching_topic_id: int):
    topic = db.get_or_404(CoachingTopic, coaching_topic_id)
    return deactivated(
        topic,
        services.deactivate_coaching_topic,
        local_name(topic),
        url_for("settings.edit_coaching_topic", coaching_topic_id=topic.id),
    )


@bp.route("/coaching-topics/<int:coaching_topic_id>/reactivate", methods=["POST"])
def reactivate_coaching_topic(coaching_topic_id: int):
    topic = db.get_or_404(CoachingTopic, coaching_topic_id)
    return reactivated(
        topic,
        services.reactivate_coaching_topic,
        local_name(topic),
        url_for("settings.edit_coaching_topic", coaching_topic_id=topic.id),
    )
