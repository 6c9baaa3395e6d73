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


def _list(name: str, default: str = "") -> tuple[str, ...]:
    """A comma-separated environment variable as a tuple of stripped, non-empty items."""
    return tuple(item.strip() for item in os.environ.get(name, default).split(",") if item.strip())


def _role_map(name: str) -> tuple[tuple[str, str], ...]:
    """OIDC_ROLE_MAP "Lotsbok.Lots=lots,Lotsbok.Admin=admin" → ((claim value, role), …) in order."""
    pairs = []
    for item in _list(name):
        value, _, role = item.rpartition("=")
        if value.strip() and role.strip():
            pairs.append((value.strip(), role.strip().lower()))
    return tuple(pairs)


def development_secret_key(instance_dir: str) -> str:
    """SECRET_KEY for development when none is set: random, kept in instance/ (never a known key)."""
    import secrets

    path = Path(instance_dir) / "dev-secret-key"
    try:
        key = path.read_text(encoding="ascii").strip()
    except OSError:
        key = ""
    if len(key) < 32:
        key = secrets.token_urlsafe(48)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(key, encoding="ascii")
        path.chmod(0o600)
    return key


class Config:
    """Settings shared by every environment. Values come from the environment."""

    LOTSBOK_ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'lotsbok.sqlite3'}")
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

    # Sessions and sign-in (OWASP ASVS 5.0 §6, §7). Each sign-in is a `user_sessions` row; the
    # absolute lifetime is counted from sign-in there, the idle timeout from the last request.
    SESSION_COOKIE_NAME = "lotsbok_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    LOTSBOK_SESSION_LIFETIME = timedelta(hours=_int("LOTSBOK_SESSION_HOURS", 10))
    PERMANENT_SESSION_LIFETIME = LOTSBOK_SESSION_LIFETIME  # the cookie; the server decides
    LOTSBOK_IDLE_TIMEOUT = timedelta(minutes=_int("LOTSBOK_IDLE_TIMEOUT_MINUTES", 30))
    LOTSBOK_HSTS = False
    # Behind a reverse proxy: how many proxies in front of the app may set X-Forwarded-For and
    # X-Forwarded-Proto (Werkzeug ProxyFix). 0 = use the connection's own address.
    LOTSBOK_TRUSTED_PROXIES = _int("LOTSBOK_TRUSTED_PROXIES", 0)
    # Throttle: failures counted per (account, client address) within the window; after the
    # free ones each further attempt waits a doubling delay. Failures on unknown accounts are
    # also counted per address, up to a ceiling.
    LOTSBOK_LOGIN_WINDOW = timedelta(minutes=15)
    LOTSBOK_LOGIN_FREE_FAILURES = 5
    LOTSBOK_LOGIN_FIRST_DELAY = timedelta(seconds=30)
    LOTSBOK_LOGIN_MAX_DELAY = timedelta(minutes=15)
    LOTSBOK_LOGIN_UNKNOWN_CEILING = 10
    LOTSBOK_SIGN_IN_LOG_DAYS = _int("LOTSBOK_SIGN_IN_LOG_DAYS", 90)  # then pruned by a job
    LOTSBOK_ONE_TIME_PASSWORD_HOURS = 72
    # Local (e-mail + password) sign-in. With it off only break-glass administrators may use it.
    LOTSBOK_LOCAL_LOGIN = _bool("LOTSBOK_LOCAL_LOGIN", True)
    LOTSBOK_BREAK_GLASS_ADMINS = tuple(e.lower() for e in _list("LOTSBOK_BREAK_GLASS_ADMINS"))
    # Roles that must use two-step verification when no admin has chosen otherwise.
    LOTSBOK_MFA_DEFAULT_ROLES = _list("LOTSBOK_MFA_DEFAULT_ROLES", "admin,chef")
    LOTSBOK_ACCESS_CONTACT = os.environ.get(
        "LOTSBOK_ACCESS_CONTACT", "näringslivskontorets administratör för Lotsbok"
    )
    # OpenID Connect (e.g. Microsoft Entra ID). Off unless OIDC_ISSUER is set.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
    OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
    OIDC_EMAIL_CLAIM = os.environ.get("OIDC_EMAIL_CLAIM", "email")
    # Entra ID sends no email_verified claim; with this on the e-mail claim is trusted as verified
    # (single-tenant: the addresses are the kommun's own directory).
    OIDC_TRUST_EMAIL = _bool("OIDC_TRUST_EMAIL", False)
    OIDC_ROLE_CLAIM = os.environ.get("OIDC_ROLE_CLAIM", "")
    OIDC_ROLE_MAP = _role_map("OIDC_ROLE_MAP")
    OIDC_ALLOW_PROVISIONING = _bool("OIDC_ALLOW_PROVISIONING", False)
    OIDC_BUTTON_LABEL = os.environ.get("OIDC_BUTTON_LABEL", "Logga in med kommunens konto")
    OIDC_TIMEOUT_SECONDS = _int("OIDC_TIMEOUT_SECONDS", 10)
    OIDC_CLOCK_LEEWAY_SECONDS = _int("OIDC_CLOCK_LEEWAY_SECONDS", 60)
    LOTSBOK_OIDC_ALLOW_HTTP = False  # tests only: a provider on http://127.0.0.1
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

    LOTSBOK_ENV_NAME = "development"
    # Without SECRET_KEY create_app uses a random key kept in instance/dev-secret-key.
    DEBUG = False  # the reloader would fork; `make run` starts the scheduler as its own process


