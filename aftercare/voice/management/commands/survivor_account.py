from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from aftercare.accounts.models import User
from aftercare.accounts.services import actor_for
from aftercare.cases.models import Survivor
from aftercare.core.errors import DomainError
from aftercare.voice import portal_accounts


class Command(BaseCommand):
    help = (
        "A survivor's portal account, made by a case worker of the organisation holding the "
        "case: `survivor-account link CASE_CODE --by CASE_WORKER [--username U] [--phone P] "
        "[--pin PIN]`, `survivor-account reset-pin CASE_CODE --by CASE_WORKER [--pin PIN]`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("link", "reset-pin"):
            command = sub.add_parser(name)
            command.add_argument("case_code")
            command.add_argument("--by", required=True, help="username of the case worker acting")
            command.add_argument(
                "--pin", default="", help="6 to 12 digits; made up and printed when left out"
            )
            if name == "link":
                command.add_argument("--username", default="")
                command.add_argument("--phone", default="")
                command.add_argument("--use-case-phone", action="store_true")

    def handle(self, *args, action, **options):
        try:
            by = User.objects.get(username=options["by"])
            survivor = Survivor.objects.get(case_code=options["case_code"].upper())
        except (User.DoesNotExist, Survivor.DoesNotExist) as exc:
            raise CommandError("No such case worker or case code.") from exc
        actor = actor_for(by, str(survivor.organisation_id))
        try:
            if action == "link":
                account, pin = portal_accounts.link_account(
                    actor,
                    survivor,
                    username=options["username"],
                    pin=options["pin"],
                    phone=options["phone"],
                    use_case_phone=options["use_case_phone"],
                )
                username = account.user.username
            else:
                pin = portal_accounts.reset_pin(actor, survivor, options["pin"])
                username = portal_accounts.get_account(actor, survivor).user.username
        except PermissionDenied as exc:
            raise CommandError(
                f"{by.username} may not manage portal accounts of {survivor.case_code}."
            ) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{survivor.case_code}: username {username}, "
                f"PIN {pin} (tell the survivor; shown once)"
            )
        )
