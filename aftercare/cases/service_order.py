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
`refresh_all()` sets every service in one UPDATE, for migrations and bulk loaders.
"""

from __future__ import annotations

from django.db import connection

from aftercare.cases.models import ServiceDelivery, Survivor


def refresh(survivor_id, *, known: ServiceDelivery | None = None) -> int:
    """Recompute the predecessors of one survivor's services; returns how many changed.

    Locks her case first: a service recorded at the same time by another worker is seen here
    once its transaction commits, and the last of the two to run recomputes them all. `known`,
    a service the caller holds (the one just recorded), is given its dates too.
    """
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


# The same rule for every service at once, with window functions (PostgreSQL, SQLite 3.33+).
REFRESH_ALL_SQL = """
UPDATE {services} SET previous_date = ordered.previous_any,
                      previous_date_in_domain = ordered.previous_in_domain
FROM (SELECT id,
             LAG(date) OVER (PARTITION BY survivor_id ORDER BY date, id) AS previous_any,
             LAG(date) OVER (PARTITION BY survivor_id, domain ORDER BY date, id)
               AS previous_in_domain
      FROM {services}) AS ordered
WHERE {services}.id = ordered.id
"""


def refresh_all() -> None:
    """Set the predecessors of every service in one statement (a migration, a bulk load)."""
    with connection.cursor() as cursor:
        cursor.execute(REFRESH_ALL_SQL.format(services=ServiceDelivery._meta.db_table))