class TestingConfig(Config):
    """pytest, and the gunicorn servers of the real-server tests (LOTSBOK_ENV=testing): the test
    fixtures point SQLALCHEMY_DATABASE_URI at a fresh database per test (a server takes
    DATABASE_URL). CSRF protection is on, as in production: test clients fetch the token the way a
    browser does (tests/conftest.py, BrowserLikeClient).

    Everything else is read from the environment like in production, so a test can start a
    server configured the way an operator would (tests/live.py `serve(env=...)`: OIDC_*,
    LOTSBOK_TRUSTED_PROXIES, BASE_URL …). The pytest process itself removes those variables
    before this module is imported (tests/conftest.py), so the shell it runs in changes nothing."""

    LOTSBOK_ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - fixed on purpose for tests
    SMTP_HOST = ""
    BASE_URL = os.environ.get("BASE_URL", "http://lotsbok.test").rstrip("/")
    # Tests that need two-step verification set it up themselves.
    LOTSBOK_MFA_DEFAULT_ROLES = _list("LOTSBOK_MFA_DEFAULT_ROLES")
    LOTSBOK_OIDC_ALLOW_HTTP = True  # the test provider runs on http://127.0.0.1


MIN_SECRET_KEY_LENGTH = 32


class ProductionConfig(Config):
    """Production: refuses to start with an unsafe configuration (see `validate`)."""

    LOTSBOK_ENV_NAME = "production"
    DATABASE_URL_SET = bool(os.environ.get("DATABASE_URL"))
    SESSION_COOKIE_SECURE = True
    # __Host-: the browser accepts the cookie only if Secure, Path=/ and without Domain (ASVS 3.3.3).
    SESSION_COOKIE_NAME = "__Host-lotsbok"
    REMEMBER_COOKIE_SECURE = True
    LOTSBOK_HSTS = True

    @classmethod
    def problems(cls) -> list[str]:
        """What is unsafe about this configuration (empty: fine)."""
        found = []
        if len(cls.SECRET_KEY or "") < MIN_SECRET_KEY_LENGTH:
            found.append(f"SECRET_KEY måste vara minst {MIN_SECRET_KEY_LENGTH} tecken (en lång slumpsträng)")
        if not cls.DATABASE_URL_SET:
            found.append("DATABASE_URL måste vara satt")
        if cls.OIDC_ISSUER and not cls.OIDC_ISSUER.startswith("https://"):
            found.append("OIDC_ISSUER måste börja med https://")
        if cls.OIDC_ISSUER and not (cls.OIDC_CLIENT_ID and cls.OIDC_CLIENT_SECRET):
            found.append("OIDC_CLIENT_ID och OIDC_CLIENT_SECRET måste vara satta när OIDC_ISSUER är det")
        if cls.LOTSBOK_OIDC_ALLOW_HTTP or os.environ.get("AUTHLIB_INSECURE_TRANSPORT"):
            found.append(
                "OpenID Connect över http är bara tillåtet i tester (ta bort AUTHLIB_INSECURE_TRANSPORT)"
            )
        if not cls.LOTSBOK_LOCAL_LOGIN and not cls.OIDC_ISSUER:
            found.append("LOTSBOK_LOCAL_LOGIN=false kräver OIDC_ISSUER (annars kan ingen logga in)")
        return found

    @classmethod
    def validate(cls) -> None:
        found = cls.problems()
        if found:
            raise RuntimeError("Lotsbok startar inte i produktion: " + "; ".join(found) + ".")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env(default: str = "development") -> type[Config]:
    """The config class named by LOTSBOK_ENV; `default` when it is not set.

    The CLI and `make run` default to development; the WSGI entry (run.py, gunicorn) defaults
    to production, so a server started without LOTSBOK_ENV never runs with development settings.
    """
    name = os.environ.get("LOTSBOK_ENV") or default
    if name not in CONFIGS:
        raise RuntimeError(f"Okänd LOTSBOK_ENV={name!r}; välj development, production eller testing.")
    return CONFIGS[name]
