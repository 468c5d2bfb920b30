"""Provider performance from survivors' ratings: published only in groups of at least k survivors.

**Who counts.** Each rating carries a keyed hash of the survivor and the subject (`rater`).
One survivor counts once per subject and quarter: their ratings of the subject in that
quarter are averaged into one *voice*. k counts distinct survivors, never ratings, so a
dozen codes spent for one survivor weigh as one. (Ratings from before the hash was kept
count as a survivor each.)

**What is published, and when.** Voices are released per subject (an organisation or a
duty bearer) in batches of whole, completed calendar quarters: walking the subject's
completed quarters from the oldest, quarters are gathered until they bring at least k
survivors new to the subject's published figures (`AFTERCARE_RATING_MIN_GROUP`, default 5),
and that batch is released. The current quarter, and a trailing batch of fewer than k new
survivors, are held back; so are the quarters of a subject from one with an open flag of
the coordinator's on (aftercare/voice/integrity.py), and a quarter the coordinator withheld
is left out for good. A subject with no released batch is withheld entirely (it is not even
listed). So every published figure, every point of the trend, and every change between two
days' figures moves only with at least k new survivors: comparing the page before and after
a survivor rated, or planting k−1 ratings of one's own beside theirs, cannot reveal their rating.

**Scores.** A rating's overall score is the mean of its five dimensions (respect,
timeliness, helpfulness, safety, information), each 1–5; a voice's is the mean of its
ratings'. For a subject with released voices x₁…xₙ:

    mean           = x̄ = Σxᵢ / n
    bayesian_mean  = (m·μ + n·x̄) / (m + n)
    interval       = bayesian_mean ± 1.96 · σ / √(m + n), clipped to [1, 5]

where μ is the network mean (of all released voices of all published subjects), m the
prior weight (`AFTERCARE_RATING_PRIOR_WEIGHT`, default 5: the network mean counts as m
ratings), and σ the pooled within-subject standard deviation of the overall scores,
√(Σⱼ Σᵢ (xᵢⱼ − x̄ⱼ)² / (N − J)) over N released voices of J published subjects, never
below 0.5 so that a few identical ratings do not look certain. This is the normal–normal
model with known variance: the prior for a subject's true mean is N(μ, σ²/m), the
bayesian_mean is its posterior mean and the interval its central 95% posterior interval.
μ and σ use released data only, never a withheld group, so they leak nothing about one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, F, Sum
from django.utils import timezone

from aftercare.accounts.models import Organisation
from aftercare.network.models import Region
from aftercare.voice import integrity
from aftercare.voice.models import DIMENSIONS, CommentStatus, DutyBearer, GoodPractice, Rating

Z_95 = 1.96
SIGMA_FLOOR = 0.5
Quarter = tuple[int, int]


def quarter_of(day: date) -> Quarter:
    return day.year, (day.month - 1) // 3 + 1


def quarter_start(quarter: Quarter) -> date:
    year, q = quarter
    return date(year, 3 * (q - 1) + 1, 1)


def quarter_label(quarter: Quarter) -> str:
    return f"{quarter[0]}-Q{quarter[1]}"


@dataclass
class Tally:
    """Sums over voices from which the figures follow; a voice's `total` is the sum of its five
    scores (5–25, a mean over the survivor's ratings in the quarter), so its overall score is
    total / 5. `raters` are the survivors' keys; `unkeyed` counts voices without one."""

    n: int = 0
    total: float = 0.0
    total_sq: float = 0.0
    dimensions: dict[str, float] = field(default_factory=lambda: dict.fromkeys(DIMENSIONS, 0.0))
    raters: set[str] = field(default_factory=set)
    unkeyed: int = 0

    def add(self, other: Tally) -> None:
        self.n += other.n
        self.total += other.total
        self.total_sq += other.total_sq
        for name in DIMENSIONS:
            self.dimensions[name] += other.dimensions[name]
        self.raters |= other.raters
        self.unkeyed += other.unkeyed

    @property
    def survivors(self) -> int:
        """Distinct survivors behind the voices."""
        return len(self.raters) + self.unkeyed

    def new_survivors(self, seen: set[str]) -> int:
        return len(self.raters - seen) + self.unkeyed

    @property
    def sum(self) -> float:
        return self.total / len(DIMENSIONS)

    @property
    def mean(self) -> float:
        return self.sum / self.n

    @property
    def within_ss(self) -> float:
        """Σ (xᵢ − x̄)² of the overall scores."""
        return max(0.0, self.total_sq / len(DIMENSIONS) ** 2 - self.sum**2 / self.n)


@dataclass
class Batch:
    first: Quarter
    last: Quarter
    tally: Tally

    @property
    def label(self) -> str:
        if self.first == self.last:
            return quarter_label(self.first)
        return f"{quarter_label(self.first)} – {quarter_label(self.last)}"


def release(
    quarters: dict[Quarter, Tally],
    k: int,
    before: Quarter,
    *,
    held_from: Quarter | None = None,
    withheld: Iterable[Quarter] = (),
) -> list[Batch]:
    """Completed quarters (earlier than `before` and than `held_from`, leaving out `withheld`)
    gathered oldest first into batches that each bring at least k survivors not counted in
    an earlier batch."""
    stop = min(before, held_from) if held_from else before
    batches, pending, first, seen = [], Tally(), None, set()
    for quarter in sorted(q for q in quarters if q < stop and q not in set(withheld)):
        first = first or quarter
        pending.add(quarters[quarter])
        if pending.new_survivors(seen) >= k:
            batches.append(Batch(first=first, last=quarter, tally=pending))
            seen |= pending.raters
            pending, first = Tally(), None
    return batches


@dataclass
class Figures:
    n: int  # voices: survivors, each once per quarter
    survivors: int
    mean: float
    bayesian_mean: float
    interval: tuple[float, float]
    dimensions: dict[str, float]


@dataclass
class SubjectReport:
    subject: Organisation | DutyBearer
    type: str
    tally: Tally
    batches: list[Batch]
    figures: Figures | None = None
    rank: int = 0

    @property
    def pk(self):
        return self.subject.pk

    @property
    def kind(self) -> str:
        return self.subject.kind

    @property
    def kind_label(self) -> str:
        return self.subject.get_kind_display()

    @property
    def region(self) -> Region | None:
        if self.type == "organisation":
            return self.subject.region
        return self.subject.effective_region


@dataclass
class Network:
    k: int
    m: int
    mean: float | None
    sigma: float
    n: int


@dataclass
class Report:
    network: Network
    subjects: list[SubjectReport]
    withheld: int


def bayesian(tally: Tally, network_mean: float, m: int, sigma: float) -> Figures:
    n = tally.n
    shrunk = (m * network_mean + tally.sum) / (m + n)
    half = Z_95 * sigma / math.sqrt(m + n)
    return Figures(
        n=n,
        survivors=tally.survivors,
        mean=round(tally.mean, 2),
        bayesian_mean=round(shrunk, 2),
        interval=(round(max(1.0, shrunk - half), 2), round(min(5.0, shrunk + half), 2)),
        dimensions={name: round(tally.dimensions[name] / n, 2) for name in DIMENSIONS},
    )


def _tallies_by_subject(before: date) -> dict[tuple[str, object], dict[Quarter, Tally]]:
    """One grouped query (per subject, month and survivor: the count and the sums of the
    scores), folded into voices: one per survivor, subject and quarter."""
    total = sum((F(name) for name in DIMENSIONS[1:]), F(DIMENSIONS[0]))
    rows = (
        Rating.objects.filter(period__lt=before)
        .values("organisation_id", "duty_bearer_id", "period", "rater")
        .annotate(
            n=Count("id"),
            total=Sum(total),
            total_sq=Sum(total * total),
            **{f"s_{d}": Sum(d) for d in DIMENSIONS},
        )
        .order_by()
    )
    by_subject: dict[tuple[str, object], dict[Quarter, Tally]] = defaultdict(dict)
    voices: dict[tuple, list] = {}
    for row in rows:
        key = (
            ("organisation", row["organisation_id"])
            if row["organisation_id"]
            else ("duty_bearer", row["duty_bearer_id"])
        )
        quarter = quarter_of(row["period"])
        if not row["rater"]:  # before raters were recorded: each rating is a voice of its own
            by_subject[key].setdefault(quarter, Tally()).add(
                Tally(
                    n=row["n"],
                    total=row["total"],
                    total_sq=row["total_sq"],
                    dimensions={d: row[f"s_{d}"] for d in DIMENSIONS},
                    unkeyed=row["n"],
                )
            )
            continue
        voice = voices.setdefault(
            (key, quarter, row["rater"]), [0, 0, dict.fromkeys(DIMENSIONS, 0)]
        )
        voice[0] += row["n"]
        voice[1] += row["total"]
        for d in DIMENSIONS:
            voice[2][d] += row[f"s_{d}"]
    for (key, quarter, rater), (n, voice_total, dimensions) in voices.items():
        mean_total = voice_total / n
        by_subject[key].setdefault(quarter, Tally()).add(
            Tally(
                n=1,
                total=mean_total,
                total_sq=mean_total * mean_total,
                dimensions={d: dimensions[d] / n for d in DIMENSIONS},
                raters={rater},
            )
        )
    return by_subject


def performance(
    *,
    subject_type: str = "",
    kind: str = "",
    region: Region | None = None,
    today: date | None = None,
) -> Report:
    """The league: published subjects with their figures, ranked by the Bayesian mean."""
    k, m = settings.AFTERCARE_RATING_MIN_GROUP, settings.AFTERCARE_RATING_PRIOR_WEIGHT
    current = quarter_of(today or timezone.localdate())
    tallies = _tallies_by_subject(quarter_start(current))
    held = integrity.held_quarters()
    released: dict[tuple[str, object], list[Batch]] = {}
    for key, quarters in tallies.items():
        held_from, withheld = held.get(key, (None, set()))
        batches = release(
            quarters,
            k,
            current,
            held_from=quarter_of(held_from) if held_from else None,
            withheld={quarter_of(q) for q in withheld},
        )
        if batches:
            released[key] = batches
    network = Tally()
    within_ss = 0.0
    for batches in released.values():
        subject_tally = Tally()
        for batch in batches:
            subject_tally.add(batch.tally)
        network.add(subject_tally)
        within_ss += subject_tally.within_ss
    pooled = (
        math.sqrt(within_ss / (network.n - len(released))) if network.n > len(released) else 0.0
    )
    net = Network(
        k=k,
        m=m,
        mean=round(network.mean, 2) if network.n else None,
        sigma=max(SIGMA_FLOOR, pooled),
        n=network.n,
    )
    organisations = Organisation.objects.select_related("region").in_bulk(
        [pk for t, pk in released if t == "organisation"]
    )
    bearers = DutyBearer.objects.select_related("region", "organisation__region").in_bulk(
        [pk for t, pk in released if t == "duty_bearer"]
    )
    reports = []
    for (subject_kind, pk), batches in released.items():
        subject = (organisations if subject_kind == "organisation" else bearers).get(pk)
        if subject is None:
            continue
        tally = Tally()
        for batch in batches:
            tally.add(batch.tally)
        report = SubjectReport(subject=subject, type=subject_kind, tally=tally, batches=batches)
        report.figures = bayesian(tally, network.mean, m, net.sigma)
        reports.append(report)
    reports = [r for r in reports if _matches(r, subject_type, kind, region)]
    reports.sort(key=lambda r: (-r.figures.bayesian_mean, -r.figures.n, r.subject.name))
    for rank, report in enumerate(reports, start=1):
        report.rank = rank
    withheld = sum(1 for key in tallies if key not in released)
    return Report(network=net, subjects=reports, withheld=withheld)


def _matches(report: SubjectReport, subject_type: str, kind: str, region: Region | None) -> bool:
    if subject_type and report.type != subject_type:
        return False
    if kind and report.kind != kind:
        return False
    if region is not None:
        where = report.region
        return where is not None and where.path.startswith(region.path)
    return True


def subject_report(subject_id, **kwargs) -> tuple[Report, SubjectReport | None]:
    report = performance(**kwargs)
    found = next((r for r in report.subjects if str(r.pk) == str(subject_id)), None)
    return report, found


def trend(network: Network, subject: SubjectReport) -> list[tuple[Batch, Figures]]:
    """Each released batch of the subject, oldest first, with its own figures."""
    return [
        (batch, bayesian(batch.tally, network.mean, network.m, network.sigma))
        for batch in subject.batches
    ]


def quotes(subject: SubjectReport) -> list[str]:
    """Comments the coordinator approved, from the subject's released quarters only; no dates."""
    periods = [(quarter_start(b.first), quarter_start(b.last)) for b in subject.batches]
    ratings = Rating.objects.filter(
        comment_status=CommentStatus.APPROVED, **{subject.type: subject.subject}
    )
    found = []
    for rating in ratings.only("period", "quote", "comment_status"):
        if (
            any(start <= quarter_start(quarter_of(rating.period)) <= end for start, end in periods)
            and rating.quote
        ):
            found.append(rating.quote)
    return sorted(found)


def highlights(subjects: Iterable[SubjectReport] | None = None) -> list[GoodPractice]:
    practices = GoodPractice.objects.filter(is_active=True).select_related(
        "organisation", "duty_bearer"
    )
    if subjects is not None:
        ids = {r.pk for r in subjects}
        return [p for p in practices if (p.organisation_id or p.duty_bearer_id) in ids]
    return list(practices)
