"""Sign-in, sign-out and change of password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services
from app.auth.forms import ChangePasswordForm, LoginForm
from app.core.errors import DomainError
from app.core.time import utcnow
from app.core.web import apply_errors
from app.extensions import db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so the sign-in page cannot be used as an open redirect."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.index")


@bp.route("/logga-in", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        cfg = current_app.config
        try:
            user = services.authenticate(
                form.email.data,
                form.password.data,
                ip=request.remote_addr or "okänd",
                max_failures=cfg["LOTSBOK_LOGIN_MAX_FAILURES"],
                window=cfg["LOTSBOK_LOGIN_WINDOW"],
            )
        except services.SignInRefused as exc:
            db.session.commit()  # the failed attempt must count
            form.form_errors.append(exc.message)
            return render_template("auth/login.html", form=form), 200
        db.session.commit()
        session.clear()  # a new session on sign-in (no fixation)
        login_user(user)
        session.permanent = True
        session["last_seen"] = utcnow().timestamp()
        session["lang"] = user.locale
        if user.must_change_password:
            return redirect(url_for("auth.change_password"))
        return redirect(_safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


@bp.route("/logga-ut", methods=["POST"])
@login_required
def logout():
    services.sign_out(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash("Du är utloggad.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/konto/losenord", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.new_password.data, actor=user)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            # The token rotated, so this session must be re-established with the new id.
            login_user(user)
            flash("Ditt lösenord är bytt. Andra inloggningar har avslutats.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)
