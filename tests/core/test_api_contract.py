"""The OpenAPI contract as a client generator and schemathesis read it.

`/api/v1/openapi.json` must be valid OpenAPI 3.0 (openapi-spec-validator), and every operation
must answer as it declares: schemathesis generates requests from the schema for every operation
and checks that none answers 500, every status code and body is declared, and no operation that
declares authentication answers without it. It runs in-process against the WSGI application,
signed in with a bearer token of an organisation admin of a small demo-like network, with a
fixed seed so that a failure is reproducible.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import seed as fixed_seed
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from aftercare.accounts.models import ApiToken
from aftercare.accounts.roles import Role
from aftercare.wsgi import application
from tests.conftest import member
from tests.factories import OrganisationFactory, RegionFactory, SurvivorFactory

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, ignored_auth]
SEED = 2026


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.django_db
def test_the_schema_is_valid_openapi_3(openapi):
    assert openapi["openapi"].startswith("3.0")
    validate(openapi)


@pytest.mark.django_db
def test_list_endpoints_are_declared_paginated(openapi):
    listed = openapi["paths"]["/api/v1/survivors"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    name = listed["$ref"].rsplit("/", 1)[-1]
    page = openapi["components"]["schemas"][name]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert page["properties"]["results"]["type"] == "array"
    assert {p["name"] for p in openapi["paths"]["/api/v1/survivors"]["get"]["parameters"]} >= {
        "limit",
        "offset",
    }


@pytest.mark.django_db
def test_no_enum_holds_a_blank_value(openapi):
    def walk(node, where):
        if isinstance(node, dict):
            if "enum" in node:
                assert "" not in node["enum"], where
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(openapi, "#")


@pytest.mark.django_db
def test_the_htcds_workbook_is_declared_as_xlsx(openapi):
    content = openapi["paths"]["/api/v1/exports/htcds.xlsx"]["get"]["responses"]["200"]["content"]
    assert list(content) == ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]


@pytest.fixture
def in_process(db):
    """Keep the test's database connection open across requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def demo_token(in_process):
    """A bearer token of an organisation admin in a small network with a few cases."""
    home = OrganisationFactory(slug="demo-home", name="Demo home")
    other = OrganisationFactory(slug="demo-other", name="Demo other")
    RegionFactory()
    user = member(home, Role.ADMIN, "demo_admin")
    for i in range(3):
        SurvivorFactory(organisation=home, given_name=f"Given{i}", family_name="Demo")
    SurvivorFactory(organisation=other, given_name="Other", family_name="Demo")
    raw, _ = ApiToken.issue(user)
    return raw


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.mark.django_db
@schema.parametrize()
@fixed_seed(SEED)
@settings(
    max_examples=5,
    deadline=None,
    derandomize=False,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_operation_answers_as_declared(case, demo_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {demo_token}"}, checks=CHECKS)
