"""Production mode refuses an insecure configuration."""

import os
import subprocess
import sys

import pytest

SECURE = {
    "AFTERCARE_PRODUCTION": "1",
    "SECRET_KEY": "x" * 50,
    "AFTERCARE_FIELD_KEYS": "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=",
    "AFTERCARE_BLIND_INDEX_KEY": "an index key that is long enough",
    "DATABASE_URL": "postgres://aftercare@127.0.0.1:5432/aftercare",
    "ALLOWED_HOSTS": "aftercare.example.org",
}


def start(env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AFTERCARE_", "SECRET_KEY", "DATABASE_URL", "DJANGO_"))
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import django, os; "
                "os.environ['DJANGO_SETTINGS_MODULE']='aftercare.settings'; django.setup()"
            ),
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_secure_production_configuration_starts():
    assert start(SECURE).returncode == 0


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"AFTERCARE_FIELD_KEYS": ""}, "AFTERCARE_FIELD_KEYS"),
        ({"AFTERCARE_BLIND_INDEX_KEY": ""}, "AFTERCARE_BLIND_INDEX_KEY"),
        ({"DATABASE_URL": ""}, "SQLite"),
    ],
)
def test_insecure_production_configuration_is_refused(change, complaint):
    result = start({**SECURE, **change})
    assert result.returncode != 0
    assert "Refusing to start in production mode" in result.stderr and complaint in result.stderr


def test_a_bad_boolean_is_a_clear_error():
    result = start({"DJANGO_DEBUG": "perhaps"})
    assert result.returncode != 0 and "DJANGO_DEBUG must be a boolean" in result.stderr
