"""What one item of a work queue is: the shape every domain's work functions return.

The queue itself (which kinds each role is asked for, their headings) is composed above the
domains, in `aftercare.casefile.workqueue`; each domain says what is waiting in its own
`sections.py`. This module knows no domain: it only names the shape they share.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

LIMIT = 20  # items of one kind; the page links to the full list behind each


@dataclass(frozen=True)
class WorkItem:
    """One thing to do. `url` opens the exact page (and section) where it is done."""

    kind: str
    title: str
    detail: str
    url: str
    due: date | None = None
    urgent: bool = False
    count: int | None = None  # for an item that stands for several records (network figures)
    survivor: uuid.UUID | None = None
    referral: uuid.UUID | None = None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()
