from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aftercare.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = (
        "Print a new API bearer token for USERNAME (for scripts, and as the "
        "password of a phone's ODK Collect: one token per device, with --hours "
        "for its lifetime); --revoke withdraws every live token of USERNAME."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--hours", type=int, default=None, help="lifetime (default AFTERCARE_API_TOKEN_HOURS)"
        )
        parser.add_argument(
            "--revoke", action="store_true", help="withdraw every live token of USERNAME instead"
        )

    def handle(self, *args, username, hours, revoke, **options):
        if revoke:
            count = (
                ApiToken.objects.live()
                .filter(user__username=username)
                .update(revoked_at=timezone.now())
            )
            self.stdout.write(f"revoked {count} token(s) of {username}")
            return
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user {username!r}") from exc
        raw, token = ApiToken.issue(user, hours=hours)
        self.stdout.write(raw)
        self.stderr.write(f"expires {token.expires_at.isoformat()}")
