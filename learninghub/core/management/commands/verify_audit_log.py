from django.core.management.base import BaseCommand, CommandError

from learninghub.core.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain; report the first broken link if any."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit log broken at event {report.broken_at}: {report.reason} "
                f"({report.checked} events before it are intact)"
            )
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {report.checked} events checked"))
