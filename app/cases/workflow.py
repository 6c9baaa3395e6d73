"""The lots case's status workflow: statuses, outcomes and the allowed transitions (SS 884000
process, domain.md §1.2). Pure: no database, no Flask; the service calls `check_transition`.

    inkommet ──► pågående ◄──► väntar på företaget
        │            ▲  ▲            ▲
        │            │  └──► väntar på förvaltning
        ▼            │
    avslutat ────────┘  (återöppna)

* Every open status may go to every other open status except back to "inkommet": intake
  happens once; after triage the case is being worked on.
* Every open status may be closed ("avslutat"), and closing requires an outcome: löst,
  hänvisat vidare, avböjt or avbrutet. Other transitions must not carry an outcome.
* Reopening: a closed case can only go back to "pågående", and a reason is required (it is
  written on the case's timeline). The outcome and closing time are cleared; a survey
  invitation that has not been sent yet is withdrawn, one already sent stays valid (the company
  did get service up to the first closing). Closing it again may invite again only if no
  invitation was ever sent for the case (one survey per case).
* Staying in the same status is not a transition.
"""

from __future__ import annotations

import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as pgettext  # lazy; this name is one pybabel extracts

from app.core.errors import Conflict, ValidationError


class CaseStatus(enum.StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    WAITING_ON_COMPANY = "waiting_on_company"
    WAITING_ON_AUTHORITY = "waiting_on_authority"
    CLOSED = "closed"


class Outcome(enum.StrEnum):
    SOLVED = "solved"
    REFERRED = "referred"
    DECLINED = "declined"
    CANCELLED = "cancelled"


STATUS_LABELS: dict[str, str] = {
    CaseStatus.RECEIVED: _l("Inkommet"),
    CaseStatus.IN_PROGRESS: _l("Pågående"),
    CaseStatus.WAITING_ON_COMPANY: _l("Väntar på företaget"),
    CaseStatus.WAITING_ON_AUTHORITY: _l("Väntar på förvaltning"),
    CaseStatus.CLOSED: pgettext("ärende", "Avslutat"),  # "Avslutat" alone: a retired focus area
}

# The Swedish codes stored before migration 0021 → today's code: old rows in the audit trail
# and bookmarked links (`?status=pagaende`) still read.
LEGACY_STATUS_CODES: dict[str, str] = {
    "inkommet": CaseStatus.RECEIVED,
    "pagaende": CaseStatus.IN_PROGRESS,
    "vantar_foretag": CaseStatus.WAITING_ON_COMPANY,
    "vantar_forvaltning": CaseStatus.WAITING_ON_AUTHORITY,
    "avslutat": CaseStatus.CLOSED,
}

OUTCOME_LABELS: dict[str, str] = {
    Outcome.SOLVED: _l("Löst"),
    Outcome.REFERRED: _l("Hänvisat vidare"),
    Outcome.DECLINED: _l("Avböjt"),
    Outcome.CANCELLED: _l("Avbrutet"),
}

OPEN_STATUSES: frozenset[str] = frozenset(
    {
        CaseStatus.RECEIVED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.WAITING_ON_COMPANY,
        CaseStatus.WAITING_ON_AUTHORITY,
    }
)

# from → the statuses it may go to.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.RECEIVED: frozenset(
        {
            CaseStatus.IN_PROGRESS,
            CaseStatus.WAITING_ON_COMPANY,
            CaseStatus.WAITING_ON_AUTHORITY,
            CaseStatus.CLOSED,
        }
    ),
    CaseStatus.IN_PROGRESS: frozenset(
        {CaseStatus.WAITING_ON_COMPANY, CaseStatus.WAITING_ON_AUTHORITY, CaseStatus.CLOSED}
    ),
    CaseStatus.WAITING_ON_COMPANY: frozenset(
        {CaseStatus.IN_PROGRESS, CaseStatus.WAITING_ON_AUTHORITY, CaseStatus.CLOSED}
    ),
    CaseStatus.WAITING_ON_AUTHORITY: frozenset(
        {CaseStatus.IN_PROGRESS, CaseStatus.WAITING_ON_COMPANY, CaseStatus.CLOSED}
    ),
    CaseStatus.CLOSED: frozenset({CaseStatus.IN_PROGRESS}),
}


def status_code(status: str) -> str:
    """Today's code for `status`, which may be a Swedish code stored before migration 0021."""
    return LEGACY_STATUS_CODES.get(status, status)


def status_label(status: str) -> str:
    """The label in the current language (old Swedish codes too)."""
    return str(STATUS_LABELS.get(status_code(status), status))


def outcome_label(outcome: str | None) -> str:
    return str(OUTCOME_LABELS.get(outcome or "", outcome or ""))


def allowed_targets(current: str) -> list[str]:
    """The statuses a case in `current` may move to, in workflow order."""
    targets = TRANSITIONS.get(current, frozenset())
    return [s.value for s in CaseStatus if s in targets]


def is_reopening(current: str, target: str) -> bool:
    return current == CaseStatus.CLOSED and target != CaseStatus.CLOSED


def check_transition(current: str, target: str, outcome: str | None = None, reason: str = "") -> None:
    """Raise unless `current` → `target` is allowed with this `outcome` and `reason`.

    ValidationError (field "status", "outcome" or "note") for a bad choice the user can fix;
    Conflict when the case already has the status.
    """
    if target not in STATUS_LABELS:
        raise ValidationError(_("Välj en giltig status."), field="status")
    if current == target:
        raise Conflict(
            _("Ärendet har redan status ”%(status)s”.", status=status_label(target)), field="status"
        )
    if target not in TRANSITIONS.get(current, frozenset()):
        raise ValidationError(
            _(
                "Ett ärende med status ”%(current)s” kan inte få status ”%(target)s”.",
                current=status_label(current),
                target=status_label(target),
            ),
            field="status",
        )
    if target == CaseStatus.CLOSED:
        if not outcome:
            raise ValidationError(_("Ange ett utfall när ärendet avslutas."), field="outcome")
        if outcome not in OUTCOME_LABELS:
            raise ValidationError(_("Välj ett giltigt utfall."), field="outcome")
    elif outcome:
        raise ValidationError(_("Utfall anges bara när ärendet avslutas."), field="outcome")
    if is_reopening(current, target) and not reason.strip():
        raise ValidationError(_("Skriv varför ärendet öppnas igen."), field="note")
