"""Check the audit log: the sealed chain, then every anchor written outside the database.

Exits non-zero, naming each event missing or altered, if anything does not verify.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from learninghub.core.audit.anchors import verify_anchors
from learninghub.core.audit.verify import log_head, verify_chain


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Check the audit log's sealed chain and the anchors in AUDIT_ANCHOR_FILE; "
        "say exactly which events are missing or altered."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--require-anchors",
            action="store_true",
            help="Fail when the anchor file is missing or holds no anchors.",
        )

    def handle(self, *args, require_anchors=False, **options):
        path = settings.AUDIT_ANCHOR_FILE
        try:
            chain = verify_chain()
            anchors = verify_anchors(path, head=log_head())
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        problems = chain.problems + anchors.problems

        if not anchors.checked:
            absent = f"No anchor file at {path}" if not anchors.exists else f"No anchors in {path}"
            warning = (
                f"{absent}: only the chain was checked, so deleting the newest events would "
                "go unnoticed. Run `manage.py anchor_audit_log` regularly (the daily job does)."
            )
            if require_anchors:
                problems.append(warning)
            else:
                self.stderr.write(self.style.WARNING(f"Warning: {warning}"))

        if problems:
            listed = "\n".join(f"  - {problem}" for problem in problems)
            raise CommandError(
                f"The audit log does not verify ({counted(chain.checked, 'event')}, "
                f"{counted(anchors.checked, 'anchor')} checked):\n{listed}"
            )
        newest = f" (the newest records event {anchors.newest.sequence})" if anchors.newest else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log intact: {counted(chain.checked, 'event')} checked, "
                f"{counted(anchors.checked, 'anchor')} checked{newest}"
            )
        )
