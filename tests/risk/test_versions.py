"""A network adopts a new instrument version as data; past assessments keep their version."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from aftercare.risk import services
from aftercare.risk.instruments import (
    activate_instrument,
    create_instrument_version,
    instrument_definition,
)
from aftercare.risk.models import Instrument

pytestmark = pytest.mark.django_db


def _next_version(instrument):
    definition = instrument_definition(instrument)
    definition.pop("version")
    definition["name"] = "Re-trafficking risk, the Kolkata network's version"
    definition["thresholds"] = {"medium": 4, "high": 8}
    definition["follow_up_days"] = {"low": 60, "medium": 21, "high": 3}
    for factor in definition["factors"]:
        if factor["code"] == "no_income":
            factor["weight"] = 4
    definition["factors"].append(
        {
            "code": "debt_bondage",
            "label": "Debt to a recruiter",
            "kind": "risk",
            "weight": 3,
            "help_text": "",
        }
    )
    return definition


def test_new_version_is_used_from_activation_and_old_assessments_keep_theirs(
    worker, survivor_a, instrument
):
    current = instrument.version
    before = services.assess_risk(
        worker, survivor_a, {"no_income": True}
    )  # the seeded version: 2, low
    new = create_instrument_version(_next_version(instrument), activate=True)
    assert new.version == current + 1 and new.active
    assert not Instrument.objects.get(pk=instrument.pk).active

    after = services.assess_risk(worker, survivor_a, {"no_income": True, "debt_bondage": True})
    # The new version: no_income 4 + debt_bondage 3 = 7, at least 8 is high, at least 4 medium:
    # medium.
    assert (after.instrument.version, after.score, after.level) == (
        current + 1,
        Decimal("7.0"),
        "medium",
    )
    before.refresh_from_db()
    assert (before.instrument.version, before.score, before.level) == (
        current,
        Decimal("2.0"),
        "low",
    )
    assert services.assessment_reasons(before)[1] == "No income: +2"


def test_an_answer_for_a_factor_only_in_the_old_version_is_refused_after_the_change(
    worker, survivor_a, instrument
):
    definition = _next_version(instrument)
    definition["factors"] = [f for f in definition["factors"] if f["code"] != "recent_relocation"]
    create_instrument_version(definition, activate=True)
    with pytest.raises(ValidationError):
        services.assess_risk(worker, survivor_a, {"recent_relocation": True})


def test_a_new_version_is_not_used_until_activated(worker, survivor_a, instrument):
    create_instrument_version(_next_version(instrument))
    assert services.assess_risk(worker, survivor_a, {}).instrument.version == instrument.version
    activate_instrument(
        Instrument.objects.get(code="retrafficking", version=instrument.version + 1)
    )
    assert services.assess_risk(worker, survivor_a, {}).instrument.version == instrument.version + 1


def test_bad_definition_lists_every_problem_and_adds_nothing(instrument):
    definition = _next_version(instrument)
    definition["thresholds"] = {"medium": 8, "high": 4}
    definition["factors"][0]["kind"] = "neutral"
    definition["factors"][1]["code"] = definition["factors"][0]["code"]
    with pytest.raises(ValidationError) as caught:
        create_instrument_version(definition, activate=True)
    assert {"thresholds", "factors.0.kind", "factors.1.code"} <= set(caught.value.message_dict)
    assert Instrument.objects.filter(code="retrafficking").count() == instrument.version


def test_the_cli_exports_imports_and_activates_without_code(tmp_path, instrument, capsys):
    call_command("risk_instrument", "export")
    exported = json.loads(capsys.readouterr().out)
    assert exported["version"] == instrument.version and len(exported["factors"]) == 20
    path = tmp_path / "next.json"
    path.write_text(json.dumps(_next_version(instrument)))
    call_command("risk_instrument", "import", str(path), "--activate")
    assert (
        Instrument.objects.get(code="retrafficking", active=True).version == instrument.version + 1
    )
    call_command("risk_instrument", "activate", "1")
    assert Instrument.objects.get(code="retrafficking", active=True).version == 1


def test_the_api_describes_the_active_version(api, case_worker_a, instrument):
    create_instrument_version(_next_version(instrument), activate=True)
    body = api.as_user(case_worker_a).get("/api/v1/risk-instrument").json()
    assert body["version"] == instrument.version + 1
    assert "debt_bondage" in [f["code"] for f in body["factors"]]
    old = api.as_user(case_worker_a).get("/api/v1/risk-instrument?version=1").json()
    assert old["version"] == 1 and "debt_bondage" not in [f["code"] for f in old["factors"]]
