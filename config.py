"""Configuration classes, read from environment variables (never from feature modules)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    """Settings shared by every environment. Values come from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'lotsbok.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    # Mail. Without SMTP_HOST, mail stays in the outbox where admins can read it.
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = _int("SMTP_PORT", 587)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", True)
    SMTP_TIMEOUT = _int("SMTP_TIMEOUT", 30)
    MAIL_FROM = os.environ.get("MAIL_FROM", "Lotsbok <lotsbok@localhost>")
    # Links in e-mails and calendar feeds are built from this, since jobs have no request.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")

    # Sessions and sign-in (OWASP ASVS 5.0 §6, §7).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=10)  # absolute lifetime of a sign-in
    LOTSBOK_IDLE_TIMEOUT = timedelta(minutes=_int("LOTSBOK_IDLE_TIMEOUT_MINUTES", 30))
    LOTSBOK_LOGIN_MAX_FAILURES = 10
    LOTSBOK_LOGIN_WINDOW = timedelta(minutes=15)
    WTF_CSRF_TIME_LIMIT = None  # token tied to the session, so a long-open form still posts
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024  # uploads (import files)

    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    LOTSBOK_LANGUAGES = ("sv", "en")
    LOTSBOK_TIMEZONE = "Europe/Stockholm"
    LOTSBOK_PAGE_SIZE = 25

    # JSON API (app.api): requests per personal access token and minute (counted in the
    # database, so the limit holds across gunicorn workers), and the longest token lifetime
    # until an administrator sets another under Admin → API-nycklar.
    LOTSBOK_API_RATE_LIMIT = _int("LOTSBOK_API_RATE_LIMIT", 120)
    LOTSBOK_API_TOKEN_MAX_DAYS = _int("LOTSBOK_API_TOKEN_MAX_DAYS", 365)

    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    """`make run`: SQLite file under instance/, mail kept in the outbox."""

    DEBUG = False  # the reloader would fork; `make run` starts the scheduler as its own process


class TestingConfig(Config):
    """pytest: the test fixtures point SQLALCHEMY_DATABASE_URI at a fresh database per test."""

    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - fixed on purpose for tests
    WTF_CSRF_ENABLED = False
    SMTP_HOST = ""
    BASE_URL = "http://lotsbok.test"


class ProductionConfig(Config):
    """Production: refuses to start without SECRET_KEY and DATABASE_URL."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def validate(cls) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "ProductionConfig needs these environment variables: " + ", ".join(missing)
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The config class named by LOTSBOK_ENV (development by default)."""
    return CONFIGS[os.environ.get("LOTSBOK_ENV", "development")]
