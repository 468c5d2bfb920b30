"""SMS gateways: checking who posted an inbound message, and sending replies out.

**Inbound.** Each gateway posts to its own URL in its own format (aftercare/voice/api.py):
Twilio signs with `X-Twilio-Signature` (an HMAC-SHA1 of the URL and the form parameters,
keyed with the account's auth token, `AFTERCARE_TWILIO_AUTH_TOKEN`) and reads the reply from
the TwiML it gets back; Africa's Talking sends no header at all, so the URL carries a secret
(`AFTERCARE_AFRICASTALKING_SECRET`) and the reply is sent separately through its SMS API; the
generic JSON webhook takes `AFTERCARE_SMS_WEBHOOK_SECRET` and answers with the reply text.

**Outbound.** Every reply that is not returned in the webhook's own answer goes through
`send()`, to the backend `AFTERCARE_SMS_BACKEND` names: `console` (the demo: written to the
log, nothing leaves the machine), `memory` (kept in `outbox`, for tests) or `africastalking`
(its SMS API, with `AFTERCARE_AFRICASTALKING_USERNAME`, `AFTERCARE_AFRICASTALKING_API_KEY`
and optionally `AFTERCARE_AFRICASTALKING_SENDER`). Sending runs as a background task that
retries (aftercare/voice/tasks.py); a backend raises `GatewayError` for what is worth retrying.
"""

from __future__ import annotations

import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from twilio.request_validator import RequestValidator

log = logging.getLogger("aftercare.sms")

TWILIO_SIGNATURE_HEADER = "X-Twilio-Signature"
# Africa's Talking per-recipient status codes that mean the message was taken: processed, sent,
# queued.
AFRICASTALKING_ACCEPTED = {100, 101, 102}


class GatewayError(Exception):
    """Sending failed in a way that may pass on a later try (network, gateway busy or down)."""


class GatewayRefused(Exception):
    """The gateway refused the message for good (bad number, no credit, bad credentials)."""


# Inbound -------------------------------------------------------------------------------------


def twilio_signature_valid(request) -> bool:
    """Whether Twilio signed this request, checked with the `twilio` package's RequestValidator.

    Twilio signs the URL it called. Behind a proxy that URL is the public one, so the URL
    under AFTERCARE_BASE_URL is accepted as well as the one Django sees."""
    token = settings.AFTERCARE_TWILIO_AUTH_TOKEN
    signature = request.headers.get(TWILIO_SIGNATURE_HEADER, "")
    if not token or not signature:
        return False
    validator = RequestValidator(token)
    params = request.POST
    urls = {request.build_absolute_uri()}
    if settings.AFTERCARE_BASE_URL:
        urls.add(settings.AFTERCARE_BASE_URL.rstrip("/") + request.get_full_path())
    return any(validator.validate(url, params, signature) for url in urls)


def africastalking_secret_valid(given: str) -> bool:
    secret = settings.AFTERCARE_AFRICASTALKING_SECRET
    return bool(secret) and hmac.compare_digest((given or "").encode(), secret.encode())


# Outbound ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    to: str
    text: str
    message_id: str = ""


outbox: list[Sent] = []  # the `memory` backend's messages, newest last


class ConsoleBackend:
    """Writes each message to the log: for the demo and development; nothing is sent."""

    def send(self, to: str, text: str) -> Sent:
        log.info("SMS to %s: %s", _masked(to), text)
        print(f"[SMS to {_masked(to)}] {text}", flush=True)  # noqa: T201 - the console backend's job
        return Sent(to=to, text=text)


class MemoryBackend:
    def send(self, to: str, text: str) -> Sent:
        sent = Sent(to=to, text=text, message_id=f"memory-{len(outbox) + 1}")
        outbox.append(sent)
        return sent


class AfricasTalkingBackend:
    """Africa's Talking's SMS API: POST /version1/messaging with the username, the recipient,
    the message and optionally the sender, authenticated by the `apiKey` header."""

    timeout = 15

    def send(self, to: str, text: str) -> Sent:
        username, key = (
            settings.AFTERCARE_AFRICASTALKING_USERNAME,
            settings.AFTERCARE_AFRICASTALKING_API_KEY,
        )
        if not username or not key:
            raise ImproperlyConfigured(
                "Set AFTERCARE_AFRICASTALKING_USERNAME and AFTERCARE_AFRICASTALKING_API_KEY."
            )
        fields = {"username": username, "to": to, "message": text}
        if settings.AFTERCARE_AFRICASTALKING_SENDER:
            fields["from"] = settings.AFTERCARE_AFRICASTALKING_SENDER
        request = urllib.request.Request(  # noqa: S310 - the URL is the configured https API
            settings.AFTERCARE_AFRICASTALKING_API_URL,
            data=urllib.parse.urlencode(fields).encode(),
            method="POST",
            headers={
                "apiKey": key,
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            if exc.code >= 500 or exc.code == 429:
                raise GatewayError(f"Africa's Talking answered {exc.code}") from exc
            raise GatewayRefused(f"Africa's Talking refused the message ({exc.code})") from exc
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise GatewayError(f"Africa's Talking could not be reached: {exc}") from exc
        recipients = (body.get("SMSMessageData") or {}).get("Recipients") or []
        if not recipients:
            raise GatewayRefused(
                "Africa's Talking sent nothing: "
                f"{(body.get('SMSMessageData') or {}).get('Message', '')}"
            )
        first = recipients[0]
        if first.get("statusCode") not in AFRICASTALKING_ACCEPTED:
            raise GatewayRefused(f"Africa's Talking refused the message: {first.get('status', '')}")
        return Sent(to=to, text=text, message_id=str(first.get("messageId", "")))


BACKENDS = {
    "console": ConsoleBackend,
    "memory": MemoryBackend,
    "africastalking": AfricasTalkingBackend,
}


def backend():
    name = settings.AFTERCARE_SMS_BACKEND
    if name not in BACKENDS:
        raise ImproperlyConfigured(
            f"AFTERCARE_SMS_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}."
        )
    return BACKENDS[name]()


def send(to: str, text: str) -> Sent:
    """Send one SMS through the configured backend, now (the task `send_sms` calls this)."""
    return backend().send(to, text)


def _masked(number: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"…{digits[-3:]}" if len(digits) > 3 else "…"
