"""The htmx configuration every page serves must fit the strict Content-Security-Policy."""

from __future__ import annotations

import json
import re

import pytest


@pytest.mark.django_db
def test_served_htmx_config_applies_no_inline_style(client):
    response = client.get("/accounts/sign-in/")
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]
    found = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", response.content.decode())
    assert found, "the base template serves no htmx-config"
    config = json.loads(found.group(1))
    # htmx would insert its indicator <style> and, by default, copy the style attribute from the
    # old element onto the swapped-in one: both are inline styles the policy refuses.
    assert config["includeIndicatorStyles"] is False
    assert "style" not in config["attributesToSettle"]
    assert config["allowEval"] is False
