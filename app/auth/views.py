"""Sign-in (password, two-step, single sign-on), sign-out, and the user's own account pages:
password, two-step verification, "Mina inloggningar"."""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from joserfc.errors import JoseError

from app.auth import mfa, oidc, security, services, sessions, userpick
from app.auth.forms import ChangePasswordForm, EnableTotpForm, LoginForm, PasswordConfirmForm, TwoStepForm
from app.auth.hooks import clear_session_keeping_language
from app.auth.models import User
from app.core.errors import DomainError
from app.core.permissions import can
from app.core.redirects import safe_next
from app.core.sqlite import begin_write
from app.core.time import utcnow
from app.core.web import apply_errors, submit
from app.extensions import db

bp = Blueprint("auth", __name__)
log = logging.getLogger("lotsbok.auth")

PENDING_SECONDS = 300  # the second step must follow the password within five minutes


def _client_ip() -> str:
    return request.remote_addr or "okänd"  # untranslated: stored with the sign-in attempt


def _policy() -> services.SignInPolicy:
    return services.SignInPolicy.from_config(current_app.config)


def _begin_session(user: User, method: str, *, id_token: str | None = None) -> None:
    """Start a fresh session for a completed sign-in (new cookie contents, new server token)."""
    # The password step may have committed already, and the single sign-on callback is a GET:
    # take SQLite's write lock before the reads and writes below (app.core.sqlite).
    begin_write()
    now = utcnow()
    session.clear()  # a new session on sign-in (no fixation)
    sessions.start_session(
        user,
        method=method,
        ip=_client_ip(),
        user_agent=request.user_agent.string,
        lifetime=current_app.config["LOTSBOK_SESSION_LIFETIME"],
        now=now,
        id_token=id_token,
    )
    services.complete_sign_in(user, method=method, ip=_client_ip(), now=now)
    db.session.commit()
    login_user(user)
    session.permanent = True
    session["last_seen"] = now.timestamp()
    session["lang"] = user.locale


def _after_sign_in(user: User, target: str | None):
    if user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return redirect(safe_next(target))


def _login_page(form: LoginForm, status: int = 200):
    cfg = current_app.config
    return (
        render_template(
            "auth/login.html",
            form=form,
            oidc_enabled=oidc.is_enabled(current_app),
            oidc_label=cfg["OIDC_BUTTON_LABEL"],
            local_login=cfg["LOTSBOK_LOCAL_LOGIN"],
        ),
        status,
    )


# Sign-in, the second step and single sign-on keep their own shape rather than `submit()`: a
# refused attempt is COMMITTED (it must count for the throttle), not rolled back; a completed
# sign-in starts a new session (`_begin_session`) instead of flashing and redirecting.
@bp.route("/logga-in", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.email.data, form.password.data, ip=_client_ip(), policy=_policy()
            )
        except services.SignInRefused as exc:
            db.session.commit()  # the failed attempt must count
            form.form_errors.append(exc.message)
            return _login_page(form)
        db.session.commit()  # a password re-hashed with today's parameters
        # Take SQLite's write lock now: reloading the expired `user` below would start a read
        # transaction that SQLite cannot turn into the session's write once another sign-in has
        # committed ("database is locked" at once, whatever the busy timeout).
        begin_write()
        if user.has_totp:
            session["mfa_pending"] = {
                "user_id": user.id,
                "at": utcnow().timestamp(),
                "next": form.next.data or "",
            }
            return redirect(url_for("auth.two_step"))
        _begin_session(user, "password")
        return _after_sign_in(user, form.next.data)
    return _login_page(form)


@bp.route("/logga-in/tvastegs", methods=["GET", "POST"])
def two_step():
    pending = session.get("mfa_pending") or {}
    user = db.session.get(User, pending.get("user_id", 0)) if pending else None
    if user is None or utcnow().timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop("mfa_pending", None)
        flash(_("Logga in med e-post och lösenord först."), "info")
        return redirect(url_for("auth.login"))
    form = TwoStepForm()
    if form.validate_on_submit():
        try:
            method = services.verify_second_step(user, form.code.data, ip=_client_ip(), policy=_policy())
        except services.SignInRefused as exc:
            db.session.commit()  # the failed attempt counts, a used-up code stays used
            form.code.errors = [exc.message]
            return render_template("auth/two_step.html", form=form), 200
        _begin_session(user, method)
        return _after_sign_in(user, pending.get("next"))
    return render_template("auth/two_step.html", form=form)


