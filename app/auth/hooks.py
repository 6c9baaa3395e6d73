"""The session rules every request passes (idle time-out, a due password change, a role's
two-step verification), and where refused requests are recorded (app.auth.security).

Registered by create_app right after app.core.web.init_web: Flask runs before_request hooks in
the order they were added, so these run after core's write lock and client address and before
any feature's hooks – the order they had when they lived in app.core.web.
"""

from __future__ import annotations

from flask import Flask, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app.auth import mfa, sessions
from app.auth.security import record_event
from app.core.sqlite import begin_write
from app.core.time import utcnow
from app.core.web import register_security_event_recorder
from app.extensions import db

# Pages a signed-in user may still reach while a password change or two-step set-up is due.
ACCOUNT_SETUP_ENDPOINTS = {
    "auth.change_password",
    "auth.logout",
    "auth.two_step_settings",
    "auth.new_recovery_codes",
    "static",
}


def clear_session_keeping_language() -> None:
    """Empty the browser's session (signed out, expired) but keep the language it was reading:
    the sign-in page and its message that follow are in that language."""
    lang = session.get("lang")
    session.clear()
    if lang is not None:
        session["lang"] = lang


def init_session_rules(app: Flask) -> None:
    register_security_event_recorder(app, record_event)

    @app.before_request
    def _end_idle_sessions():
        if request.endpoint in (None, "static") or g.get("session_ignored"):
            # An API request: its identity is its token (app.api.auth); the browser's session,
            # if it sent one, is not this request's to end.
            return None
        if not current_user.is_authenticated:
            if "_user_id" in session:
                # The server ended this session (absolute lifetime, signed out elsewhere,
                # deactivated): say so instead of a bare sign-in page.
                clear_session_keeping_language()
                flash(_("Din inloggning har upphört. Logga in igen."), "info")
                return redirect(url_for("auth.login", next=request.full_path))
            return None
        now = utcnow().timestamp()
        last_seen = session.get("last_seen")
        timeout = app.config["LOTSBOK_IDLE_TIMEOUT"].total_seconds()
        if last_seen is not None and now - last_seen > timeout:
            row = sessions.current_row(current_user._get_current_object())
            if row is not None:  # end it on the server too, so no copy of the cookie lives on
                row_id = row.id
                db.session.rollback()
                begin_write()
                sessions.end_session_by_id(row_id)
                db.session.commit()
            logout_user()
            clear_session_keeping_language()
            flash(_("Du har loggats ut eftersom du varit inaktiv en stund. Logga in igen."), "info")
            return redirect(url_for("auth.login", next=request.full_path))
        session["last_seen"] = now
        return None

    @app.before_request
    def _force_password_change():
        if (
            current_user.is_authenticated
            and current_user.must_change_password
            and request.endpoint not in ACCOUNT_SETUP_ENDPOINTS
        ):
            flash(_("Du måste byta ditt engångslösenord innan du fortsätter."), "info")
            return redirect(url_for("auth.change_password"))
        return None

    @app.before_request
    def _require_two_step_verification():
        # A role that must use two-step verification: a password sign-in without it may only
        # set it up. Single sign-on leaves multi-factor to the kommun's identity provider.
        if not current_user.is_authenticated or request.endpoint in ACCOUNT_SETUP_ENDPOINTS:
            return None
        user = current_user._get_current_object()
        row = sessions.current_row(user)
        if user.has_totp or (row is not None and row.method == "oidc"):
            return None
        if mfa.is_required_for(user.role, app.config["LOTSBOK_MFA_DEFAULT_ROLES"]):
            flash(_("Din roll kräver tvåstegsverifiering. Slå på den för att fortsätta."), "info")
            return redirect(url_for("auth.two_step_settings"))
        return None
