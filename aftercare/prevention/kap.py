"""Knowledge-attitude-practice surveys: defining one from data, its rounds and responses,
and the change from baseline to follow-up per question and per community.

A survey definition is a dict (JSON in the API):

    {"code": "napak-kap", "name": "...", "description": "...",
     "scales": [{"code": "agree4", "options": [{"value": 1, "label": "Strongly disagree"}, ...]}],
     "questions": [{"code": "girls-school", "text": "...", "domain": "attitude",
                    "scale": "agree4", "favourable": [3, 4]}]}

Change is the share of favourable answers at follow-up minus the share at baseline, in
percentage points, tested with `stats.two_proportions`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.errors import DomainError
from aftercare.network.models import Region
from aftercare.prevention import stats
from aftercare.prevention.access import get_visible, resolve_region
from aftercare.prevention.models import (
    AgeGroup,
    Answer,
    KapDomain,
    Question,
    Response,
    RoundKind,
    Scale,
    Sex,
    Survey,
    SurveyRound,
)
from aftercare.prevention.parsing import parse_day

MAX_RESPONSES = 5000  # in one upload


class SurveyInvalid(DomainError):
    """A definition or a batch of responses with errors; `errors` holds every one by path."""

    def __init__(self, errors: dict[str, list[str]]):
        first_field, messages = next(iter(errors.items()))
        super().__init__(messages[0], field=first_field)
        self.errors = errors


def _spec_errors(spec) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = defaultdict(list)
    if not isinstance(spec, dict):
        return {
            "definition": [_("Give the survey as an object with code, name, scales and questions.")]
        }
    for key in ("code", "name"):
        if not isinstance(spec.get(key), str) or not spec[key].strip():
            errors[key].append(_("This field is required."))
    scales = spec.get("scales")
    if not isinstance(scales, list) or not scales:
        errors["scales"].append(_("Give at least one scale."))
        scales = []
    scale_values: dict[str, set[int]] = {}
    for i, scale in enumerate(scales):
        path = f"scales[{i}]"
        if (
            not isinstance(scale, dict)
            or not isinstance(scale.get("code"), str)
            or not scale["code"].strip()
        ):
            errors[path].append(_("A scale needs a code."))
            continue
        options = scale.get("options")
        if (
            not isinstance(options, list)
            or len(options) < 2
            or not all(
                isinstance(o, dict)
                and type(o.get("value")) is int
                and isinstance(o.get("label"), str)
                for o in options
            )
        ):
            errors[f"{path}.options"].append(
                _("Give two or more options, each with a whole-number value and a label.")
            )
            continue
        values = [o["value"] for o in options]
        if len(set(values)) != len(values):
            errors[f"{path}.options"].append(_("Each option needs its own value."))
        if scale["code"] in scale_values:
            errors[f"{path}.code"].append(_("Two scales have this code."))
        scale_values[scale["code"]] = set(values)
    questions = spec.get("questions")
    if not isinstance(questions, list) or not questions:
        errors["questions"].append(_("Give at least one question."))
        questions = []
    codes: set[str] = set()
    for i, question in enumerate(questions):
        path = f"questions[{i}]"
        if not isinstance(question, dict):
            errors[path].append(_("A question is an object."))
            continue
        code = question.get("code")
        if not isinstance(code, str) or not code.strip():
            errors[f"{path}.code"].append(_("A question needs a code."))
        elif code in codes:
            errors[f"{path}.code"].append(_("Two questions have this code."))
        codes.add(code)
        if not isinstance(question.get("text"), str) or not question["text"].strip():
            errors[f"{path}.text"].append(_("A question needs its text."))
        if question.get("domain") not in KapDomain.values:
            errors[f"{path}.domain"].append(_("Choose knowledge, attitude or practice."))
        allowed = scale_values.get(question.get("scale"))
        if allowed is None:
            errors[f"{path}.scale"].append(_("Name one of the survey's scales."))
            continue
        favourable = question.get("favourable")
        if (
            not isinstance(favourable, list)
            or not favourable
            or not all(type(v) is int and v in allowed for v in favourable)
        ):
            errors[f"{path}.favourable"].append(
                _("List the scale values that count as favourable.")
            )
        elif set(favourable) == allowed:
            errors[f"{path}.favourable"].append(
                _("If every answer is favourable, nothing can change.")
            )
    return dict(errors)


@transaction.atomic
def define_survey(actor: Actor, spec: dict) -> Survey:
    """Create a survey with its scales and questions from a definition, all or nothing."""
    require(actor, Action.MANAGE_PREVENTION)
    errors = _spec_errors(spec)
    if errors:
        raise SurveyInvalid(errors)
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                organisation=actor.organisation,
                code=spec["code"].strip(),
                name=spec["name"].strip(),
                description=spec.get("description", "") or "",
                created_by=actor.user,
            )
    except IntegrityError as exc:
        raise SurveyInvalid(
            {"code": [_("Your organisation already has a survey with this code.")]}
        ) from exc
    scales = {
        s["code"]: Scale.objects.create(survey=survey, code=s["code"], options=s["options"])
        for s in spec["scales"]
    }
    Question.objects.bulk_create(
        [
            Question(
                survey=survey,
                code=q["code"],
                text=q["text"].strip(),
                domain=q["domain"],
                scale=scales[q["scale"]],
                favourable=sorted(set(q["favourable"])),
                position=i,
            )
            for i, q in enumerate(spec["questions"])
        ]
    )
    record(actor, AuditAction.CREATE, survey, fields=["code", "scales", "questions"])
    return survey


def _counted(rounds: QuerySet[SurveyRound]) -> QuerySet[SurveyRound]:
    # Ordered here: a query that counts (GROUP BY) leaves the model's ordering out.
    return rounds.annotate(response_count=Count("responses")).order_by("started_on", "pk")


def counted_rounds(survey: Survey) -> QuerySet[SurveyRound]:
    """The survey's rounds, oldest first, each with `response_count`: the responses counted in
    the same query, not one count per round."""
    return _counted(SurveyRound.objects.filter(survey=survey))


def rounds_counted() -> Prefetch:
    """`prefetch_related(rounds_counted())` on surveys: their rounds as `counted_rounds` gives
    them, for a list of surveys in one query."""
    return Prefetch("rounds", queryset=_counted(SurveyRound.objects.all()))


def definition(survey: Survey) -> dict:
    """The survey as data again, in the shape `define_survey` reads."""
    return {
        "code": survey.code,
        "name": survey.name,
        "description": survey.description,
        "scales": [{"code": s.code, "options": s.options} for s in survey.scales.order_by("pk")],
        "questions": [
            {
                "code": q.code,
                "text": q.text,
                "domain": q.domain,
                "scale": q.scale.code,
                "favourable": q.favourable,
            }
            for q in survey.questions.select_related("scale")
        ],
    }


@transaction.atomic
def add_round(
    actor: Actor, survey_id, *, kind: str, label: str, started_on, ended_on
) -> SurveyRound:
    survey = get_visible(actor, Survey, survey_id, action=Action.MANAGE_PREVENTION)
    if kind not in RoundKind.values:
        raise DomainError(_("Choose baseline or follow-up."), field="kind")
    start, end = (
        parse_day(started_on, "started_on"),
        parse_day(ended_on, "ended_on", allow_future=True),
    )
    if end < start:
        raise DomainError(_("A round cannot end before it starts."), field="ended_on")
    baseline = survey.rounds.filter(kind=RoundKind.BASELINE).first()
    if kind == RoundKind.BASELINE and baseline is not None:
        raise DomainError(_("This survey already has its baseline."), field="kind")
    if kind == RoundKind.FOLLOW_UP and (baseline is None or start < baseline.ended_on):
        raise DomainError(_("A follow-up starts after the baseline has ended."), field="started_on")
    survey_round = SurveyRound.objects.create(
        survey=survey,
        kind=kind,
        label=(label or "").strip()[:80] or kind,
        started_on=start,
        ended_on=end,
    )
    record(actor, AuditAction.CREATE, survey_round, label=f"{survey.code} {survey_round.label}")
    return survey_round


@transaction.atomic
def record_responses(actor: Actor, round_id, rows: list[dict]) -> int:
    """Responses in one transaction: every row checked, errors by row, nothing saved on error.

    A row: `{"community": region id or code, "sex", "age_group", "collected_on",
    "answers": {question_code: value}}`. A question left out was not answered.
    """
    survey_round = get_visible(actor, SurveyRound, round_id, action=Action.RECORD_PREVENTION)
    if not isinstance(rows, list) or not rows:
        raise SurveyInvalid({"responses": [_("Give one or more responses.")]})
    if len(rows) > MAX_RESPONSES:
        raise SurveyInvalid(
            {"responses": [_("Send at most %(n)s responses at once.") % {"n": MAX_RESPONSES}]}
        )
    questions = {q.code: q for q in survey_round.survey.questions.select_related("scale")}
    regions: dict[str, Region | None] = {}
    errors: dict[str, list[str]] = defaultdict(list)
    ready = []
    for i, row in enumerate(rows):
        path = f"responses[{i}]"
        if not isinstance(row, dict):
            errors[path].append(_("A response is an object."))
            continue
        key = str(row.get("community") or "")
        if key not in regions:
            regions[key] = resolve_region(key)
        if regions[key] is None:
            errors[f"{path}.community"].append(_("No region has this id or code."))
        if row.get("sex") not in Sex.values:
            errors[f"{path}.sex"].append(_("Choose female or male."))
        if row.get("age_group") not in AgeGroup.values:
            errors[f"{path}.age_group"].append(_("Choose an age group from the list."))
        try:
            day = parse_day(row.get("collected_on"), "collected_on")
        except DomainError as exc:
            errors[f"{path}.collected_on"].append(exc.message)
            day = None
        answers = row.get("answers")
        if not isinstance(answers, dict) or not answers:
            errors[f"{path}.answers"].append(_("Give the answers by question code."))
            continue
        for code, value in answers.items():
            question = questions.get(code)
            if question is None:
                errors[f"{path}.answers.{code}"].append(_("The survey has no such question."))
            elif type(value) is not int or value not in question.scale.values:
                errors[f"{path}.answers.{code}"].append(_("Not a value of the question's scale."))
        if day is not None and not (survey_round.started_on <= day <= survey_round.ended_on):
            errors[f"{path}.collected_on"].append(_("Outside the round's dates."))
        ready.append((row, regions[key], day))
    if errors:
        raise SurveyInvalid(dict(errors))
    responses = Response.objects.bulk_create(
        [
            Response(
                round=survey_round,
                community=region,
                sex=row["sex"],
                age_group=row["age_group"],
                collected_on=day,
                recorded_by=actor.user,
            )
            for row, region, day in ready
        ]
    )
    Answer.objects.bulk_create(
        [
            Answer(response=response, question=questions[code], value=value)
            for response, (row, _region, _day) in zip(responses, ready, strict=True)
            for code, value in row["answers"].items()
        ]
    )
    record(
        actor,
        AuditAction.CREATE,
        object_type="prevention.response",
        label=f"{len(responses)} responses to {survey_round.survey.code} {survey_round.label}",
    )
    return len(responses)


@dataclass(frozen=True)
class Share:
    favourable: int
    n: int

    @property
    def rate(self) -> float | None:
        return self.favourable / self.n if self.n else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else round(100 * self.rate, 1)


@dataclass(frozen=True)
class QuestionChange:
    question: Question
    baseline: Share
    follow_up: Share
    test: stats.TestResult

    @property
    def change_points(self) -> float | None:
        """Follow-up share minus baseline share, in percentage points."""
        if self.baseline.rate is None or self.follow_up.rate is None:
            return None
        return round(100 * (self.follow_up.rate - self.baseline.rate), 1)

    @property
    def direction(self) -> str:
        if not self.test.significant or self.change_points is None:
            return "no_clear_change"
        return "better" if self.change_points > 0 else "worse"

    def as_dict(self) -> dict:
        return {
            "question": self.question.code,
            "text": self.question.text,
            "domain": self.question.domain,
            "baseline": {
                "favourable": self.baseline.favourable,
                "n": self.baseline.n,
                "percent": self.baseline.percent,
            },
            "follow_up": {
                "favourable": self.follow_up.favourable,
                "n": self.follow_up.n,
                "percent": self.follow_up.percent,
            },
            "change_points": self.change_points,
            "test": self.test.method,
            "statistic": None if self.test.statistic is None else round(self.test.statistic, 4),
            "p_value": None if self.test.p_value is None else round(self.test.p_value, 6),
            "significant": self.test.significant,
            "direction": self.direction,
        }


@dataclass
class CommunityChange:
    community: Region
    questions: list[QuestionChange] = field(default_factory=list)


@dataclass
class SurveyChange:
    survey: Survey
    baseline: SurveyRound | None
    follow_up: SurveyRound | None
    questions: list[QuestionChange] = field(default_factory=list)
    communities: list[CommunityChange] = field(default_factory=list)

    @property
    def improved(self) -> int:
        return sum(1 for q in self.questions if q.direction == "better")

    @property
    def worsened(self) -> int:
        return sum(1 for q in self.questions if q.direction == "worse")

    def as_dict(self) -> dict:
        def round_json(r):
            return (
                None
                if r is None
                else {
                    "id": str(r.pk),
                    "label": r.label,
                    "kind": r.kind,
                    "started_on": r.started_on.isoformat(),
                    "ended_on": r.ended_on.isoformat(),
                }
            )

        return {
            "survey": {
                "id": str(self.survey.pk),
                "code": self.survey.code,
                "name": self.survey.name,
            },
            "baseline": round_json(self.baseline),
            "follow_up": round_json(self.follow_up),
            "significance_level": stats.SIGNIFICANCE,
            "questions": [q.as_dict() for q in self.questions],
            "questions_improved": self.improved,
            "questions_worsened": self.worsened,
            "communities": [
                {
                    "id": str(c.community.pk),
                    "code": c.community.code,
                    "name": c.community.name,
                    "questions": [q.as_dict() for q in c.questions],
                }
                for c in self.communities
            ],
        }


def _changes(questions, counts, community=None) -> list[QuestionChange]:
    """`counts[(kind, community, question_id, value)] = n` into one change per question."""
    changes = []
    for question in questions:
        favourable = set(question.favourable)
        shares = {}
        for kind in (RoundKind.BASELINE, RoundKind.FOLLOW_UP):
            cells = [
                (value, n)
                for (k, c, q, value), n in counts.items()
                if k == kind and q == question.pk and (community is None or c == community)
            ]
            shares[kind] = Share(
                favourable=sum(n for v, n in cells if v in favourable), n=sum(n for _v, n in cells)
            )
        base, follow = shares[RoundKind.BASELINE], shares[RoundKind.FOLLOW_UP]
        changes.append(
            QuestionChange(
                question,
                base,
                follow,
                stats.two_proportions(base.favourable, base.n, follow.favourable, follow.n),
            )
        )
    return changes


def change(survey: Survey, follow_up: SurveyRound | None = None) -> SurveyChange:
    """Baseline against a follow-up round (the latest one unless given), per question and per
    community, from one grouped query of answer counts."""
    if follow_up is None:
        follow_up = survey.rounds.filter(kind=RoundKind.FOLLOW_UP).order_by("-started_on").first()
    return changes([(survey, follow_up)])[0]


def changes(pairs: list[tuple[Survey, SurveyRound | None]]) -> list[SurveyChange]:
    """`change` of each survey against the follow-up round paired with it (a report compares
    every survey with a follow-up in its period): their baselines, answer counts, questions and
    communities read once for them all, not once for each survey."""
    baselines = {
        r.survey_id: r
        for r in SurveyRound.objects.filter(
            survey__in=[survey.pk for survey, _f in pairs], kind=RoundKind.BASELINE
        )
    }
    results = [
        SurveyChange(survey=survey, baseline=baselines.get(survey.pk), follow_up=follow_up)
        for survey, follow_up in pairs
    ]
    compared = [r for r in results if r.baseline is not None and r.follow_up is not None]
    if not compared:
        return results
    rounds = {}  # round id: (survey id, baseline or follow-up)
    for result in compared:
        rounds[result.baseline.pk] = (result.survey.pk, RoundKind.BASELINE)
        rounds[result.follow_up.pk] = (result.survey.pk, RoundKind.FOLLOW_UP)
    rows = (
        Answer.objects.filter(response__round__in=rounds.keys())
        .values_list("response__round", "response__community", "question", "value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict = defaultdict(dict)  # survey id: {(kind, community, question id, value): n}
    for round_id, community, question, value, n in rows:
        survey_id, kind = rounds[round_id]
        counts[survey_id][(kind, community, question, value)] = n
    questions = defaultdict(list)
    for question in Question.objects.filter(
        survey__in=[r.survey.pk for r in compared]
    ).select_related("scale"):
        questions[question.survey_id].append(question)
    community_ids = {c for found in counts.values() for (_k, c, _q, _v) in found}
    communities = list(Region.objects.filter(pk__in=community_ids).order_by("name"))
    for result in compared:
        found, asked = counts[result.survey.pk], questions[result.survey.pk]
        result.questions = _changes(asked, found)
        here = {c for (_k, c, _q, _v) in found}
        result.communities = [
            CommunityChange(region, _changes(asked, found, community=region.pk))
            for region in communities
            if region.pk in here
        ]
    return results
