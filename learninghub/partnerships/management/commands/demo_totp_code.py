from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from learninghub.partnerships.demo import ACCOUNTS


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (demo accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo accounts are refused here (DEMO_DATA_ALLOWED is off)")
        account = next((a for a in ACCOUNTS if a.email == email.lower()), None)
        if account is None:
            raise CommandError("Only the printed demo accounts have a code this command can show")
        self.stdout.write(f"{totp(bytes.fromhex(account.totp_key_hex)):06d}")
