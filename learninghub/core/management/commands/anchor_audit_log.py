"""Record where the audit chain stands in the append-only anchor file (and the log).

Safe to run as often as a deployment likes (the daily job runs it; every few minutes narrows
what could be deleted unnoticed): when nothing was added since the last anchor, nothing is
written.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from learninghub.core.audit.anchors import AnchorRefused, anchor_head
from learninghub.core.audit.verify import short


class Command(BaseCommand):
    help = "Append the audit chain's head (sequence number and seal) to AUDIT_ANCHOR_FILE."

    def handle(self, *args, **options):
        path = settings.AUDIT_ANCHOR_FILE
        try:
            result = anchor_head(path)
        except (AnchorRefused, ImproperlyConfigured) as refusal:
            raise CommandError(f"Not anchored: {refusal}") from None
        except OSError as error:
            raise CommandError(
                f"Not anchored: the anchor file {path} cannot be written "
                f"({error.strerror or error})"
            ) from None
        if result.head is None:
            self.stdout.write("The audit log is empty: there is nothing to anchor yet.")
        elif not result.written:
            self.stdout.write(
                f"Already anchored: event {result.head.sequence} is still the newest "
                f"(seal {short(result.head.hash)}); nothing written."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Anchored event {result.head.sequence} (seal {short(result.head.hash)}) "
                    f"in {path}"
                )
            )
