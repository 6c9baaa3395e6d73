"""Admin: users, the audit trail, and sign-in security (failed sign-ins, delays,
two-step verification per role). Thin callers of the services. The catalogue screens (focus
areas among them) are served by app.admin.catalogue."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.admin import audit_labels
from app.audit.queries import AuditFilter, entity_types, list_events
from app.auth import mfa, security, throttle, userpick
from app.auth import services as users
from app.auth.decorators import permission_required
from app.auth.forms import MfaPolicyForm, NewUserForm, OneTimePasswordForm, UserForm
from app.core.pagination import Page, paginate
from app.core.permissions import Perm
from app.core.web import page_arg, submit

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@permission_required(Perm.MANAGE_USERS)
def index():
    return render_template("admin/index.html")


@bp.route("/anvandare")
@permission_required(Perm.MANAGE_USERS)
def users_list():
    """One page of users, or those matching `q` (name or e-mail, former users too): the page
    does not grow with the number of users."""
    q = (request.args.get("q") or "").strip()[:100]
    if q:
        found = userpick.search(q, "historik", limit=current_app.config["LOTSBOK_PAGE_SIZE"])
        page = Page(found, 1, len(found) or 1, False, len(found), False)
    else:
        page = paginate(users.users_select(), page_arg(), current_app.config["LOTSBOK_PAGE_SIZE"])
    return render_template("admin/users.html", page=page, q=q)


@bp.route("/anvandare/ny", methods=["GET", "POST"])
@permission_required(Perm.MANAGE_USERS)
def user_new():
    form = NewUserForm()
    if done := submit(
        form,
        lambda: users.create_user(
            form.to_input(),
            form.password.data,
            actor=current_user,
            one_time_password_lifetime=timedelta(hours=current_app.config["LOTSBOK_ONE_TIME_PASSWORD_HOURS"]),
        ),
        success=lambda user: _(
            "Användaren %(name)s är skapad. Lämna över engångslösenordet på ett säkert sätt.", name=user.name
        ),
        redirect_to=url_for("admin.users_list"),
    ):
        return done
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/anvandare/<int:user_id>", methods=["GET", "POST"])
@permission_required(Perm.MANAGE_USERS)
def user_edit(user_id: int):
    user = users.get_user_or_404(user_id)
    form = UserForm(obj=user)
    if request.method == "GET":
        form.version.data = str(user.version)
    if done := submit(
        form,
        lambda: users.update_user(
            user, form.to_input(), actor=current_user, expected_version=form.expected_version
        ),
        success=_("Ändringarna är sparade."),
        redirect_to=url_for("admin.users_list"),
    ):
        return done
    return render_template(
        "admin/user_form.html", form=form, user=user, password_form=OneTimePasswordForm(formdata=None)
    )


@bp.route("/anvandare/<int:user_id>/aktiv", methods=["POST"])
@permission_required(Perm.MANAGE_USERS)
def user_set_active(user_id: int):
    user = users.get_user_or_404(user_id)
    active = request.form.get("active") == "1"
    back = url_for("admin.users_list")
    return submit(
        None,
        lambda: users.set_active(user, active, actor=current_user),
        success=_("%(name)s är aktiverad.", name=user.name)
        if active
        else _("%(name)s är inaktiverad.", name=user.name),
        redirect_to=back,
        errors_to=back,
    )


@bp.route("/anvandare/<int:user_id>/engangslosenord", methods=["POST"])
@permission_required(Perm.MANAGE_USERS)
def user_set_password(user_id: int):
    user = users.get_user_or_404(user_id)
    form = OneTimePasswordForm()
    back = url_for("admin.user_edit", user_id=user.id)
    return submit(
        form,
        lambda: users.set_one_time_password(
            user,
            form.password.data,
            actor=current_user,
            lifetime=timedelta(hours=current_app.config["LOTSBOK_ONE_TIME_PASSWORD_HOURS"]),
        ),
        success=_("Engångslösenord satt för %(name)s. Hen måste byta det vid inloggning.", name=user.name),
        redirect_to=back,
        errors_to=back,
    )


@bp.route("/anvandare/<int:user_id>/tvastegs/aterstall", methods=["POST"])
@permission_required(Perm.MANAGE_USERS)
def user_reset_mfa(user_id: int):
    user = users.get_user_or_404(user_id)
    return submit(
        None,
        lambda: mfa.reset_mfa(user, actor=current_user),
        success=_(
            "Tvåstegsverifieringen för %(name)s är återställd. Hen är utloggad och kan slå på den igen.",
            name=user.name,
        ),
        redirect_to=url_for("admin.user_edit", user_id=user.id),
    )


REASON_LABELS = {
    "wrong": _l("fel e-post eller lösenord"),
    "mfa_wrong": _l("fel kod i steg två"),
    "throttled": _l("fick vänta (fördröjning)"),
    "inactive": _l("inaktiverat konto"),
    "local_off": _l("lösenordsinloggning avstängd"),
    "otp_expired": _l("engångslösenordet hade gått ut"),
}


@bp.route("/inloggning")
@permission_required(Perm.MANAGE_USERS)
def sign_in_security():
    cfg = current_app.config
    policy_form = MfaPolicyForm(data=mfa.required_roles(cfg["LOTSBOK_MFA_DEFAULT_ROLES"]))
    events = security.list_events()
    names = {u.id: u.name for u in users.list_users()}
    return render_template(
        "admin/sign_in_security.html",
        policy_form=policy_form,
        delays=throttle.list_delays(rules=throttle.ThrottleRules.from_config(cfg)),
        failed=throttle.list_failed_attempts(),
        events=events,
        user_names=names,
        reason_labels=REASON_LABELS,
        kind_labels=security.KIND_LABELS,
        oidc_issuer=cfg["OIDC_ISSUER"],
        local_login=cfg["LOTSBOK_LOCAL_LOGIN"],
        trusted_proxies=cfg["LOTSBOK_TRUSTED_PROXIES"],
        session_hours=int(cfg["LOTSBOK_SESSION_LIFETIME"].total_seconds() // 3600),
        idle_minutes=int(cfg["LOTSBOK_IDLE_TIMEOUT"].total_seconds() // 60),
        log_days=cfg["LOTSBOK_SIGN_IN_LOG_DAYS"],
    )


@bp.route("/inloggning/tvastegs", methods=["POST"])
@permission_required(Perm.MANAGE_USERS)
def mfa_policy():
    form = MfaPolicyForm()
    back = url_for("admin.sign_in_security")
    return submit(
        form,
        lambda: mfa.set_required_roles(
            form.to_dict(), actor=current_user, default_roles=current_app.config["LOTSBOK_MFA_DEFAULT_ROLES"]
        ),
        success=lambda changed: (
            _("Ändrat för: %(roles)s.", roles=", ".join(str(label) for label in changed))
            if changed
            else _("Inget ändrades.")
        ),
        redirect_to=back,
    ) or redirect(back)


@bp.route("/inloggning/fordrojning/hav", methods=["POST"])
@permission_required(Perm.MANAGE_USERS)
def lift_delay():
    ip = request.form.get("ip", "").strip()
    email = request.form.get("email", "").strip() or None
    back = url_for("admin.sign_in_security")
    if not ip:
        flash(_("Ange adressen vars fördröjning ska hävas."), "error")
        return redirect(back)
    return submit(
        None,
        lambda: throttle.lift_delay(email, ip, actor=current_user),
        success=_("Fördröjningen för %(email)s från %(ip)s är hävd.", email=email, ip=ip)
        if email
        else _("Fördröjningen för okända konton från %(ip)s är hävd.", ip=ip),
        redirect_to=back,
    )


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.route("/logg")
@permission_required(Perm.VIEW_AUDIT)
def audit_log():
    actor = userpick.filter_field(request.args, "actor_id", _("Användare"), pool="historik")
    flt = AuditFilter(
        entity_type=request.args.get("entity_type") or None,
        entity_id=_int_arg("entity_id"),
        actor_id=actor.data,
        action=request.args.get("action") or None,
        date_from=_date_arg("from"),
        date_to=_date_arg("to"),
    )
    return render_template(
        "admin/audit.html",
        page=list_events(flt, page_arg()),
        flt=flt,
        entity_types=entity_types(),
        actor=actor,
        actions=audit_labels.ACTION_LABELS,
        labels=audit_labels,
    )
