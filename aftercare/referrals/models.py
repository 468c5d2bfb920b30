"""Closed-loop referrals between organisations of the network."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.policy import Action, can
from aftercare.accounts.roles import Role
from aftercare.core.fields import EncryptedTextField


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
SHARING_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, actor) -> ReferralQuerySet:
        """Case staff see their organisation's referrals both ways; a referral source only its
        own."""
        if not can(actor, Action.VIEW_REFERRALS):
            return self.none()
        if actor.role == Role.REFERRAL_SOURCE:
            return self.filter(from_organisation_id=actor.organisation_id, created_by=actor.user)
        return self.filter(
            Q(from_organisation_id=actor.organisation_id)
            | Q(to_organisation_id=actor.organisation_id)
        )

    def sharing_with(self, organisation_id) -> ReferralQuerySet:
        """The referrals through which a case is shared with `organisation_id`: accepted and still
        open. Cases reads a partner's access through this
        (`cases.models.survivor.sharing_referrals`,
        by the reverse relation `Survivor.referrals`), so cases never imports referrals."""
        return self.filter(to_organisation_id=organisation_id, status__in=SHARING_STATUSES)

    def in_answer_order(self) -> ReferralQuerySet:
        """Referrals waiting for an answer first, urgent before the rest, each by its deadline
        to answer; then all others, newest first. (Newest first alone put an urgent referral
        below a newer, ordinary one: issue 16.)"""
        waiting = Q(status=ReferralStatus.SENT)
        return self.order_by(
            Case(
                When(waiting & Q(urgent=True), then=Value(0)),
                When(waiting, then=Value(1)),
                default=Value(2),
            ),
            Case(When(waiting, then=F("respond_by")), output_field=models.DateTimeField()).asc(
                nulls_last=True
            ),
            "-created_at",
            "pk",
        )


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.PROTECT, related_name="referrals"
    )
    from_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_received"
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    domains = models.JSONField(_("services"), default=list)
    # Free text about her, encrypted at rest like her identifiers.
    reason = EncryptedTextField(_("reason for referral"))
    urgent = models.BooleanField(default=False)
    # What the survivor agreed the receiver may see once it accepts (cases.access.SHAREABLE).
    shared_sections = models.JSONField(default=list, blank=True)
    # A transfer moves the whole case to the receiver: only with the survivor's consent to the
    # transfer (recorded as a Consent for that organisation) and once a supervisor of the
    # organisation holding the case has approved it; never by acceptance alone.
    transfer = models.BooleanField(_("transfer the case"), default=False)
    transfer_approved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transfer_approved_at = models.DateTimeField(null=True, blank=True)
    transferred_at = models.DateTimeField(null=True, blank=True)
    emergency_override = models.BooleanField(default=False)
    override_justification = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT, db_index=True
    )
    decline_reason = EncryptedTextField(blank=True)
    outcome = EncryptedTextField(blank=True)
    respond_by = models.DateTimeField(db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["to_organisation", "status"], name="referral_incoming"),
            models.Index(fields=["from_organisation", "status"], name="referral_outgoing"),
            models.Index(fields=["status", "respond_by"], name="referral_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.survivor_id} → {self.to_organisation_id} ({self.status})"

    def audit_label(self) -> str:
        return f"referral of {self.survivor.case_code}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def overdue(self) -> bool:
        return self.status == ReferralStatus.SENT and self.respond_by < timezone.now()

    @property
    def hours_to_accept(self) -> float | None:
        if self.accepted_at is None:
            return None
        return (self.accepted_at - self.created_at).total_seconds() / 3600


class ReferralEvent(models.Model):
    """The referral's own history, shown to both sides."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    note = EncryptedTextField(blank=True)
    by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    @property
    def status_label(self) -> str:
        """The status it moved to, in words."""
        return str(dict(ReferralStatus.choices).get(self.to_status, self.to_status))
