"""SMS gateways as they really post: Twilio (signed form, TwiML answer), Africa's Talking
(form fields, secret in the URL, the reply sent through its SMS API by a task that retries),
and the generic JSON webhook (one object, else 400)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from defusedxml import ElementTree
from twilio.request_validator import RequestValidator

from aftercare.voice import gateways, ratings
from aftercare.voice.models import Rating
from tests.conftest import actor
from tests.voice.conftest import SMS_SECRET
from tests.voice.factories import ServiceFactory

pytestmark = pytest.mark.django_db

TOKEN = "twilio-auth-token-for-tests-0123456789ab"
AT_SECRET = "at-callback-secret-0123456789"
TWILIO_URL = "http://testserver/api/v1/sms/twilio"
PHONE = "+27825550123"


@pytest.fixture
def post_at(client, django_capture_on_commit_callbacks):
    """Post to the Africa's Talking callback and run the tasks the request enqueued once its
    transaction commits, as in production."""

    def post(form: dict, secret: str = AT_SECRET):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/api/v1/sms/africastalking/{secret}", form)

    return post


@pytest.fixture(autouse=True)
def _gateways(settings):
    settings.AFTERCARE_TWILIO_AUTH_TOKEN = TOKEN
    settings.AFTERCARE_AFRICASTALKING_SECRET = AT_SECRET
    settings.AFTERCARE_SMS_BACKEND = "memory"
    gateways.outbox.clear()


@pytest.fixture
def issue(survivor_a, case_worker_a):
    def make(language: str = "en") -> str:
        service = ServiceFactory(survivor=survivor_a)
        raw, _ = ratings.issue_code(
            actor(case_worker_a), service, service.organisation_id, language=language
        )
        return raw

    return make


def twilio_form(body: str, sid: str = "SM0123456789abcdef0123456789abcdef") -> dict:
    return {
        "ToCountry": "ZA",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "ZA",
        "To": "+27870000000",
        "MessagingServiceSid": "",
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": "AC0123456789abcdef0123456789abcdef",
        "From": PHONE,
        "ApiVersion": "2010-04-01",
    }


def post_twilio(client, form: dict, *, token: str = TOKEN, url: str = TWILIO_URL):
    signature = RequestValidator(token).compute_signature(url, form)
    return client.post("/api/v1/sms/twilio", form, HTTP_X_TWILIO_SIGNATURE=signature)


def message_of(response) -> str:
    root = ElementTree.fromstring(response.content)
    assert root.tag == "Response"
    return root.find("Message").text


# Twilio ------------------------------------------------------------------------------------------


def test_a_signed_twilio_message_rates_and_is_answered_in_twiml(client, issue):
    code = issue()
    response = post_twilio(client, twilio_form(f"RATE {code} 5 4 5 5 4 kind people"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert message_of(response).startswith("Thank you. We got your rating.")
    assert Rating.objects.get().channel == "sms"


def test_a_twilio_retry_is_answered_again_and_counted_once(client, issue):
    form = twilio_form(f"RATE {issue()} 54554")
    first, second = post_twilio(client, form), post_twilio(client, form)
    assert message_of(first) == message_of(second)
    assert Rating.objects.count() == 1


@pytest.mark.parametrize(
    "case", ["no signature", "wrong token", "body changed", "no token set", "other url"]
)
def test_twilio_requests_not_signed_by_the_account_are_refused(client, issue, settings, case):
    form = twilio_form(f"RATE {issue()} 5 5 5 5 5")
    if case == "no signature":
        response = client.post("/api/v1/sms/twilio", form)
    elif case == "wrong token":
        response = post_twilio(client, form, token="someone-elses-token")
    elif case == "body changed":
        signature = RequestValidator(TOKEN).compute_signature(TWILIO_URL, form)
        response = client.post(
            "/api/v1/sms/twilio",
            {**form, "Body": form["Body"].replace("5 5 5 5 5", "1 1 1 1 1")},
            HTTP_X_TWILIO_SIGNATURE=signature,
        )
    elif case == "no token set":
        settings.AFTERCARE_TWILIO_AUTH_TOKEN = ""
        response = post_twilio(client, form)
    else:
        response = post_twilio(client, form, url="https://elsewhere.example/api/v1/sms/twilio")
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_twilio_behind_a_proxy_is_checked_against_the_public_url(client, issue, settings):
    settings.AFTERCARE_BASE_URL = "https://aftercare.example.org"
    response = post_twilio(
        client,
        twilio_form(f"RATE {issue()} 5 5 5 5 5"),
        url="https://aftercare.example.org/api/v1/sms/twilio",
    )
    assert response.status_code == 200 and Rating.objects.count() == 1


def test_a_format_error_on_a_hindi_code_is_answered_in_hindi(client, issue):
    code = issue("hi")
    reply = message_of(post_twilio(client, twilio_form(f"RATE {code} 5 4")))
    assert "हमें 2 स्कोर मिले" in reply
    reply = message_of(post_twilio(client, twilio_form(f"RATE {code} 5 4 9 5 5", sid="SM2")))
    assert "Score" not in reply and "स्कोर" in reply
    thanks = message_of(post_twilio(client, twilio_form(f"{code} 5 4 5 5 5", sid="SM3")))
    assert thanks.startswith("धन्यवाद")
    used = message_of(post_twilio(client, twilio_form(f"{code} 5 4 5 5 4", sid="SM4")))
    assert "already used" not in used  # the refusal of a spent code is in Hindi too


def test_without_a_known_code_the_reply_is_in_the_default_language(client):
    assert message_of(post_twilio(client, twilio_form("55555"))).startswith(
        "To rate a service, send RATE"
    )
    assert message_of(post_twilio(client, twilio_form("RATE NOCODE 5 5", sid="SM5"))).startswith(
        "We got 2 scores"
    )


# Africa's Talking
# ------------------------------------------------------------------------------------


def at_form(text: str, message_id: str = "ATXid_1") -> dict:
    return {
        "from": PHONE,
        "to": "40404",
        "text": text,
        "date": "2026-12-01 08:15:00",
        "id": message_id,
        "linkId": "SampleLinkId123",
    }


def test_an_africastalking_message_rates_and_the_reply_goes_out_through_the_sms_interface(
    post_at, issue
):
    response = post_at(at_form(f"RATE {issue()} 5 4 5 5 4"))
    assert response.status_code == 200 and response.json() == {"status": "accepted"}
    assert Rating.objects.get().channel == "sms"
    assert [(m.to, m.text[:9]) for m in gateways.outbox] == [(PHONE, "Thank you")]


def test_an_africastalking_retry_sends_no_second_reply(post_at, issue):
    form = at_form(f"RATE {issue()} 5 4 5 5 4")
    post_at(form)
    again = post_at(form)
    assert again.json() == {"status": "duplicate"}
    assert len(gateways.outbox) == 1 and Rating.objects.count() == 1


def test_a_bad_africastalking_message_gets_its_correction_by_sms(post_at):
    post_at(at_form("RATE ABCDEF 5 5"))
    assert gateways.outbox[0].text.startswith("We got 2 scores but need 5")


@pytest.mark.parametrize("secret", ["wrong-secret", AT_SECRET[:-1], ""])
def test_africastalking_at_a_wrong_address_is_refused(post_at, issue, secret):
    response = post_at(at_form(f"RATE {issue()} 5 5 5 5 5"), secret or "x")
    assert response.status_code == 403
    assert not Rating.objects.exists() and not gateways.outbox


def test_africastalking_is_refused_when_no_secret_is_set(post_at, settings, issue):
    settings.AFTERCARE_AFRICASTALKING_SECRET = ""
    assert post_at(at_form(f"RATE {issue()} 5 5 5 5 5"), "anything").status_code == 403


def test_the_reply_task_retries_until_the_gateway_takes_it(post_at, issue, monkeypatch):
    tries = []

    def flaky(self, to, text):
        tries.append(to)
        if len(tries) < 3:
            raise gateways.GatewayError("gateway busy")
        return gateways.Sent(to=to, text=text, message_id="ok")

    monkeypatch.setattr(gateways.MemoryBackend, "send", flaky)
    post_at(at_form(f"RATE {issue()} 5 4 5 5 4"))
    assert tries == [PHONE] * 3
    assert Rating.objects.count() == 1


class FakeAfricasTalking(BaseHTTPRequestHandler):
    """Answers as Africa's Talking's /version1/messaging does; remembers what it was sent."""

    received: list = []
    status = 201

    def do_POST(self):  # noqa: N802 - the http.server API
        length = int(self.headers["Content-Length"])
        fields = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        FakeAfricasTalking.received.append(
            {"headers": {k.lower(): v for k, v in self.headers.items()}, "fields": fields}
        )
        body = (
            {
                "SMSMessageData": {
                    "Message": "Sent to 1/1 Total Cost: KES 0.8000",
                    "Recipients": [
                        {
                            "statusCode": 101,
                            "number": fields.get("to"),
                            "status": "Success",
                            "cost": "KES 0.8000",
                            "messageId": "ATXid_42",
                        },
                    ],
                }
            }
            if FakeAfricasTalking.status == 201
            else {}
        )
        self.send_response(FakeAfricasTalking.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_api(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeAfricasTalking)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeAfricasTalking.received, FakeAfricasTalking.status = [], 201
    settings.AFTERCARE_SMS_BACKEND = "africastalking"
    settings.AFTERCARE_AFRICASTALKING_API_URL = (
        f"http://127.0.0.1:{server.server_port}/version1/messaging"
    )
    settings.AFTERCARE_AFRICASTALKING_USERNAME = "sandbox"
    settings.AFTERCARE_AFRICASTALKING_API_KEY = "at-api-key"
    settings.AFTERCARE_AFRICASTALKING_SENDER = "40404"
    yield FakeAfricasTalking
    server.shutdown()
    server.server_close()


def test_the_africastalking_backend_posts_as_its_api_expects(post_at, issue, fake_api):
    post_at(at_form(f"RATE {issue()} 5 4 5 5 4"))
    (sent,) = fake_api.received
    assert (
        sent["headers"]["apikey"] == "at-api-key"
        and sent["headers"]["accept"] == "application/json"
    )
    assert (
        sent["fields"]["username"] == "sandbox"
        and sent["fields"]["to"] == PHONE
        and sent["fields"]["from"] == "40404"
    )
    assert sent["fields"]["message"].startswith("Thank you")


def test_a_reply_the_gateway_never_takes_is_tried_six_times_and_the_request_still_answers(
    post_at, issue, monkeypatch
):
    tries = []

    def down(self, to, text):
        tries.append(to)
        raise gateways.GatewayError("gateway down")

    monkeypatch.setattr(gateways.MemoryBackend, "send", down)
    response = post_at(at_form(f"RATE {issue()} 5 4 5 5 4"))
    assert response.status_code == 200 and len(tries) == 6
    assert Rating.objects.count() == 1  # the rating stands; only the thank-you was lost


def test_the_africastalking_backend_treats_a_server_error_as_worth_retrying(fake_api):
    fake_api.status = 503
    with pytest.raises(gateways.GatewayError):
        gateways.send(PHONE, "hello")
    fake_api.status = 401
    with pytest.raises(gateways.GatewayRefused):
        gateways.send(PHONE, "hello")


def test_the_console_backend_writes_the_reply_and_hides_the_number(settings, capsys):
    settings.AFTERCARE_SMS_BACKEND = "console"
    gateways.send(PHONE, "Thank you")
    out = capsys.readouterr().out
    assert "Thank you" in out and "…123" in out and PHONE not in out


# The generic JSON webhook
# ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        '[{"from": "+27825550123", "text": "RATE X 5 5 5 5 5"}]',
        '"RATE"',
        "42",
        "null",
        "true",
    ],
)
def test_the_generic_webhook_answers_400_for_a_body_that_is_not_one_object(client, body):
    response = client.post(
        "/api/v1/sms/inbound",
        body,
        content_type="application/json",
        HTTP_X_AFTERCARE_WEBHOOK_SECRET=SMS_SECRET,
    )
    assert response.status_code == 400
    assert "errors" in response.json()


def test_the_generic_webhook_refuses_a_list_where_text_belongs(client):
    body = json.dumps({"from": PHONE, "text": ["RATE", "X"]})
    response = client.post(
        "/api/v1/sms/inbound",
        body,
        content_type="application/json",
        HTTP_X_AFTERCARE_WEBHOOK_SECRET=SMS_SECRET,
    )
    assert response.status_code == 400 and "text" in response.json()["errors"]


def test_the_generic_webhook_still_answers_with_the_reply(client, issue):
    body = json.dumps({"from": PHONE, "text": f"RATE {issue()} 5 4 5 5 4", "id": "m1"})
    response = client.post(
        "/api/v1/sms/inbound",
        body,
        content_type="application/json",
        HTTP_X_AFTERCARE_WEBHOOK_SECRET=SMS_SECRET,
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_wrong_codes_by_sms_count_per_phone_whatever_its_spelling(client, settings, issue):
    settings.AFTERCARE_FEEDBACK_CODE_FAILURES = 3
    code = issue()
    spellings = ["+27825550123", "0825550123", "27825550123", "082 555 0123"]
    for i, sender in enumerate(spellings[:3]):
        body = json.dumps({"from": sender, "text": f"RATE ZZZZZ{i} 5 5 5 5 5", "id": f"guess-{i}"})
        client.post(
            "/api/v1/sms/inbound",
            body,
            content_type="application/json",
            HTTP_X_AFTERCARE_WEBHOOK_SECRET=SMS_SECRET,
        )
    body = json.dumps({"from": spellings[3], "text": f"RATE {code} 5 5 5 5 5", "id": "guess-4"})
    answer = client.post(
        "/api/v1/sms/inbound",
        body,
        content_type="application/json",
        HTTP_X_AFTERCARE_WEBHOOK_SECRET=SMS_SECRET,
    ).json()
    assert answer["status"] == "rejected" and "Too many wrong codes" in answer["reply"]
    assert not Rating.objects.exists()


def test_production_refuses_the_published_demo_webhook_secret():
    from tests.core.test_settings import SECURE, start

    assert start(SECURE).returncode == 0  # no secret: every SMS refused, but it starts
    result = start({**SECURE, "AFTERCARE_SMS_WEBHOOK_SECRET": "demo-sms-webhook-secret"})
    assert (
        result.returncode != 0
        and "AFTERCARE_SMS_WEBHOOK_SECRET is the published demo secret" in result.stderr
    )
