"""The `aftercare` command: Aftercare's own commands by their dashed names, then all of manage.py.

aftercare org add SLUG --name NAME --kind KIND --country CC
aftercare user add USERNAME --org SLUG --role ROLE --password PW [--no-2fa]
aftercare team set ORG NAME --member USERNAME ... | team list ORG
aftercare token USERNAME
aftercare demo-data
aftercare synth --survivors N
aftercare rotate-keys
aftercare risk-instrument list|export|import FILE --activate|activate N
aftercare flag-overdue-follow-ups
aftercare htcds-doc [--check]
aftercare survivor-account link|reset-pin CASE_CODE --by CASE_WORKER [--pin PIN]
aftercare check-deploy
aftercare cldr-dates
aftercare <any manage.py command>
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "demo-data": "demo_data",
    "rotate-keys": "rotate_keys",
    "generate-key": "generate_key",
    "import-cases": "import_cases",
    "risk-instrument": "risk_instrument",
    "flag-overdue-follow-ups": "flag_overdue_follow_ups",
    "htcds-doc": "htcds_doc",
    "survivor-account": "survivor_account",
    "check-deploy": "check_deploy",
    "cldr-dates": "cldr_dates",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
    for position in (1, 2) if len(argv) > 2 and argv[1] == "help" else (1,):
        if len(argv) > position:
            argv[position] = ALIASES.get(argv[position], argv[position])
    if argv[1:2] != ["runserver"]:  # commands do long work on purpose: no statement timeout
        os.environ.setdefault("AFTERCARE_STATEMENT_TIMEOUT_MS", "0")
    if argv[1:2] == ["check_deploy"]:  # list every problem rather than refuse at settings import
        os.environ["AFTERCARE_SKIP_DEPLOY_CHECK"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(["aftercare", *argv[1:]])


if __name__ == "__main__":
    main()
