"""Ratings by SMS from a basic phone: `RATE K7QX2M 5 4 5 5 4`, optionally followed by a comment.

The gateway posts each inbound message to the webhook; the answer is the text to send back.
A message that cannot be used gets a correction saying exactly what to change and stores
nothing. A message the gateway delivers twice (the same message id, or the same sender and
text) gets the first answer again and counts once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from aftercare.core import crypto
from aftercare.core.errors import DomainError
from aftercare.voice import limits, ratings
from aftercare.voice.models import DIMENSIONS, Channel, InboundSms
from aftercare.voice.portal_accounts import normalise_phone

KEYWORD = "RATE"
SEPARATORS = re.compile(r"[\s,;]+")
SIGNATURE_HEADER = "X-Aftercare-Signature"
SECRET_HEADER = "X-Aftercare-Webhook-Secret"  # noqa: S105 - a header name, not a secret


class SmsFormatError(DomainError):
    pass


@dataclass(frozen=True)
class ParsedSms:
    code: str
    scores: dict[str, int]
    comment: str


@dataclass(frozen=True)
class SmsReply:
    status: str  # accepted, rejected or duplicate
    reply: str


def example() -> str:
    return f"{KEYWORD} K7QX2M 5 4 5 5 4"


def usage() -> str:
    return _(
        "To rate a service, send RATE, your code and 5 scores from 1 (bad) to 5 (very good) for: "
        "respect, time, help, safety, information. Example: %(example)s"
    ) % {"example": example()}


def parse(text: str) -> ParsedSms:
    """Read `RATE <code> <5 scores> [comment]`; five digits may also come as one number (54554)."""
    tokens = [t for t in SEPARATORS.split((text or "").strip()) if t]
    if tokens and tokens[0].upper() == KEYWORD:
        tokens = tokens[1:]
    if not tokens or tokens[0].isdigit():
        raise SmsFormatError(usage())
    code, rest = tokens[0], tokens[1:]
    numbers: list[str] = []
    while rest and re.fullmatch(r"-?\d+", rest[0]) and len(numbers) < len(DIMENSIONS):
        numbers.append(rest.pop(0))
    if len(numbers) == 1 and len(numbers[0]) == len(DIMENSIONS):
        numbers = list(numbers[0])
    if len(numbers) != len(DIMENSIONS):
        raise SmsFormatError(
            _(
                "We got %(got)s scores but need 5, from 1 to 5, for: respect, "
                "time, help, safety, information. Example: %(example)s"
            )
            % {"got": len(numbers), "example": example()}
        )
    names = ratings.dimension_labels()
    for position, (name, raw) in enumerate(zip(DIMENSIONS, numbers, strict=True), start=1):
        if not 1 <= int(raw) <= 5:
            raise SmsFormatError(
                _(
                    "Score %(position)s (%(name)s) is %(value)s. Each "
                    "score must be from 1 to 5. Example: %(example)s"
                )
                % {
                    "position": position,
                    "name": str(names[name]).lower(),
                    "value": raw,
                    "example": example(),
                }
            )
    return ParsedSms(
        code=code,
        scores=dict(zip(DIMENSIONS, map(int, numbers), strict=True)),
        comment=" ".join(rest),
    )


def verify(headers, body: bytes) -> bool:
    """The gateway proves itself with the shared secret, sent as is or as an HMAC-SHA256 of
    the request body (`X-Aftercare-Signature: sha256=<hex>`). No secret configured: refuse all."""
    secret = settings.AFTERCARE_SMS_WEBHOOK_SECRET
    if not secret:
        return False
    given = headers.get(SECRET_HEADER, "")
    if given and hmac.compare_digest(given.encode(), secret.encode()):
        return True
    signature = headers.get(SIGNATURE_HEADER, "")
    if signature.startswith("sha256="):
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(signature[len("sha256=") :].strip().lower(), expected)
    return False


def _replay_key(sender: str, text: str, message_id: str) -> str:
    if message_id:
        return crypto.blind_index(f"sms-id:{message_id}")
    return crypto.blind_index(f"sms:{sender}:{' '.join(text.split()).upper()}")


def candidate_code(text: str) -> str:
    """The word where a code would stand (after RATE, if given), whatever else is wrong."""
    tokens = [t for t in SEPARATORS.split((text or "").strip()) if t]
    if tokens and tokens[0].upper() == KEYWORD:
        tokens = tokens[1:]
    return tokens[0] if tokens and not tokens[0].isdigit() else ""


def reply_language(text: str) -> str:
    """The language the answer is written in: the one the code was issued with, for a
    correction as much as for a thank-you; else the site's default."""
    guess = candidate_code(text)
    code = ratings.find_code(guess) if 4 <= len(ratings.normalise_code(guess)) <= 20 else None
    return code.language if code is not None and code.language else settings.LANGUAGE_CODE


def receive(sender: str, text: str, message_id: str = "") -> SmsReply:
    """Answer one inbound message; store a rating only for a good message with a good code.
    Every answer is in the code's language."""
    key = _replay_key(sender, text, message_id)
    earlier = InboundSms.objects.filter(key=key).first()
    if earlier is not None:
        return SmsReply(status="duplicate", reply=earlier.reply)
    with translation.override(reply_language(text)):
        return _answer(key, sender, text)


def _answer(key: str, sender: str, text: str) -> SmsReply:
    # Counted per phone, however the gateway spelled the number.
    client = limits.client_key("sms", normalise_phone(sender) or sender or "unknown")
    try:
        parsed = parse(text)
    except SmsFormatError as exc:
        return SmsReply(status="rejected", reply=exc.message)
    try:
        with transaction.atomic():
            ratings.rate_with_code(
                parsed.code, parsed.scores, parsed.comment, channel=Channel.SMS, client=client
            )
            reply = _(
                "Thank you. We got your rating. The people you rated will not know it was you."
            )
            InboundSms.objects.create(key=key, reply=reply)
    except IntegrityError:  # the same message, delivered twice at once
        earlier = InboundSms.objects.filter(key=key).first()
        return SmsReply(status="duplicate", reply=earlier.reply if earlier else "")
    except ratings.RatingInvalid as exc:
        return SmsReply(status="rejected", reply=" ".join(str(m) for m in exc.errors.values()))
    except DomainError as exc:
        return SmsReply(status="rejected", reply=str(exc.message))
    return SmsReply(status="accepted", reply=reply)
