"""Reading dates and head counts from forms, the API and the phone: days not yet come and
negative or fractional counts are refused with the field they came from."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.core.errors import DomainError


def parse_day(
    value, field: str, *, required: bool = True, allow_future: bool = False
) -> date | None:
    if isinstance(value, date):
        day = value
    elif value in (None, ""):
        if required:
            raise DomainError(_("Give a date."), field=field)
        return None
    else:
        try:
            day = date.fromisoformat(str(value))
        except ValueError as exc:
            raise DomainError(_("Give a date as YYYY-MM-DD."), field=field) from exc
    if not allow_future and day > timezone.localdate():
        raise DomainError(_("This date is in the future."), field=field)
    return day


MAX_COUNT = 100_000  # more people than any one dialogue or school; a typo, not a count


def parse_count(value, field: str) -> int:
    """A head count: a whole number from 0, given as a number or as digits; empty is 0."""
    if value in (None, ""):
        return 0
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DomainError(_("Give a whole number, 0 or more."), field=field)
    text = str(value).strip()
    if not text.isdigit():
        raise DomainError(_("Give a whole number, 0 or more."), field=field)
    number = int(text)
    if number > MAX_COUNT:
        raise DomainError(
            _("This is more than %(max)s: check the number.") % {"max": MAX_COUNT}, field=field
        )
    return number
