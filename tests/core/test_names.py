"""Country and language names in the reader's language, from CLDR where django-countries has
none."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from aftercare.cases.forms import SurvivorForm
from aftercare.core.names import country_choices, country_name
from aftercare.network.languages import language_name, language_names


@pytest.fixture(autouse=True)
def _english_after():
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "South Africa"),
        ("hi", "दक्षिण अफ़्रीका"),
        ("bn", "দক্ষিণ আফ্রিকা"),
        ("sw", "Afrika Kusini"),
        ("zu", "iNingizimu Afrika"),
    ],
)
def test_a_country_is_named_in_the_readers_language(language, expected):
    assert country_name("ZA", language) == expected
    with translation.override(language):
        assert country_name("za") == expected


def test_no_country_is_no_name_and_an_unknown_code_stays_itself():
    assert country_name("") == ""
    assert country_name("QQ", "bn") == "QQ"


def test_country_choices_are_sorted_by_the_name_the_reader_sees():
    names = [name for _code, name in country_choices("bn")]
    assert names == sorted(names)
    assert ("IN", "ভারত") in country_choices("bn")
    assert ("KE", "Kenya") in country_choices("en")


def test_languages_come_from_the_catalogue_then_from_cldr():
    assert language_name("zu", "en") == "isiZulu"
    assert language_name("zu", "bn") == "ইসিজুলু"  # Aftercare's own Bengali catalogue
    assert language_name("yo", "en") == "Yoruba"  # not in Aftercare's list: CLDR
    assert language_name("yo", "sw") == "Kiyoruba"
    assert language_name("qqq", "bn") == "qqq"
    assert language_names(["en", "zu"], "bn") == "ইংরেজি, ইসিজুলু"
    assert language_names([], "bn") == ""


@pytest.mark.django_db
def test_case_page_names_nationality_and_languages_in_bengali(
    client, web_login, case_worker_a, survivor_a
):
    survivor_a.nationality = "IN"
    survivor_a.languages = ["bn", "en"]
    survivor_a.save()
    web_login(case_worker_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    page = client.get(f"/cases/{survivor_a.pk}/").content.decode()
    assert 'lang="bn"' in page
    assert "<dd>ভারত</dd>" in page
    assert "<dd>বাংলা, ইংরেজি</dd>" in page
    assert "<dd>bn, en</dd>" not in page


def test_the_country_field_offers_names_in_the_readers_language():
    with translation.override("sw"):
        choices = dict(SurvivorForm().fields["nationality"].choices)
    assert choices["ZA"] == "Afrika Kusini"
