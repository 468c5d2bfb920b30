"""Field capture with the standard's XLSForm (vendored in aftercare/interop/standard/).

Organisations that already collect with ODK Collect or KoboToolbox send their submissions
here: the OpenRosa submission XML (`POST /api/v1/openrosa/submission`) or the JSON a Kobo
server exports or posts from its REST service (`POST /api/v1/htcds/kobo`). Each submission
becomes a case of the caller's organisation through the same checks and operations as a
spreadsheet import (`interop.htcds_import`), all or nothing, and is remembered by its instance
id so that a resend opens no second case.

The XML is parsed with defusedxml, never with the standard library's parser directly: a
submission comes from a device in the field, and a crafted one (entity expansion, external
entities) must not be able to exhaust the server or read its files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, require
from aftercare.cases.models import ConsentMethod
from aftercare.core.errors import DomainError
from aftercare.interop import htcds_import as importer
from aftercare.interop.htcds_import import HtcdsReport
from aftercare.interop.models import FieldSubmission, SubmissionSource

MAX_SUBMISSION_BYTES = 1024 * 1024  # the form has 33 short questions: a real submission is a few kB
MAX_KOBO_RECORDS = 500
INSTANCE_KEYS = ("meta/instanceID", "instanceID", "_uuid")
DEPRECATED_KEYS = (
    "meta/deprecatedID",
    "deprecatedID",
)  # an edited form names the instance it replaces


class SubmissionRefused(DomainError):
    """The submission as a whole cannot be read."""


@dataclass
class Received:
    """What became of one or more submissions."""

    report: HtcdsReport
    duplicates: list[str] = field(default_factory=list)  # instance ids already received
    updated: list[str] = field(default_factory=list)  # case codes an edited form updated

    @property
    def ok(self) -> bool:
        return self.report.ok


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _flatten(element, prefix: str = "") -> dict[str, str]:
    """An instance's answers by path (group/question), as Kobo writes them."""
    answers: dict[str, str] = {}
    for child in element:
        path = f"{prefix}{_local(child.tag)}"
        if len(child):
            answers |= _flatten(child, path + "/")
        else:
            answers[path] = (child.text or "").strip()
    return answers


def parse_openrosa(xml: bytes) -> dict[str, str]:
    """The answers of one OpenRosa submission (the instance document of `xml_submission_file`)."""
    if len(xml) > MAX_SUBMISSION_BYTES:
        raise SubmissionRefused(_("The submission is larger than 1 MB."))
    try:
        root = ElementTree.fromstring(xml, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise SubmissionRefused(_("The submission is not a well-formed XForm instance.")) from exc
    return _flatten(root)


def kobo_records(document: Any) -> list[dict[str, Any]]:
    """Kobo's JSON: one submission (the REST service), a list, or the export's {"results":
    [...]}."""
    if isinstance(document, dict) and isinstance(document.get("results"), list):
        records = document["results"]
    elif isinstance(document, list):
        records = document
    elif isinstance(document, dict):
        records = [document]
    else:
        raise SubmissionRefused(
            _("Send a Kobo submission (a JSON object), a list of them, or Kobo's export.")
        )
    if len(records) > MAX_KOBO_RECORDS:
        raise SubmissionRefused(_("At most %(n)d submissions at a time.") % {"n": MAX_KOBO_RECORDS})
    return records


def instance_id(answers: dict[str, Any], keys: tuple[str, ...] = INSTANCE_KEYS) -> str:
    for key in keys:
        if str(answers.get(key) or "").strip():
            return str(answers[key]).strip()[:100]
    return ""


def receive(actor: Actor, records: list[dict[str, Any]], source: str) -> Received:
    """Check the submissions and open a case for each new one, all or none.

    An edited form (a new instance id, `deprecatedID` naming the one it replaces) updates the
    case that the replaced submission opened, instead of opening a second one.
    """
    require(actor, Action.CREATE_CASE)
    ids = [instance_id(answers) if isinstance(answers, dict) else "" for answers in records]
    seen = set(
        FieldSubmission.objects.filter(
            organisation_id=actor.organisation_id, instance_id__in=[i for i in ids if i]
        ).values_list("instance_id", flat=True)
    )
    fresh = [
        (answers, key)
        for answers, key in zip(records, ids, strict=True)
        if not key or key not in seen
    ]
    report, cases = importer.read_records(
        actor, [answers for answers, _key in fresh], require_consent=True
    )
    received = Received(report, duplicates=sorted(seen))
    if not report.ok or not cases:
        return received
    replaced = {
        number: instance_id(answers, DEPRECATED_KEYS)
        for number, (answers, _key) in enumerate(fresh, start=1)
        if instance_id(answers, DEPRECATED_KEYS)
    }
    earlier = {
        submission.instance_id: submission.survivor
        for submission in FieldSubmission.objects.filter(
            organisation_id=actor.organisation_id,
            instance_id__in=set(replaced.values()),
            survivor__isnull=False,
        ).select_related("survivor")
    }
    existing = {number: earlier[old] for number, old in replaced.items() if old in earlier}
    received.updated = [survivor.case_code for survivor in existing.values()]

    def remember(survivor, data) -> None:
        key = fresh[data.line - 1][1]
        if key:
            FieldSubmission.objects.create(
                organisation=actor.organisation,
                instance_id=key,
                source=source,
                survivor=survivor,
                received_by=actor.user,
            )

    try:
        with transaction.atomic():
            importer.commit(
                actor,
                report,
                cases,
                source=f"{SubmissionSource(source).label} field capture",
                consent_method=ConsentMethod.VERBAL,
                opened=remember,
                existing=existing,
            )
    except IntegrityError:  # the same submission, sent twice at once: the other one opened the case
        report.committed = False
        report.case_codes = []
        received.duplicates = sorted({key for _answers, key in fresh if key})
        report.errors.clear()
    return received


def problems_text(report: HtcdsReport, limit: int = 20) -> list[str]:
    """The problems as lines a person in the field can read on a phone."""
    lines = [str(error) for error in report.errors[:limit]]
    if len(report.errors) > limit:
        lines.append(_("… and %(n)d more.") % {"n": len(report.errors) - limit})
    return lines
