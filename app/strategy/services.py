"""Maintaining focus areas (admin). Retiring keeps history; nothing is deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.audit.retirement import set_retired
from app.auth.models import User
from app.core.db import check_version
from app.core.errors import Conflict, ValidationError
from app.core.permissions import Perm, require
from app.extensions import db
from app.strategy.models import FocusArea


@dataclass(frozen=True)
class FocusAreaInput:
    strategy_id: int
    name: str
    short_name: str = ""
    description: str = ""


def _validate(data: FocusAreaInput, existing: FocusArea | None = None) -> None:
    if not data.name.strip():
        raise ValidationError(_("Ange ett namn på fokusområdet."), field="name")
    clash = db.session.scalar(
        sa.select(FocusArea).where(
            FocusArea.strategy_id == data.strategy_id, FocusArea.name == data.name.strip()
        )
    )
    if clash is not None and clash is not existing:
        raise Conflict(_("Strategin har redan ett fokusområde med det namnet."), field="name")


def create_focus_area(data: FocusAreaInput, *, actor: User) -> FocusArea:
    """Add a focus area to a strategy, last in order."""
    require(actor, Perm.MANAGE_CATALOGUES)
    _validate(data)
    last = db.session.scalar(
        sa.select(sa.func.max(FocusArea.position)).where(FocusArea.strategy_id == data.strategy_id)
    )
    area = FocusArea(
        strategy_id=data.strategy_id,
        name=data.name.strip(),
        short_name=data.short_name.strip(),
        description=data.description.strip(),
        position=(last or 0) + 1,
    )
    db.session.add(area)
    audit.record_create(
        actor,
        area,
        summary=f"Fokusområde {area.name} skapat",  # untranslated: audit trail
    )
    return area


def update_focus_area(
    area: FocusArea, data: FocusAreaInput, *, actor: User, expected_version: int | None = None
) -> FocusArea:
    """Rename or re-describe a focus area; records that use it follow the new name."""
    require(actor, Perm.MANAGE_CATALOGUES)
    check_version(area, expected_version)
    _validate(data, existing=area)
    area.name = data.name.strip()
    area.short_name = data.short_name.strip()
    area.description = data.description.strip()
    audit.record_update(actor, area)
    db.session.flush()
    return area


def retire_focus_area(area: FocusArea, *, actor: User, now: datetime | None = None) -> FocusArea:
    """Stop offering a focus area for new records; old records keep it. Idempotent."""
    require(actor, Perm.MANAGE_CATALOGUES)
    summary = f"Fokusområde {area.name} avslutat"  # untranslated: audit trail
    set_retired(area, True, actor=actor, now=now, summary=summary)
    return area


def reinstate_focus_area(area: FocusArea, *, actor: User) -> FocusArea:
    """Offer a retired focus area again. Idempotent."""
    require(actor, Perm.MANAGE_CATALOGUES)
    summary = f"Fokusområde {area.name} återaktiverat"  # untranslated: audit trail
    set_retired(area, False, actor=actor, summary=summary)
    return area


def ensure_selectable(area: FocusArea | None, *, field: str = "focus_area_id") -> FocusArea:
    """For services creating records: the focus area is required and must not be retired."""
    if area is None:
        raise ValidationError(_("Välj ett fokusområde."), field=field)
    if area.retired_at is not None:
        raise ValidationError(
            _("Fokusområdet ”%(name)s” är avslutat och kan inte väljas för nya poster.", name=area.name),
            field=field,
        )
    return area
