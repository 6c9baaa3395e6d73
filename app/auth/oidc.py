"""Single sign-on through the kommun's identity provider: OpenID Connect, Authorization Code flow
with PKCE (S256), `state` and `nonce`, with Authlib's Flask client.

Configured only by environment variables (config.py: OIDC_*). The Authlib client is built per
app on first use and reads the provider's discovery document (OIDC_ISSUER +
/.well-known/openid-configuration); Authlib checks the ID token's signature (the provider's
JWKS), issuer, audience, expiry and nonce. `resolve_user` then decides who signs in: the linked
account (by `sub`), else an existing account with the same verified e-mail (linked now), else a
new account when provisioning is on and the role claim maps to a role; roles follow the claim at
every sign-in when OIDC_ROLE_CLAIM is set. Anything else is refused with a message (in the user's language) that
says whom to contact, and nothing changes.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests
from authlib.integrations.flask_client import OAuth
from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.auth.models import User
from app.auth.passwords import hash_password
from app.core.codes import swedish
from app.core.errors import DomainError
from app.core.permissions import ROLE_LABELS, Role
from app.core.time import utcnow
from app.extensions import db

CLIENT_NAME = "kommun"
_EXTENSION = "lotsbok.oidc"
PROVIDER_DOWN_MESSAGE = _l(
    "Kommunens inloggningstjänst svarar inte just nu, så det går inte att logga in med "
    "kommunens konto. Försök igen om en stund."
)


class OidcRefused(DomainError):
    """Single sign-on refused for this person (no account, no role, inactive …)."""

    status_code = 403


class ProviderUnavailable(DomainError):
    """The identity provider did not answer (down, or unreachable from the server)."""

    status_code = 503


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    email_claim: str
    trust_email: bool
    role_claim: str
    role_map: tuple[tuple[str, str], ...]
    provisioning: bool
    timeout: int
    leeway: int
    contact: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> OidcSettings:
        return cls(
            issuer=config["OIDC_ISSUER"].rstrip("/"),
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"],
            scopes=config["OIDC_SCOPES"],
            email_claim=config["OIDC_EMAIL_CLAIM"],
            trust_email=config["OIDC_TRUST_EMAIL"],
            role_claim=config["OIDC_ROLE_CLAIM"],
            role_map=tuple(config["OIDC_ROLE_MAP"]),
            provisioning=config["OIDC_ALLOW_PROVISIONING"],
            timeout=config["OIDC_TIMEOUT_SECONDS"],
            leeway=config["OIDC_CLOCK_LEEWAY_SECONDS"],
            contact=config["LOTSBOK_ACCESS_CONTACT"],
        )

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


def is_enabled(app: Flask) -> bool:
    return bool(app.config.get("OIDC_ISSUER"))


def settings(app: Flask) -> OidcSettings:
    return OidcSettings.from_config(app.config)


def client(app: Flask):
    """The Authlib client of this app, registered on first use from app.config."""
    cfg = settings(app)
    if not cfg.issuer.startswith("https://") and not app.config["LOTSBOK_OIDC_ALLOW_HTTP"]:
        raise ProviderUnavailable(_("OIDC_ISSUER måste börja med https://."))
    cached = app.extensions.get(_EXTENSION)
    if cached is not None and cached[0] == cfg:
        return cached[1]
    oauth = OAuth()
    oauth.init_app(app)
    registered = oauth.register(
        CLIENT_NAME,
        client_id=cfg.client_id,
        client_secret=cfg.client_secret,
        server_metadata_url=cfg.discovery_url,
        client_kwargs={"scope": cfg.scopes, "code_challenge_method": "S256", "default_timeout": cfg.timeout},
    )
    app.extensions[_EXTENSION] = (cfg, registered)
    return registered


def check_provider(app: Flask) -> dict[str, Any]:
    """Fetch the discovery document now (a short timeout), so that a provider that is down gets
    our own page instead of the browser's error. Raises ProviderUnavailable."""
    cfg = settings(app)
    try:
        response = requests.get(cfg.discovery_url, timeout=min(cfg.timeout, 5))
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(str(PROVIDER_DOWN_MESSAGE)) from exc


