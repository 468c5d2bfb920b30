"""Domain operations on cases. The page, the API and the CLI all call these."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404

from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.models import Survivor
from aftercare.core import crypto
from aftercare.core.errors import StaleVersion
from aftercare.core.policy import Action, Actor, require

# Crockford's base32 without the look-alikes, so a code read aloud over a phone survives.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
EDITABLE_FIELDS = (
    "given_name", "family_name", "phone", "address", "date_of_birth", "id_number",
    "year_of_birth", "gender", "nationality", "region", "exploitation_types",
    "country_of_exploitation", "identified_by", "status",
)


def new_case_code() -> str:
    """A pseudonymous code, unique across the network (checked by a unique constraint)."""
    return "AC-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))


def get_survivor(actor: Actor, survivor_id, *, reason: str = "") -> Survivor:
    """Fetch one case the actor may see, recording the read; 404 for anything else."""
    try:
        key = uuid.UUID(str(survivor_id))
        survivor = Survivor.objects.visible_to(actor).select_related("region", "organisation").get(pk=key)
    except (Survivor.DoesNotExist, ValueError) as exc:
        raise Http404("No such case") from exc
    record(actor, AuditAction.READ, survivor, reason=reason)
    return survivor


def intake_survivor(actor: Actor, data: Mapping[str, Any]) -> Survivor:
    """Open a case in the actor's organisation from validated intake data."""
    require(actor, Action.CREATE_CASE)
    values = {field: data[field] for field in EDITABLE_FIELDS if field in data}
    for attempt in range(5):
        survivor = Survivor(
            organisation=actor.organisation, created_by=actor.user, case_code=new_case_code(), **values
        )
        survivor.name_index = crypto.blind_index(survivor.full_name)
        try:
            with transaction.atomic():
                survivor.save()
                record(actor, AuditAction.CREATE, survivor, fields=values.keys())
            return survivor
        except IntegrityError:
            if attempt == 4 or Survivor.objects.filter(case_code=survivor.case_code).count() == 0:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def update_survivor(actor: Actor, survivor: Survivor, data: Mapping[str, Any], version: int) -> Survivor:
    """Change a case if `version` is still current; a stale version loses nothing and raises."""
    require(actor, Action.EDIT_CASE)
    changed = {f: v for f, v in data.items() if f in EDITABLE_FIELDS and getattr(survivor, f) != v}
    updated = Survivor.objects.visible_to(actor).filter(pk=survivor.pk, version=version)
    if not updated.exists():
        raise StaleVersion(
            f"This case was changed by someone else (you had version {version}); reload and try again.",
            field="version",
        )
    for field, value in changed.items():
        setattr(survivor, field, value)
    survivor.name_index = crypto.blind_index(survivor.full_name)
    survivor.version = version + 1
    # Conditional on the version so two concurrent writers cannot both succeed.
    rows = Survivor.objects.filter(pk=survivor.pk, version=version).update(
        **{f: getattr(survivor, f) for f in changed if f != "region"},
        **({"region": survivor.region} if "region" in changed else {}),
        name_index=survivor.name_index,
        version=survivor.version,
    )
    if rows != 1:
        raise StaleVersion("This case was changed by someone else; reload and try again.", field="version")
    record(actor, AuditAction.UPDATE, survivor, fields=changed.keys())
    return survivor


def search_survivors(actor: Actor, query: str = "", status: str = ""):
    """Visible cases matching a case code or an exact (normalised) name."""
    cases = Survivor.objects.visible_to(actor).select_related("region")
    if status:
        cases = cases.filter(status=status)
    query = query.strip()
    if query:
        code = query.upper()
        cases = cases.filter(case_code=code) | cases.filter(name_index=crypto.blind_index(query))
    return cases
