"""Livelihoods: training, jobs, social-enterprise sales, savings, school and household support."""

from aftercare.livelihoods.models.base import PayPeriod
from aftercare.livelihoods.models.education import (
    GradeOutcome,
    GradeProgression,
    ProtectionStatus,
    SchoolEnrolment,
    SchoolLevel,
    SchoolStatus,
    SchoolSupply,
    SocialProtection,
    TermAttendance,
)
from aftercare.livelihoods.models.enterprise import (
    BatchMaker,
    MakerShare,
    Product,
    ProductionBatch,
    Sale,
    SaleChannel,
)
from aftercare.livelihoods.models.households import (
    Household,
    HouseholdFollowUp,
    HouseholdSupport,
    Situation,
    SupportKind,
)
from aftercare.livelihoods.models.income import IncomeRecord, IncomeSource
from aftercare.livelihoods.models.jobs import (
    FLAGGED,
    RETENTION_MONTHS,
    FairWage,
    LeftReason,
    PartnerEmployer,
    Placement,
    RetentionFollowUp,
    RetentionOutcome,
)
from aftercare.livelihoods.models.reference import ExchangeRate, WageKind, WageStandard
from aftercare.livelihoods.models.savings import (
    EntryKind,
    ImmutableEntry,
    SavingsAccount,
    SavingsEntry,
)
from aftercare.livelihoods.models.training import (
    Cohort,
    Enrolment,
    EnrolmentStatus,
    ProgrammeKind,
    SessionAttendance,
    TrainingProgramme,
)

__all__ = [
    "FLAGGED",
    "RETENTION_MONTHS",
    "BatchMaker",
    "Cohort",
    "Enrolment",
    "EnrolmentStatus",
    "EntryKind",
    "ExchangeRate",
    "FairWage",
    "GradeOutcome",
    "GradeProgression",
    "Household",
    "HouseholdFollowUp",
    "HouseholdSupport",
    "ImmutableEntry",
    "IncomeRecord",
    "IncomeSource",
    "LeftReason",
    "MakerShare",
    "PartnerEmployer",
    "PayPeriod",
    "Placement",
    "Product",
    "ProductionBatch",
    "ProgrammeKind",
    "ProtectionStatus",
    "RetentionFollowUp",
    "RetentionOutcome",
    "Sale",
    "SaleChannel",
    "SavingsAccount",
    "SavingsEntry",
    "SchoolEnrolment",
    "SchoolLevel",
    "SchoolStatus",
    "SchoolSupply",
    "SessionAttendance",
    "Situation",
    "SocialProtection",
    "SupportKind",
    "TermAttendance",
    "TrainingProgramme",
    "WageKind",
    "WageStandard",
]
