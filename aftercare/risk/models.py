"""Re-trafficking risk and wellbeing measures, both defined as data.

An `Instrument` (with its `Factor` rows) and a `Measure` (with its `MeasureItem` rows) are
versioned: a network adopts a new version by adding rows and marking them active, and every
assessment or measurement keeps a reference to the version it was scored with.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.policy import Action, can

# The levels are named with the case, which keeps its current one (`Survivor.risk_rank`).
from aftercare.cases.models.survivor import LEVEL_RANK, RiskLevel  # noqa: F401 - LEVEL_RANK for the risk modules


class FactorKind(models.TextChoices):
    RISK = "risk", _("Risk factor")
    PROTECTIVE = "protective", _("Protective factor")


class Answer(models.TextChoices):
    """How far a factor applies. `true` and `false` are accepted as `present` and `absent`."""

    ABSENT = "absent", _("Absent")
    PARTLY = "partly", _("Partly")
    PRESENT = "present", _("Present")


# The share of a factor's weight that each answer counts.
ANSWER_SHARE = {
    Answer.ABSENT: Decimal("0"),
    Answer.PARTLY: Decimal("0.5"),
    Answer.PRESENT: Decimal("1"),
}


def label_text(value: str) -> str:
    """A label stored as data, translated when the catalogue knows it (seeded labels are marked)."""
    return gettext(value) if value else ""


def plain_number(value) -> str:
    """5.0 as "5", 4.5 as "4.5": a score as a person would say it, whatever the locale."""
    return f"{Decimal(str(value)).normalize():f}"


class VersionedQuerySet(models.QuerySet):
    def active(self, code: str):
        return self.filter(code=code, active=True).first()


class Instrument(models.Model):
    """One version of a risk instrument: its thresholds and follow-up intervals per level."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("how it is scored"), blank=True)
    active = models.BooleanField(_("active"), default=False)
    medium_from = models.DecimalField(_("medium risk from score"), max_digits=5, decimal_places=1)
    high_from = models.DecimalField(_("high risk from score"), max_digits=5, decimal_places=1)
    follow_up_days_low = models.PositiveSmallIntegerField(_("follow-up after (days) at low risk"))
    follow_up_days_medium = models.PositiveSmallIntegerField(
        _("follow-up after (days) at medium risk")
    )
    follow_up_days_high = models.PositiveSmallIntegerField(_("follow-up after (days) at high risk"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="risk_instrument_code_version"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(active=True), name="risk_instrument_one_active"
            ),
            models.CheckConstraint(
                condition=Q(high_from__gt=models.F("medium_from")),
                name="risk_instrument_thresholds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def name_text(self) -> str:
        return label_text(self.name)

    @property
    def description_text(self) -> str:
        return label_text(self.description)

    def level_for(self, score: Decimal) -> RiskLevel:
        if score >= self.high_from:
            return RiskLevel.HIGH
        if score >= self.medium_from:
            return RiskLevel.MEDIUM
        return RiskLevel.LOW

    def follow_up_days(self, level: str) -> int:
        return getattr(self, f"follow_up_days_{level}")


class Factor(models.Model):
    id = models.BigAutoField(primary_key=True)
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="factors")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=FactorKind.choices)
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=1,
        help_text=_(
            "Points added (risk) or taken away (protective) when present; half when partly present."
        ),
    )
    help_text = models.TextField(_("help text"), blank=True)
    forces_level = models.CharField(
        _("forces at least level"),
        max_length=8,
        choices=RiskLevel.choices,
        blank=True,
        help_text=_(
            "When present or partly present, the level is at least this, whatever the score."
        ),
    )
    raises_alert = models.BooleanField(
        _("raises an alert"),
        default=False,
        help_text=_("When present or partly present, alert the case team."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "kind", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "code"], name="risk_factor_code_per_instrument"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="risk_factor_weight_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def label_text(self) -> str:
        return label_text(self.label)

    @property
    def help_text_text(self) -> str:
        return label_text(self.help_text)


class Assessment(models.Model):
    """One scored answer sheet for a survivor, kept with the instrument version it used."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    # Every factor of the instrument, by code, with its normalised answer.
    answers = models.JSONField(default=dict)
    # The factors that counted: [{"factor", "kind", "answer", "points"}], points signed.
    contributions = models.JSONField(default=list)
    score = models.DecimalField(max_digits=6, decimal_places=1)
    level = models.CharField(max_length=8, choices=RiskLevel.choices)
    forced_by = models.CharField(
        max_length=40, blank=True, help_text=_("factor that raised the level")
    )
    assessed_at = models.DateTimeField(default=timezone.now, db_index=True)
    next_follow_up = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_at"]
        indexes = [
            models.Index(fields=["survivor", "-assessed_at"], name="risk_assessment_survivor")
        ]

    def __str__(self) -> str:
        return f"{self.survivor_id} {self.level} {self.assessed_at:%Y-%m-%d}"

    def audit_label(self) -> str:
        return f"{self.survivor.case_code} risk assessment"

    @property
    def score_text(self) -> str:
        return plain_number(self.score)


class SurvivorRisk(models.Model):
    """The survivor's current risk, copied from their latest assessment so a caseload sorts
    cheaply."""

    survivor = models.OneToOneField(
        "cases.Survivor", on_delete=models.CASCADE, primary_key=True, related_name="current_risk"
    )
    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=8, choices=RiskLevel.choices)
    rank = models.PositiveSmallIntegerField(help_text=_("1 low, 2 medium, 3 high"))
    score = models.DecimalField(max_digits=6, decimal_places=1)
    last_assessed = models.DateTimeField()
    next_follow_up = models.DateField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["-rank", "next_follow_up"], name="risk_current_rank_due")]

    def __str__(self) -> str:
        return f"{self.survivor_id} {self.level}"

    @property
    def score_text(self) -> str:
        return plain_number(self.score)

    def is_overdue(self, today: date | None = None) -> bool:
        return self.next_follow_up < (today or timezone.localdate())


class AlertKind(models.TextChoices):
    HIGH_RISK = "high_risk", _("High risk")
    OVERDUE_FOLLOW_UP = "overdue_follow_up", _("Follow-up overdue")
    REPORTED_FACTOR = "reported_factor", _("Reported to the case team")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved by a new assessment")


class AlertQuerySet(models.QuerySet):
    def visible_to(self, actor) -> AlertQuerySet:
        """Alerts on the cases the actor's organisation holds, for roles that may see risk alerts.

        Not on cases shared with it through a referral: the holding organisation follows them up.
        """

        if not can(actor, Action.VIEW_RISK_ALERTS):
            return self.none()
        return self.filter(survivor__organisation_id=actor.organisation_id)


class Alert(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="risk_alerts"
    )
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    # For a reported factor (e.g. contact from the trafficker): which one.
    factor_code = models.CharField(max_length=40, blank=True, default="")
    status = models.CharField(
        max_length=14, choices=AlertStatus.choices, default=AlertStatus.OPEN, db_index=True
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    due_date = models.DateField(
        null=True, blank=True, help_text=_("the follow-up date that was missed")
    )
    raised_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survivor", "kind", "factor_code"],
                condition=Q(status="open"),
                name="risk_alert_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survivor_id} {self.kind} {self.status}"

    def audit_label(self) -> str:
        return f"{self.survivor.case_code} alert {self.kind}"

    @property
    def factor(self) -> Factor | None:
        if not self.factor_code or self.assessment is None:
            return None
        return next(
            (f for f in self.assessment.instrument.factors.all() if f.code == self.factor_code),
            None,
        )

    @property
    def summary(self) -> str:
        """What the alert is about, in a few words beside its kind."""
        if self.kind == AlertKind.REPORTED_FACTOR:
            factor = self.factor
            return factor.label_text if factor else self.factor_code
        if self.kind == AlertKind.OVERDUE_FOLLOW_UP and self.due_date:
            return gettext("Was due on %(date)s") % {"date": date_format(self.due_date, "j M Y")}
        if self.kind == AlertKind.HIGH_RISK and self.assessment is not None:
            forced = self.assessment.forced_by
            factor = next(
                (f for f in self.assessment.instrument.factors.all() if f.code == forced), None
            )
            if forced:
                return gettext("Score %(score)s, raised to high by: %(factor)s") % {
                    "score": self.assessment.score_text,
                    "factor": factor.label_text if factor else forced,
                }
            return gettext("Score %(score)s") % {"score": self.assessment.score_text}
        return self.get_kind_display()


class Measure(models.Model):
    """One version of a wellbeing or readiness measure: a scale shared by its items, and bands.

    `scale` is `[{"value": int, "label": str}]`; `bands` is
    `[{"code", "label", "min", "max", "concern": bool}]` over the total. The total is the sum of
    the item scores; a reversed item scores `min + max - answer` on the scale.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    licence_note = models.TextField(_("licence"), blank=True)
    scale = models.JSONField(_("answer scale"))
    bands = models.JSONField(_("bands"))
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="risk_measure_code_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(active=True), name="risk_measure_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def scale_values(self) -> list[int]:
        return [point["value"] for point in self.scale]

    @property
    def scale_min(self) -> int:
        return min(self.scale_values)

    @property
    def scale_max(self) -> int:
        return max(self.scale_values)

    @property
    def name_text(self) -> str:
        return label_text(self.name)

    @property
    def description_text(self) -> str:
        return label_text(self.description)

    @property
    def licence_note_text(self) -> str:
        return label_text(self.licence_note)

    def band_for(self, total: int) -> dict | None:
        return next((b for b in self.bands if b["min"] <= total <= b["max"]), None)


class MeasureItem(models.Model):
    id = models.BigAutoField(primary_key=True)
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    reversed = models.BooleanField(_("reverse-scored"), default=False)

    class Meta:
        ordering = ["measure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "number"], name="risk_measure_item_number")
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.number}"

    @property
    def text_text(self) -> str:
        return label_text(self.text)


class Measurement(models.Model):
    """One completed measure for a survivor, scored on the server."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(
        "cases.Survivor", on_delete=models.CASCADE, related_name="measurements"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="measurements")
    answers = models.JSONField(default=dict, help_text=_("item number → answer on the scale"))
    total = models.IntegerField()
    band = models.CharField(max_length=40, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(
                fields=["survivor", "measure", "recorded_at"], name="risk_measurement_series"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survivor_id} {self.measure_id} {self.total}"

    def audit_label(self) -> str:
        return f"{self.survivor.case_code} {self.measure.code}"

    @property
    def band_info(self) -> dict | None:
        return next((b for b in self.measure.bands if b["code"] == self.band), None)

    @property
    def band_label(self) -> str:
        band = self.band_info
        return label_text(band["label"]) if band else ""
