"""Survivor-led ratings: through the portal, with a one-time feedback code, or by SMS.

Every path ends in `_store`, which writes a `Rating` that names the subject, the scores,
the month and a screened comment, and nothing about who gave it. One rating per service
(portal) and per code is enforced by a keyed receipt and by the code being spent in the
same transaction as the rating is written.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organisation
from aftercare.accounts.policy import Action, Actor, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.models import ServiceDelivery, Survivor
from aftercare.cases.services import CODE_ALPHABET
from aftercare.core import crypto
from aftercare.core.errors import DomainError
from aftercare.voice import limits
from aftercare.voice.models import (
    DIMENSIONS,
    Channel,
    CommentStatus,
    DutyBearer,
    FeedbackCode,
    Rating,
    RatingReceipt,
    SurvivorAccount,
)
from aftercare.voice.screening import screen

MAX_COMMENT = 1000


class RatingInvalid(DomainError):
    """Scores missing or outside 1–5; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Some scores are not valid."), field="ratings")
        self.errors = errors


class AlreadyRated(DomainError):
    status_code = 409
    code = "already_rated"


class CodeRefused(DomainError):
    """Unknown, used or expired code (the message says which, in plain words)."""


def dimension_labels() -> dict[str, str]:
    return {
        "respect": _("Respect"),
        "timeliness": _("On time"),
        "helpfulness": _("Helpfulness"),
        "safety": _("Safety"),
        "information": _("Information"),
    }


def dimension_questions() -> dict[str, str]:
    return {
        "respect": _("Did they treat you with respect?"),
        "timeliness": _("Did they help you in good time?"),
        "helpfulness": _("Did they really help you?"),
        "safety": _("Did you feel safe?"),
        "information": _("Did they explain things so you understood?"),
    }


# Subjects -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """An organisation or a duty bearer: what a rating is about."""

    organisation: Organisation | None = None
    duty_bearer: DutyBearer | None = None

    @property
    def pk(self) -> uuid.UUID:
        return (self.organisation or self.duty_bearer).pk

    @property
    def type(self) -> str:
        return "organisation" if self.organisation else "duty_bearer"

    @property
    def name(self) -> str:
        return str(self.organisation or self.duty_bearer)

    @property
    def owner_organisation_id(self):
        return self.organisation.pk if self.organisation else self.duty_bearer.organisation_id

    def fields(self) -> dict:
        return {"organisation": self.organisation, "duty_bearer": self.duty_bearer}


def resolve_subject(subject_id) -> Subject:
    """The organisation or the active duty bearer with this id; a clear 400 otherwise."""
    try:
        key = uuid.UUID(str(subject_id))
    except (TypeError, ValueError) as exc:
        raise DomainError(
            _("Give the id of an organisation or a duty bearer."), field="subject"
        ) from exc
    organisation = Organisation.objects.filter(pk=key, is_active=True).first()
    if organisation is not None:
        return Subject(organisation=organisation)
    duty_bearer = (
        DutyBearer.objects.filter(pk=key, is_active=True).select_related("organisation").first()
    )
    if duty_bearer is not None:
        return Subject(duty_bearer=duty_bearer)
    raise DomainError(_("No organisation or duty bearer has this id."), field="subject")


BEARERS_PER_ORGANISATION = 50


def subjects_for_service(service: ServiceDelivery) -> list[Subject]:
    """Whom a survivor may rate for a service: the organisation that gave it, the duty bearer
    the service names, and the duty bearers registered with that organisation."""
    return subjects_for_services([service])[service.pk]


def subjects_for_services(services: Iterable[ServiceDelivery]) -> dict[uuid.UUID, list[Subject]]:
    """`subjects_for_service` of each service, by its id, in two queries however many services
    there are: the duty bearers they name, and up to BEARERS_PER_ORGANISATION registered with
    each organisation that gave one."""
    services = list(services)
    named_ids = {s.duty_bearer_id for s in services if s.duty_bearer_id}
    named = (
        DutyBearer.objects.filter(is_active=True, pk__in=named_ids).select_related("organisation")
        if named_ids
        else []
    )
    named_by_id = {bearer.pk: bearer for bearer in named}
    registered: dict[uuid.UUID, list[DutyBearer]] = {}
    if services:
        first_of_each = (
            DutyBearer.objects.filter(
                is_active=True, organisation_id__in={s.organisation_id for s in services}
            )
            .select_related("organisation")
            .annotate(
                place=Window(
                    RowNumber(),
                    partition_by=F("organisation_id"),
                    order_by=[F("name").asc(), F("id").asc()],
                )
            )
            .filter(place__lte=BEARERS_PER_ORGANISATION)
            .order_by("name", "id")
        )
        for bearer in first_of_each:
            registered.setdefault(bearer.organisation_id, []).append(bearer)
    subjects = {}
    for service in services:
        own = [Subject(organisation=service.organisation)]
        seen = set()
        named_here = (
            [named_by_id[service.duty_bearer_id]] if service.duty_bearer_id in named_by_id else []
        )
        for bearer in (*named_here, *registered.get(service.organisation_id, [])):
            if bearer.pk not in seen:
                seen.add(bearer.pk)
                own.append(Subject(duty_bearer=bearer))
        subjects[service.pk] = own
    return subjects


