"""Benchmark `aftercare synth`: N synthetic survivors into a fresh, throwaway database.

    .venv/bin/python bench/synth.py                  # 100,000 survivors, temporary SQLite file
    .venv/bin/python bench/synth.py 1000000 --batch-size 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/synth.py

SQLite (the default) gets a new file in a temporary directory. With DATABASE_URL the server
and credentials come from the URL, and a new database `aftercare_bench_<random>` is created
beside the one it names (which is only used to connect, never changed), migrated, measured
and dropped. `--keep` leaves the file or database behind for a look.

Prints N, seconds (the synth alone, not the migration), rows/s (survivors per second; each
also gets its audit event) and the database size. Not a pytest test: it takes a while.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "survivors", nargs="?", type=int, default=100_000, help="how many (default 100000)"
    )
    parser.add_argument(
        "--batch-size", type=int, default=None, help="passed to synth (default: synth's)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def admin_sql(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)


def database_size(sqlite_path: Path | None) -> int:
    if sqlite_path is not None:
        return sum(p.stat().st_size for p in sqlite_path.parent.glob(sqlite_path.name + "*"))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def main() -> None:
    args = parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    os.environ.pop("AFTERCARE_PRODUCTION", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    sqlite_path: Path | None = None
    bench_db = ""
    if server_url:
        bench_db = f"aftercare_bench_{secrets.token_hex(4)}"
        admin_sql(server_url, f'CREATE DATABASE "{bench_db}"')
        os.environ["DATABASE_URL"] = with_database(server_url, bench_db)
        where = f"postgresql ({bench_db})"
    else:
        sqlite_path = Path(tempfile.mkdtemp(prefix="aftercare-bench-")) / "bench.sqlite3"
        os.environ["AFTERCARE_SQLITE_PATH"] = str(sqlite_path)
        where = f"sqlite ({sqlite_path})"

    import django
    from django.core.management import call_command
    from django.db import connections

    try:
        django.setup()
        print(f"database   {where}: migrating", file=sys.stderr)
        call_command("migrate", verbosity=0, interactive=False)
        options = {"survivors": args.survivors, "seed": args.seed}
        if args.batch_size:
            options["batch_size"] = args.batch_size
        started = time.perf_counter()
        call_command("synth", **options)
        seconds = time.perf_counter() - started
        connections.close_all()  # SQLite: checkpoint the WAL so the file size is the whole database
        size = database_size(sqlite_path)
        print(f"database   {where}")
        print(f"survivors  {args.survivors}")
        print(f"seconds    {seconds:.1f}")
        print(f"rows/s     {args.survivors / seconds:.0f}")
        print(
            f"size       {size / 1e6:.1f} MB ({size / max(args.survivors, 1):.0f} "
            "bytes per survivor, audit included)"
        )
    finally:
        connections.close_all()
        if args.keep:
            print(f"kept       {where}", file=sys.stderr)
        elif bench_db:
            admin_sql(server_url, f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        elif sqlite_path is not None:
            shutil.rmtree(sqlite_path.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
