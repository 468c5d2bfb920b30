"""Factories for test data. Passwords are set once and cheaply (tests use a fast hasher)."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.accounts.models import Membership, Organisation, User
from aftercare.accounts.roles import Role
from aftercare.cases import search
from aftercare.cases.models import Survivor
from aftercare.core import crypto
from aftercare.network.models import OrganisationService, Region
from aftercare.network.services import refresh_capacity_summary

PASSWORD = "correct horse battery staple"  # noqa: S105


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "ngo"
    country = "ZA"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def finish(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASE_WORKER


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Region {n}")
    level = "district"
    country = "ZA"


class ServiceFactory(factory.django.DjangoModelFactory):
    """A service an organisation offers; pass capacity figures and `capacity_updated_at` to count it."""

    class Meta:
        model = OrganisationService
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    domain = "housing"

    @factory.post_generation
    def summary(obj, create, extracted, **kwargs):
        if create:
            refresh_capacity_summary(obj.organisation_id)


class SurvivorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survivor
        skip_postgeneration_save = True

    case_code = factory.Sequence(lambda n: f"AC-T{n:06d}")
    organisation = factory.SubFactory(OrganisationFactory)
    given_name = "Nomvula"
    family_name = factory.Sequence(lambda n: f"Family{n}")
    year_of_birth = 1999
    gender = "woman"
    nationality = "ZA"
    exploitation_types = ["sexual"]
    status = "active"
    name_index = factory.LazyAttribute(lambda o: crypto.blind_index(f"{o.given_name} {o.family_name}"))

    @factory.post_generation
    def search_keys(obj, create, extracted, **kwargs):
        """As the intake service does: a case is findable by parts of its name."""
        if create:
            search.store_keys(obj)


def totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
