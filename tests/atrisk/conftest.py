"""At-risk fixtures: a person registered in organisation A with both consents, and a cohort of a
tailoring programme that began two months ago."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftercare.atrisk import services
from aftercare.livelihoods import training
from tests.conftest import actor

TODAY = timezone.localdate()
PERSON = {
    "given_name": "Sapna",
    "year_of_birth": TODAY.year - 19,
    "gender": "woman",
    "consents_to_enrolment": True,
    "consents_to_data_use": True,
    "consent_method": "written",
    "consent_given_by": "person",
}


@pytest.fixture
def person_a(case_worker_a):
    return services.register(actor(case_worker_a), PERSON)


@pytest.fixture
def cohort(case_worker_a):
    worker = actor(case_worker_a)
    programme = training.add_programme(
        worker,
        {"name": "Tailoring", "trade": "tailoring", "kind": "training", "duration_weeks": 12},
    )
    start = TODAY - timedelta(days=60)
    return training.add_cohort(worker, programme, {"name": "Spring", "start_date": start})
