"""Users, organisations and the memberships that give a user a role in an organisation."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.fields import CodeListField
from aftercare.accounts.roles import STAFF_ROLES, Role
from aftercare.accounts.zones import organisation_zone
from aftercare.core.fields import EncryptedTextField


class OrganisationKind(models.TextChoices):
    NGO = "ngo", _("NGO")
    SHELTER = "shelter", _("Shelter")
    GOVERNMENT = "government", _("Government office")
    HOSPITAL = "hospital", _("Hospital or clinic")
    POLICE = "police", _("Police unit")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    SCHOOL = "school", _("School")
    EMPLOYER = "employer", _("Employer")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    NETWORK = "network", _("Network secretariat")


class Organisation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 alpha-2 code"))
    region = models.ForeignKey(
        "network.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Deadlines and times are shown to its members in this zone, named (aftercare.accounts.zones);
    # blank means the zone of its country.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_(
            "Where your office is, for deadlines and times. Empty: the time zone of your country."
        ),
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The directory profile (edited through aftercare.network.services). Anyone in the
    # network may read the public part; the street address and the restricted contacts are
    # encrypted and shown only to the organisation's own staff (Action.VIEW_RESTRICTED_CONTACTS).
    description = models.TextField(_("public description"), blank=True)
    populations = CodeListField(_("populations served"))
    languages = CodeListField(_("languages"))
    regions_served = models.ManyToManyField(
        "network.Region",
        verbose_name=_("regions served"),
        related_name="organisations_serving",
        blank=True,
    )
    public_phone = models.CharField(_("public phone"), max_length=40, blank=True)
    public_email = models.EmailField(_("public email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    street_address = EncryptedTextField(_("street address"), blank=True)
    restricted_phone = EncryptedTextField(_("restricted phone"), blank=True)
    restricted_email = EncryptedTextField(_("restricted email"), blank=True)
    restricted_notes = EncryptedTextField(_("restricted contact notes"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.slug

    @property
    def zone(self):
        """Its time zone: the one it set, else its country's."""
        return organisation_zone(self)


class User(AbstractUser):
    """A person who signs in. Their role comes from a membership, never from the user row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    preferred_language = models.CharField(max_length=10, blank=True)

    def active_memberships(self) -> models.QuerySet[Membership]:
        return self.memberships.filter(is_active=True, organisation__is_active=True).select_related(
            "organisation"
        )

    def active_membership_list(self) -> list[Membership]:
        """The active memberships: those the request's identity was loaded with, else read now."""
        loaded = getattr(self, "_active_membership_list", None)
        return list(loaded) if loaded is not None else list(self.active_memberships())

    @property
    def needs_two_factor(self) -> bool:
        """Every staff role signs in with a second factor; survivors use a PIN or password."""
        if getattr(self, "_exempt_from_two_factor", None) is None:
            self._exempt_from_two_factor = self.two_factor_exempt or not any(
                m.role in STAFF_ROLES for m in self.active_membership_list()
            )
        return not self._exempt_from_two_factor

    two_factor_exempt = models.BooleanField(
        default=False,
        help_text=_("Set only by `aftercare user add --no-2fa`, which production mode refuses."),
    )


class Membership(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    clinical = models.BooleanField(
        _("clinician"),
        default=False,
        help_text=_("Counsellors, nurses and doctors may read clinical notes."),
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class TeamQuerySet(models.QuerySet):
    def of(self, organisation_id) -> TeamQuerySet:
        """The teams of one organisation: a team is never seen outside it."""
        return self.filter(organisation_id=organisation_id)


class Team(models.Model):
    """A group of an organisation's staff who share a caseload (a shelter's night team, a
    district office). A case may be held by a team besides its responsible worker."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    members = models.ManyToManyField(
        User, related_name="teams", blank=True, verbose_name=_("members")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="one_team_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.name


class ApiTokenQuerySet(models.QuerySet):
    def live(self) -> ApiTokenQuerySet:
        return self.filter(expires_at__gt=timezone.now(), revoked_at__isnull=True)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored, never the token."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"token of {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, hours: int | None = None) -> tuple[str, ApiToken]:
        raw = "ac_" + secrets.token_urlsafe(32)
        lifetime = timedelta(hours=hours or settings.AFTERCARE_API_TOKEN_HOURS)
        token = cls.objects.create(
            user=user, key_hash=cls.hash(raw), expires_at=timezone.now() + lifetime
        )
        return raw, token


class Invitation(models.Model):
    """A one-time link that lets an invited person set a password and enrol a second factor.

    Only the SHA-256 of the token is kept: the link is shown once to the admin and e-mailed
    once, and neither the database, the audit trail nor a notification ever holds it. It works
    once, until `expires_at`, and not after it was revoked (a rejected approval, a leaver).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="invitation"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation of {self.membership_id}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class MemberApproval(models.Model):
    """A role that grants case access, asked for by an admin and waiting for a supervisor.

    An invitation into such a role, or a change to one, takes effect only when a supervisor of
    the same organisation, who is neither the person who asked nor the member concerned,
    approves it (aftercare.accounts.members)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        ROLE_CHANGE = "role_change", _("Role change")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    previous_role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    status = models.CharField(
        max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(status="pending"),
                name="one_pending_approval_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.role} ({self.status})"