def _subject_for_service(service: ServiceDelivery, subject_id) -> Subject:
    for subject in subjects_for_service(service):
        if str(subject.pk) == str(subject_id):
            return subject
    raise DomainError(
        _("Choose the organisation or a person who gave you this service."), field="subject"
    )


# Scores and the stored rating ------------------------------------------------------------------


def validate_scores(ratings: Mapping | None) -> dict[str, int]:
    """Each of the five dimensions a whole number from 1 to 5."""
    if not isinstance(ratings, Mapping):
        raise RatingInvalid(
            {
                "ratings": _("Give a score from 1 to 5 for each of: %(names)s.")
                % {"names": ", ".join(DIMENSIONS)}
            }
        )
    errors, scores = {}, {}
    for name in DIMENSIONS:
        value = ratings.get(name)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = _("Give a score from 1 to 5.")
        elif not 1 <= value <= 5:
            errors[name] = _("A score is from 1 to 5, not %(value)s.") % {"value": value}
        else:
            scores[name] = value
    unknown = sorted(set(ratings) - set(DIMENSIONS))
    if unknown:
        errors["ratings"] = _("Unknown score: %(names)s.") % {"names": ", ".join(map(str, unknown))}
    if errors:
        raise RatingInvalid(errors)
    return scores


def _check_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(
            _("Keep the comment under %(n)s characters.") % {"n": MAX_COMMENT}, field="comment"
        )
    return comment


def rater_key(survivor_id, subject: Subject) -> str:
    """The same for every rating one survivor gives one subject, and for no one else's: so a
    survivor counts once per subject and quarter, and k counts survivors, not ratings."""
    return crypto.blind_index(f"rating-rater:{survivor_id}:{subject.type}:{subject.pk}")


def source_key(survivor_id, service_id) -> str:
    """Which survivor-service pair a rating came from, as a keyed hash that stays in the voice
    app."""
    return crypto.blind_index(f"rating-source:{survivor_id}:{service_id}")


def _store(
    subject: Subject,
    domain: str,
    scores: Mapping[str, int],
    comment: str,
    channel: str,
    *,
    service: ServiceDelivery,
    known_names: tuple[str, ...] = (),
) -> Rating:
    comment = _check_comment(comment)
    screened = screen(comment, names=known_names, allowed=[subject.name]) if comment else None
    return Rating.objects.create(
        **subject.fields(),
        domain=domain,
        channel=channel,
        period=timezone.localdate().replace(day=1),
        comment=comment,
        comment_flags=screened.flags if screened else [],
        comment_status=CommentStatus.PENDING if comment else CommentStatus.NONE,
        quote=screened.text if screened else "",
        rater=rater_key(service.survivor_id, subject),
        source=source_key(service.survivor_id, service.pk),
        **scores,
    )


def _audit_rating(channel: str) -> None:
    """The trail says that a rating was given and how; not by whom, about whom, nor which row,
    and in no organisation's trail: an organisation that knows when a survivor rated could
    otherwise compare its figures before and after."""
    record(None, AuditAction.CREATE, object_type="voice.rating", label=f"rating ({channel})")


# Through the portal (or a survivor's own API token) -----------------------------------------------


def _receipt_key(survivor: Survivor, service: ServiceDelivery, subject: Subject) -> str:
    return crypto.blind_index(f"rating-receipt:{survivor.pk}:{service.pk}:{subject.pk}")


def already_rated(survivor: Survivor, service: ServiceDelivery, subject: Subject) -> bool:
    return RatingReceipt.objects.filter(key=_receipt_key(survivor, service, subject)).exists()


