"""The one rule for records marked "kan innehålla uppgifter som omfattas av sekretess".

A contact (kontakt) and a lots case (lotsärende) can be marked restricted. Their content –
and the content of everything attached to them – is read only by

* a user with `restricted.view` (företagslots; admin holds it too but has no contact or case
  screens), or
* the record's owner (the contact's author, the case's responsible lots) or one of its
  participants;

everyone else sees that the record exists, in one neutral wording per kind (`neutral`), and
nothing of its content. A feature does not write this rule again: it asks this module.

**Roots and what inherits.** The restricted records are *roots*, registered by their feature
(`register_root`): "interaction" and "case". Everything attached to a root – follow-ups and case
actions with their done-notes, timeline entries, referrals and their outcomes, lotsmöten
(title, agenda, place, guests), permit rows, case notes and events, handlingsplan links – is
read exactly when its root(s) may be read: `judge` (Python, one query per root kind for a
page) and `inherited_clause` (SQL) take the attached row's root ids.

**The forms of the rule.**

* `may_read(actor, kind, record)` – one record (one indexed lookup at most);
* `readable_ids(actor, kind, ids)` – the batch form: which of these ids `actor` may read, one
  query for a whole list page;
* `readable_clause(actor, kind)` – a SQL predicate on the root's table that keeps only what
  `actor` may read (filters on content – permit type, partner, participant, "only
  restricted" – and search use it, so they never match a record the reader may not read);
* `judge(actor, items, interaction=…, case=…)` – verdicts for attached records;
* `inherited_clause(actor, interaction=col, case=col)` – the SQL form for attached rows.

**Showing.** Templates receive text already decided: `shown(...)` returns the object itself
for a reader who may read it, or a `Masked` copy whose content fields hold the neutral text.
Every display of restricted content outside the record's own page to a permitted reader is
logged in the audit trail once per request (`record_read`), like a read of the record's page.

**What leaves the system never carries restricted content.** E-mail, calendar feeds,
invitations (.ics) and exports are judged with `actor=None` ("read by nobody"): they say that
an item exists (`neutral_for_mail`: "Uppföljning med begränsad åtkomst – öppna i Lotsbok") and
link into the app, where reading is checked and logged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from app.core.codes import swedish
from app.core.permissions import Perm, can
from app.extensions import db

# One wording per kind, everywhere (pages, lists, exports, e-mail, feeds), in the language of the
# request (Swedish without one: jobs, the CLI, feeds fetched without a session).
WORDING: dict[str, str] = {
    "interaction": _l("Kontakt med begränsad åtkomst"),
    "case": _l("Lotsärende med begränsad åtkomst"),
    "followup": _l("Uppföljning med begränsad åtkomst"),
    "meeting": _l("Lotsmöte med begränsad åtkomst"),
    "referral": _l("Hänvisning med begränsad åtkomst"),
}
# What a page shows where a restricted record's content would be and the reader may not read it.
NOT_SHOWN = "–"


def neutral(kind: str) -> str:
    """The neutral title of a restricted record of `kind` for someone who may not read it (text
    in the current language)."""
    return str(WORDING[kind])


def neutral_for_mail(kind: str) -> str:
    """E-mail and calendar feeds: that an item exists, and where to read it. A mail built in a
    request must call this in the mail's language (inside `force_locale("sv")`)."""
    return _("%(wording)s – öppna i Lotsbok", wording=WORDING[kind])


# ---------------------------------------------------------------------------------------------
# Roots (registered by the features that own them)


@dataclass(frozen=True)
class Root:
    kind: str
    model: Any  # the mapped class; needs `id` and `is_restricted`
    owner: str  # attribute name of the owner's user id (author_id, responsible_user_id)
    participants: sa.Table  # (record_column, user_id) rows
    record_column: str
    entity_type: str  # the audit trail's name for the record ("interactions", "lots_cases")


_ROOTS: dict[str, Root] = {}


def register_root(
    kind: str, model: Any, *, owner: str, participants: sa.Table, record_column: str, entity_type: str
) -> None:
    """Declare a kind of record that can be marked restricted (called by its feature)."""
    _ROOTS[kind] = Root(kind, model, owner, participants, record_column, entity_type)


def root(kind: str) -> Root:
    try:
        return _ROOTS[kind]
    except KeyError:  # pragma: no cover - a programming error
        raise LookupError(f"no restricted root {kind!r} is registered") from None


