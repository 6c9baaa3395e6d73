"""Checks of single fields of the register (organisation number, e-mail, SNI code, web
address), shared by the company and contact-person services, the import and rectification.
Each returns the cleaned value or raises ValidationError naming the field."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask_babel import gettext as _

from app.companies.orgnr import OrgnrError, ParsedOrgnr, parse_orgnr
from app.companies.sni import SNI_VERSIONS, get_sni, normalise_sni_code
from app.core.errors import ValidationError

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_orgnr(raw: str, *, field_name: str = "orgnr") -> ParsedOrgnr | None:
    """Parse a user-typed organisationsnummer; blank gives None (a prospect without number)."""
    if not (raw or "").strip():
        return None
    try:
        return parse_orgnr(raw)
    except OrgnrError as exc:
        raise ValidationError(str(exc), field=field_name) from exc


def check_email(raw: str, *, field_name: str = "email") -> str:
    email = (raw or "").strip()
    if email and not _EMAIL.match(email):
        raise ValidationError(
            _("E-postadressen ser inte ut att vara giltig (namn@exempel.se)."), field=field_name
        )
    return email


def check_sni(code: str, version: str) -> tuple[str | None, str | None]:
    """Return (code, version) for a known SNI code, (None, None) for blank; else ValidationError."""
    code = normalise_sni_code(code)
    if not code:
        return None, None
    version = (version or "").strip()
    if version not in SNI_VERSIONS:
        raise ValidationError(_("Välj SNI-version (2007 eller 2025)."), field="sni_version")
    if get_sni(version, code) is None:
        raise ValidationError(
            _(
                "SNI-koden %(code)s finns inte i SNI %(version)s. Sök koden i SNI-listan och kontrollera versionen.",
                code=code,
                version=version,
            ),
            field="sni_code",
        )
    return code, version


def check_website(raw: str) -> str:
    url = (raw or "").strip()
    if url and "://" not in url:
        url = "https://" + url
    if url and not url.lower().startswith(("http://", "https://")):
        raise ValidationError(_("Webbadressen ska börja med http:// eller https://."), field="website")
    if len(url) > 200:
        raise ValidationError(_("Webbadressen får vara högst 200 tecken."), field="website")
    if url:
        try:
            host = urlsplit(url).hostname
        except ValueError:
            host = None
        if not host or any(ch.isspace() for ch in url):
            raise ValidationError(
                _("Webbadressen ser inte ut att vara giltig (t.ex. https://foretaget.se)."), field="website"
            )
    return url
