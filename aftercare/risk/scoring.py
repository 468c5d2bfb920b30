"""Scoring, as pure functions of an instrument's or a measure's data and the answers given.

Risk: each factor's answer counts a share of its weight (absent 0, partly ½, present 1);
risk factors add, protective factors take away, and the score is never below 0. The level
comes from the instrument's thresholds, then a factor with `forces_level` that is present
or partly present raises it to at least that level.

Measures: every item must be answered with a value on the measure's scale; a reversed item
scores `min + max - answer`; the total is the sum, and its band is the one that contains it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from aftercare.risk.models import (
    ANSWER_SHARE,
    LEVEL_RANK,
    Answer,
    Factor,
    FactorKind,
    Instrument,
    Measure,
    MeasureItem,
    RiskLevel,
    plain_number,
)

ANSWER_FIELD = "answers"


def answer_error_key(code) -> str:
    """The field name of one answer in a 400 response: `answers.<code>`."""
    return f"{ANSWER_FIELD}.{code}"


def normalise_answers(factors: Iterable[Factor], answers) -> dict[str, str]:
    """Every factor's answer as `absent`, `partly` or `present`; unanswered factors are absent.

    Raises ValidationError with one message per unknown factor or unreadable answer.
    """
    if not isinstance(answers, Mapping):
        raise ValidationError({ANSWER_FIELD: [_("Send the answers as an object of factor codes.")]})
    codes = {factor.code for factor in factors}
    errors: dict[str, list[str]] = {}
    normalised = dict.fromkeys(sorted(codes), Answer.ABSENT.value)
    for code, value in answers.items():
        if code not in codes:
            errors[answer_error_key(code)] = [_("This is not a factor of the instrument in use.")]
            continue
        if value is True:
            normalised[code] = Answer.PRESENT.value
        elif value is False or value is None:
            normalised[code] = Answer.ABSENT.value
        elif isinstance(value, str) and value in Answer.values:
            normalised[code] = value
        else:
            errors[answer_error_key(code)] = [
                _("Answer true, false, or one of: %(levels)s.")
                % {"levels": ", ".join(Answer.values)}
            ]
    if errors:
        raise ValidationError(errors)
    return normalised


@dataclass
class RiskResult:
    score: Decimal
    level: str
    contributions: list[dict] = field(default_factory=list)
    forced_by: str = ""
    score_level: str = ""


def score_answers(
    instrument: Instrument, factors: Iterable[Factor], answers: Mapping[str, str]
) -> RiskResult:
    """Score normalised answers (see `normalise_answers`) on one instrument version."""
    contributions = []
    total = Decimal("0")
    forced_by, forced_rank = "", 0
    for factor in factors:
        answer = answers.get(factor.code, Answer.ABSENT)
        share = ANSWER_SHARE[Answer(answer)]
        if not share:
            continue
        points = factor.weight * share
        if factor.kind == FactorKind.PROTECTIVE:
            points = -points
        total += points
        contributions.append(
            {"factor": factor.code, "kind": factor.kind, "answer": answer, "points": float(points)}
        )
        if factor.forces_level and LEVEL_RANK[RiskLevel(factor.forces_level)] > forced_rank:
            forced_by, forced_rank = factor.code, LEVEL_RANK[RiskLevel(factor.forces_level)]
    score = max(total, Decimal("0")).quantize(Decimal("0.1"))
    score_level = instrument.level_for(score)
    level = score_level
    if forced_rank > LEVEL_RANK[score_level]:
        level = next(lvl for lvl, rank in LEVEL_RANK.items() if rank == forced_rank)
    contributions.sort(key=lambda c: (-abs(c["points"]), c["factor"]))
    return RiskResult(
        score=score,
        level=str(level),
        contributions=contributions,
        forced_by=forced_by,
        score_level=str(score_level),
    )


def reasons(
    instrument: Instrument,
    factors_by_code: Mapping[str, Factor],
    *,
    score: Decimal,
    level: str,
    contributions: list[dict],
    forced_by: str,
) -> list[str]:
    """The result in words, in the active language: the level rule first, then each factor that
    counted."""
    level_label = RiskLevel(level).label
    words = []
    if score >= instrument.high_from:
        words.append(
            _("A score of %(score)s is at or above the high-risk threshold of %(threshold)s.")
            % {"score": plain_number(score), "threshold": plain_number(instrument.high_from)}
        )
    elif score >= instrument.medium_from:
        words.append(
            _("A score of %(score)s is at or above the medium-risk threshold of %(threshold)s.")
            % {"score": plain_number(score), "threshold": plain_number(instrument.medium_from)}
        )
    else:
        words.append(
            _("A score of %(score)s is below the medium-risk threshold of %(threshold)s.")
            % {"score": plain_number(score), "threshold": plain_number(instrument.medium_from)}
        )
    if forced_by:
        factor = factors_by_code.get(forced_by)
        words.append(
            _("%(factor)s was reported, which makes the risk at least %(level)s.")
            % {
                "factor": factor.label_text if factor else forced_by,
                "level": str(level_label).lower(),
            }
        )
    for item in contributions:
        factor = factors_by_code.get(item["factor"])
        label = factor.label_text if factor else item["factor"]
        points = plain_number(abs(item["points"]))
        if item["kind"] == FactorKind.PROTECTIVE:
            template = (
                _("%(factor)s (protective, partly): −%(points)s")
                if item["answer"] == Answer.PARTLY
                else _("%(factor)s (protective): −%(points)s")
            )
        else:
            template = (
                _("%(factor)s (partly): +%(points)s")
                if item["answer"] == Answer.PARTLY
                else _("%(factor)s: +%(points)s")
            )
        words.append(template % {"factor": label, "points": points})
    return words


def validate_measure_answers(
    measure: Measure, items: Iterable[MeasureItem], answers
) -> dict[str, int]:
    """Each item answered once with a whole number on the scale; returns `{item number: answer}`."""
    if not isinstance(answers, Mapping):
        raise ValidationError({ANSWER_FIELD: [_("Send the answers as an object of item numbers.")]})
    items = list(items)
    numbers = {str(item.number) for item in items}
    allowed = measure.scale_values
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    for key in answers:
        if str(key) not in numbers:
            errors[answer_error_key(key)] = [
                _("This measure has no item %(item)s.") % {"item": key}
            ]
    for item in items:
        key = str(item.number)
        value = answers.get(key, answers.get(item.number))
        if value is None or value == "":
            errors[answer_error_key(key)] = [_("Answer this item.")]
        elif isinstance(value, bool) or not isinstance(value, int | str):
            errors[answer_error_key(key)] = [_("Answer with a whole number.")]
        else:
            try:
                number = int(value)
            except ValueError:
                errors[answer_error_key(key)] = [_("Answer with a whole number.")]
                continue
            if number not in allowed:
                errors[answer_error_key(key)] = [
                    _("Answer with a number from %(min)s to %(max)s.")
                    % {"min": min(allowed), "max": max(allowed)}
                ]
            else:
                clean[key] = number
    if errors:
        raise ValidationError(errors)
    return clean


def score_measure(
    measure: Measure, items: Iterable[MeasureItem], answers: Mapping[str, int]
) -> tuple[int, str]:
    """The total of validated answers and the code of its band."""
    low, high = measure.scale_min, measure.scale_max
    total = 0
    for item in items:
        value = answers[str(item.number)]
        total += (low + high - value) if item.reversed else value
    band = measure.band_for(total)
    return total, band["code"] if band else ""
