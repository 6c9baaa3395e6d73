"""E-mail: the outbox (queue_mail), SMTP delivery (deliver_outbox) and the admin outbox page."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.mail.services import queue_mail

__all__ = ["init_app", "queue_mail"]


def init_app(app: Flask) -> None:
    from app.core.navigation import register_admin_link
    from app.mail.cli import mail_cli
    from app.mail.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(mail_cli)
    register_admin_link(app, _l("Utkorg (e-post) och schemalagda jobb"), "mail.outbox")
