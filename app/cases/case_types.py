"""The case-type catalogue (admin): its services, its form and its admin screen
(/admin/arendetyper, served by app.admin.catalogue). Case types are never deleted: a retired
type stays on old cases and is not offered for new ones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from app.audit import services as audit
from app.audit.retirement import set_retired
from app.auth.models import User
from app.cases import queries
from app.cases.models import CaseType
from app.core.catalogue import CatalogueScreen, Column
from app.core.db import check_version
from app.core.errors import Conflict, ValidationError
from app.core.forms import VersionedForm
from app.core.permissions import Perm, require
from app.extensions import db


@dataclass(frozen=True)
class CaseTypeInput:
    code: str
    name: str
    is_event: bool = False
    is_large_establishment: bool = False


_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def _validate_case_type(data: CaseTypeInput, existing: CaseType | None) -> None:
    if not _CODE.match(data.code.strip()):
        raise ValidationError(
            _("Koden får bara ha små bokstäver a–z, siffror och bindestreck."), field="code"
        )
    if not data.name.strip():
        raise ValidationError(_("Ange ett namn."), field="name")
    for column, value, field_name in (
        (CaseType.code, data.code.strip(), "code"),
        (CaseType.name, data.name.strip(), "name"),
    ):
        clash = db.session.scalar(sa.select(CaseType).where(column == value))
        if clash is not None and clash is not existing:
            raise Conflict(_("Det finns redan en ärendetyp med det värdet."), field=field_name)


def create_case_type(data: CaseTypeInput, *, actor: User) -> CaseType:
    """Add a case type, last in order. Raises PermissionDenied, ValidationError, Conflict."""
    require(actor, Perm.MANAGE_CATALOGUES)
    _validate_case_type(data, None)
    last = db.session.scalar(sa.select(sa.func.max(CaseType.position)))
    case_type = CaseType(
        code=data.code.strip(),
        name=data.name.strip(),
        is_event=data.is_event,
        is_large_establishment=data.is_large_establishment,
        position=(last or 0) + 1,
    )
    db.session.add(case_type)
    summary = f"Ärendetyp {case_type.name} skapad"  # untranslated: audit trail
    audit.record_create(actor, case_type, summary=summary)
    return case_type


def update_case_type(
    case_type: CaseType, data: CaseTypeInput, *, actor: User, expected_version: int | None = None
) -> CaseType:
    """Rename a case type; old cases follow the new name."""
    require(actor, Perm.MANAGE_CATALOGUES)
    check_version(case_type, expected_version)
    _validate_case_type(data, case_type)
    case_type.code = data.code.strip()
    case_type.name = data.name.strip()
    case_type.is_event = data.is_event
    case_type.is_large_establishment = data.is_large_establishment
    audit.record_update(actor, case_type)
    db.session.flush()
    return case_type


def retire_case_type(case_type: CaseType, *, actor: User, now: datetime | None = None) -> CaseType:
    """Stop offering a case type for new cases; old cases keep it. Retiring a retired type
    changes nothing (a double submit does not bring it back, as the old toggle did)."""
    require(actor, Perm.MANAGE_CATALOGUES)
    summary = f"Ärendetyp {case_type.name} avslutad"  # untranslated: audit trail
    set_retired(case_type, True, actor=actor, now=now, summary=summary)
    return case_type


def reinstate_case_type(case_type: CaseType, *, actor: User) -> CaseType:
    """Offer a retired case type for new cases again (a no-op for one in use)."""
    require(actor, Perm.MANAGE_CATALOGUES)
    summary = f"Ärendetyp {case_type.name} återaktiverad"  # untranslated: audit trail
    set_retired(case_type, False, actor=actor, summary=summary)
    return case_type


class CaseTypeForm(VersionedForm):
    code = StringField(
        _l("Kod"),
        description=_l("Kort maskinnamn, t.ex. besoksnaring."),
        validators=[DataRequired(message=_l("Ange en kod.")), Length(max=40)],
    )
    name = StringField(_l("Namn"), validators=[DataRequired(message=_l("Ange ett namn.")), Length(max=120)])
    is_event = BooleanField(_l("Evenemang (ärendet får evenemangsfält och ”ansök senast”)"))
    is_large_establishment = BooleanField(
        _l("Stor etablering (räknas i rapporternas ”stora etableringar”)"),
        description=_l("Rapporten räknar ärenden av de typer som är markerade här, oavsett namn."),
    )

    def to_input(self) -> CaseTypeInput:
        return CaseTypeInput(
            self.code.data or "",
            self.name.data or "",
            bool(self.is_event.data),
            bool(self.is_large_establishment.data),
        )


CASE_TYPES = CatalogueScreen(
    key="case_types",
    slug="arendetyper",
    title=_l("Ärendetyper"),
    heading=_l("Ärendetyper för lotsärenden"),
    link_label=_l("Ärendetyper (lotsärenden)"),
    new_label=_l("Ny ärendetyp"),
    empty=_l("Inga ärendetyper ännu."),
    form=lambda case_type: CaseTypeForm(obj=case_type),
    fields=("name", "code", "is_event", "is_large_establishment"),
    list=queries.case_types,
    get=queries.get_case_type_or_404,
    create=lambda form, actor: create_case_type(form.to_input(), actor=actor),
    update=lambda case_type, form, actor: update_case_type(
        case_type, form.to_input(), actor=actor, expected_version=form.expected_version
    ),
    retire=lambda case_type, actor: retire_case_type(case_type, actor=actor),
    reinstate=lambda case_type, actor: reinstate_case_type(case_type, actor=actor),
    # Flashed messages are functions: a lazy text would go into the session as Markup.
    created=lambda case_type: _("Ärendetypen är skapad."),
    saved=lambda case_type: _("Ärendetypen är sparad."),
    retired=lambda case_type: _("Ärendetypen är uppdaterad."),
    reinstated=lambda case_type: _("Ärendetypen är uppdaterad."),
    columns=(
        Column(_l("Kod"), lambda t: t.code),
        Column(_l("Evenemang"), lambda t: t.is_event, kind="yesno"),
        Column(_l("Stor etablering"), lambda t: t.is_large_establishment, kind="yesno"),
    ),
    active_text=_l("Används"),
    retire_label=_l("Sluta använda för nya ärenden"),
    moved_from="/arenden/admin/typer",
)
