"""The company and host fields of the visit form (plan a visit).

With JavaScript the company field is the shared combobox (static/js/combobox.js, fed by
`visits.company_search`): picking fills the hidden `company_id` and fetches the company's
contact persons for the host choice (`visits.host_choices`). Without JavaScript the typed text
is resolved on the server: an exact name or organisationsnummer is the company; anything else
is a search whose hits the form shows again as choices ("company_choice"), keeping everything
else typed. "Hämta kontaktpersoner" (`refresh`) shows the form again with the host choices of
the company, without saving."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.companies.lookup import resolve_company_id
from app.companies.models import Company
from app.companies.names import normalise_name
from app.companies.queries import get_company_or_404
from app.core.errors import ValidationError

MAX_MATCHES = 10


@dataclass
class FormCompany:
    """What the form's company field names: the company, or the hits of a search to choose from."""

    company: Company | None = None
    matches: list[Company] = field(default_factory=list)
    searched: bool = False  # the text named no company exactly: show the hits (maybe none)


def _search(text: str, actor) -> list[Company]:
    from app.interactions.queries import search_companies

    return search_companies(text, actor=actor, limit=MAX_MATCHES)


def resolve_form_company(form, *, actor, posted: dict, arg: str = "") -> FormCompany:
    """The company of a new visit's form (see the module). Sets `form.company_id`/`form.company`
    to the company found, so the form shows it again."""
    choice = str(posted.get("company_choice") or "")
    if choice.isdigit():
        form.company_id.data = choice
    elif arg.isdigit() and not form.is_submitted():
        form.company_id.data = arg
    text = (form.company.data or "").strip()
    raw_id = str(form.company_id.data or "")
    if raw_id.isdigit():
        company = get_company_or_404(int(raw_id))
        # Without JavaScript the hidden id stays when the user types another name: the text wins.
        if not text or choice.isdigit() or normalise_name(text) == normalise_name(company.name):
            form.company.data = company.name
            return FormCompany(company)
        form.company_id.data = ""
    if not text:
        return FormCompany()
    try:
        company_id = resolve_company_id(None, text)
    except ValidationError:
        company_id = None
    if company_id is not None:
        company = get_company_or_404(company_id)
        form.company_id.data = str(company.id)
        form.company.data = company.name
        return FormCompany(company)
    return FormCompany(matches=_search(text, actor), searched=True)
