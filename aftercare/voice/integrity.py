"""Unusual patterns of ratings, flagged to the network coordinator.

Read from the feedback codes, never from a rating: which organisation issued the codes a
subject was rated with, and on which day each was spent. Two patterns are flagged, per
subject, issuing organisation and quarter:

- **burst**: at least `AFTERCARE_RATING_BURST_COUNT` (default 5) codes issued by one
  organisation spent on one subject within `AFTERCARE_RATING_BURST_DAYS` (default 3) days;
- **own codes**: at least `AFTERCARE_RATING_OWN_CODES_MIN` (default 3) ratings of a subject
  in a quarter through codes its own organisation issued (for a duty bearer: the
  organisation it is registered with), and fewer than k (`AFTERCARE_RATING_MIN_GROUP`) from
  anywhere else: rated only through its own codes, or with so few others that whoever filled
  in the own codes could work the others out of a published mean.

While a flag is open, the subject's ratings from that quarter on are held back from
publication (aggregate figures do not move), so ratings planted to work out someone's real
rating from a published mean show nothing until the coordinator looks. The coordinator
clears a flag (the ratings look genuine) or withholds the quarter for good.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organisation
from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.errors import DomainError
from aftercare.voice.models import FeedbackCode, FlagReason, FlagStatus, Rating, RatingFlag


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_quarter(start: date) -> date:
    return date(start.year + (start.month + 2) // 12, (start.month + 2) % 12 + 1, 1)


def _subject_fields(subject) -> dict:
    return {
        "organisation_id": subject.organisation.pk if subject.organisation else None,
        "duty_bearer_id": subject.duty_bearer.pk if subject.duty_bearer else None,
    }


def longest_burst(days: list[date], window: int) -> int:
    """The most days in the list that fall within `window` consecutive days."""
    days = sorted(days)
    best, first = 0, 0
    for last, day in enumerate(days):
        while day - days[first] >= timedelta(days=window):
            first += 1
        best = max(best, last - first + 1)
    return best


def _raise(
    subject_fields: dict,
    reason: str,
    via_organisation_id,
    quarter: date,
    count: int,
    window: int = 0,
) -> None:
    """Open a flag, or bring an open one's count up to date; reopen a cleared one that has
    grown by a whole threshold since it was checked."""
    lookup = {
        **subject_fields,
        "reason": reason,
        "via_organisation_id": via_organisation_id,
        "quarter": quarter,
    }
    flag = RatingFlag.objects.filter(**lookup).first()
    if flag is None:
        try:
            with transaction.atomic():
                RatingFlag.objects.create(**lookup, count=count, window_days=window)
        except IntegrityError:  # found by a concurrent check
            pass
        return
    grown = count - flag.count >= settings.AFTERCARE_RATING_BURST_COUNT
    if flag.status == FlagStatus.OPEN and count != flag.count:
        RatingFlag.objects.filter(pk=flag.pk).update(count=count)
    elif flag.status == FlagStatus.CLEARED and grown:
        RatingFlag.objects.filter(pk=flag.pk).update(
            count=count, status=FlagStatus.OPEN, found_at=timezone.now()
        )


def check_codes(subject, via_organisation_id, day: date) -> None:
    """Look at the codes `via_organisation_id` issued that were spent on `subject` in the
    quarter of `day`, and flag what is unusual."""
    start = quarter_start(day)
    end = next_quarter(start)
    fields = _subject_fields(subject)
    spent = list(
        FeedbackCode.objects.filter(
            **fields,
            issued_by_organisation_id=via_organisation_id,
            used_on__gte=start,
            used_on__lt=end,
        ).values_list("used_on", flat=True)
    )
    window = settings.AFTERCARE_RATING_BURST_DAYS
    burst = longest_burst(spent, window)
    if burst >= settings.AFTERCARE_RATING_BURST_COUNT:
        _raise(fields, FlagReason.BURST, via_organisation_id, start, burst, window)
    if via_organisation_id and via_organisation_id == subject.owner_organisation_id:
        others = Rating.objects.filter(**fields, period__gte=start, period__lt=end).count() - len(
            spent
        )
        if (
            len(spent) >= settings.AFTERCARE_RATING_OWN_CODES_MIN
            and others < settings.AFTERCARE_RATING_MIN_GROUP
        ):
            _raise(fields, FlagReason.OWN_CODES, via_organisation_id, start, len(spent))


def scan(today: date | None = None) -> int:
    """Check every subject rated with codes in this quarter and the last; returns how many
    flags are open."""
    from aftercare.voice.ratings import Subject

    today = today or timezone.localdate()
    since = quarter_start(quarter_start(today) - timedelta(days=1))
    seen = defaultdict(set)
    rows = (
        FeedbackCode.objects.filter(used_on__gte=since)
        .values_list("organisation_id", "duty_bearer_id", "issued_by_organisation_id", "used_on")
        .order_by()
    )
    for organisation_id, duty_bearer_id, via, used_on in rows:
        seen[(organisation_id, duty_bearer_id, via)].add(quarter_start(used_on))
    from aftercare.voice.models import DutyBearer

    organisations = Organisation.objects.in_bulk({k[0] for k in seen if k[0]})
    bearers = DutyBearer.objects.in_bulk({k[1] for k in seen if k[1]})
    for (organisation_id, duty_bearer_id, via), quarters in seen.items():
        subject = Subject(
            organisation=organisations.get(organisation_id), duty_bearer=bearers.get(duty_bearer_id)
        )
        if subject.organisation is None and subject.duty_bearer is None:
            continue
        for quarter in quarters:
            check_codes(subject, via, quarter)
    return RatingFlag.objects.filter(status=FlagStatus.OPEN).count()


def held_quarters() -> dict[tuple[str, object], tuple[date | None, set[date]]]:
    """Per subject: the first quarter held back by an open flag (that quarter and every later
    one wait), and the quarters withheld for good."""
    held: dict[tuple[str, object], tuple[date | None, set[date]]] = {}
    for organisation_id, duty_bearer_id, status, quarter in RatingFlag.objects.exclude(
        status=FlagStatus.CLEARED
    ).values_list("organisation_id", "duty_bearer_id", "status", "quarter"):
        key = (
            ("organisation", organisation_id)
            if organisation_id
            else ("duty_bearer", duty_bearer_id)
        )
        first, withheld = held.get(key, (None, set()))
        if status == FlagStatus.OPEN:
            first = quarter if first is None else min(first, quarter)
        else:
            withheld.add(quarter)
        held[key] = (first, withheld)
    return held


def open_flags(actor: Actor):
    require(actor, Action.MODERATE_FEEDBACK)
    return RatingFlag.objects.select_related(
        "organisation", "duty_bearer", "via_organisation", "reviewed_by"
    )


@transaction.atomic
def review_flag(actor: Actor, flag_id, *, decision: str, note: str = "") -> RatingFlag:
    """The coordinator's decision on a flag: `clear` (publish as usual) or `withhold` (that
    quarter of the subject is never published)."""
    require(actor, Action.MODERATE_FEEDBACK)
    if decision not in ("clear", "withhold"):
        raise DomainError(
            _("Choose to clear the flag or to withhold the quarter."), field="decision"
        )
    try:
        flag = RatingFlag.objects.select_for_update().get(pk=flag_id)
    except (ValueError, RatingFlag.DoesNotExist) as exc:
        raise Http404("No such flag") from exc
    flag.status = FlagStatus.CLEARED if decision == "clear" else FlagStatus.WITHHELD
    flag.reviewed_by, flag.reviewed_at, flag.note = actor.user, timezone.now(), note.strip()[:1000]
    flag.save(update_fields=["status", "reviewed_by", "reviewed_at", "note"])
    record(actor, AuditAction.UPDATE, flag, fields=["status"], reason=flag.note)
    return flag
