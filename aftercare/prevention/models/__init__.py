"""Prevention: schools, child protection champions, community activities, policy
milestones, knowledge-attitude-practice surveys, and the offline capture log.

None of these tables holds a child's or a survivor's name: a school case is the school's own
reference, attendance is a count. A child who needs care becomes a case in `aftercare.cases`
through the organisation the school reported to, not here.
"""

from aftercare.prevention.models.base import AgeGroup, Sex, Topic
from aftercare.prevention.models.capture import Submission, SubmissionKind, SubmissionOutcome
from aftercare.prevention.models.champions import (
    Champion,
    ChampionActivity,
    ChampionActivityKind,
    ChampionKind,
    ChampionTraining,
)
from aftercare.prevention.models.community import (
    ActivityKind,
    Attendance,
    Campaign,
    CommunityActivity,
    Medium,
)
from aftercare.prevention.models.milestones import (
    Milestone,
    PolicyInstrument,
    PolicyKind,
    PolicyLevel,
    Stage,
)
from aftercare.prevention.models.schools import (
    CapacitySession,
    CaseStage,
    Concern,
    FollowUpOutcome,
    ReportedTo,
    School,
    SchoolCase,
    SchoolFollowUp,
    SchoolLevel,
)
from aftercare.prevention.models.surveys import (
    Answer,
    KapDomain,
    Question,
    Response,
    RoundKind,
    Scale,
    Survey,
    SurveyRound,
)

__all__ = [
    "ActivityKind",
    "AgeGroup",
    "Answer",
    "Attendance",
    "Campaign",
    "CapacitySession",
    "CaseStage",
    "Champion",
    "ChampionActivity",
    "ChampionActivityKind",
    "ChampionKind",
    "ChampionTraining",
    "CommunityActivity",
    "Concern",
    "FollowUpOutcome",
    "KapDomain",
    "Medium",
    "Milestone",
    "PolicyInstrument",
    "PolicyKind",
    "PolicyLevel",
    "Question",
    "ReportedTo",
    "Response",
    "RoundKind",
    "Scale",
    "School",
    "SchoolCase",
    "SchoolFollowUp",
    "SchoolLevel",
    "Sex",
    "Stage",
    "Submission",
    "SubmissionKind",
    "SubmissionOutcome",
    "Survey",
    "SurveyRound",
    "Topic",
]
