"""Smoke test of the running production topology (`make prod-local`): every part does its job.

    .venv/bin/python deploy/smoke.py                       # against var/prod, port 8100
    .venv/bin/python deploy/smoke.py --env var/prod/env --url http://127.0.0.1:8100

1. /health and /ready answer, and /ready has reached the database, the cache and the broker.
2. A case worker is added with `aftercare user add` and given an authenticator (a TOTP device
   with a key this script knows); she signs in to the API with her password and a one-time
   code, as production mode demands of staff.
3. Through the API she opens a case, records the survivor's consent to referral and refers her
   to a second organisation.
4. The referral's deadline is moved into the reminder window (as if 61 hours had passed), a
   deadline sweep is sent to the broker, and the script waits until the reminder notification
   exists: the web process never runs tasks in production mode, so the worker did it.
5. Beat has been sending the sweep on its schedule; /metrics answers locally; the request log
   is JSON and carries the request id that the response named.
6. With `--url2` (a second app server, `PROD_APP_SERVERS=2`): the token issued by the first
   server works on the second, which reads the case the first one wrote (nothing is kept in
   one server's memory).
7. With a standby (`PROD_STANDBY=1`, var/.../standby.env): the standby streams from the
   primary, holds the new case, and an M&E officer's indicator report is read from it (its
   connection on the standby shows the report's query).
Prints one line per step and exits 1 at the first failure. Bounded: about a minute at most.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import secrets
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AFTERCARE = str(ROOT / ".venv" / "bin" / "aftercare")


class SmokeFailure(Exception):
    pass


def read_env(path: Path) -> dict[str, str]:
    pairs = (
        line.split("=", 1)
        for line in path.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    return {key.strip(): value.strip() for key, value in pairs}


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 with SHA-1, as django-otp's TOTPDevice checks it."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


class Smoke:
    def __init__(self, url: str, env_file: Path):
        self.url = url.rstrip("/")
        self.env_file = env_file
        self.env = {**os.environ, **read_env(env_file)}
        self.started = time.monotonic()
        self.token = ""
        self.run_id = secrets.token_hex(3)

    def say(self, message: str) -> None:
        print(f"smoke [{time.monotonic() - self.started:5.1f}s] {message}", flush=True)

    def http(
        self, method: str, path: str, body: dict | None = None, expect: int = 200, base: str = ""
    ) -> tuple[dict, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request((base or self.url) + path, data=data, method=method)  # noqa: S310 - loopback http
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback http
                status, headers, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, dict(error.headers), error.read()
        if status != expect:
            raise SmokeFailure(f"{method} {path}: {status}, expected {expect}: {raw[:300]!r}")
        ctype = headers.get("Content-Type", "")
        return (
            json.loads(raw) if ctype.startswith("application/json") else {"text": raw.decode()}
        ), headers

    def aftercare(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own command
            [AFTERCARE, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise SmokeFailure(
                f"aftercare {args[0]} {args[1] if len(args) > 1 else ''}: "
                f"{result.stderr.strip()[-500:]}"
            )
        return result.stdout

    def probes(self) -> None:
        self.http("GET", "/health")
        ready, _ = self.http("GET", "/ready")
        self.say(f"/health ok; /ready {ready['checks']}")

    def people(self) -> None:
        """Two organisations, a case worker in each; the sender gets an authenticator."""
        self.orgs = {}
        for side in ("sender", "receiver"):
            slug = f"smoke-{side}-{self.run_id}"
            out = self.aftercare(
                "org",
                "add",
                slug,
                "--name",
                f"Smoke {side} {self.run_id}",
                "--kind",
                "ngo",
                "--country",
                "ZA",
            )
            self.orgs[side] = out.rsplit("(", 1)[1].split(")")[0]
        self.username = f"smoke.cw.{self.run_id}"
        self.password, self.key = self.add_with_authenticator(
            self.username, f"smoke-sender-{self.run_id}", "case_worker"
        )
        self.receiver = f"smoke.rx.{self.run_id}"
        self.aftercare(
            "user",
            "add",
            self.receiver,
            "--org",
            f"smoke-receiver-{self.run_id}",
            "--role",
            "case_worker",
            f"--password={secrets.token_urlsafe(16)}",
        )
        self.say(
            f"added {self.username} (case worker, with an authenticator) and {self.receiver} in "
            "two organisations"
        )

    def add_with_authenticator(self, username: str, org_slug: str, role: str) -> tuple[str, str]:
        password = secrets.token_urlsafe(16)
        # --password=VALUE: a random password may begin with "-", which argparse would take for an
        # option
        self.aftercare(
            "user", "add", username, "--org", org_slug, "--role", role, f"--password={password}"
        )
        key = secrets.token_hex(20)
        self.aftercare(
            "shell",
            "-c",
            (
                "from django_otp.plugins.otp_totp.models import TOTPDevice; "
                "from aftercare.accounts.models import User; "
                f"TOTPDevice.objects.create(user=User.objects.get(username='{username}'), "
                f"name='smoke', key='{key}', confirmed=True)"
            ),
        )
        return password, key

    def sign_in(self) -> None:
        self.http(
            "POST",
            "/api/v1/auth/token",
            {"username": self.username, "password": self.password},
            expect=401,
        )
        answer, _ = self.http(
            "POST",
            "/api/v1/auth/token",
            {"username": self.username, "password": self.password, "otp": totp(self.key)},
        )
        self.token = answer["token"]
        me, _ = self.http("GET", "/api/v1/me")
        self.say(
            "signed in to the API with password and one-time code (refused without it) as "
            f"{me['username']}"
        )

    def case_and_referral(self) -> None:
        case, headers = self.http(
            "POST",
            "/api/v1/survivors",
            {"given_name": "Smoke", "family_name": f"Test {self.run_id}"},
            expect=201,
        )
        self.survivor, self.request_id = case["id"], headers.get("X-Request-ID", "")
        self.http("GET", f"/api/v1/survivors/{self.survivor}")
        self.http(
            "POST",
            f"/api/v1/survivors/{self.survivor}/consents",
            {"purpose": "referral", "granted": True},
            expect=201,
        )
        referral, _ = self.http(
            "POST",
            "/api/v1/referrals",
            {
                "survivor": self.survivor,
                "to_organisation": self.orgs["receiver"],
                "domains": ["medical"],
                "reason": "smoke test of the production topology",
            },
            expect=201,
        )
        self.referral = referral["id"]
        self.say(
            f"created case {case['case_code']} and referral {self.referral} (answer by "
            f"{referral['respond_by']})"
        )

    def reminder_by_worker(self, deadline: float = 30.0) -> None:
        import psycopg
        from celery import Celery

        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(
                "UPDATE referrals_referral SET respond_by = now() + interval '1 hour' WHERE id "
                "= %s",
                [self.referral],
            )
            broker = self.env.get("CELERY_BROKER_URL") or self.env["REDIS_URL"]
            Celery(broker=broker).send_task("aftercare.referrals.tasks.sweep_deadlines")
            self.say(
                "moved the deadline into the reminder window and sent a deadline sweep to the "
                "broker"
            )
            give_up = time.monotonic() + deadline
            while time.monotonic() < give_up:
                row = conn.execute(
                    "SELECT r.reminded_at, count(n.id) FROM referrals_referral r "
                    "JOIN accounts_user u ON u.username = %s "
                    "LEFT JOIN core_notification n ON n.user_id = u.id AND n.key = "
                    "'referral.reminder' "
                    "WHERE r.id = %s GROUP BY r.reminded_at",
                    [self.receiver, self.referral],
                ).fetchone()
                if row and row[0] is not None and row[1] > 0:
                    self.say(
                        f"the worker sent the reminder at {row[0]:%H:%M:%S}: {self.receiver} has "
                        "the notification"
                    )
                    return
                time.sleep(0.5)
        raise SmokeFailure(
            f"no reminder within {deadline:.0f} s: is the worker running? (see its log)"
        )

    def second_app_server(self, url2: str) -> None:
        case, _ = self.http("GET", f"/api/v1/survivors/{self.survivor}", base=url2)
        if case["id"] != self.survivor:
            raise SmokeFailure(f"{url2} answered with another case")
        self.say(
            f"the second app server ({url2}) accepts the first one's token and reads case "
            f"{case['case_code']}"
        )

    def report_from_standby(self, standby_url: str, deadline: float = 20.0) -> None:
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as primary:
            lsn, streaming = primary.execute(
                "SELECT pg_current_wal_lsn()::text, (SELECT count(*) FROM pg_stat_replication "
                "WHERE state = 'streaming')"
            ).fetchone()
        if not streaming:
            raise SmokeFailure("the primary has no streaming standby (pg_stat_replication)")
        with psycopg.connect(standby_url, autocommit=True) as standby:
            give_up = time.monotonic() + deadline
            while not standby.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]
            ).fetchone()[0]:
                if time.monotonic() > give_up:
                    raise SmokeFailure(
                        f"the standby did not replay up to {lsn} within {deadline:.0f} s"
                    )
                time.sleep(0.2)
            if not standby.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                raise SmokeFailure("the standby is not in recovery: it is a primary")
            if not standby.execute(
                "SELECT count(*) FROM cases_survivor WHERE id = %s", [self.survivor]
            ).fetchone()[0]:
                raise SmokeFailure("the standby does not hold the new case")
            self.say(
                f"the standby streams from the primary (replayed past {lsn}) and holds the new case"
            )
            app_connections = (
                "SELECT count(*), string_agg(left(query, 60), ' | ') FROM pg_stat_activity "
                "WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            )
            before = standby.execute(app_connections).fetchone()[0]
            username = f"smoke.me.{self.run_id}"
            password, key = self.add_with_authenticator(
                username, f"smoke-sender-{self.run_id}", "me_officer"
            )
            answer, _ = self.http(
                "POST",
                "/api/v1/auth/token",
                {"username": username, "password": password, "otp": totp(key)},
            )
            worker_token, self.token = self.token, answer["token"]
            try:
                report, _ = self.http("GET", "/api/v1/reports/indicators")
            finally:
                self.token = worker_token
            give_up = time.monotonic() + deadline
            while True:
                after, queries = standby.execute(app_connections).fetchone()
                if after > before:
                    break
                if time.monotonic() > give_up:
                    raise SmokeFailure(
                        f"the indicator report did not read from the standby ({before} app "
                        "connections there)"
                    )
                time.sleep(0.2)
        self.say(
            f"an M&E officer's indicator report ({len(report['indicators'])} indicators) was "
            "read from the standby: "
            f"{after - before} app connection(s) there, last query {queries[:60]!r}"
        )

    def observability(self, logs: Path) -> None:
        metrics, _ = self.http("GET", "/metrics")
        if "aftercare_http_requests_total" not in metrics["text"]:
            raise SmokeFailure("/metrics has no aftercare_http_requests_total")
        self.say("/metrics answers on loopback with request counts")
        worker_log = (logs / "worker.log").read_text(errors="replace")
        if "sweep_deadlines" not in worker_log or "succeeded" not in worker_log:
            raise SmokeFailure("the worker's log shows no deadline sweep that succeeded")
        give_up = time.monotonic() + 20
        while "Sending due task referral-deadlines" not in (logs / "beat.log").read_text(
            errors="replace"
        ):
            if time.monotonic() > give_up:
                raise SmokeFailure(
                    f"beat has not sent the referral-deadlines task ({logs / 'beat.log'})"
                )
            time.sleep(0.5)
        self.say("the worker's log shows the sweep; beat sends referral-deadlines on schedule")
        lines = [
            json.loads(line)
            for line in (logs / "gunicorn.log").read_text(errors="replace").splitlines()
            if line.startswith("{")
        ]
        mine = [
            line
            for line in lines
            if line.get("request_id") == self.request_id
            and line.get("logger") == "aftercare.request"
        ]
        if not mine:
            raise SmokeFailure(f"no JSON request log line with request id {self.request_id}")
        self.say(f"request log is JSON with the request id: {json.dumps(mine[0])[:160]}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--env", type=Path, default=ROOT / "var" / "prod" / "env")
    parser.add_argument("--url", default="")
    parser.add_argument("--url2", default="", help="a second app server of the same deployment")
    args = parser.parse_args()
    if not args.env.exists():
        sys.exit(f"smoke: {args.env} not found: start the topology with `make prod-local` first")
    smoke = Smoke(args.url or read_env(args.env)["AFTERCARE_BASE_URL"], args.env)
    try:
        smoke.probes()
        smoke.people()
        smoke.sign_in()
        smoke.case_and_referral()
        if args.url2:
            smoke.second_app_server(args.url2.rstrip("/"))
        standby_env = args.env.parent / "standby.env"
        if standby_env.exists():
            smoke.report_from_standby(read_env(standby_env)["DATABASE_REPLICA_URL"])
        smoke.reminder_by_worker()
        smoke.observability(args.env.parent / "logs")
    except SmokeFailure as failure:
        print(f"smoke FAILED: {failure}", file=sys.stderr)
        return 1
    smoke.say("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
