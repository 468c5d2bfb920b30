from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from aftercare.accounts.models import Organisation, User
from aftercare.accounts.roles import Role
from aftercare.accounts.services import AccountError, add_user


class Command(BaseCommand):
    help = (
        "Manage users: `user add USERNAME --org SLUG "
        "--role ROLE --password PW [--no-2fa]`, `user list`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a user, or a membership to an existing user")
        add.add_argument("username")
        add.add_argument("--org", required=True, help="organisation slug")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--password", required=True)
        add.add_argument("--email", default="")
        add.add_argument(
            "--no-2fa",
            action="store_true",
            help="exempt from two-factor sign-in (refused in production mode)",
        )
        sub.add_parser("list", help="list users and their memberships")

    def handle(self, *args, action, **options):
        if action == "list":
            for user in User.objects.prefetch_related("memberships__organisation"):
                roles = ", ".join(f"{m.organisation.slug}:{m.role}" for m in user.memberships.all())
                self.stdout.write(f"{user.username}\t{roles}")
            return
        try:
            org = Organisation.objects.get(slug=options["org"])
        except Organisation.DoesNotExist as exc:
            raise CommandError(
                f"No organisation with the slug {options['org']!r}; "
                "add it with `aftercare org add`."
            ) from exc
        try:
            validate_password(options["password"], User(username=options["username"]))
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from exc
        try:
            user = add_user(
                options["username"],
                options["password"],
                org,
                Role(options["role"]),
                email=options["email"],
                two_factor_exempt=options["no_2fa"],
            )
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{user.username} is {options['role']} at {org.slug}"))
