"""Password hashing with argon2id (argon2-cffi) and the password policy.

Policy (ASVS 5.0 6.2): at least 12 characters, at most 128, no composition rules; refused when
it contains the user's name or e-mail address, or when zxcvbn (offline: it ships frequency lists
built from breached-password dumps, English words, names and keyboard patterns) estimates it as
easy to guess. A few Swedish words that zxcvbn's lists lack are added to its dictionary.
"""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from zxcvbn import zxcvbn

from app.core.errors import ValidationError

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so both failure paths cost the same time.
    Made at first use, not at import: a hash costs ~0.3 s of CPU, and every process that imports
    the app (each gunicorn worker, each CLI command) paid it at start."""
    return _hasher.hash("lotsbok-dummy-password")


MIN_LENGTH = 12
MAX_LENGTH = 128
# zxcvbn's score: 0 too guessable … 4 very unguessable. 3 ≈ at least 10^8 guesses.
MIN_SCORE = 3
# Common Swedish password material missing from zxcvbn's English lists.
SWEDISH_WORDS = (
    "lösenord",  # untranslated: matched against passwords
    "losenord",
    "sommar",
    "vinter",
    "hösten",  # untranslated: matched against passwords
    "hosten",
    "våren",  # untranslated: matched against passwords
    "varen",
    "välkommen",  # untranslated: matched against passwords
    "valkommen",
    "hemlig",
    "hemligt",
    "sverige",
    "svensson",
    "andersson",
    "johansson",
    "karlsson",
    "nilsson",
    "kommun",
    "kommunen",
    "borlänge",  # untranslated: matched against passwords
    "borlange",
    "lotsbok",
    "företag",  # untranslated: matched against passwords
    "foretag",
    "hejsan",
    "hejhej",
    "älskling",  # untranslated: matched against passwords
    "alskling",
    "fotboll",
    "hockey",
    "qwertyuiopå",  # untranslated: matched against passwords
    "asdfghjklöä",  # untranslated: matched against passwords
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other Argon2 parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return False


def _personal_parts(name: str, email: str) -> list[str]:
    """Pieces of the user's name and e-mail address that a password must not contain."""
    email = email.strip().lower()
    local = email.partition("@")[0]
    parts = {email, local} if email else set()
    parts.update(re.split(r"[.\-_+]", local))
    words = re.split(r"\s+", name.strip().lower())
    parts.update(words)
    if len(words) > 1:
        parts.add("".join(words))
    return sorted((p for p in parts if len(p) >= 4), key=len, reverse=True)


def check_policy(password: str, *, field: str = "password", name: str = "", email: str = "") -> None:
    """Raise ValidationError (on `field`, in the request's language) unless the password follows the policy."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(_("Lösenordet måste ha minst %(min)s tecken.", min=MIN_LENGTH), field=field)
    if len(password) > MAX_LENGTH:
        raise ValidationError(_("Lösenordet får ha högst %(max)s tecken.", max=MAX_LENGTH), field=field)
    folded = password.lower()
    # Pieces of 5+ characters are refused anywhere in the password; 4-letter ones ("Sara",
    # "lots") only as a whole word, so that "Lotsbok" is not taken for the e-mail "lots@…".
    words = set(re.findall(r"[^\W\d_]+", folded))
    if any(part in folded if len(part) >= 5 else part in words for part in _personal_parts(name, email)):
        raise ValidationError(
            _("Lösenordet får inte innehålla ditt namn eller din e-postadress."), field=field
        )
    result = zxcvbn(password, user_inputs=[*SWEDISH_WORDS, *_personal_parts(name, email)])
    if result["score"] < MIN_SCORE:
        raise ValidationError(
            _(
                "Lösenordet är för lätt att gissa: det är vanligt, finns i listor över läckta lösenord "
                "eller följer ett enkelt mönster. Välj en längre fras med flera ord."
            ),
            field=field,
        )
