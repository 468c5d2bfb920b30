"""Background work of survivor voice: sending an SMS reply, with retries."""

from __future__ import annotations

import logging

from celery import shared_task

from aftercare.voice import gateways

log = logging.getLogger("aftercare.sms")

MAX_RETRIES = 5


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_sms(self, to: str, text: str) -> str:
    """Send `text` to `to` through the configured gateway; returns the gateway's message id.

    A failure that may pass (network, gateway busy or down) is tried again: by a worker after
    30 s, 1, 2, 4 and 8 minutes; in the embedded mode (no broker, the task runs in-process
    after the request's transaction) at once, up to as many times, so that no web request
    waits minutes. A refusal (bad number, no credit) is logged and not retried.
    """
    eager = bool(self.request.is_eager)
    for attempt in range(MAX_RETRIES + 1 if eager else 1):
        try:
            return gateways.send(to, text).message_id
        except gateways.GatewayRefused as exc:
            log.error("SMS reply refused by the gateway: %s", exc)
            return ""
        except gateways.GatewayError as exc:
            if eager:
                if attempt < MAX_RETRIES:
                    continue
                log.error("SMS reply not sent after %s tries: %s", MAX_RETRIES + 1, exc)
                return ""
            if self.request.retries >= MAX_RETRIES:
                log.error("SMS reply not sent after %s tries: %s", MAX_RETRIES + 1, exc)
                raise
            raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return ""
