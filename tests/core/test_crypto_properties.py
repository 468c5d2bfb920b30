"""Encryption and the blind index over arbitrary text (names come in every script)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare.core import crypto

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80)


@given(text)
@settings(max_examples=200, deadline=None)
def test_encryption_round_trips_and_never_shows_the_plaintext(value):
    token = crypto.encrypt(value)
    assert crypto.decrypt(token) == value
    if len(value) >= 4:
        assert value not in token


@given(text)
@settings(max_examples=200, deadline=None)
def test_blind_index_ignores_surrounding_and_repeated_spaces(value):
    spaced = "  " + value.replace(" ", "   ") + " "
    assert crypto.blind_index(value) == crypto.blind_index(spaced)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=40))
def test_blind_index_ignores_letter_case(value):
    assert crypto.blind_index(value) == crypto.blind_index(value.upper())


@given(text, text)
@settings(max_examples=200, deadline=None)
def test_different_normalised_values_get_different_indexes(a, b):
    if crypto.normalise(a) != crypto.normalise(b) and crypto.normalise(a) and crypto.normalise(b):
        assert crypto.blind_index(a) != crypto.blind_index(b)