def _sso_failed(message: str, detail: str, status: int):
    """Show a failed single sign-on; log it for the admin. Nothing else changes."""
    db.session.rollback()
    begin_write()
    log.warning("single sign-on failed: %s (address %s)", detail, _client_ip())
    security.record_event("oidc_failed", user_id=None, ip=_client_ip(), path=request.path, detail=detail)
    db.session.commit()
    return render_template("auth/sso_failed.html", message=message), status


@bp.route("/logga-in/kommun")
def oidc_start():
    if not oidc.is_enabled(current_app):
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    try:
        oidc.check_provider(current_app)
        client = oidc.client(current_app)
        redirect_uri = current_app.config["BASE_URL"] + url_for("auth.oidc_callback")
        next_target = safe_next(request.args.get("next"))
        response = client.authorize_redirect(redirect_uri)
    except (oidc.ProviderUnavailable, requests.RequestException, AuthlibBaseError) as exc:
        message = exc.message if isinstance(exc, DomainError) else oidc.PROVIDER_DOWN_MESSAGE
        return render_template("auth/provider_down.html", message=message), 503
    session["oidc_next"] = next_target
    return response


_TOKEN_MESSAGES = {
    "state": _l(
        "Svaret från kommunens inloggningstjänst hörde inte till den här inloggningen (ogiltigt state). "
        "Börja om inloggningen."
    ),
    "expired": _l(
        "Inloggningsbeviset från kommunens inloggningstjänst har gått ut. Börja om inloggningen; "
        "fortsätter det, be IT kontrollera serverns klocka."
    ),
    "nonce": _l(
        "Inloggningsbeviset från kommunens inloggningstjänst hörde inte till den här inloggningen (fel nonce). "
        "Börja om inloggningen."
    ),
    "invalid": _l(
        "Inloggningsbeviset från kommunens inloggningstjänst kunde inte godkännas. Börja om inloggningen."
    ),
}


@bp.route("/logga-in/kommun/klar")
def oidc_callback():
    if not oidc.is_enabled(current_app):
        abort(404)
    cfg = oidc.settings(current_app)
    try:
        token = oidc.client(current_app).authorize_access_token(leeway=cfg.leeway)
    except MismatchingStateError:
        detail = "state saknas eller stämmer inte"  # untranslated: stored in the security event log
        return _sso_failed(_TOKEN_MESSAGES["state"], detail, 400)
    except OAuthError as exc:
        if exc.error == "access_denied":
            return _sso_failed(
                _("Inloggningen avbröts hos kommunens inloggningstjänst."), "access_denied", 400
            )
        return _sso_failed(
            _(
                "Kommunens inloggningstjänst godkände inte inloggningen (koden var ogiltig eller redan använd). "
                "Börja om inloggningen."
            ),
            f"{exc.error}: {exc.description or ''}",
            400,
        )
    except (requests.RequestException, oidc.ProviderUnavailable):
        return render_template("auth/provider_down.html", message=oidc.PROVIDER_DOWN_MESSAGE), 503
    except (AuthlibBaseError, JoseError) as exc:
        name = type(exc).__name__
        text = str(exc)
        key = "expired" if "Expired" in name else ("nonce" if "nonce" in text else "invalid")
        return _sso_failed(_TOKEN_MESSAGES[key], f"ID-token: {name}: {text}", 400)
    claims = token.get("userinfo") or {}
    # A GET that writes: end the read transaction of the request's start and take SQLite's
    # write lock now, after the (slow) token request and before reading the user.
    db.session.rollback()
    begin_write()
    try:
        user = oidc.resolve_user(claims, cfg)
    except oidc.OidcRefused as exc:
        return _sso_failed(
            exc.message,
            f"vägrad: sub={claims.get('sub', '')} {claims.get(cfg.email_claim, '')}",  # untranslated: security event log
            403,
        )
    next_target = session.get("oidc_next")
    _begin_session(user, "oidc", id_token=token.get("id_token"))
    return redirect(safe_next(next_target))


