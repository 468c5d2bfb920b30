"""Paging by position, not by number: for lists too long to count (the audit trail).

Django's Paginator counts the whole list (`COUNT(*)`) and reaches page n by skipping n pages
(`OFFSET`); at a hundred million audit events each costs seconds and grows with the trail. A
keyset page starts from the last row seen instead: the page after `(at, id)` is the rows before
it, read from the index newest first, so every page costs what the first one costs.

A cursor names a row, "<microseconds>-<id>"; a page is asked for as the rows older than one
(`?older=`) or newer than one (`?newer=`). A cursor that is not one opens the newest page (a
link is not worth an error page). The list is ordered newest first by `at`, ties by `id`, so no
row is seen twice or skipped however many share a time.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class KeysetPage:
    """One page of rows, newest first, and the cursors to the pages either side ("" at an
    end)."""

    object_list: list
    older: str
    newer: str

    @property
    def has_other_pages(self) -> bool:
        return bool(self.older or self.newer)


def cursor_of(row) -> str:
    micro = (row.at - EPOCH) // timedelta(microseconds=1)
    return f"{micro}-{uuid.UUID(str(row.pk)).hex}"


def parse_cursor(cursor: str) -> tuple[datetime, uuid.UUID] | None:
    """(at, id) of a cursor, or None for anything that is not one."""
    try:
        micro, pk = cursor.split("-")
        return EPOCH + timedelta(microseconds=int(micro)), uuid.UUID(hex=pk)
    except (ValueError, OverflowError):
        return None


def keyset_page(queryset: QuerySet, *, older: str = "", newer: str = "", size: int) -> KeysetPage:
    """The page of `queryset` (rows with `at` and a UUID `pk`) older than the row `older` names,
    or newer than the row `newer` names, or the newest: one query of at most size + 1 rows, the
    extra row telling whether there is a page beyond."""
    if (position := parse_cursor(older)) is not None:
        at, pk = position
        # `at__lte` bounds the index range (and the partitions read); the Q breaks the tie.
        after = queryset.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk), at__lte=at)
        rows = list(after.order_by("-at", "-pk")[: size + 1])
        page = rows[:size]
        return KeysetPage(page, older=_beyond(rows, size, page[-1:]), newer=_edge(page[:1]))
    if (position := parse_cursor(newer)) is not None:
        at, pk = position
        before = queryset.filter(Q(at__gt=at) | Q(at=at, pk__gt=pk), at__gte=at)
        rows = list(before.order_by("at", "pk")[: size + 1])
        page = rows[:size][::-1]
        return KeysetPage(page, older=_edge(page[-1:]), newer=_beyond(rows, size, page[:1]))
    rows = list(queryset.order_by("-at", "-pk")[: size + 1])
    page = rows[:size]
    return KeysetPage(page, older=_beyond(rows, size, page[-1:]), newer="")


def _edge(edge: list) -> str:
    return cursor_of(edge[0]) if edge else ""


def _beyond(rows: list, size: int, edge: list) -> str:
    """The cursor past `edge` (the page's last row that way) if the read found one row more."""
    return _edge(edge) if len(rows) > size else ""
