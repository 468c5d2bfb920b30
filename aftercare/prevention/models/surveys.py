"""Knowledge-attitude-practice surveys, defined as data: a survey holds its scales and
questions; rounds (one baseline, any follow-ups) hold the responses, each from a community.

Which answers count as favourable is part of each question ("girls should finish school":
agree; "a daughter's marriage pays a debt": disagree), so change is measured as the share of
favourable answers at baseline against follow-up (see aftercare.prevention.kap).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.prevention.models.base import AgeGroup, NamedRecord, Sex, scoped


class Survey(NamedRecord):
    audit_noun, audit_field = "survey", "code"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(NamedRecord.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="prevention_survey_code_once"
            )
        ]


class Scale(models.Model):
    """The answers a question offers: `options` is `[{"value": 1, "label": "Disagree"}, ...]`."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="scales")
    code = models.SlugField(max_length=40)
    options = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="prevention_scale_code_once")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def values(self) -> list[int]:
        return [option["value"] for option in self.options]

    def label_of(self, value: int) -> str:
        return next((o["label"] for o in self.options if o["value"] == value), str(value))


class KapDomain(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Knowledge")
    ATTITUDE = "attitude", _("Attitude")
    PRACTICE = "practice", _("Practice")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(max_length=40)
    text = models.CharField(max_length=300)
    domain = models.CharField(max_length=10, choices=KapDomain.choices)
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, related_name="questions")
    favourable = models.JSONField(help_text="the scale values that count as favourable")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="prevention_question_code_once")
        ]

    def __str__(self) -> str:
        return self.code


class RoundKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    FOLLOW_UP = "follow_up", _("Follow-up")


class SurveyRound(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(_("kind"), max_length=10, choices=RoundKind.choices)
    label = models.CharField(_("label"), max_length=80)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"))

    objects = scoped("survey__organisation").as_manager()

    class Meta:
        ordering = ["started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey"],
                condition=Q(kind="baseline"),
                name="prevention_one_baseline_per_survey",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.label}"


class Response(models.Model):
    """One respondent's answers in a round: where (community), sex and age group, no name."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    community = models.ForeignKey("network.Region", on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(max_length=6, choices=Sex.choices)
    age_group = models.CharField(max_length=8, choices=AgeGroup.choices)
    collected_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["collected_on"]

    def __str__(self) -> str:
        return f"response {self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="prevention_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}={self.value}"