# Sign-out keeps its own shape: the Flask-Login session and the cookie are cleared only after
# the session row's end is committed, and the target may be the provider's logout page.
@bp.route("/logga-ut", methods=["POST"])
@login_required
def logout():
    user = current_user._get_current_object()
    row = sessions.current_row(user)
    end_url = None
    if row is not None and row.method == "oidc" and oidc.is_enabled(current_app):
        # RP-initiated logout: also end the session at the provider, where it offers that.
        try:
            end_url = oidc.client(current_app).create_logout_url(
                post_logout_redirect_uri=current_app.config["BASE_URL"] + url_for("auth.login"),
                id_token_hint=row.id_token,
                client_id=current_app.config["OIDC_CLIENT_ID"],
            )["url"]
        except (RuntimeError, requests.RequestException, AuthlibBaseError, DomainError):
            end_url = None
    services.sign_out(user, row)
    db.session.commit()
    logout_user()
    clear_session_keeping_language()
    flash(_("Du är utloggad."), "success")
    return redirect(end_url or url_for("auth.login"))


@bp.route("/konto/losenord", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if done := submit(
        form,
        lambda: services.change_password(
            user,
            form.current_password.data,
            form.new_password.data,
            actor=user,
            keep=sessions.current_row(user),
        ),
        success=_("Ditt lösenord är bytt. Andra inloggningar har avslutats."),
        redirect_to=url_for("main.index"),
    ):
        # The token rotated with the commit, so this session must be re-established with the new id.
        login_user(user)
        return done
    return render_template("auth/change_password.html", form=form, has_password=user.has_password)


@bp.route("/konto/inloggningar")
@login_required
def my_sessions():
    user = current_user._get_current_object()
    current = sessions.current_row(user)
    rows = sessions.list_active(user)
    return render_template(
        "auth/sessions.html",
        rows=rows,
        current_id=current.id if current else None,
        describe=sessions.describe_device,
        method_labels=services.METHOD_LABELS,
    )


@bp.route("/konto/inloggningar/logga-ut-andra", methods=["POST"])
@login_required
def sign_out_others():
    user = current_user._get_current_object()
    back = url_for("auth.my_sessions")
    return submit(
        None,
        lambda: services.sign_out_others(user, sessions.current_row(user)),
        success=lambda count: (
            ngettext("%(num)s andra inloggning avslutad.", "%(num)s andra inloggningar avslutade.", count)
            if count
            else _("Du hade inga andra inloggningar.")
        ),
        redirect_to=back,
        errors_to=back,
    )


# Turning on two-step verification and new recovery codes keep their own shape: success
# renders the one-time page with the recovery codes (never a redirect, so they are shown once).
@bp.route("/konto/tvastegs", methods=["GET", "POST"])
@login_required
def two_step_settings():
    user = current_user._get_current_object()
    if user.has_totp:
        return render_template(
            "auth/mfa_status.html",
            remaining=mfa.remaining_recovery_codes(user),
            form=PasswordConfirmForm(),
        )
    secret = session.get("totp_setup_secret")
    if not secret:
        secret = session["totp_setup_secret"] = mfa.new_secret()
    form = EnableTotpForm()
    if not user.has_password:
        del form["password"]  # an account made by single sign-on has no password to confirm
    if form.validate_on_submit():
        password = form.password.data if user.has_password else ""
        try:
            codes = mfa.enable_totp(user, secret, form.code.data, password, actor=user)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            session.pop("totp_setup_secret", None)
            flash(_("Tvåstegsverifiering är påslagen."), "success")
            return render_template("auth/recovery_codes.html", codes=codes)
    uri = mfa.provisioning_uri(secret, user.email)
    return render_template(
        "auth/mfa_setup.html",
        form=form,
        qr=mfa.qr_svg(uri),
        secret=mfa.format_secret(secret),
        needs_password=user.has_password,
    )


@bp.route("/konto/tvastegs/reservkoder", methods=["POST"])
@login_required
def new_recovery_codes():
    user = current_user._get_current_object()
    form = PasswordConfirmForm()
    if form.validate_on_submit():
        try:
            codes = mfa.regenerate_recovery_codes(user, form.password.data, actor=user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes)
    else:
        flash(_("Ange ditt lösenord för att skapa nya reservkoder."), "error")
    return redirect(url_for("auth.two_step_settings"))


@bp.route("/anvandare-sok")
@login_required
def user_search():
    """JSON for the user picker (static/js/userpick.js): active users of the pool `urval`
    whose name or e-mail matches `q`, at most ten. Only signed-in users may ask."""
    q = (request.args.get("q") or "").strip()[:100]
    pool = request.args.get("urval") or "alla"
    if pool not in userpick.POOLS:
        abort(404)
    if userpick.POOLS[pool].perm is not None and not can(current_user, userpick.POOLS[pool].perm):
        abort(403)
    return jsonify([userpick.as_json(u) for u in userpick.search(q, pool)])
