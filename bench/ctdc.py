"""Benchmark the CTDC anonymised export (`reports.ctdc`) at N survivors: time and peak memory.

    .venv/bin/python bench/ctdc.py                       # 20,000 survivors, temporary SQLite file
    .venv/bin/python bench/ctdc.py --survivors 50000 --k 10
    .venv/bin/python bench/ctdc.py --before /tmp/ctdc_before.py   # and a former implementation
    .venv/bin/python bench/ctdc.py --database-url postgres://postgres@127.0.0.1:5432/postgres

SQLite (the default) gets a new file in a temporary directory; with --database-url a database
`aftercare_ctdc_<random>` is created beside the one the URL names (only used to connect),
migrated, measured and dropped. `--keep` leaves either behind, `--reuse` measures one kept
before. The data: N survivors from `aftercare synth`, `--consent-percent` of them consenting
to anonymised reporting (the export's rows): every survivor gets one decision, granted or not.

Each measurement runs in a fresh Python process (so that one's memory does not hide the
next's), network scope, k = `--k`:

  - floor: the query `ctdc.build` reads (the consenting survivors grouped by profile, counted),
    iterated as `build` iterates it and nothing else: what the database and Django alone need;
  - build: `ctdc.build`, the rows coded and the lattice searched;
  - write: `ctdc.write_csv` of that export into a sink that only hashes the bytes (a sealed
    file's cost is the same for every implementation, bench/exports.py measures it);

and prints the median of `--runs` runs (after one warm-up run, which also sets the process's
peak resident memory, VmHWM, reported above its resident memory after Django's setup) and the
ratio to the floor, and the peak of Python's allocations during one build and write
(tracemalloc, a separate run: tracing slows it). `--before FILE` measures a former `ctdc.py`
(e.g. `git show <commit>:aftercare/reports/ctdc.py > FILE`) the same way and checks that both
write the same bytes. Target (issue 18, item 6): at 1,000,000 survivors within 10 s and the
worker under 300 MB.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import admin_sql, with_database  # noqa: E402 - the sibling benchmark's helpers

# One general decision on anonymised reporting for every survivor who has none (so that a kept
# database grown with --reuse keeps the share), granted for a share of them, recorded when the
# case opened, by SMS (as bench/reports.py records them).
CONSENT_SQL = {
    "postgresql": """INSERT INTO cases_consent (id, survivor_id, purpose, granted, method,
        given_by, recorded_at, notes, organisation_id)
       SELECT gen_random_uuid(), s.id, 'anonymised_reporting',
              abs(hashtext(s.id::text)) %% 100 < %(percent)s, 'sms', 'survivor', s.created_at,
              '', NULL
       FROM cases_survivor s
       WHERE NOT EXISTS (SELECT 1 FROM cases_consent c WHERE c.survivor_id = s.id)""",
    "sqlite": """INSERT INTO cases_consent (id, survivor_id, purpose, granted, method,
        given_by, recorded_at, notes, organisation_id)
       SELECT lower(hex(randomblob(16))), s.id, 'anonymised_reporting',
              abs(random()) %% 100 < %(percent)s, 'sms', 'survivor', s.created_at, '', NULL
       FROM cases_survivor s
       WHERE NOT EXISTS (SELECT 1 FROM cases_consent c WHERE c.survivor_id = s.id)""",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--survivors", type=int, default=20_000)
    parser.add_argument("--consent-percent", type=int, default=60)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default="", help="a PostgreSQL server (default SQLite)")
    parser.add_argument("--reuse", default="", help="a kept SQLite file or database name")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--before", default="", help="a former ctdc.py to measure as well")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    return parser.parse_args()


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class HashingSink:
    """A binary file that keeps only the SHA-256 and the size of what is written to it."""

    def __init__(self):
        self.digest, self.size = hashlib.sha256(), 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.size += len(data)


def median_seconds(function, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def load_module(path: str):
    """`aftercare.reports.ctdc`, or the implementation in the file `path`."""
    if not path:
        from aftercare.reports import ctdc

        return ctdc
    import importlib.util

    spec = importlib.util.spec_from_file_location("ctdc_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # for its dataclasses
    spec.loader.exec_module(module)
    return module


def child(args: argparse.Namespace) -> None:
    """One measurement in this fresh process; prints a JSON line."""
    import django

    django.setup()
    import tracemalloc

    from aftercare.accounts.models import Organisation, User
    from aftercare.accounts.roles import Role
    from aftercare.cases.counting import NETWORK, scope_for
    from aftercare.core.policy import Actor
    from aftercare.core.routers import room_to_sort

    network = Organisation.objects.get_or_create(
        slug="bench-network", defaults={"name": "Network", "kind": "network", "country": "ZA"}
    )[0]
    user = User.objects.get_or_create(username="bench.coordinator")[0]
    actor = Actor(user=user, organisation=network, role=Role.NETWORK_COORDINATOR)
    scope = scope_for(actor, NETWORK)
    what, _, path = args.child.partition(":")
    result: dict = {"what": what}

    if what == "floor":
        from aftercare.reports import ctdc as current

        def floor():
            profiles = current.profiles(scope)  # as `ctdc.build` reads them
            result["profiles"] = result["survivors"] = 0
            with room_to_sort(profiles.db):
                for *_profile, n in profiles.iterator(chunk_size=2000):
                    result["profiles"] += 1
                    result["survivors"] += n

        baseline = status_kb("VmRSS")
        floor()
        result["peak_mb"] = (status_kb("VmHWM") - baseline) / 1024
        result["seconds"] = median_seconds(floor, args.runs)
    else:
        ctdc = load_module(path)
        exports = []

        def build():
            exports[:] = [ctdc.build(scope, k=args.k)]

        def write():
            sink = HashingSink()
            ctdc.write_csv(exports[0], sink)
            result["sha256"], result["bytes"] = sink.digest.hexdigest(), sink.size

        baseline = status_kb("VmRSS")
        build()
        write()
        result["peak_mb"] = (status_kb("VmHWM") - baseline) / 1024
        result["build"] = median_seconds(build, args.runs)
        result["write"] = median_seconds(write, args.runs)
        export = exports.pop()
        result["rows"], result["suppressed"] = len(export.rows), export.suppressed
        result["consenting"], result["generalised"] = export.consenting, export.generalised
        del export
        tracemalloc.start()
        build()
        write()
        result["traced_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    print(json.dumps(result))


def run_child(what: str, args: argparse.Namespace, env: dict) -> dict:
    command = [sys.executable, __file__, "--child", what, "--k", str(args.k)]
    command += ["--runs", str(args.runs)]
    out = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def load(args: argparse.Namespace) -> None:
    """Migrate, add the survivors and their consents (in this process)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from aftercare.cases.models import Survivor

    call_command("migrate", verbosity=0, interactive=False)
    have = Survivor.objects.count()
    if have < args.survivors:
        started = time.perf_counter()
        call_command("synth", survivors=args.survivors - have, seed=args.seed)
        print(
            f"synth      {args.survivors - have} survivors in "
            f"{time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    with connection.cursor() as cursor:
        cursor.execute(CONSENT_SQL[connection.vendor] % {"percent": args.consent_percent})
    connection.close()


def main() -> None:
    args = parse_args()
    if args.child == "load":
        load(args)
        return
    if args.child:
        child(args)
        return
    os.environ.pop("AFTERCARE_PRODUCTION", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    os.environ["AFTERCARE_STATEMENT_TIMEOUT_MS"] = "0"  # as in a worker
    sqlite_path: Path | None = None
    name = ""
    if args.database_url:
        name = args.reuse or f"aftercare_ctdc_{secrets.token_hex(4)}"
        if not args.reuse:
            admin_sql(args.database_url, f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = with_database(args.database_url, name)
        where = f"PostgreSQL ({name})"
    else:
        os.environ.pop("DATABASE_URL", None)
        sqlite_path = (
            Path(args.reuse)
            if args.reuse
            else Path(tempfile.mkdtemp(prefix="aftercare-ctdc-")) / "bench.sqlite3"
        )
        os.environ["AFTERCARE_SQLITE_PATH"] = str(sqlite_path)
        where = f"SQLite ({sqlite_path})"
    try:
        started = time.perf_counter()
        load_in_child(args)
        print(f"loaded     in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        env = dict(os.environ)
        floor = run_child("floor", args, env)
        measured = [("after", run_child("ctdc:", args, env))]
        if args.before:
            measured.insert(0, ("before", run_child(f"ctdc:{args.before}", args, env)))
        report(where, args, floor, measured)
    finally:
        if args.keep or args.reuse:
            print(f"kept       {where}", file=sys.stderr)
        elif name:
            admin_sql(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        elif sqlite_path is not None:
            shutil.rmtree(sqlite_path.parent, ignore_errors=True)


def load_in_child(args: argparse.Namespace) -> None:
    """Load the data in a process of its own, so that the measurements start from nothing."""
    command = [sys.executable, __file__, "--child", "load", "--survivors", str(args.survivors)]
    command += ["--consent-percent", str(args.consent_percent), "--seed", str(args.seed)]
    subprocess.run(command, check=True)


def report(where: str, args: argparse.Namespace, floor: dict, measured: list) -> None:
    print(
        f"database   {where}: {args.survivors} survivors, {floor['survivors']} consenting, "
        f"{floor['profiles']} profiles; k = {args.k}; median of {args.runs} runs"
    )
    base = floor["seconds"]
    print(f"floor      query of the profiles  {base:7.2f} s   peak +{floor['peak_mb']:.0f} MB")
    for label, m in measured:
        total = m["build"] + m["write"]
        print(
            f"{label:<10} build {m['build']:7.2f} s ({m['build'] / base:5.1f}x the floor)  "
            f"write {m['write']:6.2f} s  total {total:7.2f} s  "
            f"peak +{m['peak_mb']:.0f} MB (traced {m['traced_mb']:.0f} MB)  "
            f"{m['rows']} rows, {m['suppressed']} suppressed, {m['generalised']} generalised"
        )
    if len(measured) == 2:
        (_b, before), (_a, after) = measured
        same = before["sha256"] == after["sha256"] and before["bytes"] == after["bytes"]
        ratio = (before["build"] + before["write"]) / (after["build"] + after["write"])
        print(
            f"speed-up   {ratio:.1f}x; the same bytes: {'yes' if same else 'NO'} "
            f"({after['bytes']} bytes)"
        )


if __name__ == "__main__":
    main()
