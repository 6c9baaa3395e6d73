"""Imports every feature's models so Alembic autogenerate and relationships see them all."""

import app.reports.models  # noqa: F401, E402 - the report facts tables
from app.api.models import ApiToken, ApiTokenPolicy  # noqa: F401
from app.audit.models import AuditEvent  # noqa: F401
from app.auth.models import LoginAttempt, MfaRolePolicy, RecoveryCode, SecurityEvent, User, UserSession  # noqa: F401
from app.cases.models import (  # noqa: F401
    CaseEvent,
    CasePermit,
    CaseType,
    LotsCase,
    LotsMeeting,
    LotsMeetingGuest,
    SurveyInvitation,
    SurveyResponse,
)
from app.catalogues.models import ClosedDay, PermitType, ReferralPartner  # noqa: F401
from app.companies.models import (  # noqa: F401
    Area,
    Company,
    CompanyCreateToken,
    ContactPerson,
    ContactPersonMove,
    ImportBatch,
    ImportRow,
    Tag,
)
from app.followups.models import CalendarFeed, DigestRun, FollowUp  # noqa: F401
from app.interactions.models import Interaction, PermitGuidance, Referral  # noqa: F401
from app.mail.models import OutboxMessage  # noqa: F401
from app.plan.action_plan import ActionPlanActivity, ActionPlanLink  # noqa: F401, E402
from app.plan.indicator_areas import indicator_focus_areas  # noqa: F401, E402
from app.plan.indicators import Indicator, IndicatorValue  # noqa: F401, E402
from app.privacy.models import DisposalRun, DisposalRunItem, PersonRightsEvent, RetentionRule  # noqa: F401
from app.scheduler.models import JobRun, SchedulerLease  # noqa: F401
from app.strategy.models import FocusArea, Strategy  # noqa: F401
from app.visits.models import CompanyVisit, VisitParticipant, VisitQuestion, VisitTarget  # noqa: F401
