"""The case page's forms are read when their section is opened (issue 18, item 3).

Each form has its own GET route, `/cases/<id>/forms/<name>/` (`casefile.forms_on_open`): the
fragment alone for htmx, the form on a page of its own for a browser without JavaScript. It is
shown only to whoever may post it, refused exactly as its POST refuses; the case page carries
none of the forms' widgets, only a disclosure per form.
"""

import re

import pytest
from django.urls import reverse

from aftercare.accounts.roles import Role
from aftercare.casefile.page import FORMS
from aftercare.cases import care
from tests.cases.test_case_page_budget import shared_with_b
from tests.cases.test_query_counts import give_history
from tests.conftest import actor, member
from tests.factories import SurvivorFactory

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
# Where each form posts (unchanged), and a field only that form has.
POSTS = {
    "status": ("status/", 'name="closure_reason"'),
    "goal": ("goals/", 'name="responsible_person"'),
    "review": ("reviews/", 'name="reviewed_on"'),
    "needs": ("needs/", 'name="housing"'),
    "service": ("services/", 'name="duty_bearer_q"'),
    "note": ("notes/", 'name="sensitivity"'),
    "legal": ("legal/", 'name="court_reference"'),
    "document": ("documents/", 'type="file"'),
    "consent": ("consent/", 'name="purpose"'),
}
PARTNER_WRITES = {"service", "note"}  # a partner records services and notes, nothing else
# The holder's case page with a history (six of everything), measured before and after:
# 48,687 bytes and 90 form widgets before, when every form was rendered with the page.
PAGE_BYTES_CEILING = 36_000
# What stays: each goal's own status select (its form's token, version and select: three), and
# the page frame's (the language switch); the handover form is a supervisor's or her worker's.
PAGE_WIDGETS_CEILING = 3 * 6 + 6


def form_url(survivor, name: str) -> str:
    return reverse(f"cases:{name}_form", args=[survivor.pk])


def widgets(html: str) -> int:
    return len(re.findall(r"<(?:input|select|textarea)\b", html))


def test_every_form_of_the_page_has_a_route():
    assert set(FORMS) == set(POSTS)


@pytest.mark.parametrize("name", list(POSTS))
def test_the_holder_gets_the_form_as_a_fragment_and_as_a_page(
    web_login, case_worker_a, survivor_a, name
):
    client = web_login(case_worker_a)
    action, field = POSTS[name]
    fragment = client.get(form_url(survivor_a, name), headers=HX)
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert f'action="/cases/{survivor_a.pk}/{action}"' in html and field in html
    assert 'name="csrfmiddlewaretoken"' in html
    page = client.get(form_url(survivor_a, name))  # the link a browser without JavaScript follows
    text = page.content.decode()
    assert page.status_code == 200 and "<html" in text and "<h1>" in text
    assert f'action="/cases/{survivor_a.pk}/{action}"' in text and field in text


def test_the_forms_keep_their_ids_and_what_they_offer(web_login, case_worker_a, survivor_a, org_b):
    client = web_login(case_worker_a)
    needs = client.get(form_url(survivor_a, "needs"), headers=HX).content.decode()
    assert 'id="id_housing"' in needs and 'for="id_housing"' in needs
    care.assess_needs(actor(case_worker_a), survivor_a, {"housing": "high"})
    needs = client.get(form_url(survivor_a, "needs"), headers=HX).content.decode()
    assert '<option value="high" selected>' in needs  # prefilled with the current assessment
    service = client.get(form_url(survivor_a, "service"), headers=HX).content.decode()
    assert 'hx-get="/voice/duty-bearers/options/"' in service
    assert f'value="{org_b.pk}"' not in service  # not a partner on this case: not offered


def refused_as_the_post_is(client, survivor, names):
    for name in names:
        got = client.get(form_url(survivor, name), headers=HX).status_code
        posted = client.post(f"/cases/{survivor.pk}/{POSTS[name][0]}", {}).status_code
        assert got in (403, 404) and got == posted, (name, got, posted)


