"""Each service's predecessor, kept on the service, so that a report counts people without
sorting them (issue 18).

"Survivors who received a service" in a period, in all and by domain, is a count of distinct
survivors over the period's services. At 20,000,000 services PostgreSQL sorted the 6.7 million
of one year to count them (`COUNT(DISTINCT survivor_id)`, about 6 s of the funder report's 11).
Instead, each service keeps the date of the service before it, for the same survivor:

  - `previous_date`: her service before this one, in any domain;
  - `previous_date_in_domain`: her service before this one in the same domain;

in the order of (date, id), a strict order, so that two services on one day are one before the
other. Of a survivor's services in a period exactly one comes first, the one whose predecessor
is before the period or which has none. So the survivors served in a period are the services
in it whose predecessor is before its first day: a plain `COUNT(*) … FILTER`, for any period,
from the index that holds the two dates (`service_domain_date`), with no sort and no DISTINCT.

This module is the one place that keeps them: `refresh(survivor_id)` recomputes one survivor's
services in the transaction that recorded or moved one (`care.record_service`, a merge), under a
lock on her case so that two services recorded at once cannot both count as her first, and
`refresh_all()` sets every service, a batch of survivors a statement, for bulk loaders (migration
0017 holds its own copy of the rule).
"""

from __future__ import annotations

from django.db import connection, transaction

from aftercare.cases.models import ServiceDelivery, Survivor


def refresh(survivor_id, *, known: ServiceDelivery | None = None) -> int:
    """Recompute the predecessors of one survivor's services; returns how many changed.

    Locks her case first: a service recorded at the same time by another worker is seen here
    once its transaction commits, and the last of the two to run recomputes them all. `known`,
    a service the caller holds (the one just recorded), is given its dates too.
    """
    with transaction.atomic(savepoint=False):  # the caller's transaction, or one of its own
        return _refresh(survivor_id, known)


def _refresh(survivor_id, known: ServiceDelivery | None) -> int:
    Survivor.objects.select_for_update().filter(pk=survivor_id).values_list("pk").first()
    services = list(
        ServiceDelivery.objects.filter(survivor_id=survivor_id)
        .order_by("date", "id")
        .only("id", "domain", "date", "previous_date", "previous_date_in_domain")
    )
    changed = []
    last_any, last_in = None, {}
    for service in services:
        wanted = (last_any, last_in.get(service.domain))
        if (service.previous_date, service.previous_date_in_domain) != wanted:
            service.previous_date, service.previous_date_in_domain = wanted
            changed.append(service)
        last_any, last_in[service.domain] = service.date, service.date
    for service in services:
        if known is not None and service.pk == known.pk:
            known.previous_date = service.previous_date
            known.previous_date_in_domain = service.previous_date_in_domain
    if changed:
        ServiceDelivery.objects.bulk_update(
            changed, ["previous_date", "previous_date_in_domain"], batch_size=500
        )
    return len(changed)


# The same rule for many services at once, with window functions (PostgreSQL, SQLite 3.33+):
# the services of the survivors whose id is in (after, upto], read by their survivor.
REFRESH_MANY_SQL = """
UPDATE {services} SET previous_date = ordered.previous_any,
                      previous_date_in_domain = ordered.previous_in_domain
FROM (SELECT id,
             LAG(date) OVER (PARTITION BY survivor_id ORDER BY date, id) AS previous_any,
             LAG(date) OVER (PARTITION BY survivor_id, domain ORDER BY date, id)
               AS previous_in_domain
      FROM {services} WHERE {inner}) AS ordered
WHERE {services}.id = ordered.id AND {outer}
"""

BATCH = 10_000  # survivors a statement: a few hundred thousand services


def survivor_ranges(batch: int = BATCH):
    """(after, upto) bounds of survivor ids, `batch` survivors each, in id order; None for an
    open end. Each bound is found by the survivors' primary key index, not by reading them all."""
    after = None
    while True:
        ids = Survivor.objects.order_by("pk").values_list("pk", flat=True)
        if after is not None:
            ids = ids.filter(pk__gt=after)
        upto = ids[batch - 1 : batch].first()
        yield after, upto
        if upto is None:
            return
        after = upto


def refresh_all(batch: int = BATCH) -> None:
    """Set the predecessors of every service (a bulk load), `batch` survivors a statement: each
    reads her services by their survivor index and sorts only them, where one statement over
    every service sorts and joins the whole table (at 20,000,000 services, not done in 28
    minutes). Each batch commits on its own when called outside a transaction."""
    table = ServiceDelivery._meta.db_table
    field = ServiceDelivery._meta.get_field("survivor")
    with connection.cursor() as cursor:
        for after, upto in survivor_ranges(batch):
            bounds, params = [], []
            if after is not None:
                bounds.append("{column} > %s")
                params.append(field.get_db_prep_value(after, connection))
            if upto is not None:
                bounds.append("{column} <= %s")
                params.append(field.get_db_prep_value(upto, connection))
            condition = "(" + (" AND ".join(bounds) or "1 = 1") + ")"
            sql = REFRESH_MANY_SQL.format(
                services=table,
                inner=condition.format(column="survivor_id"),
                outer=condition.format(column=f"{table}.survivor_id"),
            )
            cursor.execute(sql, params * 2)