def _is_user(actor: Any) -> bool:
    return (
        actor is not None
        and bool(getattr(actor, "is_active", False))
        and getattr(actor, "id", None) is not None
    )


def sees_all(actor: Any) -> bool:
    """Holders of restricted.view read every restricted record."""
    return can(actor, Perm.VIEW_RESTRICTED)


# ---------------------------------------------------------------------------------------------
# The rule: one record, a batch, SQL


def may_read(actor: Any, kind: str, record: Any) -> bool:
    """May `actor` read the content of `record` (a root of `kind`)? One indexed lookup at most.

    Only the restriction is decided here; whether the actor may open the kind's screens at all
    (contacts.view, cases.view) is the screen's own permission.
    """
    if not record.is_restricted:
        return True
    if not _is_user(actor):
        return False
    if sees_all(actor):
        return True
    r = root(kind)
    if getattr(record, r.owner) == actor.id:
        return True
    stmt = sa.select(sa.literal(1)).where(
        r.participants.c[r.record_column] == record.id, r.participants.c.user_id == actor.id
    )
    return db.session.scalar(stmt) is not None


def readable_clause(actor: Any, kind: str, entity: Any = None) -> sa.ColumnElement[bool]:
    """SQL: true for the rows of the root table (or its alias `entity`) that `actor` may read."""
    r = root(kind)
    m = entity if entity is not None else r.model
    if sees_all(actor):
        return sa.true()
    if not _is_user(actor):
        return m.is_restricted.is_(False)
    p = r.participants.alias()
    participant = sa.exists().where(p.c[r.record_column] == m.id, p.c.user_id == actor.id)
    return sa.or_(m.is_restricted.is_(False), getattr(m, r.owner) == actor.id, participant)


def readable_ids(actor: Any, kind: str, ids: Iterable[int]) -> set[int]:
    """The batch form: of `ids` (roots of `kind`), those whose content `actor` may read.

    One query for a whole page, whatever the number of ids."""
    wanted = {int(i) for i in ids if i is not None}
    if not wanted:
        return set()
    m = root(kind).model
    return set(db.session.scalars(sa.select(m.id).where(m.id.in_(wanted), readable_clause(actor, kind))))


def _status(actor: Any, kind: str, ids: set[int]) -> dict[int, tuple[bool, bool]]:
    """{id: (restricted, readable)} for roots of `kind` (one query)."""
    if not ids:
        return {}
    m = root(kind).model
    rows = db.session.execute(
        sa.select(m.id, m.is_restricted, readable_clause(actor, kind)).where(m.id.in_(ids))
    )
    return {rid: (bool(restricted), bool(readable)) for rid, restricted, readable in rows}


def inherited_clause(actor: Any, **parents: Any) -> sa.ColumnElement[bool]:
    """SQL for attached rows: true when every root the row hangs on may be read by `actor`.

    `parents` maps a root kind to the attached table's column holding that root's id, e.g.
    `inherited_clause(actor, interaction=FollowUp.interaction_id, case=FollowUp.case_id)`.
    A NULL column means "not attached to such a root".
    """
    if sees_all(actor):
        return sa.true()
    conditions = []
    for kind, column in parents.items():
        r = aliased(root(kind).model)
        hidden = sa.exists().where(r.id == column, sa.not_(readable_clause(actor, kind, r)))
        conditions.append(sa.not_(hidden))
    return sa.and_(*conditions)


def restricted_clause(**parents: Any) -> sa.ColumnElement[bool]:
    """SQL for attached rows: true when one of the roots the row hangs on is restricted."""
    conditions = []
    for kind, column in parents.items():
        r = aliased(root(kind).model)
        conditions.append(sa.exists().where(r.id == column, r.is_restricted.is_(True)))
    return sa.or_(*conditions)


@dataclass(frozen=True)
class Verdict:
    """What `actor` may see of one record: `restricted` if a root it hangs on is; `readable`
    if the actor may read all of them. `roots` are the restricted roots, as (kind, id)."""

    restricted: bool
    readable: bool
    roots: tuple[tuple[str, int], ...] = ()


OPEN = Verdict(False, True)


