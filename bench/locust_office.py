"""Locust users for bench/office_day.py: one staff member's working day, with think time.

Each simulated user signs in once (password, then a TOTP code computed from their device's
key), then repeats the day's steps with a pause between them: the work queue (dashboard and
incoming referrals), the caseload, a case page, recording a service, referring a case to the
partner organisation, and accepting a referral the partner sent. Every request is named after
its step, so locust reports p50/p95 per step.

Not run by the test suite; needs the optional `bench` dependencies (`pip install -e '.[bench]'`).
Reads the staff list that office_day.py wrote (OFFICE_STAFF_FILE).
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import deque
from datetime import date

from django_otp.oath import totp
from locust import HttpUser, between, events, task

STAFF = json.loads(open(os.environ["OFFICE_STAFF_FILE"]).read())  # noqa: SIM115, PTH123
_next = iter(range(10**9))
# Referrals sent, waiting for the receiving organisation: organisation id -> referral ids.
INBOX: dict[str, deque] = {}
THINK_MIN = float(os.environ.get("OFFICE_THINK_MIN", "3"))
THINK_MAX = float(os.environ.get("OFFICE_THINK_MAX", "12"))


@events.test_start.add_listener
def _reset(environment, **kwargs):
    INBOX.clear()


class Staff(HttpUser):
    wait_time = between(THINK_MIN, THINK_MAX)

    def on_start(self):
        self.me = STAFF[next(_next) % len(STAFF)]
        self.sign_in()

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def post(self, url: str, data: dict, name: str):
        with self.client.post(
            url,
            data={**data, "csrfmiddlewaretoken": self.csrf()},
            name=name,
            allow_redirects=False,
            catch_response=True,
            headers={"Referer": self.host + url},
        ) as response:
            if response.status_code not in (200, 302):
                response.failure(f"{response.status_code}")
            elif response.status_code == 200 and name != "sign in":
                response.failure("form refused")  # a valid form redirects
            return response

    def sign_in(self):
        self.client.get("/accounts/sign-in/", name="sign in")
        response = self.post(
            "/accounts/sign-in/",
            {"username": self.me["username"], "password": self.me["password"]},
            name="sign in",
        )
        if response.status_code != 302:
            return
        code = f"{totp(bytes.fromhex(self.me['totp_key'])):06d}"
        self.post("/accounts/two-factor/", {"code": code}, name="sign in")

    @task(3)
    def work_queue(self):
        self.client.get("/dashboard/", name="work queue")
        self.client.get("/referrals/", name="work queue")

    @task(3)
    def caseload(self):
        self.client.get("/cases/?order=risk", name="caseload")

    @task(4)
    def case_page(self):
        self.client.get(f"/cases/{random.choice(self.me['cases'])}/", name="case page")

    @task(2)
    def record_service(self):
        case = random.choice(self.me["cases"])
        self.post(
            f"/cases/{case}/services/",
            {
                "domain": random.choice(["housing", "medical", "legal", "mental_health"]),
                "organisation": self.me["organisation"],
                "date": date.today().isoformat(),
                "duty_bearer": "",
                "notes": "",
            },
            name="record a service",
        )

    @task(1)
    def refer(self):
        case = random.choice(self.me["cases"])
        response = self.post(
            f"/referrals/new/{case}/",
            {
                "to_organisation": self.me["partner"],
                "domains": ["housing"],
                "reason": "office day benchmark",
            },
            name="refer",
        )
        match = re.search(r"/referrals/([0-9a-f-]{36})/", response.headers.get("Location", ""))
        if match:
            INBOX.setdefault(self.me["partner"], deque()).append(match.group(1))

    @task(1)
    def accept(self):
        waiting = INBOX.get(self.me["organisation"])
        if not waiting:
            return
        referral = waiting.popleft()
        self.client.get(f"/referrals/{referral}/", name="accept")
        self.post(f"/referrals/{referral}/accept/", {"text": "", "version": 1}, name="accept")