def subjects_to_rate(
    survivor: Survivor, services: Iterable[ServiceDelivery]
) -> dict[uuid.UUID, tuple[list[Subject], list[Subject]]]:
    """For each service, by its id: whom she may rate for it, and of those whom she has not
    rated yet. Three queries however many services and subjects (the subjects' two, and one
    for her receipts), not one per subject."""
    services = list(services)
    subjects = subjects_for_services(services)
    keys = {
        _receipt_key(survivor, service, subject): (service.pk, subject.pk)
        for service in services
        for subject in subjects[service.pk]
    }
    rated = {
        keys[key]
        for key in RatingReceipt.objects.filter(key__in=keys).values_list("key", flat=True)
    }
    return {
        service.pk: (
            subjects[service.pk],
            [s for s in subjects[service.pk] if (service.pk, s.pk) not in rated],
        )
        for service in services
    }


def services_to_rate(survivor: Survivor):
    return survivor.services.select_related("organisation").order_by("-date")


@transaction.atomic
def rate_as_survivor(
    actor: Actor,
    account: SurvivorAccount,
    service: ServiceDelivery,
    subject_id,
    ratings: Mapping,
    comment: str = "",
    channel: str = Channel.PORTAL,
) -> Rating:
    """A survivor rates someone who served them; once per service and subject."""
    require(actor, Action.RATE_SERVICE)
    if account.user_id != actor.user.pk or service.survivor_id != account.survivor_id:
        raise Http404("No such service")
    scores = validate_scores(ratings)
    subject = _subject_for_service(service, subject_id)
    try:
        with transaction.atomic():
            RatingReceipt.objects.create(key=_receipt_key(account.survivor, service, subject))
    except IntegrityError as exc:
        raise AlreadyRated(_("You already rated this service."), field="subject") from exc
    survivor = account.survivor
    rating = _store(
        subject,
        service.domain,
        scores,
        comment,
        channel,
        service=service,
        known_names=(survivor.given_name, survivor.family_name),
    )
    _audit_rating(channel)
    return rating


def service_for_api(
    account: SurvivorAccount, subject: Subject, domain: str | None, service_id=None
) -> ServiceDelivery:
    """The service an API rating is about: the one named, else the newest one of the
    survivor's that this subject gave (in `domain`, if given) and that is not rated yet."""
    services = account.survivor.services.select_related("organisation")
    if service_id:
        try:
            return services.get(pk=uuid.UUID(str(service_id)))
        except (ValueError, ServiceDelivery.DoesNotExist) as exc:
            raise DomainError(_("No service of yours has this id."), field="service") from exc
    candidates = services.order_by("-date")
    if domain:
        candidates = candidates.filter(domain=domain)
    candidates = list(candidates)
    found = subjects_to_rate(account.survivor, candidates)
    matching = [s for s in candidates if any(x.pk == subject.pk for x in found[s.pk][0])]
    if not matching:
        raise DomainError(
            _("You can rate only an organisation or a person who gave you a service."),
            field="subject",
        )
    for service in matching:
        if any(x.pk == subject.pk for x in found[service.pk][1]):
            return service
    raise AlreadyRated(_("You already rated this service."), field="subject")


# Feedback codes -------------------------------------------------------------------------------


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def code_hash(raw: str) -> str:
    return crypto.blind_index(f"feedback-code:{normalise_code(raw)}")


def _new_code() -> str:
    return "".join(
        secrets.choice(CODE_ALPHABET) for _ in range(settings.AFTERCARE_FEEDBACK_CODE_LENGTH)
    )


class CodeExists(DomainError):
    """The service already has a code for this subject: unused and still valid, or spent."""

    status_code = 409
    code = "code_exists"


