"""Token screens: the "API-nycklar" section of Mina inställningar (create, revoke) and the admin
list of every user's tokens with the maximum lifetime. Thin: they call app.api.tokens."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.api import tokens
from app.api.models import SCOPES
from app.auth.decorators import permission_required
from app.core.errors import DomainError
from app.core.forms import options
from app.core.permissions import Perm
from app.core.time import utcnow
from app.core.web import apply_errors, submit
from app.extensions import db

bp = Blueprint("tokens", __name__)


class TokenForm(FlaskForm):
    name = StringField(
        "Namn",
        description="Vilket system eller vilken integration som ska använda nyckeln, t.ex. ”Intranätet”.",
        validators=[DataRequired(message="Ge nyckeln ett namn."), Length(max=100)],
    )
    scope = SelectField("Behörighet", choices=options(SCOPES.items()), default="read")
    days = IntegerField(
        "Giltig i antal dagar",
        validators=[Optional(), NumberRange(min=1, max=3650, message="Ange ett antal dagar.")],
    )


class PolicyForm(FlaskForm):
    max_days = IntegerField(
        "Längsta giltighetstid för nya nycklar (dagar)",
        validators=[
            DataRequired(message="Ange ett antal dagar."),
            NumberRange(min=1, max=3650, message="Ange 1–3650 dagar."),
        ],
    )


def token_form() -> TokenForm:
    form = TokenForm(formdata=None)
    return _prepare(form)


def _prepare(form: TokenForm) -> TokenForm:
    allowed = tokens.scopes_allowed(current_user)
    form.scope.choices = options((key, label) for key, label in SCOPES.items() if key in allowed)
    limit = tokens.max_days()
    form.days.description = f"Standard {tokens.default_days()} dagar, högst {limit}."
    if form.days.data is None and not form.is_submitted():
        form.days.data = tokens.default_days()
    return form


def settings_context() -> dict:
    """What the settings section shows (a template global, see app.api.init_app)."""
    return {"tokens": tokens.tokens_of(current_user), "form": token_form(), "now": utcnow()}


@bp.route("/mina-installningar/api-nycklar", methods=["POST"])
@permission_required(Perm.VIEW_START)
def create():
    form = _prepare(TokenForm())
    if form.validate_on_submit():
        # The answer is a page with the secret, not a redirect: the boundary is written out here.
        try:
            token, secret = tokens.create_token(
                current_user,
                tokens.TokenInput(name=form.name.data or "", scope=form.scope.data, days=form.days.data),
                actor=current_user,
            )
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            # Shown in this response only: never in a redirect, a flash message or a URL.
            return render_template("api/token_created.html", token=token, secret=secret)
    return render_template("api/token_form.html", form=form), 400


@bp.route("/mina-installningar/api-nycklar/<int:token_id>/aterkalla", methods=["POST"])
@permission_required(Perm.VIEW_START)
def revoke(token_id: int):
    token = tokens.get_token_or_404(token_id)
    if token.user_id != current_user.id:
        abort(403)  # someone else's key (administrators use the admin list)
    return submit(
        None,
        lambda: tokens.revoke_token(token, actor=current_user),
        success=f"API-nyckeln ”{token.name}” är återkallad och fungerar inte längre.",
        redirect_to=url_for("followups.settings") + "#api-nycklar",
    )


@bp.route("/admin/api-nycklar")
@permission_required(Perm.MANAGE_USERS)
def admin_list():
    from flask import request

    include_inactive = request.args.get("alla") == "1"
    form = PolicyForm(formdata=None, data={"max_days": tokens.max_days()})
    return render_template(
        "api/admin_tokens.html",
        tokens=tokens.all_tokens(include_inactive=include_inactive),
        include_inactive=include_inactive,
        form=form,
        now=utcnow(),
    )


@bp.route("/admin/api-nycklar/<int:token_id>/aterkalla", methods=["POST"])
@permission_required(Perm.MANAGE_USERS)
def admin_revoke(token_id: int):
    token = tokens.get_token_or_404(token_id)
    return submit(
        None,
        lambda: tokens.revoke_token(token, actor=current_user),
        success=f"API-nyckeln ”{token.name}” är återkallad.",
        redirect_to=url_for("tokens.admin_list"),
    )


@bp.route("/admin/api-nycklar/giltighet", methods=["POST"])
@permission_required(Perm.MANAGE_USERS)
def admin_policy():
    form = PolicyForm()
    back = url_for("tokens.admin_list")
    return submit(
        form,
        lambda: tokens.set_max_days(form.max_days.data, actor=current_user),
        success=lambda _days: f"Nya API-nycklar kan nu vara giltiga i högst {form.max_days.data} dagar.",
        redirect_to=back,
        errors_to=back,
    )
