"""Memory of an export as it grows: streamed (row by row, sealed a chunk at a time into storage,
read back as a stream) against whole (the file built in memory, encrypted whole, decrypted whole).

    .venv/bin/python bench/exports.py                          # 100,000 and 1,000,000 rows, CSV and
    XLSX
    .venv/bin/python bench/exports.py --rows 100000 --formats csv

Each measurement runs in a fresh process: it builds N caseload-shaped rows (the 14 columns of
the caseload export, generated, not read from a database), writes the file, stores it sealed
(the local-disk storage, in a temporary directory), then reads it back through the download
stream. It prints the peak resident memory above the process's baseline (after Django and
openpyxl are imported) and the time. Flat means the streamed peak does not move from 100,000
to 1,000,000 rows; the whole file's peak grows with it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rows(n: int):
    statuses = ["intake", "active", "stable", "closed"]
    for i in range(n):
        yield [
            f"AC-{i:07d}",
            statuses[i % 4],
            "2025-03-01",
            "" if i % 4 else "2026-01-05",
            "",
            "Gauteng",
            "female" if i % 3 else "male",
            1990 + i % 20,
            "ZA",
            "labour;sexual",
            "ZA",
            "ngo",
            ["low", "medium", "high"][i % 3],
            "2026-12-31",
        ]


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return (
        int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
        / 1024
    )


def measure(n: int, fmt: str, mode: str) -> dict:
    """One measurement, in this (fresh) process."""
    import django

    django.setup()
    import openpyxl  # noqa: F401 - imported before the baseline, as a worker has it loaded

    from aftercare.core import crypto, sealed
    from aftercare.reports import exports

    header = exports.CASELOAD_COLUMNS
    crypto.encrypt_bytes(b"warm")
    baseline = current_mb()
    started = time.perf_counter()
    if mode == "streamed":
        writer = sealed.SealedWriter()
        if fmt == "csv":
            exports.write_csv(writer, header, rows(n))
        else:
            exports.write_workbook(writer, [("Caseload", header, rows(n))])
        name = writer.store(f"exports/bench.{fmt}.sealed")
        size = 0
        for chunk in sealed.read_chunks(name):
            size += len(chunk)
        sealed.delete(name)
    else:
        content = (
            exports.to_csv(header, rows(n))
            if fmt == "csv"
            else exports.workbook([("Caseload", header, rows(n))])
        )
        token = crypto.encrypt_bytes(content)
        size = len(crypto.decrypt_bytes(token))
    return {
        "rows": n,
        "format": fmt,
        "mode": mode,
        "seconds": time.perf_counter() - started,
        "bytes": size,
        "baseline_mb": baseline,
        "peak_above_baseline_mb": peak_mb() - baseline,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", default="100000,1000000")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--modes", default="whole,streamed")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        n, fmt, mode = args.one.split(":")
        print(json.dumps(measure(int(n), fmt, mode)))
        return
    files = tempfile.mkdtemp(prefix="aftercare-export-bench-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aftercare.settings",
        "AFTERCARE_FILES_DIR": files,
    }
    env.pop("AFTERCARE_PRODUCTION", None)
    env.pop("AFTERCARE_S3_BUCKET", None)
    print("| rows | format | file | time s | MB | peak memory above baseline, MB |")
    print("|---:|---|---|---:|---:|---:|")
    for n in [int(x) for x in args.rows.split(",")]:
        for fmt in args.formats.split(","):
            for mode in args.modes.split(","):
                out = subprocess.run(
                    [sys.executable, __file__, "--one", f"{n}:{fmt}:{mode}"],
                    env=env,
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                r = json.loads(out.strip().splitlines()[-1])
                print(
                    f"| {n:,} | {fmt} | {mode} | {r['seconds']:.1f} | {r['bytes'] / 1e6:.0f} | "
                    f"{r['peak_above_baseline_mb']:.0f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
