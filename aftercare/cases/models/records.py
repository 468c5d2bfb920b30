"""What happens along a case: services, notes, documents, the court case, status changes."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.core.fields import EncryptedTextField
from aftercare.network.taxonomy import ServiceDomain


class ServiceDelivery(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="services"
    )
    domain = models.CharField(_("domain"), max_length=30, choices=ServiceDomain.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="services_delivered",
        verbose_name=_("organisation"),
    )
    date = models.DateField(_("date"), db_index=True)
    # Picked from the duty-bearer registry. `duty_bearer_name` holds what was typed before the
    # registry was used here and matched no entry; new services leave it empty.
    duty_bearer = models.ForeignKey(
        "voice.DutyBearer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("duty bearer"),
    )
    duty_bearer_name = models.CharField(
        _("duty bearer (as typed before the registry)"), max_length=200, blank=True
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # The date of her service before this one, in any domain and in this domain, in the order of
    # (date, id); null for her first. Kept by `cases.service_order`, so that a report counts the
    # survivors served in a period without sorting them.
    previous_date = models.DateField(null=True, editable=False)
    previous_date_in_domain = models.DateField(null=True, editable=False)

    class Meta:
        ordering = ["-date"]
        indexes = [
            # A period's services by domain and who received them (the funder report), read from
            # this index alone, not the services' rows: it holds the survivor and the dates of
            # her services before, which say who is counted (issue 18; PostgreSQL only,
            # elsewhere an index on domain and date).
            models.Index(
                fields=["domain", "date"],
                include=["survivor", "previous_date", "previous_date_in_domain"],
                name="service_domain_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain} {self.date}"


class NoteSensitivity(models.TextChoices):
    GENERAL = "general", _("General")
    CLINICAL = "clinical", _("Clinical")
    LEGAL = "legal", _("Legal")


class CaseNote(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey("cases.Survivor", on_delete=models.CASCADE, related_name="notes")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    sensitivity = models.CharField(
        _("sensitivity"),
        max_length=10,
        choices=NoteSensitivity.choices,
        default=NoteSensitivity.GENERAL,
    )
    # Notes say things about people: encrypted like identifiers.
    text = EncryptedTextField(_("note"))
    written_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"{self.sensitivity} note {self.written_at:%Y-%m-%d}"


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Identity document")
    MEDICAL = "medical", _("Medical record")
    LEGAL = "legal", _("Legal document")
    CONSENT = "consent", _("Signed consent")
    CERTIFICATE = "certificate", _("Certificate")
    OTHER = "other", _("Other")


class Document(models.Model):
    """An uploaded file, encrypted at rest; the name is encrypted too."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="documents"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    filename = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.kind} document"


class CourtStage(models.TextChoices):
    REPORTED = "reported", _("Reported to police")
    INVESTIGATION = "investigation", _("Under investigation")
    CHARGED = "charged", _("Charges filed")
    TRIAL = "trial", _("At trial")
    JUDGMENT = "judgment", _("Judgment given")
    APPEAL = "appeal", _("On appeal")
    CLOSED = "closed", _("Closed")


class LegalCase(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="legal_cases"
    )
    stage = models.CharField(
        _("stage"), max_length=15, choices=CourtStage.choices, default=CourtStage.REPORTED
    )
    court_reference = EncryptedTextField(_("court case number"), blank=True)
    prosecutor_office = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prosecutor's office"),
    )
    next_hearing = models.DateField(_("next hearing"), null=True, blank=True)
    witness_support = EncryptedTextField(_("witness support given"), blank=True)
    compensation_claimed = models.BooleanField(_("compensation claimed"), default=False)
    compensation_amount = models.DecimalField(
        _("compensation amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    compensation_currency = models.CharField(_("currency"), max_length=3, blank=True)
    compensation_status = models.CharField(_("compensation status"), max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["next_hearing"]

    def __str__(self) -> str:
        return f"court case ({self.stage})"


class StatusChange(models.Model):
    """The lifecycle's history: a reopened case keeps every earlier closure."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12)
    to_status = models.CharField(max_length=12)
    reason = models.CharField(max_length=20, blank=True)
    note = EncryptedTextField(blank=True)
    changed_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class DuplicateToken(models.Model):
    """Keyed tokens of a survivor's name forms and birth year, for duplicate checks.

    HMACs, so the table says nothing about names to someone who reads it without the key.
    """

    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="duplicate_tokens"
    )
    token = models.CharField(max_length=40, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survivor", "token"], name="one_token_per_survivor")
        ]

    def __str__(self) -> str:
        return self.token


class SearchKey(models.Model):
    """Keyed tokens of the words of a survivor's name (whole, trigrams, one letter left out,
    Metaphone), so staff find a case by part or a misspelling of a name without decrypting.

    Written by `aftercare.cases.search.store_keys` whenever a name is saved; HMACs under the
    blind-index key, so the table holds no name.

    Each row carries the organisation holding the case (a copy of `Survivor.organisation`,
    moved with it by a transfer: `search.move_keys`), indexed with the key and the case, so a
    search reads its organisation's rows for a key from the index alone and never joins the
    caseload (issue 18: docs/BENCHMARKS.md, "Search by name").
    """

    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="search_keys"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    key = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survivor", "key"], name="one_search_key_per_survivor")
        ]
        indexes = [
            models.Index(
                fields=["organisation", "key", "survivor"], name="searchkey_org_key_survivor"
            )
        ]

    def __str__(self) -> str:
        return self.key


class Handover(models.Model):
    """One change of the responsible worker, with the note the new worker reads on the case page.

    The note says things about the survivor: encrypted like notes and identifiers.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="handovers"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    from_worker = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_worker = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = EncryptedTextField(_("handover note"), blank=True)
    handed_over_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    handed_over_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-handed_over_at"]
        indexes = [models.Index(fields=["survivor", "-handed_over_at"], name="handover_case_time")]

    def __str__(self) -> str:
        return f"handover {self.handed_over_at:%Y-%m-%d}"
