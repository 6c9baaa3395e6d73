"""The user picker: who may be chosen in a form field, search as you type, and the fields.

A form that needs a person (a participant, a responsible lots, an assignee, a list filter on a
user) renders neither a `<select>` nor a list of checkboxes with every user – at a big kommun's
size that is a thousand options on every page. Instead:

* **A pool** names who may be chosen in a field (`POOLS`: everyone active, active lotsar,
  those who may hold follow-ups, …), decided by role like the permission table.
* **`search(q, pool)`** finds the pool's active users whose name or e-mail matches `q` (every
  word typed is the start of a word of the name or the e-mail, case- and accent-insensitive;
  å, ä and ö are letters of their own). `auth.user_search` serves it as JSON to
  `static/js/userpick.js`.
* **`UserField`** (one user) and **`UserListField`** (several) are WTForms fields. The posted
  value of the field's own name is the user id (what the script or a test posts), so existing
  posts of ids keep working; the visible text input `<name>-text` holds what the user typed.
  Without JavaScript the server resolves that text on submit: one match → that user; none or
  several → an error message on the field, the typed text kept.
* Templates render them with `_macros/userpick.html`.

Only active users of the pool may be picked; a user already on the record (an old participant
since deactivated) is kept when the view says so with `field.keep(ids)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from wtforms import Field, Form
from wtforms.validators import StopValidation

from app.auth.models import User
from app.core.permissions import ROLE_PERMISSIONS, Perm, Role
from app.core.text import sv_fold
from app.extensions import db

SEARCH_LIMIT = 10  # options shown while typing
MIN_QUERY = 2  # characters before the endpoint searches
TEXT_SUFFIX = "-text"
_SEPARATORS = re.compile(r"[,;\n]+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _with(perm: Perm) -> Callable[[], frozenset[str]]:
    return lambda: frozenset(r.value for r, perms in ROLE_PERMISSIONS.items() if perm in perms)


@dataclass(frozen=True)
class Pool:
    label: str  # what the options are, in the plural ("användare"; lazy, translated)
    roles: Callable[[], frozenset[str]]
    include_inactive: bool = False  # former users too (the audit log's filter)
    perm: Perm | None = None  # who may search this pool, beyond being signed in


POOLS: dict[str, Pool] = {
    "alla": Pool(_l("användare"), lambda: frozenset(r.value for r in Role)),
    "lots": Pool(_l("företagslotsar"), lambda: frozenset({Role.LOTS.value})),
    "arenden": Pool(_l("användare"), _with(Perm.EDIT_CASES)),
    "uppfoljning": Pool(_l("användare"), _with(Perm.VIEW_FOLLOWUPS)),
    "ledning": Pool(_l("personer i kommunledningen"), lambda: frozenset({Role.LEDNING.value})),
    "kontor": Pool(
        _l("personer på näringslivskontoret"), lambda: frozenset({Role.LOTS.value, Role.CHEF.value})
    ),
    "historik": Pool(
        _l("användare"), lambda: frozenset(r.value for r in Role), include_inactive=True, perm=Perm.VIEW_AUDIT
    ),
}


def pool_roles(pool: str) -> frozenset[str]:
    return POOLS[pool].roles()


def _words(user: User | sa.Row) -> list[str]:
    email = (user.email or "").casefold()
    return [*_WORD.findall(sv_fold(user.name or "")), email, *_WORD.findall(email)]


def _matches(user: User | sa.Row, tokens: list[str]) -> bool:
    words = _words(user)
    return all(any(w.startswith(t) for w in words) for t in tokens)


def _tokens(q: str) -> list[str]:
    folded = sv_fold(q.strip())
    if "@" in folded and " " not in folded:
        return [folded]  # a whole or partial e-mail address
    return _WORD.findall(folded)[:8]


def _candidates(pool: str) -> list[sa.Row]:
    """The pool's users as (id, name, email) rows, by name. One narrow query, and no ORM
    objects: a kommun has hundreds to a few thousand users, every keystroke reads them all, and
    names are matched accent-insensitively in Python (SQLite's lower() knows only ASCII). Only
    the few that match become `User`s (`_load`)."""
    stmt = sa.select(User.id, User.name, User.email).where(User.role.in_(sorted(pool_roles(pool))))
    if not POOLS[pool].include_inactive:
        stmt = stmt.where(User.is_active.is_(True))
    return list(db.session.execute(stmt.order_by(User.name, User.id)))


def _load(rows: list[sa.Row]) -> list[User]:
    """The users of `rows`, in their order."""
    if not rows:
        return []
    by_id = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_([r.id for r in rows])))}
    return [by_id[r.id] for r in rows if r.id in by_id]


def search(q: str, pool: str = "alla", *, limit: int = SEARCH_LIMIT) -> list[User]:
    """Active users of `pool` matching `q`, by name, at most `limit`. Empty for a query of
    fewer than two characters."""
    tokens = _tokens(q)
    if len("".join(tokens)) < MIN_QUERY:
        return []
    return _load([r for r in _candidates(pool) if _matches(r, tokens)][:limit])


def resolve(text: str, pool: str = "alla") -> list[User]:
    """The users typed `text` means (no-JS submit): an exact e-mail or an exact whole name wins
    over partial matches; otherwise every user whose name or e-mail matches. At most 6."""
    tokens = _tokens(text)
    if not tokens:
        return []
    folded = " ".join(_WORD.findall(sv_fold(text)))
    found = [r for r in _candidates(pool) if _matches(r, tokens)]
    exact = [
        r
        for r in found
        if r.email.casefold() == text.strip().casefold() or " ".join(_WORD.findall(sv_fold(r.name))) == folded
    ]
    return _load((exact or found)[:6])


def describe(user: User) -> str:
    """What an option shows after the name: department or e-mail."""
    return user.department or user.email


def as_json(user: User) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "detail": describe(user)}


def _no_match(text: str, pool: str) -> str:
    if POOLS[pool].include_inactive:
        return _(
            "Ingen %(noun)s matchar ”%(text)s”. Skriv en del av namnet eller e-postadressen.",
            noun=_noun(pool),
            text=text,
        )
    return _(
        "Ingen aktiv %(noun)s matchar ”%(text)s”. Skriv en del av namnet eller e-postadressen.",
        noun=_noun(pool),
        text=text,
    )


def _several(text: str, users: list[User]) -> str:
    names = ", ".join(u.name for u in users[:5]) + (" …" if len(users) > 5 else "")
    return _(
        "Flera matchar ”%(text)s” (%(names)s). Skriv mer av namnet eller hela e-postadressen.",
        text=text,
        names=names,
    )


def _noun(pool: str) -> str:
    return {
        "lots": _("företagslots"),
        "ledning": _("person i kommunledningen"),
        "kontor": _("person på näringslivskontoret"),
    }.get(pool) or pgettext("en", "användare")  # one user ("användare" alone is the plural "users")


def _id(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


class _PickerBase(Field):
    """What both fields share: the pool, the typed text, ids the record already has."""

    def __init__(self, label=None, validators=None, *, pool: str = "alla", any_id: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        if pool not in POOLS:
            raise ValueError(f"unknown user pool {pool!r}")
        self.pool = pool
        self._typed: str | None = None  # text as typed, re-shown when it did not resolve
        # A list filter takes any existing user's id (a link to an old colleague's contacts);
        # typed text still finds only the pool's active users.
        self.any_id = any_id
        self.kept_ids: set[int] = set()
        self._resolve_errors: list[str] = []

    @property
    def text(self) -> str:
        """The text input's value: what was typed if it did not resolve (or is left over)."""
        return self._typed or ""

    @property
    def text_name(self) -> str:
        return self.name + TEXT_SUFFIX

    def keep(self, ids: Iterable[int]) -> None:
        """Users already on the record stay selectable even if no longer active or in the pool."""
        self.kept_ids |= {int(i) for i in ids if i is not None}

    def _allowed(self, user: User | None) -> bool:
        if user is None:
            return False
        if self.any_id or user.id in self.kept_ids:
            return True
        active = bool(user.is_active) or POOLS[self.pool].include_inactive
        return active and user.role in pool_roles(self.pool)

    def _resolve_one(self, text: str) -> User | None:
        users = resolve(text, self.pool)
        if len(users) == 1:
            return users[0]
        self._resolve_errors.append(_several(text, users) if users else _no_match(text, self.pool))
        return None


class UserField(_PickerBase):
    """One user (or none). `data` is the user id or None; `user` the User."""

    def process(self, formdata, data=None, extra_filters=None):
        self._resolve_errors = []
        super().process(formdata, data, extra_filters)
        self._typed = None
        if formdata is not None and self.text_name in formdata:
            typed = formdata.get(self.text_name, "").strip()[:200]
            picked = self.user
            if not typed:
                self.data = None
            elif picked is not None and (
                sv_fold(typed) == sv_fold(picked.name) or typed.casefold() == picked.email.casefold()
            ):
                pass  # the script picked this user (two users can share a name)
            else:
                found = self._resolve_one(typed)
                self.data = found.id if found else None
                self._typed = None if found else typed

    @property
    def text(self) -> str:
        """What the text input shows: the typed text that did not resolve, else the user's name."""
        if self._typed is not None:
            return self._typed
        user = self.user
        return user.name if user is not None else ""

    def process_data(self, value):
        self.data = _id(getattr(value, "id", value))

    def process_formdata(self, valuelist):
        self.data = _id(valuelist[0]) if valuelist else None

    @property
    def user(self) -> User | None:
        return db.session.get(User, self.data) if self.data else None

    def _value(self) -> str:
        return str(self.data) if self.data else ""

    def pre_validate(self, form) -> None:
        if self._resolve_errors:
            raise StopValidation(self._resolve_errors[0])
        if self.data is not None and not self._allowed(self.user):
            self.data = None
            raise StopValidation(_("Välj en aktiv %(noun)s.", noun=_noun(self.pool)))


class UserListField(_PickerBase):
    """Several users. `data` is a list of ids (posted as repeated `<name>=<id>`, the checkboxes of
    those already chosen); the text input adds more, separated by commas."""

    def process(self, formdata, data=None, extra_filters=None):
        self._resolve_errors = []
        self._typed = None
        super().process(formdata, data, extra_filters)
        if self.data is None:
            self.data = []
        if formdata is not None and self.text_name in formdata:
            raw = formdata.get(self.text_name, "")[:1000]
            left: list[str] = []
            for part in (p.strip() for p in _SEPARATORS.split(raw)):
                if not part:
                    continue
                found = self._resolve_one(part)
                if found is None:
                    left.append(part)
                elif found.id not in self.data:
                    self.data.append(found.id)
            self._typed = ", ".join(left)

    def process_data(self, value):
        ids = [_id(getattr(v, "id", v)) for v in (value or ())]
        self.data = list(dict.fromkeys(i for i in ids if i is not None))

    def process_formdata(self, valuelist):
        ids = [_id(v) for v in valuelist]
        self.data = list(dict.fromkeys(i for i in ids if i is not None))

    @property
    def users(self) -> list[User]:
        """The chosen users in name order (one query)."""
        if not self.data:
            return []
        rows = db.session.scalars(sa.select(User).where(User.id.in_(self.data))).all()
        return sorted(rows, key=lambda u: (sv_fold(u.name), u.id))

    def pre_validate(self, form) -> None:
        if self._resolve_errors:
            raise StopValidation(" ".join(self._resolve_errors))
        found = {u.id: u for u in self.users}
        bad = [i for i in self.data if not self._allowed(found.get(i))]
        if bad:
            self.data = [i for i in self.data if i not in bad]
            raise StopValidation(_("Välj bara aktiva %(nouns)s.", nouns=_plural(self.pool)))


def _plural(pool: str) -> str:
    return str(POOLS[pool].label)


def filter_field(formdata, name: str, label: str, pool: str = "alla") -> UserField:
    """A user filter of a hand-written GET form (`?<name>=<id>` or `<name>-text`), processed and
    validated: `.data` is the id to filter on or None, errors are on the field."""
    form = type("UserFilterForm", (Form,), {name: UserField(label, pool=pool, any_id=True)})(formdata)
    form.validate()
    return form[name]
