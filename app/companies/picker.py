"""The one company picker of every form that names a company (templates/_macros/company_picker.html,
static/js/companypick.js): what the suggestions answer, how the server reads a posted picker, and
the "Nytt företag" round trip.

A posted picker is two values: the chosen id (`company_id`, set by the combobox or by a radio
button of the no-JavaScript choice list) and the typed text (`company`). The server trusts the id
only while the text still names that company (its name, or a search the company is among); text
without a usable id is looked up: one exact name or organisationsnummer chooses, anything else
becomes a choice list under the field. Search follows the company list's rules exactly
(`company_select`: live, unmerged companies; a sole trader's personnummer only as a whole number,
audited), so the picker never finds more than the register's own search.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from flask import redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.companies.models import Company
from app.companies.names import normalise_name
from app.companies.orgnr import OrgnrError, parse_orgnr
from app.companies.queries import CompanyFilter, company_select, personal_ids_in
from app.companies.services import audit_personal_id_lookup, orgnr_display
from app.core.permissions import Perm, can
from app.extensions import db

LIMIT = 10
SEARCH = "company_search"  # the no-JavaScript "Sök" button's name
NEW = "company_new"  # the "Nytt företag" button's name
# Never carried into the company form's `next`: the token, the version and the picker itself.
NOT_CARRIED = frozenset({"csrf_token", "version", "form_token", SEARCH, NEW})


@dataclass
class Picked:
    """What a picker holds: the chosen company, the typed text, and – after a search without a
    choice – the companies to choose from (None: no search was made) and the message why."""

    company: Company | None = None
    text: str = ""
    choices: list[Company] | None = None
    error: str = ""
    searched: bool = False  # the no-JavaScript "Sök" was pressed: show the choices, save nothing
    wants_new: bool = False  # "Nytt företag" was pressed: go to the company form

    may_create: bool = False  # the user may create companies: "Nytt företag" is offered

    @property
    def id(self) -> int | None:
        return self.company.id if self.company is not None else None

    @property
    def options(self) -> list[dict[str, Any]]:
        """The no-JavaScript choices as the suggestions show them (numbers masked)."""
        return [suggestion(c) for c in self.choices or []]


def _live() -> sa.ColumnElement[bool]:
    return sa.and_(Company.deleted_at.is_(None), Company.merged_into_id.is_(None))


def search(q: str, *, actor: Any, where: str, limit: int = LIMIT) -> list[Company]:
    """Live companies whose name, contact person or organisationsnummer matches `q` – the rule of
    the company list and the contact log's picker (`company_select`). Empty below two
    characters; a whole personnummer is an audited lookup."""
    q = " ".join((q or "").split())[:100]
    if len(q) < 2:
        return []
    audit_personal_id_lookup(actor, personal_ids_in(q), where=where)
    return list(db.session.scalars(company_select(CompanyFilter(q=q)).limit(limit)))


def suggestion(company: Company) -> dict[str, Any]:
    """One suggestion as the combobox shows it (the sole trader's number masked)."""
    place = " ".join(x for x in (company.postcode, company.city) if x)
    return {
        "id": company.id,
        "name": company.name,
        "detail": " · ".join(x for x in (orgnr_display(company), place) if x),
    }


def _exact(text: str) -> Company | None:
    """The one live company whose whole name or whole organisationsnummer `text` is."""
    try:
        number = parse_orgnr(text).number
    except OrgnrError:
        number = None
    column, value = (Company.orgnr, number) if number else (Company.name_norm, normalise_name(text))
    found = db.session.scalars(sa.select(Company).where(_live(), column == value).limit(2)).all()
    return found[0] if len(found) == 1 else None


def _live_company(value: object) -> Company | None:
    if not str(value or "").isdigit():
        return None
    company = db.session.get(Company, int(str(value)))
    return company if company is not None and company.is_live else None


def read(
    values: Mapping[str, str],
    *,
    actor: Any,
    where: str,
    name: str = "company_id",
    text_name: str = "company",
) -> Picked:
    """The picker's state from a request's values (`request.form` of a post, `request.args` of a
    link): an id alone (`?company_id=` from a company page) or with its company's name chooses;
    other text (`company`, or `q`) is looked up."""
    text = " ".join((values.get(text_name) or values.get("q") or "").split())[:100]
    chosen = _live_company(values.get(name))
    picked = Picked(
        text=text,
        searched=SEARCH in values,
        wants_new=NEW in values,
        may_create=can(actor, Perm.EDIT_COMPANIES),
    )
    if chosen is not None and (not text or normalise_name(text) == chosen.name_norm):
        picked.company, picked.text = chosen, chosen.name
        return picked
    if not text:
        return picked
    results = search(text, actor=actor, where=where)
    if chosen is not None and any(c.id == chosen.id for c in results):
        picked.company, picked.text = chosen, text
        return picked
    exact = None if picked.searched else _exact(text)
    if exact is not None:
        picked.company, picked.text = exact, exact.name
        return picked
    picked.choices = results
    picked.error = (
        _("Välj ett av företagen i listan under fältet.")
        if results
        else _(
            "Inga företag matchar ”%(text)s”. Kontrollera stavningen eller lägg till ett nytt företag.",
            text=text,
        )
    )
    return picked


def read_request(*, actor: Any, where: str) -> Picked:
    """The picker of the current request: the posted form, or the query string of a link."""
    return read(request.form if request.method == "POST" else request.args, actor=actor, where=where)


def new_company_redirect(picked: Picked, back_endpoint: str) -> Response | None:
    """For a post that pressed "Nytt företag": the redirect to the company form, which returns to
    `back_endpoint` with what was typed; for anything else None (the view goes on)."""
    if request.method == "POST" and picked.wants_new:
        return redirect(new_company_url(url_for(back_endpoint), request.form, picked.text))
    return None


def carried(values: Mapping[str, str] | Any, *, name: str = "company_id", text_name: str = "company") -> list:
    """The (key, value) pairs of a posted form to carry through the company form: everything
    the user typed except the token, the version and the picker."""
    skip = NOT_CARRIED | {name, text_name}
    items = values.items(multi=True) if hasattr(values, "getlist") else values.items()
    return [(k, v) for k, v in items if k not in skip and v not in (None, "")]


def carried_formdata(args: Any, *, name: str = "company_id", text_name: str = "company") -> Any:
    """The query string as form data when it carries a form's fields back from the company
    form (anything besides the picker and `next`), else None: the form starts from defaults."""
    own = {name, text_name, "q", "next", SEARCH, NEW}
    return args if any(key not in own for key in args) else None


def new_company_url(back: str, values: Any, text: str, **names: str) -> str:
    """The company form, with the typed name filled in, that returns to `back` (the form it came
    from, re-opened with what the user had typed in it and the new company chosen)."""
    fields = carried(values, **names)
    next_url = back + ("?" + urlencode(fields) if fields else "")
    return url_for("companies.new", name=text, next=next_url)


def safe_next(target: str | None) -> str:
    """`target` if it is a path on this site (no scheme, no host, no `//`), else ""."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return ""
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else ""


def with_company(next_url: str, company_id: int) -> str:
    """`next_url` with `company_id` set to the new company."""
    parts = urlsplit(next_url)
    query = [p for p in parts.query.split("&") if p and not p.startswith("company_id=")]
    query.append(f"company_id={company_id}")
    return f"{parts.path}?{'&'.join(query)}"
