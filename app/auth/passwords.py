"""Password hashing with argon2id (argon2-cffi) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.core.errors import ValidationError

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so both failure paths cost the same time.
_DUMMY_HASH = _hasher.hash("lotsbok-dummy-password")

MIN_LENGTH = 12
MAX_LENGTH = 128


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def check_policy(password: str, *, field: str = "password") -> None:
    """Length only (ASVS 6.2: no composition rules; allow long passphrases)."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"Lösenordet måste ha minst {MIN_LENGTH} tecken.", field=field)
    if len(password) > MAX_LENGTH:
        raise ValidationError(f"Lösenordet får ha högst {MAX_LENGTH} tecken.", field=field)
