"""Who may see and change a case: other organisations get 404, lower roles 403."""

import uuid

import pytest
from django.http import Http404

from aftercare.accounts.roles import Role
from aftercare.cases import services
from aftercare.cases.access import access_case
from aftercare.cases.models import Survivor
from aftercare.core.errors import StaleVersion
from tests.conftest import actor

pytestmark = pytest.mark.django_db

NON_CASE_ROLES = [Role.SURVIVOR, Role.REFERRAL_SOURCE, Role.NETWORK_COORDINATOR, Role.ME_OFFICER]


def test_case_worker_sees_only_own_organisations_cases(case_worker_a, survivor_a, survivor_b):
    visible = Survivor.objects.visible_to(actor(case_worker_a))
    assert list(visible) == [survivor_a]


def test_case_worker_of_other_organisation_gets_404_not_403(case_worker_b, survivor_a):
    with pytest.raises(Http404):
        access_case(actor(case_worker_b), survivor_a.pk)


@pytest.mark.parametrize("role", NON_CASE_ROLES)
def test_roles_without_case_access_see_no_cases_even_in_own_organisation(
    org_a, make_member, survivor_a, role
):
    user = make_member(org_a, role)
    assert not Survivor.objects.visible_to(actor(user)).exists()


def test_user_in_two_organisations_sees_only_the_active_ones_cases(
    org_a, org_b, make_member, survivor_a, survivor_b
):
    from tests.factories import MembershipFactory

    user = make_member(org_a, Role.CASE_WORKER)
    MembershipFactory(user=user, organisation=org_b, role=Role.CASE_WORKER)
    assert list(Survivor.objects.visible_to(actor(user, org_a))) == [survivor_a]
    assert list(Survivor.objects.visible_to(actor(user, org_b))) == [survivor_b]


def test_naming_an_organisation_one_does_not_belong_to_grants_nothing(
    case_worker_a, org_b, survivor_b
):
    forged = actor(case_worker_a, org_b)
    assert forged.organisation is None
    assert not Survivor.objects.visible_to(forged).exists()


def test_admin_may_read_but_not_edit_cases(org_a, make_member, survivor_a):
    from django.core.exceptions import PermissionDenied

    admin = make_member(org_a, Role.ADMIN)
    assert access_case(actor(admin), survivor_a.pk).survivor == survivor_a
    with pytest.raises(PermissionDenied):
        services.update_survivor(actor(admin), survivor_a, {"status": "closed"}, survivor_a.version)


def test_stale_version_is_refused_and_loses_nothing(case_worker_a, survivor_a):
    worker = actor(case_worker_a)
    services.update_survivor(worker, survivor_a, {"status": "stable"}, version=1)
    stale = Survivor.objects.get(pk=survivor_a.pk)
    with pytest.raises(StaleVersion):
        services.update_survivor(worker, stale, {"status": "closed"}, version=1)
    fresh = Survivor.objects.get(pk=survivor_a.pk)
    assert (fresh.status, fresh.version) == ("stable", 2)


def test_search_finds_names_and_case_codes_of_own_cases_only(case_worker_a, survivor_a, survivor_b):
    worker = actor(case_worker_a)
    assert list(services.search_survivors(worker, "lindiwe  MOKOENA").cases) == [survivor_a]
    assert list(services.search_survivors(worker, survivor_a.case_code.lower()).cases) == [
        survivor_a
    ]
    assert list(services.search_survivors(worker, "Lindiwe").cases) == [survivor_a]
    assert not services.search_survivors(worker, "Amina Hassan").cases.exists()  # org B's survivor


def test_guessing_ids_reveals_nothing(case_worker_a):
    for guess in (uuid.uuid4(), "not-a-uuid", "1"):
        with pytest.raises(Http404):
            access_case(actor(case_worker_a), guess)
