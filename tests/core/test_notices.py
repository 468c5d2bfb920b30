"""Notifications are stored as a key and parameters and worded in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from aftercare.core.models import Notification
from aftercare.core.notices import NOTICES, Notice, choice, choice_list, when
from aftercare.core.notify import notify_user
from aftercare.network.taxonomy import ServiceDomain
from aftercare.referrals.models import ReferralStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_a_notice_is_stored_as_key_and_parameters_not_as_text(case_worker_a, org_a):
    note = notify_user(
        case_worker_a,
        Notice("referral.expired", {"code": "AC-1234567", "org": "Khanya"}),
        "/r/",
        org_a,
    )
    stored = Notification.objects.get(pk=note.pk)
    assert (stored.key, stored.params, stored.message) == (
        "referral.expired",
        {"code": "AC-1234567", "org": "Khanya"},
        "",
    )
    assert (
        stored.text
        == "Referral AC-1234567 to Khanya expired without an answer. Consider another organisation."
    )
    with translation.override("bn"):
        assert (
            stored.text
            == "Khanya-এ রেফারাল AC-1234567 উত্তর ছাড়াই মেয়াদোত্তীর্ণ হয়েছে। অন্য কোনো সংস্থার কথা ভাবুন।"
        )
    with translation.override("hi"):
        assert "AC-1234567" in stored.text and "Referral" not in stored.text


def test_labels_plurals_and_dates_are_worded_when_read():
    notice = Notice(
        "referral.new",
        {
            "code": "AC-1",
            "domains": choice_list(ServiceDomain, ["housing", "legal"]),
            "deadline": when(datetime(2026, 3, 5, 14, 30, tzinfo=UTC)),
        },
    )
    assert (
        notice.text("en")
        == "New referral AC-1 for Safe housing, Legal support — answer by March 5, 2026, 2:30 p.m."
    )
    bengali = notice.text("bn")
    assert "নিরাপদ থাকার জায়গা, আইনি সহায়তা" in bengali and "মার্চ" in bengali
    status = Notice(
        "referral.status",
        {"code": "AC-1", "org": "Khanya", "status": choice(ReferralStatus, "accepted")},
    )
    assert status.text("en") == "Referral AC-1 to Khanya: Accepted"
    assert status.text("bn") == "Khanya-এ রেফারাল AC-1: গৃহীত"
    one, many = Notice("cases.import.done", {"n": 1}), Notice("cases.import.done", {"n": 3})
    assert one.text("en") == "Imported 1 case from a spreadsheet."
    assert many.text("en") == "Imported 3 cases from a spreadsheet."
    both = many.then(Notice("cases.import.duplicates", {"n": 2}))
    assert (
        both.text("en")
        == "Imported 3 cases from a spreadsheet. 2 may already exist in the network: check them."
    )
    assert (
        both.text("bn")
        == "স্প্রেডশিট থেকে 3টি কেস ইমপোর্ট হয়েছে। 2টি হয়তো আগে থেকেই নেটওয়ার্কে আছে: এগুলো যাচাই করুন।"
    )


def test_an_unknown_key_cannot_be_written():
    with pytest.raises(KeyError, match="unknown notice"):
        Notice("no.such.notice")


class _AnyValue(dict):
    def __missing__(self, key):
        return 2


def test_every_notice_is_worded_in_each_translated_language():
    """The wording goes through the catalogues (tests/core/test_i18n.py checks each is complete)."""
    for key, template in NOTICES.items():
        with translation.override("en"):
            english = str(template % _AnyValue())
        for code in (code for code, _name in settings.LANGUAGES if code != "en"):
            with translation.override(code):
                if (
                    Path(settings.LOCALE_PATHS[0]) / code
                ).is_dir():  # test_i18n fails for a missing one
                    assert str(template % _AnyValue()) != english, (code, key)


def test_rows_written_before_keys_keep_their_text(case_worker_a, org_a):
    old = Notification.objects.create(
        user=case_worker_a, organisation=org_a, message="Referral AC-9 to Khanya: Accepted"
    )
    with translation.override("bn"):
        assert old.text == "Referral AC-9 to Khanya: Accepted"


def test_the_notifications_page_words_each_in_the_readers_language(
    client, web_login, case_worker_a, org_a
):
    notify_user(
        case_worker_a, Notice("portal.goal_added", {"code": "AC-7654321"}), "/cases/", org_a
    )
    web_login(case_worker_a)
    english = client.get("/notifications/").content.decode()
    assert "The survivor of case AC-7654321 added a goal to their plan." in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    bengali = client.get("/notifications/").content.decode()
    assert "কেস AC-7654321-এর সারভাইভার তাঁর পরিকল্পনায় একটি লক্ষ্য যোগ করেছেন।" in bengali


def test_the_email_copy_is_in_the_recipients_language(
    case_worker_a, org_a, mailoutbox, django_capture_on_commit_callbacks
):
    case_worker_a.email = "thandi@example.org"
    case_worker_a.preferred_language = "bn"
    case_worker_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify_user(
            case_worker_a,
            Notice("referral.expired", {"code": "AC-1", "org": "Khanya"}),
            "/r/",
            org_a,
        )
    assert len(mail.outbox) == 1
    assert "Khanya-এ রেফারাল AC-1" in mail.outbox[0].body


def test_plain_text_is_refused_so_that_nothing_is_stored_in_one_language(case_worker_a, org_a):
    with pytest.raises(TypeError, match="Notice"):
        notify_user(case_worker_a, "Referral AC-1 to Khanya: Accepted", "/r/", org_a)
    assert not Notification.objects.exists()


def test_the_layout_shows_how_many_are_unread(web_login, case_worker_a, org_a):
    """The count is read when the layout shows it (casefile.navigation counts it lazily, so the
    survivor portal's layout, which has no notifications, does not count them)."""
    for code in ("AC-1111111", "AC-2222222"):
        notify_user(case_worker_a, Notice("portal.goal_added", {"code": code}), "/cases/", org_a)
    page = web_login(case_worker_a).get("/referrals/").content.decode()
    assert 'Notifications <span class="badge">2</span>' in page
