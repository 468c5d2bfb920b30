import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from aftercare.risk.instruments import (
    activate_instrument,
    create_instrument_version,
    instrument_definition,
)
from aftercare.risk.models import Instrument
from aftercare.risk.services import DEFAULT_INSTRUMENT


class Command(BaseCommand):
    help = (
        "Versions of the risk instrument as data. `list`; `export "
        "[--number N]` prints JSON; `import FILE [--activate]` adds "
        "the next version; `activate N` makes version N the one in use."
    )

    def add_arguments(self, parser):
        parser.add_argument("operation", choices=["list", "export", "import", "activate"])
        parser.add_argument(
            "argument", nargs="?", help="the JSON file to import, or the version to activate"
        )
        parser.add_argument("--code", default=DEFAULT_INSTRUMENT)
        parser.add_argument(
            "--number", dest="instrument_version", type=int, help="with export: which version"
        )
        parser.add_argument(
            "--activate", action="store_true", help="with import: use the new version from now on"
        )

    def handle(self, *args, operation, argument, code, instrument_version, activate, **options):
        versions = Instrument.objects.filter(code=code)
        if operation == "list":
            for instrument in versions.order_by("version"):
                mark = "active" if instrument.active else ""
                self.stdout.write(
                    f"{instrument.code} v{instrument.version}  {instrument.name}  {mark}"
                )
        elif operation == "export":
            chosen = (
                versions.filter(version=instrument_version)
                if instrument_version
                else versions.filter(active=True)
            )
            instrument = chosen.prefetch_related("factors").first()
            if instrument is None:
                raise CommandError("No such version.")
            self.stdout.write(
                json.dumps(instrument_definition(instrument), indent=2, ensure_ascii=False)
            )
        elif operation == "import":
            if not argument:
                raise CommandError("Name the JSON file to import (or - for standard input).")
            try:
                text = (
                    sys.stdin.read() if argument == "-" else open(argument, encoding="utf-8").read()  # noqa: SIM115
                )
                definition = json.loads(text)
                instrument = create_instrument_version(definition, activate=activate)
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
            except ValidationError as exc:
                problems = "; ".join(
                    f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()
                )
                raise CommandError(problems) from exc
            state = "active" if activate else "not active; run `activate` to use it"
            self.stdout.write(f"Added {instrument.code} v{instrument.version} ({state}).")
        else:
            if not (argument or "").isdigit():
                raise CommandError("Name the version to activate, as a number.")
            instrument = versions.filter(version=int(argument)).first()
            if instrument is None:
                raise CommandError("No such version.")
            activate_instrument(instrument)
            self.stdout.write(f"{instrument.code} v{instrument.version} is now active.")