def test_a_partner_gets_only_the_forms_she_may_post(
    web_login, case_worker_a, case_worker_b, org_a, org_b
):
    """The needs were shared, so she sees them, but records only services and notes; the court
    case was not shared at all; consent and status are the holder's alone."""
    survivor = SurvivorFactory(organisation=org_a)
    give_history(actor(case_worker_a), survivor, org_b, 1)  # her consent to referral among it
    client = web_login(case_worker_b)
    refused_as_the_post_is(client, survivor, POSTS)  # not referred yet: another organisation's
    assert client.get(form_url(survivor, "note"), headers=HX).status_code == 404
    shared_with_b(actor(case_worker_a), actor(case_worker_b), survivor, org_b, ["needs"])
    for name in PARTNER_WRITES:
        response = client.get(form_url(survivor, name), headers=HX)
        assert response.status_code == 200 and POSTS[name][1] in response.content.decode()
    refused_as_the_post_is(client, survivor, set(POSTS) - PARTNER_WRITES)
    assert client.get(form_url(survivor, "needs"), headers=HX).status_code == 403  # shared
    assert client.get(form_url(survivor, "legal"), headers=HX).status_code == 403  # not shared
    page = client.get(f"/cases/{survivor.pk}/").content.decode()
    assert form_url(survivor, "note") in page and form_url(survivor, "service") in page
    assert form_url(survivor, "needs") not in page and form_url(survivor, "status") not in page


def test_another_organisation_is_told_nothing(web_login, case_worker_b, survivor_a):
    client = web_login(case_worker_b)
    for name in POSTS:
        assert client.get(form_url(survivor_a, name), headers=HX).status_code == 404
        assert client.get(form_url(survivor_a, name)).status_code == 404


def test_a_role_that_may_not_change_the_case_is_refused(web_login, admin_a, survivor_a):
    """An administrator sees the holder's cases but changes none: refused as her POST is."""
    client = web_login(admin_a)
    refused_as_the_post_is(client, survivor_a, POSTS)
    page = client.get(f"/cases/{survivor_a.pk}/").content.decode()
    assert "/forms/" not in page


def test_the_anonymous_are_sent_to_sign_in(client, survivor_a):
    for name in POSTS:
        response = client.get(form_url(survivor_a, name), headers=HX)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_forms_answer_get_only(web_login, case_worker_a, survivor_a):
    client = web_login(case_worker_a)
    assert client.post(form_url(survivor_a, "note"), {}).status_code == 405


def test_an_anonymised_case_offers_no_form(web_login, case_worker_a, survivor_a):
    from django.utils import timezone

    survivor_a.anonymised_at = timezone.now()
    survivor_a.save(update_fields=["anonymised_at"])
    client = web_login(case_worker_a)
    assert client.get(form_url(survivor_a, "note"), headers=HX).status_code == 403
    assert "/forms/" not in client.get(f"/cases/{survivor_a.pk}/").content.decode()


def test_the_case_page_carries_a_disclosure_per_form_and_none_of_their_widgets(
    web_login, case_worker_a, org_a, org_b
):
    survivor = SurvivorFactory(organisation=org_a)
    give_history(actor(case_worker_a), survivor, org_b, 6)
    html = web_login(case_worker_a).get(f"/cases/{survivor.pk}/").content.decode()
    for name, (_action, field) in POSTS.items():
        url = form_url(survivor, name)
        assert f'hx-get="{url}"' in html and f'href="{url}"' in html  # htmx, and the no-JS link
        assert field not in html
    assert 'hx-trigger="toggle once"' in html
    assert widgets(html) <= PAGE_WIDGETS_CEILING, widgets(html)
    assert len(html.encode()) <= PAGE_BYTES_CEILING, len(html.encode())


def test_a_refused_form_still_says_why_beside_its_section(web_login, case_worker_a, survivor_a):
    """The forms post where they did; an invalid one comes back to the case page with each
    field's error shown in the section (core.submit.flash_by_place), not lost with the form."""
    client = web_login(case_worker_a)
    response = client.post(f"/cases/{survivor_a.pk}/goals/", {"domain": "housing"}, follow=True)
    html = response.content.decode()
    plan = html[html.index('id="plan"') : html.index('id="needs"')]
    assert response.status_code == 200 and "This field is required." in plan


def test_a_supervisor_of_the_holder_gets_the_forms_too(web_login, org_a, survivor_a):
    client = web_login(member(org_a, Role.SUPERVISOR, "sup_forms"))
    for name in POSTS:
        assert client.get(form_url(survivor_a, name), headers=HX).status_code == 200
