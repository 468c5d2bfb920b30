"""What mentoring contributes to the composed case page (`aftercare.casefile`): her mentors,
shown in the care plan. Takes the `CaseAccess` from `cases.access.access_case`."""

from __future__ import annotations

from aftercare.cases.access import CaseAccess, Section
from aftercare.mentoring import services


def case_page(case: CaseAccess) -> dict:
    """Her current mentors, beside the plan: mentoring is the holder's alone, shared with no
    partner."""
    if not (case.sees(Section.PLAN) and case.is_owner):
        return {}
    return {"mentor_matches": services.current_matches(case.survivor)}
