"""Calendar months: adding them to a date, and the months between two dates."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day where it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def last_months(until: date, count: int) -> list[date]:
    """The first days of the `count` months ending with `until`'s month, oldest first."""
    first = month_start(until)
    return [add_months(first, -back) for back in range(count - 1, -1, -1)]
