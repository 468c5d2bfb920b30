"""`aftercare check-deploy` lists every reason a configuration is unfit for production."""

import os
import subprocess
import sys

SECURE = {
    "AFTERCARE_PRODUCTION": "1",
    "SECRET_KEY": "k3y-" + "Zx9qW2e" * 8,
    "AFTERCARE_FIELD_KEYS": "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=",
    "AFTERCARE_BLIND_INDEX_KEY": "an index key that is long enough",
    "DATABASE_URL": "postgres://aftercare@127.0.0.1:5432/aftercare",
    "ALLOWED_HOSTS": "aftercare.example.org",
    "AFTERCARE_SSL_REDIRECT": "1",
    # Submitting the domain to the browsers' HSTS preload list is a deliberate, separate step.
    "AFTERCARE_SILENCED_CHECKS": "security.W021",
}


def check_deploy(env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AFTERCARE_", "SECRET_KEY", "DATABASE_URL", "DJANGO_", "REDIS_URL"))
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from aftercare.cli import main; main(['aftercare', 'check-deploy'])",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_embedded_default_is_not_fit_for_production():
    result = check_deploy({})
    assert result.returncode != 0
    for complaint in (
        "AFTERCARE_PRODUCTION is off",
        "SECRET_KEY",
        "AFTERCARE_FIELD_KEYS",
        "AFTERCARE_BLIND_INDEX_KEY",
        "SQLite",
        "security.W012",
    ):
        assert complaint in result.stderr


def test_every_problem_is_listed_even_where_production_mode_would_refuse_to_start():
    result = check_deploy(
        {**SECURE, "DJANGO_DEBUG": "1", "AFTERCARE_FIELD_KEYS": "", "DATABASE_URL": ""}
    )
    assert result.returncode != 0
    assert "Refusing to start" not in result.stderr
    for complaint in (
        "DJANGO_DEBUG is on",
        "AFTERCARE_FIELD_KEYS is not set",
        "SQLite",
        "security.W018",
    ):
        assert complaint in result.stderr


def test_a_secure_configuration_passes():
    result = check_deploy(SECURE)
    assert result.returncode == 0, result.stderr
    assert "Fit for production" in result.stdout
    assert "silenced by AFTERCARE_SILENCED_CHECKS: security.W021" in result.stdout
