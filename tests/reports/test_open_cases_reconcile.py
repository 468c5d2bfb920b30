"""One definition of an open case (issue 16): at one moment the dashboard said 29 open cases,
the reports 22 and the case list 36. On the demo network the three now agree, each page says
in words what it counts, and lists and indicators use one set of age bands."""

import re

import pytest

from aftercare.accounts.models import User
from aftercare.cases import counting
from aftercare.cases.counting import scope_for
from aftercare.cases.models import Survivor
from aftercare.core.stats import bands
from aftercare.demo import network as demo
from aftercare.reports.dashboard import caseload
from tests.conftest import actor

pytestmark = pytest.mark.django_db


def _count(html: str, pattern: str) -> int:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return int(found.group(1))


def test_dashboard_case_list_and_reports_agree_on_the_demo_network(client, web_login):
    demo.load()
    supervisor = User.objects.get(username="sup.nomsa")
    sup = actor(supervisor)
    # The demo network shares cases between organisations, and holds closed ones: the ways the
    # three counts used to differ.
    held = Survivor.objects.owned_by(sup)
    assert held.exclude(status__in=["intake", "active", "stable"]).exists()
    assert Survivor.objects.visible_to(sup).exclude(organisation_id=sup.organisation_id).exists()

    expected = counting.open_cases(sup).count()
    assert expected == held.filter(status__in=["intake", "active", "stable"]).count() > 0

    web_login(supervisor)
    dashboard = client.get("/dashboard/").content.decode()
    on_dashboard = _count(dashboard, r'stat--primary"[^>]*><span class="stat__value">(\d+)</span>')
    case_list = client.get("/cases/?status=open&held=1").content.decode()
    in_list = _count(case_list, r'<p class="count">\s*(\d+) cases?')
    in_list_heading = _count(case_list, r'class="open-count"><a [^>]*>(\d+) open cases?')
    reports = client.get("/reports/").content.decode()
    in_reports = _count(reports, r'stat--primary"><span class="stat__value">\s*(\d+)')
    assert caseload(scope_for(sup))["open"] == expected

    assert on_dashboard == in_list == in_list_heading == in_reports == expected
    for page in (dashboard, case_list, reports):
        assert "Open cases: cases not closed" in page and "As of " in page


def test_lists_and_indicators_use_the_same_age_bands(org_a):
    from django.utils import timezone

    from tests.factories import SurvivorFactory

    year = timezone.now().year
    for age, band in ((22, "21–23"), (25, "24–26"), (29, "27–29"), (17, "9–17"), (60, "48+")):
        survivor = SurvivorFactory(organisation=org_a, year_of_birth=year - age)
        assert survivor.age_band == band == bands.display_band(bands.age_band(age))
    assert str(SurvivorFactory(organisation=org_a, year_of_birth=None).age_band) == "unknown"
