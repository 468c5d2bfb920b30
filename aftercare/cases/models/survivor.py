"""Survivors' cases. Direct identifiers are encrypted; everything else is pseudonymous."""

from __future__ import annotations

import uuid

from django.db import connections, models
from django.db.models.sql import Query
from django.db.models.sql.where import AND, OR, WhereNode
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.policy import Action, can
from aftercare.core.errors import DomainError
from aftercare.core.fields import EncryptedDateField, EncryptedTextField
from aftercare.core.stats import bands


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    TRANSGENDER = "transgender", _("Transgender or non-binary")
    UNKNOWN = "unknown", _("Not recorded")


class ExploitationType(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Forced labour")
    DOMESTIC_SERVITUDE = "domestic_servitude", _("Domestic servitude")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    CRIMINAL = "criminal", _("Forced criminality")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    OTHER = "other", _("Other")


class IdentifiedBy(models.TextChoices):
    POLICE = "police", _("Police")
    NGO = "ngo", _("NGO")
    HOTLINE = "hotline", _("Hotline")
    SELF = "self", _("Self-referral")
    FAMILY = "family", _("Family or community")
    HEALTH = "health", _("Health worker")
    LABOUR_INSPECTOR = "labour_inspector", _("Labour inspector")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ACTIVE = "active", _("Active")
    STABLE = "stable", _("Stable")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (CaseStatus.INTAKE, CaseStatus.ACTIVE, CaseStatus.STABLE)
# What the reports read of every case besides `created_at` (`survivor_reported`): whether and
# when it was open, whose it is, and the profile the funder report and the CTDC export count by.
REPORTED_FIELDS = [
    "id",
    "organisation",
    "status",
    "closed_at",
    "closure_reason",
    "gender",
    "year_of_birth",
    "exploitation_types",
    "nationality",
    "country_of_exploitation",
    "means_of_control",
    "recruiter_relation",
]


class ClosureReason(models.TextChoices):
    SELF_SUFFICIENT = "self_sufficient", _("Self-sufficient")
    RELOCATED = "relocated", _("Relocated")
    TRANSFERRED = "transferred", _("Transferred to another organisation")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    RE_TRAFFICKED = "re_trafficked", _("Re-trafficked")
    DECEASED = "deceased", _("Deceased")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    # Set only by merging two records of one person (cases.merge); the case names the one kept.
    DUPLICATE = "duplicate", _("Duplicate of another case")
    OTHER = "other", _("Other reason")


class MeansOfControl(models.TextChoices):
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    TAKES_EARNINGS = "takes_earnings", _("Takes earnings")
    RESTRICTS_MOVEMENT = "restricts_movement", _("Restricts movement")
    THREATS = "threats", _("Threats")
    PHYSICAL_VIOLENCE = "physical_violence", _("Physical violence")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
    FALSE_PROMISES = "false_promises", _("False promises")
    PSYCHOACTIVE_SUBSTANCES = "psychoactive_substances", _("Psychoactive substances")
    WITHHOLDS_DOCUMENTS = "withholds_documents", _("Withholds documents")
    WITHHOLDS_NECESSITIES = "withholds_necessities", _("Withholds necessities")
    EXCESSIVE_WORKING_HOURS = "excessive_working_hours", _("Excessive working hours")
    THREATS_TO_FAMILY = "threats_to_family", _("Threats to family")
    OTHER = "other", _("Other")


class RecruiterRelation(models.TextChoices):
    INTIMATE_PARTNER = "intimate_partner", _("Intimate partner")
    FAMILY = "family", _("Family member")
    FRIEND = "friend", _("Friend or acquaintance")
    EMPLOYER = "employer", _("Employer or recruiter")
    STRANGER = "stranger", _("Stranger")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class RiskLevel(models.TextChoices):
    """A case's re-trafficking risk, as the risk instrument scores it (`aftercare.risk`)."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


# The order of levels, for "at least" rules and for sorting a caseload (0 = not assessed): the
# current level of a case is copied to `Survivor.risk_rank` in this order.
LEVEL_RANK = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}
RISK_LEVEL_FILTERS = (*RiskLevel.values, "none")


class InvalidRiskLevel(DomainError):
    code = "invalid_risk_level"


def open_q(via: str = "") -> models.Q:
    """The condition of an open case (`SurvivorQuerySet.open`), for rows reaching their case
    through `via` (e.g. "survivor__"), so that records of a case use the same definition."""
    return models.Q(**{f"{via}status__in": OPEN_STATUSES})


def sharing_referrals(organisation_id) -> models.QuerySet:
    """The referrals through which other organisations share cases with `organisation_id`.

    Whether a referral shares its case is the referral's rule (`ReferralQuerySet.sharing_with`:
    accepted and still open). Referrals sit above cases, so cases reaches them through the
    reverse relation of `Referral.survivor` (`Survivor.referrals`) and imports nothing from them.
    """
    return Survivor._meta.get_field("referrals").related_model.objects.sharing_with(organisation_id)


class CaseScope(WhereNode):
    """`visible_to`'s condition: the organisation's own cases, OR the cases partners share with it
    that it does not hold. The two children are disjoint.

    A node of its own kind, so that a list can be read in its two parts (`in_parts`): with the OR,
    PostgreSQL reads every case the organisation holds to count them or to order a page (111,150
    at 1,000,000 survivors, issue 18); each part alone is an index range. A clone of a query
    keeps the node's kind (`WhereNode.create` is a class method).
    """


def _scope_part(node: WhereNode, part: int) -> WhereNode | None:
    """`node` with its CaseScope replaced by the scope's child `part`, or None where there is no
    scope on a path of ANDs from the root (under an OR or a NOT it cannot be split)."""
    if node.connector != AND or node.negated:
        return None
    found = False
    clone = node.create(connector=node.connector, negated=node.negated)
    for child in node.children:
        if isinstance(child, CaseScope) and not found:
            child, found = child.children[part], True
        elif isinstance(child, WhereNode) and not found:
            replaced = _scope_part(child, part)
            child, found = (replaced, True) if replaced is not None else (child, False)
        clone.children.append(child)
    return clone if found else None


def _narrow_own_part(node: WhereNode, condition: WhereNode) -> bool:
    """Narrow the own part of the CaseScope found on a path of ANDs from `node` (in place) by
    `condition`; False where there is no such scope."""
    if node.connector != AND or node.negated:
        return False
    for child in node.children:
        if isinstance(child, CaseScope):
            child.children[0] = WhereNode([child.children[0], condition], connector=AND)
            return True
        if isinstance(child, WhereNode) and _narrow_own_part(child, condition):
            return True
    return False


class MergedParts:
    """A list read in the parts of its scope and paged as one, in `ordering` (the last key
    unique, so that the order is total): what a paginator needs (`count`, slices, `ordered`).

    A page is `(part 1 ORDER BY … LIMIT stop) UNION ALL (part 2 ORDER BY … LIMIT stop) ORDER BY …
    LIMIT … OFFSET …`: each part is read from its own index and stops at the page's end, where
    PostgreSQL plans a union's branches without the order asked of the whole and would sort every
    case. SQLite allows no LIMIT in a branch: there the branches are read whole (a laptop's
    caseload).
    """

    ordered = True

    def __init__(self, parts: list[SurvivorQuerySet], ordering: list):
        self.parts, self.ordering = parts, ordering
        self.model = parts[0].model

    def count(self) -> int:
        return sum(part.count() for part in self.parts)

    def _page(self, start: int, stop: int | None) -> list[Survivor]:
        if stop is not None and stop <= start:
            return []
        branches = [part.order_by(*self.ordering) for part in self.parts]
        features = connections[self.parts[0].db].features
        if stop is not None and features.supports_slicing_ordering_in_compound:
            branches = [branch[:stop] for branch in branches]
        else:
            branches = [branch.order_by() for branch in branches]
        first, *rest = branches
        return list(first.union(*rest, all=True).order_by(*self.ordering)[start:stop])

    def __getitem__(self, key):
        if isinstance(key, slice):
            if key.step not in (None, 1) or (key.start or 0) < 0 or (key.stop or 0) < 0:
                raise ValueError("MergedParts takes a plain slice.")
            return self._page(key.start or 0, key.stop)
        return self._page(key, key + 1)[0]

    def __iter__(self):
        return iter(self._page(0, None))

    def __len__(self) -> int:
        return self.count()


class SurvivorQuerySet(models.QuerySet):
    def visible_to(self, actor) -> SurvivorQuerySet:
        """The cases this actor may see, for case roles only: their active organisation's own,
        and those shared with it by an accepted referral while that referral is open."""
        if not can(actor, Action.VIEW_CASES):
            return self.none()
        # The shared ids are few and fetched first: an OR with a subquery would make
        # PostgreSQL scan every case instead of using the organisation index.
        own = models.Q(organisation_id=actor.organisation_id)
        shared = list(
            sharing_referrals(actor.organisation_id).values_list("survivor_id", flat=True)
        )
        if not shared:
            return self.filter(own)
        scoped = self.all()
        query = scoped.query
        parts = [query.build_where(own), query.build_where(models.Q(pk__in=shared) & ~own)]
        query.where.add(CaseScope(parts, connector=OR), AND)
        return scoped

    def in_parts(self) -> list[SurvivorQuerySet]:
        """This queryset as the disjoint parts of its scope (`visible_to`): the organisation's
        own cases and the cases shared with it, each with every other condition, annotation
        and ordering of this one. `[self]` where there is nothing to split: no shared cases, a
        scope under an OR or a NOT, or a sliced, combined or grouped query."""
        query = self.query
        if query.is_sliced or query.combinator or query.group_by is not None or query.distinct:
            return [self]
        parts = []
        for part in (0, 1):
            where = _scope_part(query.where, part)
            if where is None:
                return [self]
            clone = self.all()
            clone.query.where = where
            parts.append(clone)
        return parts

    def own_part_narrowed(self, condition: models.Q) -> SurvivorQuerySet | None:
        """This queryset with only the organisation's own part of its scope (`visible_to`)
        narrowed by `condition`; the cases shared with it stay as they are. None where there is
        no scope to narrow (no shared cases, or a scope under an OR or a NOT).

        "Her cases and the cases partners share with us" said this way keeps the two parts apart
        for `in_parts`; as an OR inside each part, PostgreSQL reads every case of the
        organisation to order a page (issue 18)."""
        if self.query.is_sliced or self.query.combinator:
            return None
        narrowed = self.all()
        # Built on a query of its own: building it on this one would leave the join a foreign
        # key's column names (`assigned_worker_id`) sets up as an INNER join in this query's
        # aliases, and a `select_related` of that key would then reuse it and drop the cases
        # assigned to no one (the shared part, where nobody here is assigned).
        where = Query(self.model).build_where(condition)
        return narrowed if _narrow_own_part(narrowed.query.where, where) else None

    def count(self) -> int:
        """The count of each part of the scope, added (`in_parts`): the parts are disjoint, and
        each is counted from an index where the two together would read every case."""
        parts = self.in_parts() if self._result_cache is None else [self]
        if len(parts) == 1:
            return super().count()
        return sum(part.count() for part in parts)

    def merged(self) -> SurvivorQuerySet | MergedParts:
        """This queryset, ordered, for pages: the parts of its scope (`in_parts`) read apart and
        merged in its order (`MergedParts`), so that PostgreSQL reads a page from each part's
        index instead of sorting every case the organisation holds.

        The result can be sliced, counted and iterated, not filtered further.
        """
        parts = self.in_parts()
        if len(parts) == 1:
            return self
        query = self.query
        ordering = query.order_by or (query.default_ordering and self.model._meta.ordering)
        return MergedParts(parts, [*(ordering or ()), "pk"])

    def at_risk_level(self, risk_level: str) -> SurvivorQuerySet:
        """Cases at one current level, or `none` for cases never assessed; '' for no filter.

        Raises InvalidRiskLevel (HTTP 400 with field `risk_level`) for any other value.
        """
        if not risk_level:
            return self
        if risk_level not in RISK_LEVEL_FILTERS:
            raise InvalidRiskLevel(
                _("Choose one of: %(levels)s.") % {"levels": ", ".join(RISK_LEVEL_FILTERS)},
                field="risk_level",
            )
        # On the copy in Survivor.risk_rank, which the caseload index covers.
        if risk_level == "none":
            return self.filter(risk_rank=0)
        return self.filter(risk_rank=LEVEL_RANK[RiskLevel(risk_level)])

    def counted(self) -> SurvivorQuerySet:
        """The cases that count as people: a case closed as a duplicate of another (merged into
        it) is the same person, so it leaves every count, list and indicator."""
        return self.exclude(closure_reason=ClosureReason.DUPLICATE)

    def open(self) -> SurvivorQuerySet:
        """THE definition of an open case, used by the dashboard, the case list and the reports
        alike (issue 16: at one moment they said 29, 36 and 22): a case that is not closed, i.e.
        at intake, active or stable. A case closed as a duplicate is closed, so never open.

        Count open cases where they are held: on `owned_by(actor)` or a report's scope, never on
        `visible_to`, which adds the cases partners share through a referral; those are the
        partner's open cases, and counting them here too would count one survivor twice in the
        network. `aftercare.cases.counting` says this in words on every page that shows a count.
        """
        return self.filter(open_q())

    def owned_by(self, actor) -> SurvivorQuerySet:
        """Only the cases the actor's organisation holds (not those shared with it)."""
        if not can(actor, Action.VIEW_CASES):
            return self.none()
        return self.filter(organisation_id=actor.organisation_id)


