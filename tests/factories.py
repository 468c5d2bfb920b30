"""Factories for test data. Passwords are set once and cheaply (tests use a fast hasher).

One factory per model a test builds directly; a test that needs a record as the product makes
it goes through the service instead (care.record_consent, referrals.refer_survivor, ...).
"""

from datetime import date, timedelta

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.accounts.models import Membership, Organisation, User
from aftercare.accounts.roles import Role
from aftercare.cases import plan_review, search, service_order
from aftercare.cases.models import Consent, Goal, PlanReview, ServiceDelivery, Survivor
from aftercare.core import crypto
from aftercare.livelihoods.models import PartnerEmployer
from aftercare.network.models import OrganisationService, Region
from aftercare.network.services import refresh_capacity_summary
from aftercare.referrals.models import Referral

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
    """A service an organisation offers; pass capacity figures and `capacity_updated_at` to count
    it."""

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
    name_index = factory.LazyAttribute(
        lambda o: crypto.blind_index(f"{o.given_name} {o.family_name}")
    )

    @factory.post_generation
    def search_keys(obj, create, extracted, **kwargs):
        """As the intake service does: a case is findable by parts of its name."""
        if create:
            search.store_keys(obj)


class ConsentFactory(factory.django.DjangoModelFactory):
    """A consent as recorded on paper: granted, in writing, by the survivor, for services."""

    class Meta:
        model = Consent

    survivor = factory.SubFactory(SurvivorFactory)
    purpose = "service_delivery"
    granted = True
    method = "written"


class GoalFactory(factory.django.DjangoModelFactory):
    """A goal, written past `care.add_goal` (any `created_at`): the case's plan review date is
    recomputed as the service would."""

    class Meta:
        model = Goal

    survivor = factory.SubFactory(SurvivorFactory)
    domain = "housing"
    description = "A safe room"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        goal = super()._create(model_class, *args, **kwargs)
        plan_review.refresh(goal.survivor)
        return goal


class PlanReviewFactory(factory.django.DjangoModelFactory):
    """A plan review, written past `care.review_plan` (no actor): the case's plan review date
    is recomputed as the service would."""

    class Meta:
        model = PlanReview

    survivor = factory.SubFactory(SurvivorFactory)
    outcome = "on track"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        review = super()._create(model_class, *args, **kwargs)
        plan_review.refresh(review.survivor)
        return review


class ServiceDeliveryFactory(factory.django.DjangoModelFactory):
    """A service a survivor received (cases.ServiceDelivery), from her own organisation, today."""

    class Meta:
        model = ServiceDelivery
        skip_postgeneration_save = True

    survivor = factory.SubFactory(SurvivorFactory)
    domain = "medical"
    organisation = factory.SelfAttribute("survivor.organisation")
    date = factory.LazyFunction(date.today)

    @factory.post_generation
    def ordered(self, create, extracted, **kwargs):
        """Her services' predecessors kept, as `care.record_service` keeps them."""
        if create:
            service_order.refresh(self.survivor_id, known=self)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral sent from the survivor's organisation to another, answer due in three days.

    Made directly, as a record in a state (status, dates); `referrals.refer_survivor` is the way
    a test makes one as a case worker does (consent checked, audit and notification written).
    """

    class Meta:
        model = Referral

    survivor = factory.SubFactory(SurvivorFactory)
    from_organisation = factory.SelfAttribute("survivor.organisation")
    to_organisation = factory.SubFactory(OrganisationFactory)
    domains = factory.LazyFunction(lambda: ["housing"])
    reason = "needs a safe place"
    respond_by = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))


class PartnerEmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerEmployer

    name = factory.Sequence(lambda n: f"Employer {n}")
    added_by_organisation = factory.SubFactory(OrganisationFactory)


def totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
