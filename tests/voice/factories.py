"""Factories for survivor-voice tests."""

from __future__ import annotations

from datetime import date

import factory

from aftercare.voice.models import DIMENSIONS, DutyBearer, Rating
from tests.factories import OrganisationFactory, ServiceDeliveryFactory

# The voice tests' name for a service received (tests.factories.ServiceFactory is a service
# offered).
ServiceFactory = ServiceDeliveryFactory


class DutyBearerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyBearer

    name = factory.Sequence(lambda n: f"Health worker {n}")
    kind = "health_worker"
    organisation = factory.SubFactory(OrganisationFactory)
    registered_by = factory.SelfAttribute("organisation")


def rate(
    subject,
    score: int | dict,
    *,
    period: date = date(2025, 1, 1),
    domain: str = "medical",
    n: int = 1,
    comment: str = "",
    comment_status: str = "none",
    quote: str = "",
) -> list[Rating]:
    """`n` ratings of an organisation or duty bearer, every dimension `score` (or a dict per
    dimension)."""
    scores = score if isinstance(score, dict) else dict.fromkeys(DIMENSIONS, score)
    key = "organisation" if subject.__class__.__name__ == "Organisation" else "duty_bearer"
    return [
        Rating.objects.create(
            **{key: subject},
            domain=domain,
            channel="portal",
            period=period,
            comment=comment,
            comment_status=comment_status,
            quote=quote,
            **scores,
        )
        for _ in range(n)
    ]
