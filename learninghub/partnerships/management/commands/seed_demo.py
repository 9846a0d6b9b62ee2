from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from learninghub.core.permissions import ROLES_REQUIRING_TWO_FACTOR
from learninghub.partnerships.demo import DEMO_PASSWORD, load_demo_data
from learninghub.reviews.demo import load_review_demo_data


class Command(BaseCommand):
    help = "Load the fictional demonstration data (safe to run again) and print the demo logins."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo data has published passwords, so it is refused here "
                "(DEMO_DATA_ALLOWED is off in these settings)"
            )
        accounts = load_demo_data()
        created = load_review_demo_data()
        self.stdout.write(f"Demo case reviews created: {len(created)}")
        self.stdout.write("")
        self.stdout.write(
            "Demo logins (fictional demonstration data). Password for all: " + DEMO_PASSWORD
        )
        self.stdout.write("Two-factor: add the TOTP secret to an authenticator app, or run")
        self.stdout.write("  .venv/bin/python manage.py demo_totp_code EMAIL")
        self.stdout.write("")
        self.stdout.write(f"{'Role':<22} {'Email':<42} TOTP secret")
        for account in accounts:
            needs = account.role is None or account.role in ROLES_REQUIRING_TWO_FACTOR
            secret = account.totp_secret if needs else "(not needed for this role)"
            self.stdout.write(f"{account.role_label:<22} {account.email:<42} {secret}")
        self.stdout.write("")
