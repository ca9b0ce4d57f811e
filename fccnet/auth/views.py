"""Signing in and out, passwords, language, and the managers' account pages."""

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from fccnet.auth import permissions, queries, services
from fccnet.auth.forms import (
    ChangePasswordForm,
    LanguageForm,
    SetPasswordForm,
    SignInForm,
    UserFilterForm,
    UserForm,
)
from fccnet.auth.models import User
from fccnet.errors import DomainError
from fccnet.extensions import db, limiter
from fccnet.forms import save, show_domain_error
from fccnet.permissions import current_actor, login_required_for, require
from fccnet.security import safe_next_url

bp = Blueprint("auth", __name__)
users_bp = Blueprint("users", __name__, url_prefix="/users")
login_required_for(users_bp)

USERS_PER_PAGE = 50
# Another request took the address between our check and our write: the
# database's unique constraint caught it.
EMAIL_TAKEN = ("email", services.EMAIL_TAKEN)


def _failure_limit() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT"]


def _attempt_failed(response) -> bool:
    # Only failed attempts count against the limits below.
    return g.get("attempt_failed", False)


def _sign_in_account_key() -> str:
    return "sign-in-account:" + services.normalise_email(request.form.get("email", ""))[:254]


def _password_change_account_key() -> str:
    return f"password-change-account:{current_user.id}"


def start_session(user: User) -> None:
    """A fresh session for `user`: nothing from before sign-in is carried over."""
    session.clear()
    login_user(user)


def end_session(*, keep_language: str) -> None:
    """Sign out here; the next pages stay in the person's language."""
    logout_user()
    session.clear()
    session["language"] = keep_language


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(
    _failure_limit, key_func=_sign_in_account_key, methods=["POST"], deduct_when=_attempt_failed
)
@limiter.limit(
    _failure_limit, key_func=get_remote_address, methods=["POST"], deduct_when=_attempt_failed
)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if request.method == "GET":
        form.next.data = safe_next_url(request.args.get("next")) or ""
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        db.session.commit()
        if user is None:
            g.attempt_failed = True
            form.form_errors.append(_("The email or password is not correct."))
        else:
            start_session(user)
            return redirect(safe_next_url(form.next.data) or url_for("home.index"))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    user = current_actor()
    services.sign_out(user)
    db.session.commit()
    end_session(keep_language=user.language)
    flash(_("You are signed out."), "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(
    _failure_limit,
    key_func=_password_change_account_key,
    methods=["POST"],
    deduct_when=_attempt_failed,
)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_actor()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except DomainError as error:
            g.attempt_failed = error.field == "current_password"
            show_domain_error(form, error)
        else:
            db.session.commit()
            start_session(user)
            flash(
                _("Your password is changed. Any other device you used is signed out."), "success"
            )
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)


LINK_SESSION_KEY = "set_password_token"


@bp.route("/set-password/<token>")
def open_password_link(token: str):
    """Move the token from the address into the session, so that it does not stay
    in the browser's history or reach the page's assets as a referrer."""
    if services.find_usable_link(token) is None:
        return render_template("auth/link_invalid.html"), 404
    session[LINK_SESSION_KEY] = token
    return redirect(url_for("auth.set_password"))


@bp.route("/set-password", methods=["GET", "POST"])
def set_password():
    token = session.get(LINK_SESSION_KEY)
    link = services.find_usable_link(token) if token else None
    if link is None:
        return render_template("auth/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password_with_link(link, form.password.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            end_session(keep_language=link.user.language)
            flash(_("Your password is set. Sign in with your email and new password."), "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/set_password.html", form=form, user=link.user)


def language_return_path() -> str:
    """Where the language switcher comes back to: this page, if it can be opened again."""
    rule = request.url_rule
    if rule is None or "GET" not in rule.methods:
        return url_for("home.index")
    return request.full_path if request.query_string else request.path


@bp.route("/language", methods=["POST"])
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            services.set_language(current_actor(), form.language.data)
            db.session.commit()
        session["language"] = form.language.data
    return redirect(safe_next_url(request.form.get("next")) or url_for("home.index"))


@users_bp.route("")
def index():
    require(permissions.can_manage_users(current_user))
    form = UserFilterForm(request.args)
    filters = form.data if form.validate() else {}
    page = db.paginate(
        queries.list_users(
            search=filters.get("q") or "",
            role=filters.get("role") or "",
            status=filters.get("status") or "",
        ),
        per_page=USERS_PER_PAGE,
        error_out=False,
    )
    return render_template("users/index.html", page=page, form=form)


@users_bp.route("/new", methods=["GET", "POST"])
def create():
    require(permissions.can_manage_users(current_user))
    form = UserForm()
    if form.validate_on_submit() and (
        created := save(
            form,
            lambda: services.create_user(**form.account_data(), actor=current_actor()),
            taken=EMAIL_TAKEN,
        )
    ):
        flash(
            _(
                "Account created. Issue a set-password link and hand it to %(name)s.",
                name=created.value.name,
            ),
            "success",
        )
        return redirect(url_for("users.edit", user_id=created.value.id))
    return render_template("users/form.html", form=form, user=None)


@users_bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    user = db.get_or_404(User, user_id)
    require(permissions.can_edit_user(current_user, user))
    form = UserForm(obj=user)
    if request.method == "GET":
        form.role.data = user.role.value
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_user(user, form.account_data(), actor=current_actor()),
        taken=EMAIL_TAKEN,
    ):
        flash(_("Account saved."), "success")
        return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/form.html", form=form, user=user)


@users_bp.route("/<int:user_id>/deactivate", methods=["POST"])
def deactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    require(permissions.can_deactivate_user(current_user, user))
    services.deactivate_user(user, actor=current_actor())
    db.session.commit()
    flash(_("%(name)s can no longer sign in.", name=user.name), "success")
    return redirect(url_for("users.edit", user_id=user.id))


@users_bp.route("/<int:user_id>/reactivate", methods=["POST"])
def reactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    require(permissions.can_reactivate_user(current_user, user))
    services.reactivate_user(user, actor=current_actor())
    db.session.commit()
    flash(_("%(name)s can sign in again.", name=user.name), "success")
    return redirect(url_for("users.edit", user_id=user.id))


@users_bp.route("/<int:user_id>/password-link", methods=["POST"])
def issue_password_link(user_id: int):
    user = db.get_or_404(User, user_id)
    require(permissions.can_issue_password_link(current_user, user))
    token = services.issue_set_password_link(user, actor=current_actor())
    db.session.commit()
    # Shown once, in this response only: the token is stored hashed.
    return render_template(
        "users/password_link.html",
        user=user,
        link=url_for("auth.open_password_link", token=token, _external=True),
        hours=current_app.config["SET_PASSWORD_LINK_HOURS"],
    )
