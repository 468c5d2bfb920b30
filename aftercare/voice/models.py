"""Survivor voice: the portal account, the duty-bearer registry, and survivor-led ratings.

Anonymity is built into the tables. A `Rating` holds the subject, the scores, a comment and
the month, and nothing that leads back to the survivor: no user, no case, no service, no
code, no exact time. What stops a second rating of the same service (`RatingReceipt`) or a
replayed SMS (`InboundSms`) is a keyed hash that cannot be turned back into the survivor
or the phone number and cannot be joined to a rating.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.core.fields import EncryptedTextField
from aftercare.network.taxonomy import ServiceDomain

DIMENSIONS = ("respect", "timeliness", "helpfulness", "safety", "information")


class SurvivorAccount(models.Model):
    """Links a survivor's sign-in to their own case, and holds their PIN (hashed)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE, related_name="survivor_account")
    survivor = models.OneToOneField("cases.Survivor", on_delete=models.CASCADE, related_name="portal_account")
    # Keyed hash of the phone number's last nine digits, for signing in by phone. Not unique:
    # survivors often share a phone.
    phone_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    pin_hash = models.CharField(max_length=128, blank=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"portal account of {self.survivor_id}"

    def audit_label(self) -> str:
        return f"{self.survivor.case_code} portal account"

    def set_pin(self, raw_pin: str) -> None:
        self.pin_hash = make_password(raw_pin)

    def check_pin(self, raw_pin: str) -> bool:
        if not self.pin_hash or not raw_pin:
            return False

        def upgrade(raw):
            self.set_pin(raw)
            SurvivorAccount.objects.filter(pk=self.pk).update(pin_hash=self.pin_hash)

        return check_password(raw_pin, self.pin_hash, setter=upgrade)


class GoalComment(models.Model):
    """A comment on a care-plan goal, mostly in the survivor's own words from the portal."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey("cases.Goal", on_delete=models.CASCADE, related_name="comments")
    text = EncryptedTextField(_("comment"))
    by_survivor = models.BooleanField(default=False)
    author = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:40]

    def audit_label(self) -> str:
        return "goal comment"


class DutyBearerKind(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    PANCHAYAT_MEMBER = "panchayat_member", _("Panchayat member")
    BLOCK_DEVELOPMENT_OFFICER = "block_development_officer", _("Block development officer")
    HEALTH_WORKER = "health_worker", _("Health worker")
    HOSPITAL = "hospital", _("Hospital")
    POLICE = "police", _("Police")
    LAWYER = "lawyer", _("Lawyer")
    TEACHER = "teacher", _("Teacher")
    EMPLOYER = "employer", _("Employer")


class DutyBearer(models.Model):
    """A person or office survivors meet. Not necessarily a user of Aftercare."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name or office"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=DutyBearerKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="duty_bearers",
        verbose_name=_("organisation"),
    )
    region = models.ForeignKey(
        "network.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    registered_by = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "is_active"], name="duty_bearer_kind")]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.name[:200]

    @property
    def effective_region(self):
        return self.region or (self.organisation.region if self.organisation_id else None)


class FeedbackCode(models.Model):
    """A one-time code handed to a survivor after a service, to rate it without an account.

    Only a keyed hash of the code is stored. The link to the service (and so to the case)
    lives here and never on the rating the code produces.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code_hash = models.CharField(max_length=40, unique=True, editable=False)
    service = models.ForeignKey("cases.ServiceDelivery", null=True, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", null=True, on_delete=models.PROTECT, related_name="+")
    duty_bearer = models.ForeignKey(DutyBearer, null=True, on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(max_length=30, choices=ServiceDomain.choices)
    language = models.CharField(max_length=10, blank=True)
    issued_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    issued_by_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_on = models.DateField(null=True, blank=True)  # a day, not a moment: nothing to match a rating on

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, duty_bearer__isnull=True)
                | Q(organisation__isnull=True, duty_bearer__isnull=False),
                name="feedback_code_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"feedback code until {self.expires_at:%Y-%m-%d}"

    def audit_label(self) -> str:
        return "feedback code"

    @property
    def is_usable(self) -> bool:
        return self.used_on is None and self.expires_at > timezone.now()


class Channel(models.TextChoices):
    PORTAL = "portal", _("Survivor portal")
    CODE = "code", _("Feedback code on the web")
    SMS = "sms", _("SMS")
    API = "api", _("API")


class CommentStatus(models.TextChoices):
    NONE = "none", _("No comment")
    PENDING = "pending", _("Waiting for the coordinator")
    APPROVED = "approved", _("Quoted")
    REJECTED = "rejected", _("Not quoted")


def score_field(label):
    return models.PositiveSmallIntegerField(label)


class Rating(models.Model):
    """One survivor's verdict on an organisation or a duty bearer. Anonymous by construction."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.PROTECT, related_name="ratings"
    )
    duty_bearer = models.ForeignKey(DutyBearer, null=True, on_delete=models.PROTECT, related_name="ratings")
    domain = models.CharField(max_length=30, choices=ServiceDomain.choices)
    respect = score_field(_("respect"))
    timeliness = score_field(_("timeliness"))
    helpfulness = score_field(_("helpfulness"))
    safety = score_field(_("safety"))
    information = score_field(_("information"))
    channel = models.CharField(max_length=10, choices=Channel.choices)
    period = models.DateField(db_index=True)  # the first day of the month it was given
    comment = EncryptedTextField(blank=True)
    comment_flags = models.JSONField(default=list, blank=True)
    comment_status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.NONE)
    quote = EncryptedTextField(blank=True)  # the wording the coordinator approved for quoting

    class Meta:
        # Random ids, so the default order says nothing about when a rating was given.
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, duty_bearer__isnull=True)
                | Q(organisation__isnull=True, duty_bearer__isnull=False),
                name="rating_one_subject",
            ),
            *[
                models.CheckConstraint(condition=Q(**{f"{d}__gte": 1, f"{d}__lte": 5}), name=f"rating_{d}_1_to_5")
                for d in DIMENSIONS
            ],
        ]
        indexes = [models.Index(fields=["comment_status"], name="rating_comment_status")]

    def __str__(self) -> str:
        return f"rating {self.period:%Y-%m}"

    @property
    def overall(self) -> float:
        return sum(getattr(self, d) for d in DIMENSIONS) / len(DIMENSIONS)


class RatingReceipt(models.Model):
    """That a survivor rated a subject for a service: a keyed hash, unique, nothing more."""

    key = models.CharField(max_length=40, unique=True)
    created_on = models.DateField(default=timezone.localdate)

    def __str__(self) -> str:
        return self.key


class InboundSms(models.Model):
    """An accepted rating SMS, by a keyed hash of the gateway's message id (or sender and text),
    so a gateway's retry gets the same answer and counts nothing twice. No number is kept."""

    key = models.CharField(max_length=40, unique=True)
    reply = models.TextField()
    received_on = models.DateField(default=timezone.localdate)

    def __str__(self) -> str:
        return self.key


class GoodPractice(models.Model):
    """A highlight the network coordinator chose from what survivors said."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    duty_bearer = models.ForeignKey(DutyBearer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("what they do well"))
    chosen_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, duty_bearer__isnull=True)
                | Q(organisation__isnull=True, duty_bearer__isnull=False),
                name="good_practice_one_subject",
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]
