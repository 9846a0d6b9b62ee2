"""Issue an API token for a person, for operators setting up an integration.

    manage.py create_api_token EMAIL --name NAME [--scope read|write] [--days N]

The same rules as the API tokens page: only a person allowed tokens (business unit members and
system administrators), a name they do not already use, an expiry of at most a year. The audit
log names the operating-system account that ran it, as no one is signed in. The token is
printed alone on the last line, so a script can take it with `tail -n 1`; it is shown once,
like on the page, and kept nowhere.
"""

from __future__ import annotations

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from learninghub.core.audit.auditor import Auditor
from learninghub.core.jinja2env import govuk_date
from learninghub.partnerships import selectors as people

from ...models import ApiToken
from ...services import DEFAULT_DAYS, MAX_DAYS, api_token_create


def _operator() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # A container may run as a user id with no name; the event still says it was a person
        # at a terminal, not the web service.
        return "an unnamed operating-system user"


class Command(BaseCommand):
    help = (
        "Create an API token for a person allowed tokens. "
        "The token is printed once, alone on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The email address of the person the token acts as")
        parser.add_argument("--name", required=True, help="What the token is for")
        parser.add_argument(
            "--scope",
            default=ApiToken.Scope.READ.value,
            help="read (the default: reads only) or write (reads and writes)",
        )
        parser.add_argument(
            "--days",
            default=str(DEFAULT_DAYS),
            help=f"Days until the token expires, 1 to {MAX_DAYS} (default {DEFAULT_DAYS})",
        )

    def handle(self, *args, email: str, name: str, scope: str, days: str, **options):
        if scope not in ApiToken.Scope.values:
            raise CommandError(f"--scope must be read or write, not {scope!r}")
        try:
            days_number = int(days)
        except ValueError:
            days_number = 0
        if not 1 <= days_number <= MAX_DAYS:
            raise CommandError(f"--days must be a whole number from 1 to {MAX_DAYS}, not {days!r}")
        user = people.user_get_by_email(email=email)
        if user is None:
            raise CommandError(f"No one has the email address {email}")
        if not user.is_active:
            raise CommandError(f"The account {user.email} is deactivated")
        if not user.has_perm("api.hold_token"):
            raise CommandError(
                f"{user.email} may not hold API tokens: only business unit members and system "
                "administrators may"
            )
        auditor = Auditor.for_system(f"create_api_token (run by {_operator()})")
        try:
            token, plaintext = api_token_create(
                auditor=auditor, user=user, name=name, scope=scope, days=days_number
            )
        except ValidationError as error:
            raise CommandError(
                f"No token was created for {user.email}: " + " ".join(error.messages)
            ) from None
        can = "read and write" if token.can_write else "only read"
        self.stdout.write(f"Created the API token {token.name} for {user.email}.")
        self.stdout.write(
            f"It can {can}, and expires on {govuk_date(token.expires_at)}. "
            "Copy it now: it will not be shown again."
        )
        self.stdout.write(plaintext)
