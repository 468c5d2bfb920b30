"""Benchmark directory search: 5,000 organisations over 2,000 regions, a realistic mix of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aftercare_dirbench .venv/bin/python
    bench/directory.py
    .venv/bin/python bench/directory.py --queries 500 --rebuild

Uses the database DATABASE_URL names (migrating it first) and keeps the data between runs
(rows whose slug or code starts with ``bench-``; ``--rebuild`` makes them again). Without
DATABASE_URL it uses a temporary SQLite file. Times, for each kind of query and overall:

- ``search``: `network.search.search_directory` and its first page of 50 (candidates, ranking,
  the page's organisations with services and regions, the reasons in words);
- ``api``: ``GET /api/v1/organisations`` through Django's test client (token auth, the filter
  form, the search, the JSON), as a network coordinator.

Prints p50/p95/p99 in milliseconds. Not a pytest test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COUNTRIES, PROVINCES_PER_COUNTRY, DISTRICTS_PER_PROVINCE = 10, 19, 9  # 10 + 190 + 1,710 = 1,910
EXTRA_DISTRICTS = 90  # to 2,000 regions
PAGE = 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument(
        "--queries", type=int, default=400, help="queries per kind of timing (default 400)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true", help="make the bench data again")
    return parser.parse_args()


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="aftercare-dirbench-")) / "bench.sqlite3"
        os.environ["AFTERCARE_SQLITE_PATH"] = str(path)
        print(f"database: SQLite {path}")
    else:
        print("database: PostgreSQL from DATABASE_URL")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(n_orgs: int, rng: random.Random) -> None:
    """2,000 regions in a country → province → district tree and n organisations serving them."""
    from django.db import connection, transaction
    from django.utils import timezone

    from aftercare.accounts.models import Organisation
    from aftercare.network.models import CapacitySummary, OrganisationService, ReferralStats, Region
    from aftercare.network.taxonomy import BEDDED_DOMAINS, Population, ServiceDomain

    with transaction.atomic():
        Organisation.objects.filter(slug__startswith="bench-").delete()
        for depth in (2, 1, 0):
            Region.objects.filter(code__startswith="bench-", depth=depth).delete()

        regions: list[Region] = []

        def region(code, name, level, parent, country):
            pk = uuid.uuid4()
            path = (parent.path if parent else "") + pk.hex + "/"
            node = Region(
                id=pk,
                code=code,
                name=name,
                level=level,
                parent=parent,
                country=country,
                path=path,
                depth=path.count("/") - 1,
            )
            regions.append(node)
            return node

        districts, provinces, countries = [], [], []
        for c in range(COUNTRIES):
            country = region(f"bench-c{c}", f"Country {c}", "country", None, f"Q{c}")
            countries.append(country)
            for p in range(PROVINCES_PER_COUNTRY):
                province = region(
                    f"bench-c{c}-p{p}", f"Province {c}.{p}", "province", country, country.country
                )
                provinces.append(province)
                per = DISTRICTS_PER_PROVINCE + (
                    1 if c * PROVINCES_PER_COUNTRY + p < EXTRA_DISTRICTS else 0
                )
                for d in range(per):
                    districts.append(
                        region(
                            f"bench-c{c}-p{p}-d{d}",
                            f"District {c}.{p}.{d}",
                            "district",
                            province,
                            country.country,
                        )
                    )
        Region.objects.bulk_create(regions, batch_size=1000)

        domains = [d.value for d in ServiceDomain]
        populations = [p.value for p in Population]
        languages = ["en", "hi", "bn", "sw", "zu", "xh", "af", "fr", "pt", "ar", "mr", "ne"]
        words = [
            "Hope",
            "Safe",
            "Haven",
            "Bridge",
            "Light",
            "Care",
            "Freedom",
            "Dawn",
            "Shakti",
            "Ubuntu",
            "Umoja",
            "Asha",
        ]
        kinds = [
            "ngo",
            "shelter",
            "hospital",
            "government",
            "social_enterprise",
            "school",
            "employer",
        ]
        now = timezone.now()
        orgs, served, services, stats = [], [], [], []
        through = Organisation.regions_served.through
        for i in range(n_orgs):
            home = rng.choice(districts)
            org = Organisation(
                id=uuid.uuid4(),
                slug=f"bench-org-{i}",
                name=f"{rng.choice(words)} {rng.choice(words)} {i}",
                kind=rng.choice(kinds),
                country=home.country,
                region=home,
                populations=rng.sample(populations, rng.randint(1, 4)),
                languages=rng.sample(languages, rng.randint(1, 3)),
                public_phone=f"+00 {i:06d}",
            )
            orgs.append(org)
            reach = rng.random()
            if reach < 0.6:  # district organisations, sometimes a neighbouring district too
                chosen = {home} | ({rng.choice(districts)} if rng.random() < 0.3 else set())
            elif reach < 0.9:
                chosen = {home.parent}
            else:
                chosen = {home.parent.parent}
            served += [through(organisation_id=org.id, region_id=r.id) for r in chosen]
            for domain in rng.sample(domains, rng.randint(1, 6)):
                service = OrganisationService(organisation_id=org.id, domain=domain)
                if rng.random() < 0.6:
                    if domain in BEDDED_DOMAINS:
                        total = rng.randint(4, 40)
                        service.beds_total, service.beds_available = (
                            total,
                            rng.randint(0, total // 2),
                        )
                    total = rng.randint(5, 60)
                    service.slots_total, service.slots_available = (
                        total,
                        rng.choice([0, 0, rng.randint(0, total)]),
                    )
                    service.capacity_updated_at = now - timedelta(
                        days=rng.choice([0, 1, 3, 7, 10, 20, 45])
                    )
                services.append(service)
            if rng.random() < 0.5:
                stats.append(
                    ReferralStats(
                        organisation_id=org.id,
                        received=rng.randint(1, 80),
                        median_response_hours=rng.choice([2, 6, 10, 20, 40, 90, 200]),
                    )
                )
        Organisation.objects.bulk_create(orgs, batch_size=1000)
        through.objects.bulk_create(served, batch_size=2000)
        OrganisationService.objects.bulk_create(services, batch_size=2000)
        ReferralStats.objects.bulk_create(stats, batch_size=2000)
        CapacitySummary.objects.bulk_create(summaries(services, CapacitySummary), batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"built {len(regions)} regions, {len(orgs)} organisations, "
        f"{len(services)} services, {len(served)} regions served"
    )


def summaries(services, model) -> list:
    """What network.services.refresh_capacity_summary would store, computed in one pass."""
    by_org: dict = {}
    for service in services:
        beds, slots, checked = by_org.get(service.organisation_id, (None, None, None))
        if service.beds_available is not None:
            beds = (beds or 0) + service.beds_available
        if service.slots_available is not None:
            slots = (slots or 0) + service.slots_available
        if service.capacity_updated_at is not None:
            checked = (
                min(checked, service.capacity_updated_at)
                if checked
                else service.capacity_updated_at
            )
        by_org[service.organisation_id] = (beds, slots, checked)
    return [
        model(organisation_id=pk, beds_free=b, slots_free=s, checked_at=c)
        for pk, (b, s, c) in by_org.items()
    ]


def query_mix(rng: random.Random, n: int) -> list[tuple[str, dict]]:
    """Kinds of query a case worker or referral source makes, in rough proportion."""
    from aftercare.network.models import Region
    from aftercare.network.taxonomy import Population, ServiceDomain

    codes = {
        level: list(
            Region.objects.filter(code__startswith="bench-", level=level).values_list(
                "code", flat=True
            )
        )
        for level in ("country", "province", "district")
    }
    domains = [d.value for d in ServiceDomain]
    kinds = [
        (
            "service+district",
            4,
            lambda: {"service": rng.choice(domains), "region": rng.choice(codes["district"])},
        ),
        (
            "service+district+free",
            3,
            lambda: {
                "service": rng.choice(domains),
                "region": rng.choice(codes["district"]),
                "has_capacity": "true",
            },
        ),
        (
            "service+province+population",
            2,
            lambda: {
                "service": rng.choice(domains),
                "region": rng.choice(codes["province"]),
                "population": rng.choice(list(Population.values)),
            },
        ),
        ("district only", 2, lambda: {"region": rng.choice(codes["district"])}),
        (
            "two services+district",
            1,
            lambda: {
                "service": ",".join(rng.sample(domains, 2)),
                "region": rng.choice(codes["district"]),
            },
        ),
        (
            "service+language",
            1,
            lambda: {
                "service": rng.choice(domains),
                "language": rng.choice(["hi", "sw", "zu", "bn"]),
            },
        ),
        (
            "country+service",
            1,
            lambda: {"region": rng.choice(codes["country"]), "service": rng.choice(domains)},
        ),
        ("name", 1, lambda: {"q": rng.choice(["hope", "safe", "ubuntu", "asha"])}),
        ("no filter", 1, lambda: {}),
    ]
    weighted = [(name, make) for name, weight, make in kinds for _ in range(weight)]
    return [(name, make()) for name, make in (rng.choice(weighted) for _ in range(n))]


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    cut = (
        statistics.quantiles(ordered, n=100, method="inclusive")
        if len(ordered) > 1
        else ordered * 99
    )
    return f"n={len(ordered):4d}  p50={cut[49]:6.1f}  p95={cut[94]:6.1f}  p99={cut[98]:6.1f} ms"


def report(title: str, timings: list[tuple[str, float]], cpu: list[float]) -> None:
    print(f"\n{title}")
    print(
        f"  (this process's CPU per query: median {statistics.median(cpu):.1f} "
        "ms; the rest is the database and waiting)"
    )
    by_kind: dict[str, list[float]] = {}
    for kind, ms in timings:
        by_kind.setdefault(kind, []).append(ms)
    for kind, samples in sorted(by_kind.items()):
        print(f"  {kind:30s} {percentiles(samples)}")
    print(f"  {'ALL':30s} {percentiles([ms for _k, ms in timings])}")


def main() -> None:
    args = parse_args()
    setup_django()
    from django.test import Client

    from aftercare.accounts.models import ApiToken, Membership, Organisation, User
    from aftercare.network.forms import DirectoryFilterForm
    from aftercare.network.search import search_directory

    rng = random.Random(args.seed)
    if (
        args.rebuild
        or Organisation.objects.filter(slug__startswith="bench-").count() != args.organisations
    ):
        started = time.perf_counter()
        build(args.organisations, rng)
        print(f"  in {time.perf_counter() - started:.1f} s")
    else:
        print("reusing the bench data (pass --rebuild to make it again)")

    mix = query_mix(
        random.Random(args.seed + 1), args.queries
    )  # the same mix with or without --rebuild
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} CPUs, load average {load:.1f} before timing")

    def run_search(params):
        form = DirectoryFilterForm(params)
        assert form.is_valid(), form.errors
        results = search_directory(form.to_query())
        page = results[:PAGE]
        return len(results), page

    for _kind, params in mix[:20]:  # warm caches and connections
        run_search(params)
    timings, sizes, cpu = [], [], []
    for kind, params in mix:
        started, cpu_started = time.perf_counter(), time.process_time()
        count, _page = run_search(params)
        timings.append((kind, (time.perf_counter() - started) * 1000))
        cpu.append((time.process_time() - cpu_started) * 1000)
        sizes.append(count)
    report("search_directory + first page of 50", timings, cpu)
    print(f"  results per query: median {statistics.median(sizes):.0f}, max {max(sizes)}")

    user, _ = User.objects.get_or_create(username="bench-coordinator")
    Membership.objects.update_or_create(
        user=user,
        organisation=Organisation.objects.get(slug="bench-org-0"),
        defaults={"role": "network_coordinator"},
    )
    raw, _token = ApiToken.issue(user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for _kind, params in mix[:20]:
        client.get("/api/v1/organisations?" + urlencode(params))
    timings, cpu = [], []
    for kind, params in mix:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get("/api/v1/organisations?" + urlencode(params))
        timings.append((kind, (time.perf_counter() - started) * 1000))
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, response.content[:300]
    report("GET /api/v1/organisations (test client, limit 50)", timings, cpu)


if __name__ == "__main__":
    main()