class Survivor(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case_code = models.CharField(_("case code"), max_length=16, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="survivors"
    )
    # Direct identifiers: encrypted at rest, never logged, never exported to research.
    given_name = EncryptedTextField(_("given name"))
    family_name = EncryptedTextField(_("family name"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    id_number = EncryptedTextField(_("ID or passport number"), blank=True)
    name_index = models.CharField(max_length=40, db_index=True, editable=False)
    # Pseudonymous profile, aligned with the CTDC fields.
    year_of_birth = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=12, choices=Gender.choices, default=Gender.UNKNOWN
    )
    nationality = models.CharField(
        _("nationality"), max_length=2, blank=True, help_text=_("ISO 3166 alpha-2")
    )
    region = models.ForeignKey(
        "network.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exploitation_types = models.JSONField(_("exploitation types"), default=list, blank=True)
    country_of_exploitation = models.CharField(
        _("country of exploitation"), max_length=2, blank=True
    )
    identified_by = models.CharField(
        _("identified by"), max_length=20, choices=IdentifiedBy.choices, blank=True
    )
    means_of_control = models.JSONField(_("means of control"), default=list, blank=True)
    recruiter_relation = models.CharField(
        _("relation to recruiter"), max_length=20, choices=RecruiterRelation.choices, blank=True
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes")
    )
    # A minor's guardian, encrypted like the survivor's own identifiers.
    guardian_name = EncryptedTextField(_("guardian's name"), blank=True)
    guardian_phone = EncryptedTextField(_("guardian's phone"), blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=60, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CaseStatus.choices,
        default=CaseStatus.INTAKE,
        db_index=True,
    )
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # A case closed as a duplicate: the case its records were moved to (cases.merge).
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
        editable=False,
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who is responsible for the case today, and the team that shares it
    # (aftercare.cases.assignment).
    assigned_worker = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("responsible worker"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("team"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    # Copied from the current re-trafficking risk (risk.SurvivorRisk) so that a caseload of
    # thousands sorts by risk straight from an index: 0 never assessed, 1 low, 2 medium, 3 high.
    risk_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    risk_due = models.DateField(null=True, blank=True, editable=False)
    # When the care plan's review is due (`aftercare.cases.plan_review`, which keeps it with the
    # goals and reviews): 90 days after the last review, or after the first goal; null without a
    # goal. The work queue reads it from `survivor_plan_review_due` (issue 18).
    plan_review_due = models.DateField(null=True, blank=True, editable=False)

    objects = SurvivorQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["organisation", "status", "-created_at"], name="survivor_org_status"
            ),
            models.Index(
                fields=["organisation", "-risk_rank", "risk_due", "case_code"],
                name="survivor_caseload_risk",
            ),
            models.Index(
                fields=["organisation", "risk_due", "-risk_rank", "case_code"],
                name="survivor_caseload_due",
            ),
            models.Index(
                fields=["organisation", "assigned_worker", "status"], name="survivor_org_worker"
            ),
            # The counts of the cases held (dashboard, case list, survivors API), which leave out
            # those merged into another (`counted`): answered from the index alone (issue 18).
            models.Index(
                fields=["organisation", "status"],
                condition=~models.Q(closure_reason="duplicate"),
                name="survivor_org_counted",
            ),
            # The reports' reads of the whole network's cases (the funder report's survivors served,
            # care plans, livelihoods; the CTDC export's profiles): every column they read, so
            # they scan this narrow index instead of the cases' rows, each ~2 KB of encrypted
            # fields (issue 18, docs/BENCHMARKS.md "The funder report and the CTDC export at
            # 1,000,000 survivors"). PostgreSQL only; elsewhere an index on `created_at`, which it
            # replaces (newest cases first).
            models.Index(
                fields=["created_at"],
                include=REPORTED_FIELDS,
                name="survivor_reported",
            ),
            # The care-plan reviews due (`cases.sections.plan_reviews`): the open cases with a
            # plan, read in the order they fall due, so the queue stops at its limit.
            models.Index(
                fields=["organisation", "plan_review_due", "case_code"],
                condition=models.Q(plan_review_due__isnull=False, status__in=OPEN_STATUSES),
                name="survivor_plan_review_due",
            ),
        ]

    def __str__(self) -> str:
        return self.case_code

    def audit_label(self) -> str:
        return self.case_code

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    @property
    def is_minor(self) -> bool:
        return self.age is not None and self.age < 18

    @property
    def age(self) -> int | None:
        if self.year_of_birth is None:
            return None
        return timezone.now().year - self.year_of_birth

    @property
    def age_band(self) -> str:
        """Her age band as every list and indicator writes it: the one set of bands in
        `aftercare.core.stats.bands` (lists once used 21–29 where indicators used 21–23, 24–26)."""
        band = bands.age_band(self.age)
        return _("unknown") if band is None else bands.display_band(band)
