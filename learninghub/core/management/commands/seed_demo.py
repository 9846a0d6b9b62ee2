from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from learninghub.core.demo import load_all


class Command(BaseCommand):
    help = "Load the fictional demonstration data (safe to run again) and print the demo logins."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo data has published passwords, so it is refused here "
                "(DEMO_DATA_ALLOWED is off in these settings)"
            )
        loaded = load_all()
        for line in [*loaded.summary, "", *loaded.afterword]:
            self.stdout.write(line)
