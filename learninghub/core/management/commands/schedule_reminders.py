"""Queue the first run of the daily deadline reminders (safe to run again).

The reminders are the core's one job for every app (`learninghub.core.deadlines.tasks`).
Each run queues the next for 07:00 UK time the following day, so this is needed once, before
the worker starts (`make run` does it), and puts the chain back if it was ever lost.
"""

from django.core.management.base import BaseCommand

from learninghub.core.deadlines.selectors import task_queued
from learninghub.core.deadlines.tasks import TASK_PATH, send_deadline_reminders


class Command(BaseCommand):
    help = "Queue the daily deadline reminders, unless a run is already queued."

    def handle(self, *args, **options):
        if task_queued(task_path=TASK_PATH):
            self.stdout.write("Deadline reminders are already scheduled.")
            return
        send_deadline_reminders.enqueue()
        self.stdout.write("Deadline reminders queued: they run now, then every day at 07:00.")