def judge(actor: Any, items: Iterable[Any], **parents: Callable[[Any], int | None]) -> list[Verdict]:
    """Verdicts for `items` (in order), which hang on roots through `parents`: a root kind →
    a function giving the item's root id (or None). A root judges itself with e.g.
    `judge(actor, cases, case=lambda c: c.id)`. One query per root kind."""
    items = list(items)
    statuses: dict[str, dict[int, tuple[bool, bool]]] = {}
    for kind, getter in parents.items():
        ids = {getter(item) for item in items} - {None}
        statuses[kind] = _status(actor, kind, ids)  # type: ignore[arg-type]
    verdicts = []
    for item in items:
        roots: list[tuple[str, int]] = []
        readable = True
        for kind, getter in parents.items():
            rid = getter(item)
            if rid is None:
                continue
            restricted, can_read = statuses[kind].get(rid, (False, True))
            if restricted:
                roots.append((kind, rid))
                readable = readable and can_read
        verdicts.append(Verdict(bool(roots), readable if roots else True, tuple(roots)) if roots else OPEN)
    return verdicts


def judge_one(actor: Any, item: Any, **parents: Callable[[Any], int | None]) -> Verdict:
    return judge(actor, [item], **parents)[0]


# ---------------------------------------------------------------------------------------------
# Showing: decided text for templates, and the audited read


class Masked:
    """`obj` as a reader who may not read it sees it: the given attributes replaced by their
    neutral values, everything else (ids, dates, status) passed through. `restricted` is True."""

    __slots__ = ("_obj", "_over")

    def __init__(self, obj: Any, **overrides: Any) -> None:
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_over", overrides)

    def __getattr__(self, name: str) -> Any:
        over = object.__getattribute__(self, "_over")
        if name in over:
            return over[name]
        if name in ("restricted", "masked"):
            return True
        return getattr(object.__getattribute__(self, "_obj"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a masked record is read-only")

    def __repr__(self) -> str:
        return f"<Masked {object.__getattribute__(self, '_obj')!r}>"


def reveal(actor: Any, verdict: Verdict, *, where: str = "") -> bool:
    """True if the content may be shown to `actor`; showing restricted content is then logged
    (`record_read`). False: show the neutral text instead."""
    if not verdict.restricted:
        return True
    if verdict.readable and _is_user(actor):
        for kind, rid in verdict.roots:
            record_read(actor, kind, rid, where=where)
        return True
    return False


def shown(actor: Any, verdict: Verdict, obj: Any, *, where: str = "", **neutral_values: Any) -> Any:
    """`obj` as `actor` may see it: itself (an audited read if restricted) or a `Masked` copy
    with `neutral_values` in place of its content."""
    return obj if reveal(actor, verdict, where=where) else Masked(obj, **neutral_values)


_LOG_KEY = "lotsbok_restricted_read_log"
_SEEN = "_lotsbok_restricted_reads"
_PENDING = "_lotsbok_restricted_reads_pending"


def register_read_log(app: Flask, fn: Callable[[Any, str, int, str], None]) -> None:
    """The audit trail's writer `fn(actor, entity_type, entity_id, summary)` (app.audit)."""
    app.extensions[_LOG_KEY] = fn


def record_read(actor: Any, kind: str, record_id: int, *, where: str = "") -> None:
    """Log that `actor` was shown restricted content of the root (`kind`, `record_id`) – once per
    request and record, as an audit "view" event on the record (committed with the request)."""
    seen: set = g.setdefault(_SEEN, set())
    key = (kind, record_id, getattr(actor, "id", None))
    if key in seen:
        return
    seen.add(key)
    place = where or (request.path if has_request_context() else "")
    r = root(kind)
    wording = swedish(WORDING[kind])  # the audit trail is written in Swedish, whoever reads
    summary = f"{wording} läst" + (f" ({place})" if place else "")  # untranslated: audit trail
    current_app.extensions[_LOG_KEY](actor, r.entity_type, record_id, summary)
    commit_after_request()


def commit_after_request() -> None:
    """An audited read was added to the session during a page that otherwise only reads: the
    request commits it after the page is rendered (`init_app`)."""
    setattr(g, _PENDING, True)


def init_app(app: Flask) -> None:
    """Commit the audited reads of a GET page that showed restricted content (a page that
    otherwise only reads does not commit)."""

    @app.after_request
    def _commit_reads(response):
        if g.pop(_PENDING, False):
            if response.status_code < 400:
                db.session.commit()
            else:
                db.session.rollback()
        return response

    @app.teardown_request
    def _forget_reads(_exc: BaseException | None) -> None:
        # Tests and CLI code may run several requests in one app context: "once per request".
        g.pop(_SEEN, None)
        g.pop(_PENDING, None)
