"""Rating by SMS: `RATE <code> <5 scores>`, a clear correction otherwise, a shared secret."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlencode

import pytest

from aftercare.voice import ratings, sms
from aftercare.voice.models import InboundSms, Rating
from tests.conftest import actor
from tests.voice.conftest import SMS_SECRET
from tests.voice.factories import ServiceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/sms/inbound"


@pytest.fixture
def code(survivor_a, case_worker_a):
    service = ServiceFactory(survivor=survivor_a)
    raw, _ = ratings.issue_code(actor(case_worker_a), service, service.organisation_id)
    return raw


def post(client, data, secret=SMS_SECRET, **headers):
    if secret is not None:
        headers["HTTP_X_AFTERCARE_WEBHOOK_SECRET"] = secret
    return client.post(
        URL, urlencode(data), content_type="application/x-www-form-urlencoded", **headers
    )


def test_a_good_message_is_rated_and_confirmed(client, code):
    response = post(client, {"from": "+254700000001", "text": f"RATE {code} 5 4 5 5 4"})
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert "Thank you" in response.json()["reply"]
    rating = Rating.objects.get()
    assert (
        rating.respect,
        rating.timeliness,
        rating.helpfulness,
        rating.safety,
        rating.information,
    ) == (5, 4, 5, 5, 4)
    assert rating.channel == "sms"


def test_twilio_style_fields_and_a_trailing_comment(client, code):
    response = post(
        client,
        {"From": "+254700000001", "Body": f"rate {code.lower()} 5,4,5,5,4 the nurse was kind"},
    )
    assert response.json()["status"] == "accepted"
    assert Rating.objects.get().comment == "the nurse was kind"


def test_five_scores_may_come_as_one_number(client, code):
    assert post(client, {"from": "1", "text": f"RATE {code} 54554"}).json()["status"] == "accepted"


def test_the_wrong_number_of_scores_gets_a_correction_and_stores_nothing(client, code):
    reply = post(client, {"from": "1", "text": f"RATE {code} 5 4 5"}).json()
    assert reply["status"] == "rejected"
    assert "We got 3 scores but need 5" in reply["reply"]
    assert not Rating.objects.exists() and not InboundSms.objects.exists()


def test_a_score_out_of_range_names_the_score(client, code):
    reply = post(client, {"from": "1", "text": f"RATE {code} 5 9 5 5 4"}).json()
    assert reply["status"] == "rejected"
    assert "Score 2 (on time) is 9" in reply["reply"]
    assert not Rating.objects.exists()


def test_an_unknown_code_is_named_in_the_reply(client, code):
    reply = post(client, {"from": "1", "text": "RATE QQQQ22 5 4 5 5 4"}).json()
    assert reply["status"] == "rejected"
    assert "QQQQ22 is not known" in reply["reply"]
    assert not Rating.objects.exists()


def test_a_message_without_a_code_gets_the_instructions(client, code):
    reply = post(client, {"from": "1", "text": "hello"}).json()
    assert reply["status"] == "rejected" and "RATE" in reply["reply"]


def test_a_used_code_is_refused(client, code):
    post(client, {"from": "1", "text": f"RATE {code} 5 4 5 5 4"})
    reply = post(client, {"from": "2", "text": f"RATE {code} 1 1 1 1 1"}).json()
    assert reply["status"] == "rejected" and "already used" in reply["reply"]
    assert Rating.objects.count() == 1


def test_a_replayed_message_gets_the_same_answer_and_counts_once(client, code):
    first = post(client, {"from": "1", "text": f"RATE {code} 5 4 5 5 4", "id": "gw-1"}).json()
    again = post(client, {"from": "1", "text": f"RATE {code} 5 4 5 5 4", "id": "gw-1"}).json()
    assert again == {"status": "duplicate", "reply": first["reply"]}
    assert Rating.objects.count() == 1


def test_a_replay_without_a_message_id_is_recognised_by_sender_and_text(client, code):
    post(client, {"from": "1", "text": f"RATE {code} 5 4 5 5 4"})
    assert (
        post(client, {"from": "1", "text": f"rate {code}  5 4 5 5 4"}).json()["status"]
        == "duplicate"
    )


def test_a_bad_secret_is_refused(client, code):
    response = post(client, {"from": "1", "text": f"RATE {code} 5 4 5 5 4"}, secret="wrong")
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_no_secret_is_refused(client, code):
    assert (
        post(client, {"from": "1", "text": f"RATE {code} 5 4 5 5 4"}, secret=None).status_code
        == 403
    )


def test_the_webhook_refuses_everything_when_no_secret_is_configured(client, code, settings):
    settings.AFTERCARE_SMS_WEBHOOK_SECRET = ""
    assert (
        post(client, {"from": "1", "text": f"RATE {code} 5 4 5 5 4"}, secret="").status_code == 403
    )


def test_an_hmac_signature_of_the_body_is_accepted(client, code):
    body = urlencode({"from": "1", "text": f"RATE {code} 5 4 5 5 4"})
    signature = hmac.new(SMS_SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
    response = client.post(
        URL,
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_X_AFTERCARE_SIGNATURE=f"sha256={signature}",
    )
    assert response.json()["status"] == "accepted"


def test_a_wrong_signature_is_refused(client, code):
    body = urlencode({"from": "1", "text": f"RATE {code} 5 4 5 5 4"})
    response = client.post(
        URL,
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_X_AFTERCARE_SIGNATURE="sha256=" + "0" * 64,
    )
    assert response.status_code == 403


def test_json_bodies_are_accepted_too(client, code):
    response = client.post(
        URL,
        {"from": "1", "text": f"RATE {code} 5 4 5 5 4"},
        content_type="application/json",
        HTTP_X_AFTERCARE_WEBHOOK_SECRET=SMS_SECRET,
    )
    assert response.json()["status"] == "accepted"


def test_no_phone_number_is_stored(client, code):
    post(client, {"from": "+254700123456", "text": f"RATE {code} 5 4 5 5 4"})
    assert "700123456" not in repr(list(InboundSms.objects.values()))


@pytest.mark.parametrize(
    ("text", "scores"),
    [
        ("RATE K7QX 5 4 5 5 4", [5, 4, 5, 5, 4]),
        ("k7qx 1 2 3 4 5 great", [1, 2, 3, 4, 5]),
        ("RATE K7QX 12345", [1, 2, 3, 4, 5]),
    ],
)
def test_parsing(text, scores):
    parsed = sms.parse(text)
    assert parsed.code.upper() == "K7QX" and list(parsed.scores.values()) == scores


@pytest.mark.parametrize(
    "text",
    [
        "",
        "RATE",
        "RATE 5 4 5 5 4",
        "RATE K7QX 5 4 5 5",
        "RATE K7QX 0 4 5 5 4",
        "RATE K7QX 5 4 5 5 6",
    ],
)
def test_parsing_refuses(text):
    with pytest.raises(sms.SmsFormatError):
        sms.parse(text)
