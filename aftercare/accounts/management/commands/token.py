from django.core.management.base import BaseCommand, CommandError

from aftercare.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Print a new API bearer token for USERNAME (for scripts)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--hours", type=int, default=None, help="lifetime (default AFTERCARE_API_TOKEN_HOURS)")

    def handle(self, *args, username, hours, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user {username!r}") from exc
        raw, token = ApiToken.issue(user, hours=hours)
        self.stdout.write(raw)
        self.stderr.write(f"expires {token.expires_at.isoformat()}")