def mapped_role(claims: Mapping[str, Any], cfg: OidcSettings) -> str | None:
    """The Lotsbok role for the role claim: the first OIDC_ROLE_MAP entry the claim contains."""
    if not cfg.role_claim:
        return None
    value = claims.get(cfg.role_claim)
    values = (
        {str(v) for v in value} if isinstance(value, list | tuple) else ({str(value)} if value else set())
    )
    known = {r.value for r in Role}
    for claim_value, role in cfg.role_map:
        if claim_value in values and role in known:
            return role
    return None


def _email(claims: Mapping[str, Any], cfg: OidcSettings) -> tuple[str, bool]:
    email = str(claims.get(cfg.email_claim) or "").strip().lower()
    verified = cfg.trust_email or claims.get("email_verified") is True
    return email, verified


def resolve_user(claims: Mapping[str, Any], cfg: OidcSettings, *, now: datetime | None = None) -> User:
    """The Lotsbok user for validated ID-token claims, linking or creating as configured.

    Raises OidcRefused (naming whom to contact); flushes what it changed.
    """
    from app.auth.services import get_user_by_email

    now = now or utcnow()
    subject = str(claims.get("sub") or "")
    if not subject:
        raise OidcRefused(
            _(
                "Kommunens inloggningstjänst skickade inget användar-id. Kontakta %(contact)s.",
                contact=cfg.contact,
            )
        )
    role = mapped_role(claims, cfg)
    email, verified = _email(claims, cfg)
    user = db.session.query(User).filter(User.oidc_subject == subject).one_or_none()
    if user is None and email:
        existing = get_user_by_email(email)
        if existing is not None:
            if not verified:
                raise OidcRefused(
                    _(
                        "Det finns ett konto i Lotsbok med din e-postadress, men kommunens "
                        "inloggningstjänst har inte bekräftat adressen, så det kan inte kopplas. "
                        "Kontakta %(contact)s.",
                        contact=cfg.contact,
                    )
                )
            if existing.oidc_subject and existing.oidc_subject != subject:
                raise OidcRefused(
                    _(
                        "Ditt konto i Lotsbok är kopplat till ett annat konto i kommunens katalog. "
                        "Kontakta %(contact)s.",
                        contact=cfg.contact,
                    )
                )
            existing.oidc_subject = subject
            audit.record(
                existing,
                "link_oidc",
                "users",
                existing.id,
                summary="Kopplat till kommunens konto",  # untranslated: audit trail
                now=now,
            )
            user = existing
    if user is None:
        if not cfg.provisioning:
            raise OidcRefused(_("Du har inget konto i Lotsbok. Kontakta %(contact)s.", contact=cfg.contact))
        if role is None:
            raise OidcRefused(
                _(
                    "Ditt konto i kommunens katalog har ingen roll i Lotsbok. Kontakta %(contact)s.",
                    contact=cfg.contact,
                )
            )
        if not email or not verified:
            raise OidcRefused(
                _(
                    "Kommunens inloggningstjänst skickade ingen bekräftad e-postadress. Kontakta %(contact)s.",
                    contact=cfg.contact,
                )
            )
        user = User(
            email=email[:254],
            name=str(claims.get("name") or email)[:120],
            role=role,
            department="",
            # Nobody knows this password: accounts made by single sign-on use only that.
            password_hash=hash_password(secrets.token_urlsafe(32)),
            has_password=False,
            must_change_password=False,
            oidc_subject=subject,
        )
        db.session.add(user)
        audit.record_create(
            None,
            user,
            summary=f"Användare {email} skapad vid inloggning via kommunens konto",  # untranslated: audit trail
        )
        return user
    if not user.is_active:
        raise OidcRefused(
            _("Ditt konto i Lotsbok är inaktiverat. Kontakta %(contact)s.", contact=cfg.contact)
        )
    if cfg.role_claim:
        if role is None:
            raise OidcRefused(
                _(
                    "Ditt konto i kommunens katalog har inte längre någon roll i Lotsbok. Kontakta %(contact)s.",
                    contact=cfg.contact,
                )
            )
        if role != user.role:
            role_label = swedish(ROLE_LABELS[Role(role)])  # the audit trail is written in Swedish
            audit.record(
                None,
                "update",
                "users",
                user.id,
                summary=f"Roll ändrad till {role_label} enligt kommunens katalog",  # untranslated: audit trail
                changes={"role": [user.role, role]},
                now=now,
            )
            user.role = role
    db.session.flush()
    return user
