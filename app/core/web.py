"""Web plumbing shared by every blueprint: error pages, security headers, the request boundary,
form error mapping and template helpers. (The session rules are app.auth.hooks.)"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, redirect, render_template, request
from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from app.core.client import set_client_address
from app.core.errors import DomainError
from app.core.permissions import ROLE_LABELS, Perm, can
from app.core.sqlite import begin_write
from app.core.template_i18n import install_template_gettext
from app.core.time import to_local
from app.extensions import db

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
security_log = logging.getLogger("lotsbok.security")

# The titles are the Swedish msgids as plain text (gettext at import, outside any request, returns
# the msgid; callers and tests compare with them): error_page translates them when it shows one.
ERROR_TITLES = {
    400: _("Felaktig begäran"),
    403: _("Åtkomst nekad"),
    404: _("Sidan finns inte"),
    405: _("Metoden är inte tillåten"),
    409: _("Konflikt"),
    413: _("Filen är för stor"),
    500: _("Något gick fel"),
}

ERROR_TEXTS = {
    400: _l("Begäran kunde inte behandlas. Gå tillbaka och försök igen."),
    403: _l("Du har inte behörighet att se den här sidan. Kontakta en administratör om du behöver åtkomst."),
    404: _l("Sidan du sökte finns inte, eller så har den flyttats."),
    405: _l("Sidan kan inte användas på det sättet."),
    409: _l("Uppgifterna har ändrats av någon annan. Ladda om sidan och försök igen."),
    413: _l("Filen är större än vad som kan tas emot (högst 20 MB)."),
    500: _l("Ett oväntat fel inträffade. Felet är loggat. Försök igen om en stund."),
}


def error_page(status: int, message: str | None = None):
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=_(ERROR_TITLES[status]) if status in ERROR_TITLES else _("Fel"),
            message=message or ERROR_TEXTS.get(status, ""),
        ),
        status,
    )


T = TypeVar("T")


def submit(
    form: FlaskForm | None,
    call: Callable[[], T],
    *,
    redirect_to: str | Callable[[T], str],
    success: str | Callable[[T], str] | None = None,
    errors_to: str | None = None,
    already_saved: Callable[[], T | None] | None = None,
) -> Response | None:
    """The request boundary of every view that changes data (indico's `RH.process` as a
    function): one place decides commit or rollback.

    - The form (when given) is validated first; the service is called only with valid input.
    - On success the transaction is committed, `success` flashed and the user redirected to
      `redirect_to` (each may be a function of the service's result). Both are worked out
      *before* the commit: after it, a failure would tell the user that saved data was lost,
      and a retry would save it twice.
    - On a `DomainError` the transaction is rolled back and the message shown: on the form
      field it names (the view then renders the form again), or, with `errors_to`, flashed
      with a redirect there (for small forms posted from another page).
    - "Not allowed" and "not found" are not form errors: they go on to the global handler,
      which answers 403/404 (and logs the refusal).
    - A form posted twice (double click, resent after a timeout) carries one form token,
      unique in its table: the second save fails, and `already_saved()` finds the record
      the first one stored, so the user sees one saved record, not an error.

    Returns the redirect, or None when the view should render its form (not submitted yet,
    invalid, or refused by the service).
    """
    if form is not None and not form.validate_on_submit():
        if errors_to is not None and form.is_submitted():
            flash_form_errors(form)
            return redirect(errors_to)
        return None
    try:
        result = call()
        message = success(result) if callable(success) else success
        target = redirect_to(result) if callable(redirect_to) else redirect_to
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        if exc.status_code in (403, 404):
            raise
        if errors_to is None and form is not None:
            apply_errors(form, exc)
            return None
        flash(str(exc.message), "error")
        return redirect(errors_to or request.url)
    except IntegrityError:
        # Under concurrency the unique form token fails at the service's flush (the other
        # request committed while this one waited for the row lock) or at the commit.
        db.session.rollback()
        if already_saved is None or (result := already_saved()) is None:
            raise
        message = success(result) if callable(success) else success
        target = redirect_to(result) if callable(redirect_to) else redirect_to
    if message:
        flash(str(message), "success")  # a lazy text (a screen's label) is not JSON for the session
    return redirect(target)


def render_committed(template: str, **context: Any) -> str:
    """Render a page, then commit: for pages whose reading is audited (a restricted record).
    The audit row is stored only once the page with its content exists, and committing
    earlier would expire the records the template reads."""
    html = render_template(template, **context)
    db.session.commit()
    return html


def flash_form_errors(form: FlaskForm) -> None:
    """Flash every error of a form that is not rendered again (posted from another page)."""

    def messages(errors: Any):
        if isinstance(errors, dict):
            for value in errors.values():
                yield from messages(value)
        elif isinstance(errors, list | tuple):
            for value in errors:
                yield from messages(value)
        elif errors:
            yield str(errors)

    for message in messages(form.errors):
        flash(message, "error")


def apply_errors(form: FlaskForm, exc: DomainError) -> None:
    """Show a service's error on the form field it names, or as a form-level error."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*list(field.errors), exc.message]
    else:
        form.form_errors.append(exc.message)


def page_arg(name: str = "page") -> int:
    try:
        return max(1, int(request.args.get(name, "1")))
    except ValueError:
        return 1


def log_security_event(kind: str, detail: str = "") -> None:
    """Log a refused request or CSRF failure and keep it for the admin's security page.

    Runs in an error handler: whatever the request did is rolled back first, and the event is
    written in its own short write transaction.
    """
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    security_log.warning(
        "%s: %s %s user=%s address=%s %s",
        kind,
        request.method,
        request.path,
        user_id,
        request.remote_addr,
        detail,
    )
    record_event = current_app.extensions.get(_SECURITY_EVENT_RECORDER)
    try:
        db.session.rollback()
        if record_event is None:  # no feature keeps security events (app.auth registers one)
            return
        begin_write()
        record_event(kind, user_id=user_id, ip=request.remote_addr or "", path=request.path, detail=detail)
        db.session.commit()
    except Exception:  # the error page matters more than the log row
        db.session.rollback()
        security_log.exception("could not store the security event")


_SECURITY_EVENT_RECORDER = "lotsbok.security_event_recorder"


def register_security_event_recorder(app: Flask, record: Callable[..., Any]) -> None:
    """Where `log_security_event` keeps its rows: `record(kind, *, user_id, ip, path, detail)`
    (app.auth.security.record_event, registered by app.auth.hooks)."""
    app.extensions[_SECURITY_EVENT_RECORDER] = record


ErrorResponder = Callable[[Exception], Any]


def register_error_responder(app: Flask, path_prefix: str, responder: ErrorResponder) -> None:
    """Errors of requests under `path_prefix` are answered by `responder(exc)` instead of an
    HTML page (the JSON API answers with problem details). Routing errors (404, 405) have no
    blueprint, so the choice is made by path."""
    app.extensions.setdefault("lotsbok_error_responders", []).append((path_prefix, responder))


def _responder() -> ErrorResponder | None:
    from flask import current_app

    for prefix, responder in current_app.extensions.get("lotsbok_error_responders", []):
        if request.path.startswith(prefix):
            return responder
    return None


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError):
        db.session.rollback()
        if exc.status_code == 403:
            log_security_event("forbidden", exc.message)
        if (responder := _responder()) is not None:
            return responder(exc)
        return error_page(exc.status_code, exc.message)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        log_security_event("csrf", exc.description or "")
        if (responder := _responder()) is not None:
            return responder(exc)
        return error_page(
            400,
            _("Formuläret hade gått ut eller saknade säkerhetstoken. Ladda om sidan och skicka igen."),
        )

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if exc.code in (301, 302, 303, 307, 308):
            return exc
        if exc.code == 403:
            log_security_event("forbidden")
        if (responder := _responder()) is not None:
            return responder(exc)
        return error_page(exc.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if app.testing and app.config.get("PROPAGATE_EXCEPTIONS"):
            raise exc
        if (responder := _responder()) is not None:
            return responder(exc)
        return error_page(500)


def _register_request_hooks(app: Flask) -> None:
    @app.before_request
    def _write_transactions_take_the_lock_first() -> None:
        # Must run before anything queries (the user loader included): see app.core.sqlite.
        if request.method in WRITE_METHODS:
            begin_write()

    @app.before_request
    def _remember_client_address() -> None:
        # For the audit trail (app.core.client); after ProxyFix, so the real client behind
        # LOTSBOK_TRUSTED_PROXIES proxies.
        set_client_address(request.remote_addr)

    @app.teardown_request
    def _forget_client_address(_exc: BaseException | None) -> None:
        set_client_address(None)

    @app.after_request
    def _security_headers(response):
        # Signing out of a single sign-on session is a form POST answered by a redirect to the
        # identity provider (RP-initiated logout); CSP's form-action also governs that redirect.
        issuer = urlsplit(app.config.get("OIDC_ISSUER") or "")
        form_action = f"'self' {issuer.scheme}://{issuer.netloc}" if issuer.netloc else "'self'"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # Every asset is ours: no CDN, no inline script.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            f"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action {form_action}",
        )
        if app.config["LOTSBOK_HSTS"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        # `is_anonymous`, not `is_authenticated`: the latter reads the user's `is_active`
        # column, and after a page that commits while rendering (render_committed: audited
        # reads) the user is expired, so asking it opened a second transaction just for this
        # header: a pool checkout with its ping, BEGIN, SELECT users, ROLLBACK – four round
        # trips on PostgreSQL (docs/ARCHITECTURE.md, "Round trips after the commit"). The user
        # loader only returns active users, so a loaded user is a signed-in one.
        if current_user and not current_user.is_anonymous:
            response.headers["Cache-Control"] = "no-store"
        return response


def _register_template_helpers(app: Flask) -> None:
    @app.template_filter("datetime")
    def _fmt_datetime(value: datetime | None, fmt: str = "short") -> str:
        if value is None:
            return ""
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        if fmt == "short":
            return to_local(value).strftime("%Y-%m-%d %H:%M")
        return format_datetime(value, fmt)

    @app.template_filter("date")
    def _fmt_date(value, fmt: str = "short") -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = to_local(value).date()
        if fmt == "short":
            return value.isoformat()  # ÅÅÅÅ-MM-DD, the Swedish standard form
        return format_date(value, fmt)

    @app.template_filter("number")
    def _fmt_number(value) -> str:
        return "" if value is None else format_decimal(value)

    @app.context_processor
    def _globals():
        # Once per render: the signed-in user and what each permission checked said (a page
        # asks `can()` dozens of times, each through the `current_user` proxy otherwise).
        user = current_user._get_current_object()
        actor = user if user is not None and user.is_authenticated else None
        granted: dict[Perm, bool] = {}

        def _can(perm: Perm) -> bool:
            if perm not in granted:
                granted[perm] = can(actor, perm)
            return granted[perm]

        return {
            "can": _can,
            "Perm": Perm,
            "ROLE_LABELS": ROLE_LABELS,
        }


def init_web(app: Flask) -> None:
    install_template_gettext(app)
    _register_error_handlers(app)
    _register_request_hooks(app)
    _register_template_helpers(app)
