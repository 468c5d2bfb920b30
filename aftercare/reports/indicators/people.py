"""The breakdowns every count of people carries: sex, age band, region and organisation.

A domain that counts survivors hands over their ids; the breakdowns are read in one grouped
query, so every such indicator is disaggregated the same way (docs/INDICATORS.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db.models import Count

from aftercare.cases.models import Gender, Survivor
from aftercare.reports import bands
from aftercare.reports.indicators.base import Cell, Period


def breakdowns(survivor_ids: Iterable, period: Period, model=Survivor) -> dict[str, list[Cell]]:
    """`model` is Survivor, or any record of people with the same profile fields (gender,
    year_of_birth, region, organisation): the people at risk are broken down the same way."""
    ids = list(survivor_ids)
    if not ids:
        return {}
    rows = (
        model.objects.filter(pk__in=ids)
        .values("gender", "year_of_birth", "region__code", "region__name", "organisation_id", "organisation__name")
        .annotate(n=Count("id")).order_by()
    )
    sex, age, region, organisation = Counter(), Counter(), Counter(), Counter()
    region_names, organisation_names = {}, {}
    for row in rows:
        n = row["n"]
        sex[row["gender"] or Gender.UNKNOWN] += n
        age[bands.age_band(bands.age_in(period.end.year, row["year_of_birth"])) or bands.UNKNOWN] += n
        region_key = row["region__code"] or bands.UNKNOWN
        region[region_key] += n
        region_names[region_key] = row["region__name"] or str(bands.UNKNOWN_LABEL)
        organisation_key = str(row["organisation_id"])
        organisation[organisation_key] += n
        organisation_names[organisation_key] = row["organisation__name"]
    genders = dict(Gender.choices)
    return {
        "sex": [Cell(key=key, label=str(genders.get(key, bands.UNKNOWN_LABEL)), value=n) for key, n in sorted(sex.items())],
        "age_band": [Cell(key=b, label=bands.display_band(b), value=age[b]) for b in bands.AGE_BAND_LABELS if age.get(b)]
        + ([Cell(key=bands.UNKNOWN, label=str(bands.UNKNOWN_LABEL), value=age[bands.UNKNOWN])] if age.get(bands.UNKNOWN) else []),
        "region": [Cell(key=key, label=region_names[key], value=n) for key, n in sorted(region.items(), key=lambda i: region_names[i[0]])],
        "organisation": [Cell(key=key, label=organisation_names[key], value=n)
                         for key, n in sorted(organisation.items(), key=lambda i: organisation_names[i[0]])],
    }
