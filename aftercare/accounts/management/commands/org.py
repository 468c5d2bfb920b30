from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from aftercare.accounts.models import Organisation, OrganisationKind


class Command(BaseCommand):
    help = "Manage organisations: `org add SLUG --name NAME --kind KIND --country CC`, `org list`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add an organisation (or update one with this slug)")
        add.add_argument("slug")
        add.add_argument("--name", required=True)
        add.add_argument("--kind", required=True, choices=OrganisationKind.values)
        add.add_argument(
            "--country", required=True, help="ISO 3166 alpha-2 code, e.g. ZA, IN, KE, UG"
        )
        sub.add_parser("list", help="list organisations")

    def handle(self, *args, action, **options):
        if action == "list":
            for org in Organisation.objects.all():
                self.stdout.write(f"{org.slug}\t{org.kind}\t{org.country}\t{org.name}")
            return
        slug = options["slug"]
        if slugify(slug) != slug:
            raise CommandError(f"The slug {slug!r} must be lower case letters, digits and dashes.")
        country = options["country"].upper()
        if len(country) != 2 or not country.isalpha():
            raise CommandError("--country must be a two-letter ISO 3166 code, e.g. ZA")
        org, created = Organisation.objects.update_or_create(
            slug=slug,
            defaults={"name": options["name"], "kind": options["kind"], "country": country},
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Added' if created else 'Updated'} organisation {org.slug} ({org.pk})"
            )
        )
