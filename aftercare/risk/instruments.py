"""Versions of the risk instrument as data: export one, import a new one, make one active.

A network adopts its own weights or factors without a code change: export the active version
(`aftercare risk-instrument export`), edit the JSON, import it as the next version with
`--activate`. Assessments already made keep the version they were scored with.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from aftercare.risk.models import Answer, Factor, FactorKind, Instrument, RiskLevel, label_text

CODE_PATTERN = re.compile(r"^[a-z0-9_]{1,40}$")


def instrument_definition(instrument: Instrument, *, translate: bool = False) -> dict:
    """The instrument as plain data: the shape `import` reads and the API returns."""
    text = label_text if translate else str
    return {
        "code": instrument.code,
        "version": instrument.version,
        "name": text(instrument.name),
        "description": text(instrument.description),
        "active": instrument.active,
        "answers": list(Answer.values),
        "thresholds": {
            "medium": float(instrument.medium_from),
            "high": float(instrument.high_from),
        },
        "follow_up_days": {level: instrument.follow_up_days(level) for level in RiskLevel.values},
        "factors": [
            {
                "code": f.code,
                "label": text(f.label),
                "kind": f.kind,
                "weight": float(f.weight),
                "help_text": text(f.help_text),
                "forces_level": f.forces_level or None,
                "raises_alert": f.raises_alert,
            }
            for f in instrument.factors.all()
        ],
    }


def _decimal(value, field: str, errors: dict) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        errors.setdefault(field, []).append(_("Enter a number."))
        return None
    if not number.is_finite() or number < 0 or number > 999:
        errors.setdefault(field, []).append(_("Enter a number from 0 to 999."))
        return None
    return number


def _days(value, field: str, errors: dict) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3650:
        errors.setdefault(field, []).append(_("Enter a whole number of days from 1 to 3650."))
        return None
    return value


def create_instrument_version(definition: Mapping, *, activate: bool = False) -> Instrument:
    """Add a version from a definition (see `instrument_definition`); validated as a whole.

    `version` may be left out for the next number. Raises ValidationError listing every problem.
    """
    errors: dict[str, list[str]] = {}
    code = definition.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        errors["code"] = [_("Use lower-case letters, digits and underscores.")]
    name = definition.get("name")
    if not isinstance(name, str) or not name.strip():
        errors["name"] = [_("Give the version a name.")]
    thresholds = definition.get("thresholds") or {}
    medium = _decimal(thresholds.get("medium"), "thresholds.medium", errors)
    high = _decimal(thresholds.get("high"), "thresholds.high", errors)
    if medium is not None and high is not None and not Decimal("0") < medium < high:
        errors.setdefault("thresholds", []).append(
            _("The high threshold must be above the medium one, both above 0.")
        )
    days = definition.get("follow_up_days") or {}
    follow_up = {
        level: _days(days.get(level), f"follow_up_days.{level}", errors)
        for level in RiskLevel.values
    }
    factors = definition.get("factors")
    rows = []
    if not isinstance(factors, list) or not factors:
        errors["factors"] = [_("List at least one factor.")]
        factors = []
    seen = set()
    for index, factor in enumerate(factors):
        where = f"factors.{index}"
        if not isinstance(factor, Mapping):
            errors[where] = [_("Each factor is an object.")]
            continue
        fcode = factor.get("code")
        if not isinstance(fcode, str) or not CODE_PATTERN.match(fcode):
            errors[f"{where}.code"] = [_("Use lower-case letters, digits and underscores.")]
        elif fcode in seen:
            errors[f"{where}.code"] = [_("This code is used twice.")]
        seen.add(fcode)
        if factor.get("kind") not in FactorKind.values:
            errors[f"{where}.kind"] = [
                _("Choose one of: %(values)s.") % {"values": ", ".join(FactorKind.values)}
            ]
        if not isinstance(factor.get("label"), str) or not factor["label"].strip():
            errors[f"{where}.label"] = [_("Give the factor a label.")]
        forces = factor.get("forces_level") or ""
        if forces not in ("", *RiskLevel.values):
            errors[f"{where}.forces_level"] = [
                _("Choose one of: %(values)s, or leave it empty.")
                % {"values": ", ".join(RiskLevel.values)}
            ]
        weight = _decimal(factor.get("weight"), f"{where}.weight", errors)
        rows.append(
            {
                "code": fcode,
                "label": factor.get("label"),
                "kind": factor.get("kind"),
                "weight": weight,
                "help_text": factor.get("help_text") or "",
                "forces_level": forces,
                "raises_alert": bool(factor.get("raises_alert")),
                "position": index,
            }
        )
    version = definition.get("version")
    if version is not None and (
        isinstance(version, bool) or not isinstance(version, int) or version < 1
    ):
        errors["version"] = [_("Enter a whole number from 1, or leave it out for the next one.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        latest = (
            Instrument.objects.select_for_update()
            .filter(code=code)
            .aggregate(n=Max("version"))["n"]
            or 0
        )
        version = version or latest + 1
        if Instrument.objects.filter(code=code, version=version).exists():
            raise ValidationError(
                {
                    "version": [
                        _("Version %(version)s of %(code)s exists already.")
                        % {"version": version, "code": code}
                    ]
                }
            )
        instrument = Instrument.objects.create(
            code=code,
            version=version,
            name=name,
            description=definition.get("description") or "",
            medium_from=medium,
            high_from=high,
            active=False,
            **{f"follow_up_days_{level}": value for level, value in follow_up.items()},
        )
        Factor.objects.bulk_create(Factor(instrument=instrument, **row) for row in rows)
        if activate:
            activate_instrument(instrument)
    return instrument


@transaction.atomic
def activate_instrument(instrument: Instrument) -> Instrument:
    """Make this version the one new assessments use; the others of its code stop being active."""
    Instrument.objects.filter(code=instrument.code, active=True).exclude(pk=instrument.pk).update(
        active=False
    )
    Instrument.objects.filter(pk=instrument.pk).update(active=True)
    instrument.active = True
    return instrument
