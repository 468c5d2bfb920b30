from django.core.management.base import BaseCommand, CommandError

from aftercare.accounts.models import Organisation, Team
from aftercare.accounts.services import AccountError, set_team


class Command(BaseCommand):
    help = "Teams that share a caseload: `team set ORG NAME --member USER ...`, `team list ORG`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser(
            "set", help="create a team (or update one with this name) with exactly these members"
        )
        add.add_argument("org", help="the organisation's slug")
        add.add_argument("name")
        add.add_argument(
            "--member", action="append", default=[], help="a member's username (repeat for each)"
        )
        listing = sub.add_parser("list", help="list an organisation's teams and their members")
        listing.add_argument("org")

    def handle(self, *args, action, **options):
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['org']!r}.")
        if action == "list":
            for team in Team.objects.of(organisation.pk).prefetch_related("members"):
                self.stdout.write(
                    f"{team.name}\t{', '.join(sorted(u.username for u in team.members.all()))}"
                )
            return
        try:
            team = set_team(organisation, options["name"], options["member"])
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Team {team.name} of {organisation.slug}: {team.members.count()} members"
            )
        )
