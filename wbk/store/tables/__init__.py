"""SQLAlchemy tables, one module per feature; importing the package registers every table on
``Base.metadata`` (what migrations, backups and ``verify`` walk)."""

from wbk.store.tables.base import NAMING, UTC_TS, Base
from wbk.store.tables.cache import AnswerRev, RowTouch, ScoreCache, is_cache
from wbk.store.tables.core import (
    Answer,
    Assessment,
    AuditEvent,
    AuditHead,
    Evidence,
    EvidenceLink,
    EvidenceRevision,
    LoginThrottle,
    ReviewNote,
    RoleGrant,
    ScoreSnapshot,
    SurveyResult,
    Unit,
    UserAccount,
    UserSession,
)
from wbk.store.tables.followup import NoteReply, UnitBranding
from wbk.store.tables.kiosk import KioskHit, KioskKey, KioskResponse, SurveyProvenance
from wbk.store.tables.portalrb import ApiToken, Proposal, ProposalRequirement
from wbk.store.tables.review import (
    ReviewDecision,
    ReviewPeriod,
    ReviewQueue,
    ReviewState,
    ReviewText,
    ReviewVerdict,
)
from wbk.store.tables.surveyprefs import UnitSurveyPref
from wbk.store.tables.tasks import PlanEffort, PlanTask
from wbk.store.tables.traffic import ApiRate, ApiRefusal

__all__ = [
    "NAMING",
    "UTC_TS",
    "Answer",
    "AnswerRev",
    "ApiRate",
    "ApiRefusal",
    "ApiToken",
    "Assessment",
    "AuditEvent",
    "AuditHead",
    "Base",
    "Evidence",
    "EvidenceLink",
    "EvidenceRevision",
    "KioskHit",
    "KioskKey",
    "KioskResponse",
    "LoginThrottle",
    "NoteReply",
    "PlanEffort",
    "PlanTask",
    "Proposal",
    "ProposalRequirement",
    "ReviewDecision",
    "ReviewNote",
    "ReviewPeriod",
    "ReviewQueue",
    "ReviewState",
    "ReviewText",
    "ReviewVerdict",
    "RoleGrant",
    "RowTouch",
    "ScoreCache",
    "ScoreSnapshot",
    "SurveyProvenance",
    "SurveyResult",
    "Unit",
    "UnitBranding",
    "UnitSurveyPref",
    "UserAccount",
    "UserSession",
    "is_cache",
]
