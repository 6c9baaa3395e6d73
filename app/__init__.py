"""Lotsbok: the CRM of a kommun's näringslivskontor. `create_app` only wires things up."""

from __future__ import annotations

import os

from flask import Flask, g, request, session
from flask_babel import lazy_gettext as _l

from config import Config, ProductionConfig, config_from_env, development_secret_key


def _select_locale() -> str:
    from flask import current_app, has_request_context, request

    if not has_request_context():
        return "sv"  # jobs and the CLI: texts they build (errors, mail) are in Swedish
    if (request.blueprint or "").startswith("api"):
        return "sv"  # the JSON API answers in Swedish, whatever a browser cookie sent along says
    lang = session.get("lang")
    if lang in current_app.config["LOTSBOK_LANGUAGES"]:
        return lang
    return "sv"


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, CLI. No migrations, no scheduler here.

    Without a config class (as `flask --app app …` calls it) LOTSBOK_ENV chooses one.
    """
    config_class = config_class or config_from_env()
    if issubclass(config_class, ProductionConfig):
        config_class.validate()
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = development_secret_key(app.instance_path)
    if app.config["LOTSBOK_TRUSTED_PROXIES"] > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Only the given number of proxies may tell us the client's address and scheme; an
        # X-Forwarded-For added by the client itself is ignored (it is further left).
        hops = app.config["LOTSBOK_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    from app.extensions import babel, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=lambda: "Europe/Stockholm")
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Logga in för att se sidan.")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = str  # the lazy text, evaluated: a plain str in the session

    from app import models  # noqa: F401 - every model registered for Alembic and relationships
    from app.auth.hooks import init_session_rules
    from app.auth.sessions import load_user
    from app.core.navigation import init_navigation
    from app.core.sqlite import configure_sqlite
    from app.core.web import init_web

    login_manager.user_loader(load_user)
    with app.app_context():
        configure_sqlite(db.engine)
    init_web(app)
    init_session_rules(app)  # right after core's hooks: see app.auth.hooks
    init_navigation(app)
    _register_blueprints(app)
    from app.core.limits import init_limits

    init_limits()  # after the blueprints: every form class is defined by now

    from app.cli import register_cli

    register_cli(app)

    @app.before_request
    def _remember_language_choice() -> None:
        if "lang" in request.args and request.args["lang"] in app.config["LOTSBOK_LANGUAGES"]:
            session["lang"] = request.args["lang"]

    @app.teardown_request
    def _forget_request_user(_exc: BaseException | None) -> None:
        # Flask-Login caches the user on `g`, which lives as long as the app context. Tests and
        # CLI code may run several requests inside one app context; a user must never leak
        # from one request into the next – nor may a CSRF token signed for another session, or
        # the language of an earlier request.
        from flask_babel import refresh

        g.pop("_login_user", None)
        g.pop("csrf_token", None)
        refresh()

    return app


def _register_blueprints(app: Flask) -> None:
    import importlib

    from app.admin.views import bp as admin_bp
    from app.auth.views import bp as auth_bp
    from app.features import FEATURES
    from app.main.views import bp as main_bp

    for bp in (main_bp, auth_bp, admin_bp):
        app.register_blueprint(bp)
    # Each feature package wires its own blueprints, CLI groups, panels and nav counts.
    for name in FEATURES:
        importlib.import_module(name).init_app(app)
    # The catalogue screens the features registered above, served under /admin.
    from app.admin.catalogue import add_catalogue_routes

    add_catalogue_routes(app)
