"""/metrics is for the local scraper or a token holder, and names routes, never paths."""

import pytest


def test_metrics_from_loopback(client):
    client.get("/health")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert (
        'aftercare_http_requests_total{method="GET",route="core:health",status="200"}'
        in response.content.decode()
    )


def test_metrics_refuse_an_outside_address(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403


def test_metrics_refuse_a_request_forwarded_by_a_proxy_on_the_same_host(client):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 403


def test_metrics_with_the_token_from_anywhere(client, settings):
    settings.AFTERCARE_METRICS_TOKEN = "scrape-token-0123456789"
    assert (
        client.get(
            "/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong"
        ).status_code
        == 403
    )
    response = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789"
    )
    assert response.status_code == 200


def test_a_configured_network_may_scrape(client, settings):
    settings.AFTERCARE_METRICS_NETWORKS = ["10.20.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


@pytest.mark.django_db
def test_labels_name_the_route_not_the_case(client, survivor_a):
    client.get(f"/cases/{survivor_a.pk}/")
    body = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert str(survivor_a.pk) not in body
