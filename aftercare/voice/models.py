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
    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="survivor_account"
    )
    survivor = models.OneToOneField(
        "cases.Survivor", on_delete=models.CASCADE, related_name="portal_account"
    )
    # Keyed hash of the phone number's last nine digits, for signing in by phone. Not unique:
    # survivors often share a phone.
    phone_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    pin_hash = models.CharField(max_length=128, blank=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
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
    author = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:40]

    def audit_label(self) -> str:
        return "goal comment"


class DutyBearerKind(models.TextChoices):
    """The people and offices seed 001 names: social workers, Panchayat members and other
    elected local representatives, block and district administrators, health workers and
    hospitals, police, prosecutors, magistrates and judges, lawyers; and teachers and
    employers survivors meet after reintegration."""

    SOCIAL_WORKER = "social_worker", _("Social worker")
    PANCHAYAT_MEMBER = "panchayat_member", _("Panchayat member")
    ELECTED_REPRESENTATIVE = "elected_representative", _("Elected local representative")
    BLOCK_DEVELOPMENT_OFFICER = "block_development_officer", _("Block development officer")
    DISTRICT_ADMINISTRATOR = "district_administrator", _("District administrator")
    HEALTH_WORKER = "health_worker", _("Health worker")
    HOSPITAL = "hospital", _("Hospital")
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    MAGISTRATE = "magistrate", _("Magistrate or judge")
    LAWYER = "lawyer", _("Lawyer")
    TEACHER = "teacher", _("Teacher")
    EMPLOYER = "employer", _("Employer")


class DutyBearer(models.Model):
    """A person or office survivors meet. Not necessarily a user of Aftercare."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name or office"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=DutyBearerKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duty_bearers",
        verbose_name=_("organisation"),
    )
    region = models.ForeignKey(
        "network.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    registered_by = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
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
    service = models.ForeignKey(
        "cases.ServiceDelivery", null=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    duty_bearer = models.ForeignKey(
        DutyBearer, null=True, on_delete=models.PROTECT, related_name="+"
    )
    domain = models.CharField(max_length=30, choices=ServiceDomain.choices)
    language = models.CharField(max_length=10, blank=True)
    issued_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_on = models.DateField(
        null=True, blank=True
    )  # a day, not a moment: nothing to match a rating on

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
    duty_bearer = models.ForeignKey(
        DutyBearer, null=True, on_delete=models.PROTECT, related_name="ratings"
    )
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
    comment_status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.NONE
    )
    quote = EncryptedTextField(blank=True)  # the wording the coordinator approved for quoting
    # Keyed hashes (never foreign keys) of where the rating came from, kept inside survivor
    # voice: `rater` of the survivor and the subject, so that one survivor counts once per
    # subject and quarter and k counts distinct survivors; `source` of the survivor and the
    # service rated. Neither can be read back into a survivor or joined to a case. Empty on
    # ratings given before they were recorded: each of those counts as a survivor of its own.
    rater = models.CharField(max_length=40, blank=True, editable=False)
    source = models.CharField(max_length=40, blank=True, editable=False)

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
                models.CheckConstraint(
                    condition=Q(**{f"{d}__gte": 1, f"{d}__lte": 5}), name=f"rating_{d}_1_to_5"
                )
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


class FlagReason(models.TextChoices):
    BURST = "burst", _("Many ratings from one organisation's codes in a short time")
    OWN_CODES = (
        "own_codes",
        _("Rated through its own organisation's codes, with fewer than k others"),
    )


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the coordinator")
    CLEARED = "cleared", _("Checked: the ratings look genuine")
    WITHHELD = "withheld", _("Checked: the quarter is not published")


class RatingFlag(models.Model):
    """An unusual pattern of ratings of one subject, for the network coordinator to check.

    Found from the feedback codes (who issued them, on which day they were spent), never from
    a rating: a flag names the subject, the organisation whose codes were used, the quarter
    and how many, and nothing about any survivor. While a flag is open the subject's ratings
    from that quarter on are not published; `withheld` keeps that quarter out for good.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.CASCADE, related_name="+"
    )
    duty_bearer = models.ForeignKey(
        DutyBearer, null=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    via_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    quarter = models.DateField()  # the first day of the quarter the codes were spent in
    count = models.PositiveIntegerField()
    window_days = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN, db_index=True
    )
    found_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-found_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, duty_bearer__isnull=True)
                | Q(organisation__isnull=True, duty_bearer__isnull=False),
                name="rating_flag_one_subject",
            ),
            models.UniqueConstraint(
                fields=["organisation", "reason", "via_organisation", "quarter"],
                condition=Q(organisation__isnull=False),
                name="rating_flag_once_organisation",
            ),
            models.UniqueConstraint(
                fields=["duty_bearer", "reason", "via_organisation", "quarter"],
                condition=Q(duty_bearer__isnull=False),
                name="rating_flag_once_duty_bearer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} {self.quarter:%Y-%m}"

    def audit_label(self) -> str:
        return f"rating flag ({self.reason})"

    @property
    def subject(self):
        return self.organisation or self.duty_bearer


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
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    duty_bearer = models.ForeignKey(
        DutyBearer, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("what they do well"))
    chosen_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
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
