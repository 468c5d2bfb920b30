"""The funder report and the CTDC export as the Celery worker produces them, timed, with the
worker's peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python
    bench/worker_exports.py DBNAME
    DATABASE_URL=... .venv/bin/python bench/worker_exports.py DBNAME --jobs
    report,indicators:csv,ctdc:csv

DBNAME is a database `bench/reports.py --keep` (or `bench/growth.py --keep` then reports.py --reuse)
left behind: survivors, their services and history. Each job runs in a fresh Python process set
up as a worker's pool process is (no statement timeout, server-side cursors for `.iterator()`):

  - `report`: `reports.indicators.build` for every domain, the last full year, network scope;
  - `KIND:FORMAT`: an export job of that kind (indicators, ctdc, caseload) made as
    `reports.export_jobs.start_export` makes it and run by `reports.export_jobs.run`, what the
    `run_export` task does: built, written row by row into a sealed file and stored;

and prints, per job, the wall time and the process's peak resident memory (VmHWM) with its
baseline after Django's setup (VmRSS then). Target (issue 18): within 10 s and under 300 MB at
1,000,000 survivors and 20,000,000 services.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import with_database  # noqa: E402 - the sibling benchmark's helpers


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def child(job: str) -> None:
    """One job, in this (fresh) process; prints a JSON line."""
    import django

    django.setup()
    from datetime import date, timedelta

    from django.utils import timezone

    from aftercare import celery as worker
    from aftercare.accounts.models import Organisation, User
    from aftercare.accounts.roles import Role
    from aftercare.accounts.services import add_user
    from aftercare.cases.counting import scope_for
    from aftercare.core.policy import Actor
    from aftercare.reports import export_jobs as jobs
    from aftercare.reports import indicators
    from aftercare.reports.models import ExportJob

    worker.lift_statement_timeout()
    worker.allow_server_side_cursors()
    network = Organisation.objects.get_or_create(
        slug="bench-network", defaults={"name": "Network", "kind": "network", "country": "ZA"}
    )[0]
    user = User.objects.filter(username="bench.exporter").first()
    if user is None:
        import secrets

        user = add_user(
            "bench.exporter",
            secrets.token_urlsafe(16),
            network,
            Role.NETWORK_COORDINATOR,
            two_factor_exempt=True,
        )
    actor = Actor(user=user, organisation=network, role=Role.NETWORK_COORDINATOR)
    today = timezone.localdate()
    start, end = date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    baseline = status_kb("VmRSS")
    started = time.perf_counter()
    out: dict = {"job": job}
    if job == "report":
        report = indicators.build(scope_for(actor), start, end)
        out["rows"] = len(report.indicators)
    else:
        kind, fmt = job.split(":")
        export = ExportJob.objects.create(
            kind=kind,
            format=fmt,
            role=str(actor.role),
            requested_by=user,
            organisation=network,
            params={"from": start.isoformat(), "to": end.isoformat()},
            expires_at=timezone.now() + timedelta(hours=1),
        )
        done = jobs.run(export.pk)
        out.update(
            rows=done.rows,
            size=done.size,
            status=done.status,
            note=done.note[:300],
            error=done.error,
        )
    out.update(
        seconds=time.perf_counter() - started,
        baseline_mb=baseline / 1024,
        peak_mb=status_kb("VmHWM") / 1024,
    )
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("database")
    parser.add_argument("--jobs", default="report,indicators:csv,ctdc:csv")
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    os.environ.pop("AFTERCARE_PRODUCTION", None)
    os.environ["AFTERCARE_STATEMENT_TIMEOUT_MS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    server_url = os.environ.get("DATABASE_URL", "")
    if "postgres" not in server_url:
        sys.exit("Set DATABASE_URL to a PostgreSQL server.")
    os.environ["DATABASE_URL"] = with_database(server_url, args.database)
    if args.child:
        child(args.child)
        return
    print(
        "| job | seconds | peak RSS (VmHWM) | baseline after setup | rows | load average "
        "|\n|---|---:|---:|---:|---:|---|"
    )
    for job in args.jobs.split(","):
        load = "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
        result = subprocess.run(
            [sys.executable, __file__, args.database, "--child", job],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            print(f"| {job} | failed: {result.stderr.strip().splitlines()[-1:]} |")
            continue
        r = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"| {job} | {r['seconds']:.1f} | {r['peak_mb']:.0f} MB | {r['baseline_mb']:.0f} MB | "
            f"{r.get('rows', '')} | {load} |",
            flush=True,
        )
        if r.get("note") or r.get("error"):
            print(
                f"  {r.get('status', '')} {r.get('error', '')} {r.get('note', '')}", file=sys.stderr
            )


if __name__ == "__main__":
    main()
