"""The survivor portal, the rating form and the feedback-code page in each of the five languages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


@pytest.fixture(autouse=True)
def _english_after():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def words(code: str, english: str) -> str:
    with translation.override(code):
        text = translation.gettext(english)
    assert text != english, f"{english!r} has no {code} translation"
    return text


@pytest.mark.parametrize("code", TRANSLATED)
def test_feedback_code_page_in_the_readers_language(client, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    page = client.get("/feedback/").content.decode()
    assert f'lang="{code}"' in page
    assert words(code, "Send my rating") in page
    assert words(code, "Quick exit") in page
    assert ">Send my rating<" not in page


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_portal_and_the_rating_form_follow_the_survivors_language(
    survivor_client, portal_a, code
):
    browser = survivor_client(portal_a)
    browser.post("/me/language/", {"language": code, "next": "/me/"})
    home = browser.get("/me/")
    assert home["Content-Language"] == code
    assert words(code, "My plan") in home.content.decode()
    rate = browser.get("/me/rate/").content.decode()
    assert words(code, "Rate a service") in rate


def test_the_language_menus_name_each_language_in_itself(client):
    page = client.get("/feedback/").content.decode()
    for code, name in (
        ("en", "English"),
        ("hi", "हिंदी"),
        ("bn", "বাংলা"),
        ("sw", "Kiswahili"),
        ("zu", "isiZulu"),
    ):
        assert f'<option value="{code}" lang="{code}"' in page and f">{name}</option>" in page
