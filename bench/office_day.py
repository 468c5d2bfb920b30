"""An office's working day under load: locust users with think time against gunicorn in
production mode, p50/p95 per step and errors counted.

    .venv/bin/pip install -e '.[bench]'                               # locust
    .venv/bin/python bench/office_day.py                              # 100,000 survivors; 50 then
    200 staff, 3 min each
    .venv/bin/python bench/office_day.py --survivors 10000 --staff 50 --minutes 1

Starts the topology of bench/load.py (same variables: PROD_DIR, PROD_PORT, PROD_DB,
PROD_REDIS_DB), fills it to N survivors, creates the staff (case workers, half in the largest
organisation and half in the second, each with a password and a TOTP device) and gives the
cases they work on a history, then runs bench/locust_office.py headless for each staff count:
sign in, work queue, caseload, case page, record a service, refer to the other organisation,
accept a referral from it, with 3–12 s of think time between steps (OFFICE_THINK_MIN/MAX).
The staff arrive over the first --ramp seconds (120 by default; locust's spawn rate), each
signing in as they arrive, as an office's morning spreads its sign-ins.
Prints a Markdown table per staff count. Target (issue 18): p95 under 300 ms per step at 200
staff on this two-core machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402 - the sibling benchmark's topology and seeding

ROOT = Path(__file__).resolve().parent.parent
CASES_PER_ORGANISATION = 80


def seed_staff(staff: int, path: Path) -> None:
    """Staff across the two largest organisations, with a history on the cases they open."""
    from django.db.models import Count
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from aftercare.accounts.models import Organisation, User
    from aftercare.accounts.roles import Role
    from aftercare.accounts.services import add_user
    from aftercare.cases.models import Consent, Survivor
    from aftercare.core.policy import Actor
    from aftercare.demo import history as demo_history

    first, second = Organisation.objects.annotate(n=Count("survivors")).order_by("-n")[:2]
    rng = random.Random(5)
    providers = demo_history.providers_by_domain()
    people = []
    cases_of = {}
    for organisation in (first, second):
        writer = add_user(
            f"office.lead.{organisation.slug}",
            secrets.token_urlsafe(16),
            organisation,
            Role.CASE_WORKER,
        )
        actor = Actor(user=writer, organisation=organisation, role=Role.CASE_WORKER)
        cases = list(
            Survivor.objects.filter(
                organisation=organisation, status__in=["active", "stable"]
            ).order_by("case_code")[:CASES_PER_ORGANISATION]
        )
        for survivor in cases:
            if not survivor.needs_assessments.exists():
                demo_history.give_history(rng, actor, survivor, providers)
            if not Consent.objects.filter(
                survivor=survivor, purpose="referral", granted=True
            ).exists():
                from aftercare.cases import care

                care.record_consent(
                    actor, survivor, purpose="referral", granted=True, method="written"
                )
        cases_of[organisation.pk] = [str(c.pk) for c in cases]
    for i in range(staff):
        organisation, partner = (first, second) if i % 2 == 0 else (second, first)
        username = f"office.staff.{i:03d}"
        password = secrets.token_urlsafe(16)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = add_user(username, password, organisation, Role.CASE_WORKER)
        else:
            user.set_password(password)
            user.save()
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="office", confirmed=True)
        mine = cases_of[organisation.pk]
        people.append(
            {
                "username": username,
                "password": password,
                "totp_key": device.key,
                "organisation": str(organisation.pk),
                "partner": str(partner.pk),
                "cases": rng.sample(mine, min(8, len(mine))),
            }
        )
    path.write_text(json.dumps(people))


def run_locust(
    host: str, users: int, minutes: float, ramp: float, staff_file: Path, workdir: Path
) -> list[dict]:
    prefix = workdir / f"office-{users}"
    # Staff arrive over the first `ramp` seconds, as an office's morning does, rather than all
    # within seconds: 200 Argon2 checks at once is a stampede no office makes (issue 18).
    spawn = f"{users / max(ramp, 1):.3f}"
    env = {**os.environ, "OFFICE_STAFF_FILE": str(staff_file)}
    subprocess.run(
        [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(ROOT / "bench" / "locust_office.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            spawn,
            "-t",
            f"{int(minutes * 60)}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "15",
        ],
        env=env,
        check=False,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--survivors", type=int, default=100_000)
    parser.add_argument("--staff", default="50,200", help="concurrent staff, comma-separated")
    parser.add_argument("--minutes", type=float, default=3, help="per staff count")
    parser.add_argument(
        "--ramp",
        type=float,
        default=120,
        help="seconds over which the staff arrive and sign in "
        "(locust's spawn rate is staff / ramp)",
    )
    parser.add_argument("--keep", action="store_true", help="leave the topology running")
    args = parser.parse_args()
    if shutil.which("locust", path=str(Path(sys.executable).parent)) is None:
        sys.exit("bench/office_day.py needs locust: .venv/bin/pip install -e '.[bench]'")
    counts = [int(n) for n in args.staff.split(",")]
    bench_env = {key: os.environ.get(key, value) for key, value in load.BENCH_ENV.items()}
    env = {**os.environ, **bench_env}
    env.setdefault("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2 + 1))
    load.topology("start", env)
    workdir = Path(tempfile.mkdtemp(prefix="aftercare-office-"))
    try:
        data = load.seed(load.read_env(ROOT / bench_env["PROD_DIR"] / "env"), args.survivors)
        staff_file = workdir / "staff.json"
        seed_staff(max(counts), staff_file)
        host = f"http://127.0.0.1:{bench_env['PROD_PORT']}"
        print(
            f"\n{data['survivors']} survivors; PostgreSQL "
            f"{data['pg'] // 10000}; {env['WEB_CONCURRENCY']} "
            "gunicorn sync workers; think time "
            f"{os.environ.get('OFFICE_THINK_MIN', '3')}-"
            f"{os.environ.get('OFFICE_THINK_MAX', '12')} "
            f"s; {args.minutes:g} min per staff count, arriving over "
            f"the first {args.ramp:g} s\n"
        )
        print("| staff | step | requests | errors | p50 ms | p95 ms | requests/s |")
        print("|---:|---|---:|---:|---:|---:|---:|")
        for users in counts:
            for row in run_locust(host, users, args.minutes, args.ramp, staff_file, workdir):
                print(
                    f"| {users} | {row['Name']} | {row['Request Count']} "
                    f"| {row['Failure Count']} | {row['50%']} | "
                    f"{row['95%']} | {float(row['Requests/s']):.1f} |",
                    flush=True,
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if not args.keep:
            load.topology("stop", env)


if __name__ == "__main__":
    main()
