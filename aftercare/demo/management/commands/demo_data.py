from base64 import b32encode
from binascii import unhexlify

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aftercare.demo import network as demo


class Command(BaseCommand):
    help = (
        "Load the demo network (idempotent) and print "
        "one login per role. Refused in production mode."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survivors", type=int, default=demo.SURVIVOR_TARGET)
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the logins")

    def handle(self, *args, survivors, quiet_logins, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "The demo network is refused in production mode: it has known passwords."
            )
        result = demo.load(survivor_target=survivors)
        self.stdout.write(
            f"Demo network: {result['organisations']} organisations, {result['regions']} regions, "
            f"{result['survivors_added']} survivors added."
        )
        if quiet_logins:
            return
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins (password for all: {demo.DEMO_PASSWORD})")
        )
        self.stdout.write(f"  {'username':<16} {'role':<20} organisation")
        for login in demo.DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<16} {login.role.value:<20} {login.organisation}")
        self.stdout.write("")
        self.stdout.write(
            "Two-factor sign-in: every staff login asks for a 6-digit code after the password."
        )
        self.stdout.write(
            "  In the demo, print the current code with:   .venv/bin/aftercare otp USERNAME"
        )
        self.stdout.write("  or add the user's key to an authenticator app:")
        for login in demo.DEMO_LOGINS:
            if login.role != "survivor":
                key = b32encode(unhexlify(demo.demo_totp_key(login.username))).decode()
                self.stdout.write(f"    {login.username:<16} {key}")
        self.stdout.write(
            "  survivor.amara signs in with the password alone (survivors have no second factor)."
        )
        self.stdout.write(
            "  Survivor portal: /me/ as survivor.amara with the password or the PIN 246810."
        )
        code = result.get("voice", {}).get("sms_code")
        if code:
            self.stdout.write("")
            self.stdout.write(
                f"Try a rating by SMS (feedback code {code}, "
                "works once; the reply is printed here):"
            )
            self.stdout.write(
                "  curl -s -X POST http://127.0.0.1:8000/api/v1/sms/inbound "
                "-H 'Content-Type: application/json' -H 'X-Aftercare-Webhook-Secret: "
                f"{settings.AFTERCARE_SMS_WEBHOOK_SECRET}' -d '{{\"from\": "
                f'"+27825550199", "text": "RATE {code} 5 4 5 5 4"}}\''
            )
