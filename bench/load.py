"""Load run against gunicorn in production mode: throughput and latency per endpoint, as a ratio
to the framework floor, and memory per worker.

    .venv/bin/python bench/load.py                        # 100,000 survivors, 10 and 50 users, 15 s
    each
    .venv/bin/python bench/load.py --survivors 10000 --users 10 --seconds 10
    .venv/bin/python bench/load.py --keep                 # leave the topology running afterwards

Starts its own topology with deploy/prod_local.sh (var/loadbench, port 8102, database
`aftercare_loadbench`, Redis db 8, /bench/floor enabled; PROD_DIR, PROD_PORT, PROD_DB and
PROD_REDIS_DB in the environment override them), fills the database to N survivors
with `aftercare synth` (outside production mode, with the topology's keys), gives 60 cases of
the largest organisation a history, signs a case worker in (a session that passed two-factor
sign-in, and an API token), then drives each endpoint with `wrk` (Debian's package: `apt-get
install wrk`) from this second process, for a bounded time, to 127.0.0.1 only:

    floor        GET /bench/floor                   nothing, behind the whole middleware stack,
    signed in
                                                    (loads the session and user, saves the session)
    floor, signed out                               the same without a session: the framework alone
    dashboard    GET /dashboard/
    caseload     GET /cases/                         50 rows
    case page    GET /cases/<id>/                    over the 60 cases with history
    directory    GET /api/v1/organisations?service=housing,medical&region=za
    survivors    GET /api/v1/survivors?limit=50

Users are closed-loop with no think time: each of the 10 or 50 connections sends its next
request as soon as the previous is answered, so at saturation latency is the queue, about
users / throughput. The signed-in floor is measured again right before each endpoint, and each
ratio is to that floor (the machine is shared; a floor measured once drifted by a factor of three
over a run), after waiting for the requests still queued from the previous one to drain. Prints a
Markdown table (p50/p95/p99 ms, requests/s, ratio to the floor) and the
resident memory of each gunicorn worker before and after. For a working day with think time,
see bench/office_day.py (locust).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_ENV = {
    "PROD_DIR": "var/loadbench",
    "PROD_PORT": "8102",
    "PROD_DB": "aftercare_loadbench",
    "PROD_REDIS_DB": "8",
    "PROD_BENCH_FLOOR": "1",
}
WRK_SCRIPT = r"""
local paths, headers = {}, {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
headers["Cookie"] = os.getenv("BENCH_COOKIE")
headers["Authorization"] = os.getenv("BENCH_AUTH")
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "micros": %d, "p50": %d, "p95": %d, "p99": %d, '
    .. '"non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--survivors", type=int, default=100_000)
    parser.add_argument("--users", default="10,50", help="concurrent users, comma-separated")
    parser.add_argument(
        "--seconds", type=int, default=15, help="per endpoint and user count (at most 60)"
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn workers (default 2 x cores + 1)"
    )
    parser.add_argument("--keep", action="store_true", help="leave the topology running")
    return parser.parse_args()


def topology(action: str, env: dict) -> None:
    subprocess.run(
        ["bash", str(ROOT / "deploy" / "prod_local.sh"), action], env=env, check=True, cwd=ROOT
    )


def read_env(path: Path) -> dict[str, str]:
    pairs = (
        line.split("=", 1)
        for line in path.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    return {key.strip(): value.strip() for key, value in pairs}


def seed(settings_env: dict[str, str], survivors: int) -> dict:
    """Fill the database and sign a case worker in; runs outside production mode (synth is refused
    there)."""
    os.environ.update(settings_env)
    os.environ.pop("AFTERCARE_PRODUCTION", None)
    os.environ["AFTERCARE_STATEMENT_TIMEOUT_MS"] = (
        "0"  # seeding 100,000 survivors takes longer than a request may
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "aftercare.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from aftercare.accounts.models import ApiToken, Organisation, User
    from aftercare.accounts.roles import Role
    from aftercare.accounts.services import add_user
    from aftercare.cases.models import Survivor
    from aftercare.core.policy import Actor
    from aftercare.demo import history as demo_history

    have = Survivor.objects.count()
    if have < survivors:
        started = time.perf_counter()
        call_command(
            "synth",
            survivors=survivors - have,
            seed=7,
            stdout=open(os.devnull, "w"),  # noqa: SIM115
            stderr=open(os.devnull, "w"),  # noqa: SIM115
        )
        print(
            f"synth      {survivors - have} survivors in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    biggest = Organisation.objects.annotate(n=Count("survivors")).order_by("-n").first()
    user = User.objects.filter(username="bench.worker").first()
    if user is None:
        user = add_user("bench.worker", secrets.token_urlsafe(16), biggest, Role.CASE_WORKER)
    device = TOTPDevice.objects.filter(
        user=user, confirmed=True
    ).first() or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    worker = Actor(user=user, organisation=biggest, role=Role.CASE_WORKER)
    cases = list(
        Survivor.objects.filter(organisation=biggest, status__in=["active", "stable"]).order_by(
            "case_code"
        )[:60]
    )
    providers = demo_history.providers_by_domain()
    rng = random.Random(3)
    for survivor in cases:
        if not survivor.needs_assessments.exists():
            demo_history.give_history(rng, worker, survivor, providers)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.set_expiry(3600)
    session.create()
    raw, _token = ApiToken.issue(user, hours=2)
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "token": raw,
        "cases": [str(c.pk) for c in cases],
        "organisation": biggest.name,
        "caseload": Survivor.objects.filter(organisation=biggest).count(),
        "survivors": Survivor.objects.count(),
        "pg": connection.pg_version,
    }


def run_wrk(
    base: str, paths: list[str], users: int, seconds: int, headers: dict[str, str], workdir: Path
) -> dict:
    script = workdir / "bench.lua"
    script.write_text(WRK_SCRIPT)
    path_file = workdir / "paths.txt"
    path_file.write_text("\n".join(paths) + "\n")
    env = {
        **os.environ,
        "BENCH_PATHS": str(path_file),
        "BENCH_COOKIE": headers.get("cookie", ""),
        "BENCH_AUTH": headers.get("auth", ""),
    }
    threads = min(2, users)
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{users}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base + paths[0],
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    line = [row for row in result.stdout.splitlines() if row.startswith("{")][-1]
    figures = json.loads(line)
    figures["rps"] = figures["requests"] / (figures["micros"] / 1e6)
    return figures


def drain(base: str, limit_seconds: float = 120) -> None:
    """Wait until the server is idle again: wrk stops sending after its time, but requests
    already queued (50 slow case pages) keep the workers busy for seconds, and the next
    measurement would otherwise time out behind them."""
    import urllib.request

    deadline = time.monotonic() + limit_seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(base + "/health", timeout=limit_seconds).read()  # noqa: S310 - loopback
        if time.monotonic() - started < 0.2:
            return
        time.sleep(0.5)


def worker_rss(master_pid: int) -> list[float]:
    """Resident memory (MB) of each gunicorn worker, from /proc."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kb = int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
        sizes.append(kb / 1024)
    return sizes


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/load.py needs wrk: apt-get install wrk")
    seconds = min(args.seconds, 60)
    users = [int(u) for u in args.users.split(",")]
    bench_env = {
        key: os.environ.get(key, value) for key, value in BENCH_ENV.items()
    }  # each may be overridden
    env = {**os.environ, **bench_env}
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    else:
        env.setdefault("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2 + 1))
    topology("start", env)
    workdir = Path(tempfile.mkdtemp(prefix="aftercare-load-"))
    try:
        settings_env = read_env(ROOT / bench_env["PROD_DIR"] / "env")
        data = seed(settings_env, args.survivors)
        base = f"http://127.0.0.1:{bench_env['PROD_PORT']}"
        session = {"cookie": data["cookie"]}
        api = {"auth": f"Bearer {data['token']}"}
        endpoints = [
            ("floor", ["/bench/floor"], session),
            ("floor, signed out", ["/bench/floor"], {}),
            ("dashboard", ["/dashboard/"], session),
            ("caseload", ["/cases/"], session),
            ("case page", [f"/cases/{pk}/" for pk in data["cases"]], session),
            ("directory API", ["/api/v1/organisations?service=housing,medical&region=za"], api),
            ("survivors API", ["/api/v1/survivors?limit=50"], api),
        ]
        master = int((ROOT / bench_env["PROD_DIR"] / "gunicorn.pid").read_text())
        for _name, paths, headers in endpoints:  # warm every worker and check the sign-in works
            run_wrk(base, paths, 5, 2, headers, workdir)
        rss_before = worker_rss(master)
        rows = []
        floor = endpoints[0]
        for n in users:
            # The floor is measured again right before each endpoint, and the endpoint's ratio is
            # to that floor: the machine is shared, and a floor measured once drifts over minutes.
            for name, paths, headers in endpoints[1:]:
                drain(base)
                floor_figures = run_wrk(base, floor[1], n, seconds, floor[2], workdir)
                drain(base)
                figures = run_wrk(base, paths, n, seconds, headers, workdir)
                for label, f in ((floor[0], floor_figures), (name, figures)):
                    if f["non2xx"] or f["socket_errors"]:
                        print(
                            f"warning: {label} at {n} users: {f['non2xx']} "
                            f"non-2xx, {f['socket_errors']} socket errors",
                            file=sys.stderr,
                        )
                ratio = (
                    figures["rps"] / floor_figures["rps"] if floor_figures["rps"] else float("nan")
                )
                rows.append((name, n, figures, ratio, floor_figures["rps"]))
                print(
                    f"{name:<18} {n:>3} users  p50 {figures['p50'] / 1000:7.1f}  "
                    f"p95 {figures['p95'] / 1000:7.1f}  p99 {figures['p99'] / 1000:7.1f} "
                    f"ms  {figures['rps']:7.1f} req/s  {ratio:6.1%} of the floor "
                    f"measured just before ({floor_figures['rps']:.1f} req/s)",
                    file=sys.stderr,
                )
        rss_after = worker_rss(master)
        print(
            f"\n{data['survivors']} survivors; caseload of {data['organisation']}: "
            f"{data['caseload']} cases; PostgreSQL {data['pg'] // 10000}; "
            f"{len(rss_after)} gunicorn sync workers; {seconds} s per row\n"
        )
        print(
            "| endpoint | users | p50 ms | p95 ms | p99 ms | "
            "requests/s | floor just before, req/s | of floor | errors |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, n, figures, ratio, floor_rps in rows:
            print(
                f"| {name} | {n} | {figures['p50'] / 1000:.1f} | {figures['p95'] / 1000:.1f} "
                f"| {figures['p99'] / 1000:.1f} | {figures['rps']:.1f} | {floor_rps:.1f} "
                f"| {ratio:.0%} | {figures['non2xx'] + figures['socket_errors']} |"
            )
        print(
            '\n("floor, signed out" row: the signed-out floor as a ratio of the signed-in '
            "one; the signed-in floor is that row's inverse share of the signed-out floor.)"
        )
        print(
            "\nRSS per gunicorn worker (MB): before "
            + ", ".join(f"{mb:.0f}" for mb in rss_before)
            + "; after "
            + ", ".join(f"{mb:.0f}" for mb in rss_after)
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if not args.keep:
            topology("stop", env)


if __name__ == "__main__":
    main()
