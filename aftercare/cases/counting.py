"""How cases are counted, one way everywhere: open cases, whose cases a report counts, and
the breakdowns every count of people carries.

**Open cases.** The dashboard, the case list and the reports once gave three different numbers
at the same moment (29, 36 and 22): the dashboard counted the cases partners share with the
organisation, the list counted every status, the reports only the organisation's own open
cases. Now each counts `open_cases` (or, for a report's scope, `SurvivorQuerySet.open` on the
scope's cases) and shows `definition()` beside the figure, so a reader knows what the number
counts.

**A report's scope.** Reports are for the roles holding `Action.VIEW_AGGREGATE_REPORTS`. Two
scopes:

- **organisation**: the cases the actor's organisation holds. Only for roles with case access
  (supervisor, admin), who may open those cases anyway, so nothing is hidden.
- **network**: every organisation's cases. For the network coordinator and the M&E officer,
  always; for a supervisor or admin when they ask for it (`?scope=network`). Those cases are
  not theirs to open, so every count of people below `AFTERCARE_SMALL_CELL_MIN` is hidden
  (see `aftercare.core.stats.cells`) and drill-downs stop at counts.

**Breakdowns.** A domain that counts survivors hands over their ids; `breakdowns` reads sex,
age band, region and organisation in one grouped query, so every such indicator is
disaggregated the same way (docs/INDICATORS.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter

from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.cases.models import Gender, Survivor
from aftercare.cases.models.survivor import SurvivorQuerySet
from aftercare.core.stats import bands
from aftercare.core.stats.indicators import Cell, Period


def open_cases(actor: Actor) -> SurvivorQuerySet:
    """The open cases the actor's organisation holds (none for a role without case access)."""
    return Survivor.objects.owned_by(actor).open()


def definition(network: bool = False) -> str:
    """The definition of an open case, in the words shown beside every count of them."""
    if network:
        return _(
            "Open cases: cases not closed (at intake, active or stable), each counted once, in the "
            "organisation that holds it."
        )
    return _(
        "Open cases: cases not closed (at intake, active or stable) "
        "that your organisation holds. A case a partner shares with "
        "you through a referral is counted by the partner that holds it."
    )


NETWORK, ORGANISATION = "network", "organisation"
# The `scope` query parameter of every report API, as the schema documents it.
SCOPE_PARAM = OpenApiParameter(
    "scope",
    str,
    enum=["network"],
    required=False,
    description=(
        "`network` widens a supervisor's or admin's report from their "
        "organisation to the whole network (small cells are then "
        "hidden). Coordinators and M&E officers always see the network."
    ),
)


@dataclass(frozen=True)
class Scope:
    """Whose records a report counts, and whether its small cells are hidden (`scope_for`)."""

    actor: Actor
    organisation_id: object | None  # None: the whole network
    small_cell_min: int  # 0: nothing hidden

    @property
    def name(self) -> str:
        return NETWORK if self.organisation_id is None else ORGANISATION

    @property
    def hides_small_cells(self) -> bool:
        return self.small_cell_min > 0

    @property
    def shows_people(self) -> bool:
        """Whether a drill-down may name cases (by case code): only the actor's own
        organisation's."""
        return self.organisation_id is not None and can(self.actor, Action.VIEW_CASES)

    @property
    def label(self) -> str:
        if self.organisation_id is None:
            return _("The whole network")
        return str(self.actor.organisation)

    def survivors(self) -> QuerySet:
        """Every survivor counted in this scope (a report query, never a list shown to anyone)."""
        cases = Survivor.objects.counted()
        if self.organisation_id is not None:
            cases = cases.filter(organisation_id=self.organisation_id)
        return cases


def scope_for(actor: Actor | None, requested: str = "") -> Scope:
    """The scope for this actor; `requested="network"` widens a case role's view (hiding small
    cells)."""
    require(actor, Action.VIEW_AGGREGATE_REPORTS)
    if can(actor, Action.VIEW_CASES) and requested != NETWORK:
        return Scope(actor=actor, organisation_id=actor.organisation_id, small_cell_min=0)
    return Scope(
        actor=actor, organisation_id=None, small_cell_min=settings.AFTERCARE_SMALL_CELL_MIN
    )


def can_choose_scope(actor: Actor | None) -> bool:
    return can(actor, Action.VIEW_AGGREGATE_REPORTS) and can(actor, Action.VIEW_CASES)


def breakdowns(survivor_ids: Iterable, period: Period, model=Survivor) -> dict[str, list[Cell]]:
    """`model` is Survivor, or any record of people with the same profile fields (gender,
    year_of_birth, region, organisation): the people at risk are broken down the same way."""
    ids = list(survivor_ids)
    if not ids:
        return {}
    rows = (
        model.objects.filter(pk__in=ids)
        .values(
            "gender",
            "year_of_birth",
            "region__code",
            "region__name",
            "organisation_id",
            "organisation__name",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    sex, age, region, organisation = Counter(), Counter(), Counter(), Counter()
    region_names, organisation_names = {}, {}
    for row in rows:
        n = row["n"]
        sex[row["gender"] or Gender.UNKNOWN] += n
        age[
            bands.age_band(bands.age_in(period.end.year, row["year_of_birth"])) or bands.UNKNOWN
        ] += n
        region_key = row["region__code"] or bands.UNKNOWN
        region[region_key] += n
        region_names[region_key] = row["region__name"] or str(bands.UNKNOWN_LABEL)
        organisation_key = str(row["organisation_id"])
        organisation[organisation_key] += n
        organisation_names[organisation_key] = row["organisation__name"]
    genders = dict(Gender.choices)
    return {
        "sex": [
            Cell(key=key, label=str(genders.get(key, bands.UNKNOWN_LABEL)), value=n)
            for key, n in sorted(sex.items())
        ],
        "age_band": [
            Cell(key=b, label=bands.display_band(b), value=age[b])
            for b in bands.AGE_BAND_LABELS
            if age.get(b)
        ]
        + (
            [Cell(key=bands.UNKNOWN, label=str(bands.UNKNOWN_LABEL), value=age[bands.UNKNOWN])]
            if age.get(bands.UNKNOWN)
            else []
        ),
        "region": [
            Cell(key=key, label=region_names[key], value=n)
            for key, n in sorted(region.items(), key=lambda i: region_names[i[0]])
        ],
        "organisation": [
            Cell(key=key, label=organisation_names[key], value=n)
            for key, n in sorted(organisation.items(), key=lambda i: organisation_names[i[0]])
        ],
    }