@transaction.atomic
def issue_code(
    actor: Actor, service: ServiceDelivery, subject_id, *, language: str = ""
) -> tuple[str, FeedbackCode]:
    """A one-time code for the survivor to rate `subject` for `service`; shown once.

    Case staff of the organisation that holds the case or that gave the service may issue it.
    A code is bound to this one service, and so to its one survivor: while a code for the same
    service and subject is unused and valid, or once the survivor has rated it (by code or in
    the portal), another is refused. Only a keyed hash of a code is kept, so the same code
    cannot be shown again; a new one can be issued when the old one expired unused.
    """
    require(actor, Action.ISSUE_FEEDBACK_CODE)
    if actor.organisation_id not in (service.survivor.organisation_id, service.organisation_id):
        raise Http404("No such service")
    subject = _subject_for_service(service, subject_id)
    # One issuer at a time per service, so two clicks cannot both find no code and make two.
    ServiceDelivery.objects.select_for_update().filter(pk=service.pk).first()
    earlier = FeedbackCode.objects.filter(service=service, **subject.fields())
    if (
        already_rated(service.survivor, service, subject)
        or earlier.filter(used_on__isnull=False).exists()
    ):
        raise CodeExists(
            _("The survivor already rated this service. Each service is rated once."),
            field="subject",
        )
    valid = earlier.filter(used_on__isnull=True, expires_at__gt=timezone.now()).first()
    if valid is not None:
        raise CodeExists(
            _(
                "A code for this service was given on %(issued)s and works until %(expires)s. "
                "Each service gets one code; a new one can be given after that date."
            )
            % {
                "issued": date_format(timezone.localtime(valid.issued_at), "DATE_FORMAT"),
                "expires": date_format(timezone.localtime(valid.expires_at), "DATE_FORMAT"),
            },
            field="subject",
        )
    languages = {code for code, _name in settings.LANGUAGES}
    language = language if language in languages else ""
    expires_at = timezone.now() + timedelta(days=settings.AFTERCARE_FEEDBACK_CODE_DAYS)
    for _attempt in range(10):
        raw = _new_code()
        try:
            with transaction.atomic():
                code = FeedbackCode.objects.create(
                    code_hash=code_hash(raw),
                    service=service,
                    **subject.fields(),
                    domain=service.domain,
                    language=language,
                    issued_by=actor.user,
                    issued_by_organisation=actor.organisation,
                    expires_at=expires_at,
                )
        except IntegrityError:
            continue
        record(actor, AuditAction.CREATE, code, label=f"{service.survivor.case_code} feedback code")
        return raw, code
    raise DomainError(_("Could not make a new code; try again."))


def find_code(raw: str) -> FeedbackCode | None:
    if not normalise_code(raw):
        return None
    return (
        FeedbackCode.objects.filter(code_hash=code_hash(raw))
        .select_related("organisation", "duty_bearer", "service__survivor")
        .first()
    )


def _refusal(code: FeedbackCode | None, raw: str) -> CodeRefused | None:
    if code is None:
        return CodeRefused(
            _("The code %(code)s is not known. Check it and try again.")
            % {"code": normalise_code(raw)[:12]},
            field="code",
        )
    if code.used_on is not None:
        return CodeRefused(_("This code was already used. Each code works once."), field="code")
    if code.expires_at <= timezone.now():
        return CodeRefused(_("This code has expired. Ask for a new one."), field="code")
    return None


@transaction.atomic
def rate_with_code(
    raw_code: str,
    ratings: Mapping,
    comment: str = "",
    *,
    channel: str = Channel.CODE,
    client: str = "",
    subject_id=None,
    domain: str | None = None,
) -> Rating:
    """Spend a feedback code on one rating. Bad scores leave the code unspent; a wrong code
    counts towards the client's limit of failures."""
    if client:
        limits.check_failures(client)
        limits.hit(client)
    scores = validate_scores(ratings)
    code = find_code(raw_code)
    refusal = _refusal(code, raw_code)
    if refusal is not None:
        if client:
            limits.note_failure(client)
        raise refusal
    subject = (
        Subject(organisation=code.organisation)
        if code.organisation_id
        else Subject(duty_bearer=code.duty_bearer)
    )
    if subject_id not in (None, "") and str(subject_id) != str(subject.pk):
        raise DomainError(_("This code is for rating someone else."), field="subject")
    if domain not in (None, "") and domain != code.domain:
        raise DomainError(_("This code is for another service."), field="domain")
    if code.service_id is None:  # a code from before codes were bound to a service
        raise CodeRefused(_("This code can no longer be used. Ask for a new one."), field="code")
    spent = FeedbackCode.objects.filter(
        pk=code.pk, used_on__isnull=True, expires_at__gt=timezone.now()
    ).update(used_on=timezone.localdate())
    if spent != 1:  # spent by a concurrent request between the read and the update
        raise CodeRefused(_("This code was already used. Each code works once."), field="code")
    service = code.service
    try:
        with transaction.atomic():
            RatingReceipt.objects.create(key=_receipt_key(service.survivor, service, subject))
    except IntegrityError as exc:  # rated in the portal already
        raise AlreadyRated(
            _("This service was already rated. Each service is rated once."), field="code"
        ) from exc
    rating = _store(subject, code.domain, scores, comment, channel, service=service)
    _audit_rating(channel)
    from aftercare.voice import integrity

    integrity.check_codes(subject, code.issued_by_organisation_id, timezone.localdate())
    return rating
