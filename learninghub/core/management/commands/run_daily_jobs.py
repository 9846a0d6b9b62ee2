"""Run each of the service's daily jobs once: what a timer (systemd, cron) calls every day.

The jobs are management commands, named in the setting DAILY_JOBS. A job that fails does not
stop the others (an anchor not written must not also leave the reminders unscheduled): each
one's outcome is printed and logged, and the command exits non-zero if any failed, so the
timer's failure alert fires.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger("learninghub.jobs")


class Command(BaseCommand):
    help = "Run every daily job in settings.DAILY_JOBS once; exit non-zero if any failed."

    def handle(self, *args, **options):
        jobs = list(settings.DAILY_JOBS)
        failed = []
        for name in jobs:
            started = time.monotonic()
            try:
                try:
                    call_command(name, stdout=self.stdout, stderr=self.stderr)
                except SystemExit as exit_:
                    # A job that calls sys.exit() must not end the others' run.
                    if exit_.code not in (None, 0):
                        raise CommandError(f"exited with status {exit_.code}") from exit_
            except Exception as exc:
                failed.append(name)
                reason = str(exc) or type(exc).__name__
                logger.exception("Daily job %s failed: %s", name, reason)
                self.stderr.write(self.style.ERROR(f"{name}: failed: {reason}"))
                continue
            seconds = time.monotonic() - started
            logger.info("Daily job %s succeeded in %.1f s", name, seconds)
            self.stdout.write(self.style.SUCCESS(f"{name}: done in {seconds:.1f} s"))
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(jobs)} daily jobs failed: {', '.join(failed)}"
            )
        self.stdout.write(self.style.SUCCESS(f"All {len(jobs)} daily jobs succeeded"))
