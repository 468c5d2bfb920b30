"""Cases: the survivor, consent, needs, the care plan, and the records kept along the way."""

from aftercare.cases.models.consent import Consent, ConsentMethod, ConsentPurpose, GivenBy
from aftercare.cases.models.events import TraffickingEvent, TraffickingEventType
from aftercare.cases.models.plan import (
    Goal,
    GoalStatus,
    NeedItem,
    NeedLevel,
    NeedsAssessment,
    PlanReview,
)
from aftercare.cases.models.records import (
    CaseNote,
    CourtStage,
    Document,
    DocumentKind,
    DuplicateToken,
    Handover,
    LegalCase,
    NoteSensitivity,
    SearchKey,
    ServiceDelivery,
    StatusChange,
)
from aftercare.cases.models.survivor import (
    OPEN_STATUSES,
    CaseStatus,
    ClosureReason,
    ExploitationType,
    Gender,
    IdentifiedBy,
    MeansOfControl,
    RecruiterRelation,
    Survivor,
    SurvivorQuerySet,
)

__all__ = [
    "OPEN_STATUSES", "CaseNote", "CaseStatus", "ClosureReason", "Consent", "ConsentMethod", "ConsentPurpose",
    "CourtStage", "Document", "DocumentKind", "DuplicateToken", "ExploitationType", "Gender", "GivenBy", "Goal",
    "GoalStatus", "Handover", "IdentifiedBy", "LegalCase", "MeansOfControl", "NeedItem", "NeedLevel", "NeedsAssessment",
    "NoteSensitivity", "PlanReview", "RecruiterRelation", "SearchKey", "ServiceDelivery", "StatusChange", "Survivor",
    "SurvivorQuerySet", "TraffickingEvent", "TraffickingEventType",
]
