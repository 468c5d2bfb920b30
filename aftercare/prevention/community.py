"""Community dialogues and awareness events, their attendance by sex and age group, and
campaigns. The share of men among adults attending is the programme's headline figure:
men are the clients of child sex trafficking and the household's deciders (seed 004)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.prevention.access import get_visible
from aftercare.prevention.models import (
    ActivityKind,
    AgeGroup,
    Attendance,
    Campaign,
    Champion,
    CommunityActivity,
    Medium,
    Sex,
    Topic,
)
from aftercare.prevention.models.base import ADULT_AGE_GROUPS
from aftercare.prevention.parsing import parse_count, parse_day

Counts = dict[str, dict[str, int]]  # {sex: {age_group: count}}


@dataclass(frozen=True)
class AttendanceSummary:
    """Attendance added up. Every total is the sum of the cells: by sex, by age, adults."""

    cells: Counts = field(default_factory=dict)

    def _sum(self, sexes: Iterable[str] = Sex.values, ages: Iterable[str] = AgeGroup.values) -> int:
        ages = list(ages)
        return sum(self.cells.get(sex, {}).get(age, 0) for sex in sexes for age in ages)

    @property
    def total(self) -> int:
        return self._sum()

    @property
    def by_sex(self) -> dict[str, int]:
        return {sex: self._sum(sexes=[sex]) for sex in Sex.values}

    @property
    def by_age(self) -> dict[str, int]:
        return {age: self._sum(ages=[age]) for age in AgeGroup.values}

    @property
    def adults(self) -> int:
        return self._sum(ages=ADULT_AGE_GROUPS)

    @property
    def men(self) -> int:
        return self._sum(sexes=[Sex.MALE], ages=ADULT_AGE_GROUPS)

    @property
    def share_of_men(self) -> float | None:
        """Men (males of 18 and over) as a share of the adults attending; None without adults."""
        return self.men / self.adults if self.adults else None

    def as_dict(self) -> dict:
        return {
            "by_sex_and_age": {
                sex: {age: self.cells.get(sex, {}).get(age, 0) for age in AgeGroup.values}
                for sex in Sex.values
            },
            "by_sex": self.by_sex,
            "by_age": self.by_age,
            "total": self.total,
            "adults": self.adults,
            "men": self.men,
            "share_of_men": None if self.share_of_men is None else round(self.share_of_men, 4),
        }


def summarise(rows: Iterable[tuple[str, str, int]]) -> AttendanceSummary:
    """Rows of (sex, age group, count), possibly repeated, into one summary."""
    cells: Counts = {}
    for sex, age, count in rows:
        cells.setdefault(sex, {})
        cells[sex][age] = cells[sex].get(age, 0) + (count or 0)
    return AttendanceSummary(cells)


def attendance_of(activities) -> AttendanceSummary:
    """The summed attendance of a queryset of activities, in one grouped query."""
    rows = (
        Attendance.objects.filter(activity__in=activities)
        .values_list("sex", "age_group")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return summarise(rows)


def parse_counts(raw) -> Counts:
    """`{sex: {age_group: count}}` checked cell by cell; a cell left out counts 0."""
    if not isinstance(raw, dict):
        raise DomainError(
            _("Give the attendance as counts by sex and age group."), field="attendance"
        )
    unknown = [key for key in raw if key not in Sex.values]
    if unknown:
        raise DomainError(
            _("Unknown sex: %(keys)s.") % {"keys": ", ".join(map(str, unknown))}, field="attendance"
        )
    counts: Counts = {}
    for sex in Sex.values:
        row = raw.get(sex) or {}
        if not isinstance(row, dict):
            raise DomainError(
                _("Give the attendance as counts by sex and age group."), field=f"attendance.{sex}"
            )
        bad = [key for key in row if key not in AgeGroup.values]
        if bad:
            raise DomainError(
                _("Unknown age group: %(keys)s.") % {"keys": ", ".join(map(str, bad))},
                field=f"attendance.{sex}",
            )
        counts[sex] = {
            age: parse_count(row.get(age), f"attendance.{sex}.{age}") for age in AgeGroup.values
        }
    if not any(n for row in counts.values() for n in row.values()):
        raise DomainError(_("Count at least one person."), field="attendance")
    return counts


def current_counts(activity: CommunityActivity) -> Counts | None:
    """The activity's recorded attendance, or None when none has been recorded. Read from the
    attendance prefetched with a list of activities (the API's), else in one query."""
    if activity.attendance_recorded_at is None:
        return None
    counts: Counts = {sex: dict.fromkeys(AgeGroup.values, 0) for sex in Sex.values}
    for cell in activity.attendance.all():
        counts[cell.sex][cell.age_group] = cell.count
    return counts


def parse_topics(raw) -> list[str]:
    topics = raw if isinstance(raw, list) else [raw] if raw else []
    unknown = [t for t in topics if t not in Topic.values]
    if unknown:
        raise DomainError(
            _("Unknown topic: %(keys)s.") % {"keys": ", ".join(map(str, unknown))}, field="topics"
        )
    if not topics:
        raise DomainError(_("Choose at least one topic."), field="topics")
    return list(dict.fromkeys(topics))


def _champions(actor: Actor, ids) -> list[Champion]:
    ids = [str(i) for i in ids or []]
    found = list(Champion.objects.visible_to(actor).filter(pk__in=ids)) if ids else []
    if len(found) != len(set(ids)):
        raise DomainError(_("Choose champions of your organisation."), field="champions")
    return found


@transaction.atomic
def add_activity(
    actor: Actor,
    *,
    kind: str,
    held_on,
    region,
    topics,
    venue: str = "",
    facilitators: str = "",
    champions=(),
    attendance=None,
) -> CommunityActivity:
    """A dialogue or event, planned or held; with `attendance` when it is already counted."""
    require(actor, Action.RECORD_PREVENTION)
    if kind not in ActivityKind.values:
        raise DomainError(_("Choose a dialogue or an awareness event."), field="kind")
    if region is None:
        raise DomainError(_("Choose where it took place."), field="region")
    day = parse_day(held_on, "held_on", allow_future=attendance is None)
    activity = CommunityActivity.objects.create(
        organisation=actor.organisation,
        kind=kind,
        held_on=day,
        region=region,
        topics=parse_topics(topics),
        venue=(venue or "").strip()[:120],
        facilitators=(facilitators or "").strip()[:200],
        created_by=actor.user,
    )
    activity.champions.set(_champions(actor, champions))
    record(actor, AuditAction.CREATE, activity, fields=["kind", "held_on", "region", "topics"])
    if attendance is not None:
        _write_attendance(actor, activity, parse_counts(attendance))
    return activity


def _write_attendance(actor: Actor, activity: CommunityActivity, counts: Counts) -> None:
    if activity.held_on > timezone.localdate():
        raise DomainError(
            _("Attendance can be recorded once the activity has taken place."), field="attendance"
        )
    activity.attendance.all().delete()
    Attendance.objects.bulk_create(
        [
            Attendance(activity=activity, sex=sex, age_group=age, count=n)
            for sex, row in counts.items()
            for age, n in row.items()
        ]
    )
    activity.version += 1
    activity.attendance_recorded_at = timezone.now()
    activity.attendance_recorded_by = actor.user
    activity.save(update_fields=["version", "attendance_recorded_at", "attendance_recorded_by"])
    record(actor, AuditAction.UPDATE, activity, fields=["attendance"])


@transaction.atomic
def set_attendance(actor: Actor, activity_id, counts, version) -> CommunityActivity:
    """Replace an activity's attendance. `version` is the one the counts were made against:
    a stale one is a conflict (409), so two people's counts never silently overwrite."""
    activity = get_visible(
        actor, CommunityActivity, activity_id, action=Action.RECORD_PREVENTION, for_update=True
    )
    parsed = parse_counts(counts)
    try:
        seen = int(version)
    except (TypeError, ValueError) as exc:
        raise DomainError(
            _("Give the version the counts were made against."), field="version"
        ) from exc
    if seen != activity.version:
        raise StaleVersion(
            _("The attendance of this activity changed since you opened it."), field="version"
        )
    _write_attendance(actor, activity, parsed)
    return activity


@transaction.atomic
def add_campaign(
    actor: Actor,
    *,
    name: str,
    medium: str,
    topics,
    region,
    started_on,
    estimated_reach,
    ended_on=None,
    reach_basis: str = "",
) -> Campaign:
    require(actor, Action.RECORD_PREVENTION)
    if not (name or "").strip():
        raise DomainError(_("Give the campaign a name."), field="name")
    if medium not in Medium.values:
        raise DomainError(_("Choose a medium from the list."), field="medium")
    if region is None:
        raise DomainError(_("Choose the area the campaign covered."), field="region")
    start = parse_day(started_on, "started_on")
    end = parse_day(ended_on, "ended_on", required=False, allow_future=True)
    if end is not None and end < start:
        raise DomainError(_("A campaign cannot end before it starts."), field="ended_on")
    campaign = Campaign.objects.create(
        organisation=actor.organisation,
        name=name.strip(),
        medium=medium,
        topics=parse_topics(topics),
        region=region,
        started_on=start,
        ended_on=end,
        estimated_reach=parse_count(estimated_reach, "estimated_reach"),
        reach_basis=(reach_basis or "").strip()[:200],
        created_by=actor.user,
    )
    record(actor, AuditAction.CREATE, campaign, fields=["name", "medium", "estimated_reach"])
    return campaign


def reach_by_medium(campaigns) -> dict[str, int]:
    rows = campaigns.values_list("medium").annotate(n=Sum("estimated_reach")).order_by()
    reach = dict.fromkeys(Medium.values, 0)
    reach.update({medium: n or 0 for medium, n in rows})
    return reach


def share_of_men_by_month(activities) -> list[tuple[date, float, int, int]]:
    """(first of month, share of men, men, adults) for each month with adults attending."""
    rows = (
        Attendance.objects.filter(activity__in=activities, age_group__in=ADULT_AGE_GROUPS)
        .values_list("activity__held_on", "sex")
        .annotate(n=Sum("count"))
        .order_by()
    )
    months: dict[date, list[int]] = {}
    for held_on, sex, n in rows:
        month = held_on.replace(day=1)
        bucket = months.setdefault(month, [0, 0])
        bucket[0] += n if sex == Sex.MALE else 0
        bucket[1] += n
    return [(m, men / adults, men, adults) for m, (men, adults) in sorted(months.items()) if adults]


def summaries_by_activity(activities) -> dict:
    """{activity id: AttendanceSummary} for the counted ones among `activities`, in one query."""
    rows = Attendance.objects.filter(activity__in=[a.pk for a in activities]).values_list(
        "activity", "sex", "age_group", "count"
    )
    grouped: dict = {}
    for activity_id, sex, age, n in rows:
        grouped.setdefault(activity_id, []).append((sex, age, n))
    return {pk: summarise(cells) for pk, cells in grouped.items()}
