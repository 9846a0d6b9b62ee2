"""Background work for accounts: registration, password reset and confirmation resend.

The pages only queue these, so a visitor's request does the same work (and takes the same
time) whether or not the address they typed has an account; the worker (django-tasks-db)
looks the address up and sends whatever email is due.

The details travel encrypted with the field encryption key: the task table, which is kept
after the task has run and listed in the admin, holds no email address, name or password
hash in clear.
"""

from __future__ import annotations

import json
import logging

from django_tasks import task
from django_tasks.base import Task

from learninghub.core import crypto

from . import selectors, services

logger = logging.getLogger(__name__)


def queue(job: Task, **details) -> None:
    job.enqueue(crypto.encrypt(json.dumps(details)))


def _details(payload: str) -> dict:
    return json.loads(crypto.decrypt(payload))


# Each task returns nothing: a task's return value is stored with its result.


@task()
def register_practitioner(payload: str) -> None:
    details = _details(payload)
    agency = selectors.agency_for_registration(pk=details["agency_id"])
    if agency is None:
        logger.warning("A queued registration named an agency that no longer takes them")
        return
    services.practitioner_register(
        email=details["email"],
        full_name=details["full_name"],
        password_hash=details["password_hash"],
        agency=agency,
        ip_address=details["ip_address"],
    )


@task()
def send_password_reset(payload: str) -> None:
    details = _details(payload)
    services.password_reset_send(email=details["email"], ip_address=details["ip_address"])


@task()
def resend_confirmation(payload: str) -> None:
    details = _details(payload)
    services.confirmation_resend(email=details["email"], ip_address=details["ip_address"])
