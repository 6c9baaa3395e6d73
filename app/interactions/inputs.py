"""What the contact log's services take: plain, frozen input records built by forms, the API
and the importers (never request objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class PermitGuidanceInput:
    permit_type_id: int
    guidance_given: str = ""
    handed_to: str = ""


@dataclass(frozen=True)
class ContactInput:
    """A new contact or an edit (all of it: an edit replaces the lists)."""

    kind: str
    occurred_at: datetime | None
    company_id: int | None
    focus_area_id: int | None
    subject: str = ""
    notes: str = ""
    duration_minutes: int | None = None
    other_focus_area_ids: tuple[int, ...] = ()
    contact_person_ids: tuple[int, ...] = ()
    participant_ids: tuple[int, ...] = ()
    inbound_channel: str | None = None
    case_id: int | None = None
    is_restricted: bool = False
    permit_guidance: tuple[PermitGuidanceInput, ...] = field(default_factory=tuple)
    # "Gällde tillstånd" ticked on the form: then at least one permit row is required (as for the
    # old kind permit_guidance). A contact concerned permits when it has permit guidance rows.
    concerns_permits: bool = False


@dataclass(frozen=True)
class FollowUpRequest:
    """ "Följ upp om …" on the contact form: 1w, 2w, 1m, or "date" with `on`."""

    when: str
    on: date | None = None


@dataclass(frozen=True)
class ReferralInput:
    partner_id: int | None
    reason: str
    referred_on: date | None = None
    company_id: int | None = None
    interaction_id: int | None = None
    case_id: int | None = None
