"""The account emails are notices (core.notify): each has its subject, a plain-text body and
an HTML part with the same words and the same link, in a page that declares its language."""

from __future__ import annotations

from bs4 import BeautifulSoup
from django.urls import reverse

from learninghub.core.notify import absolute_url
from learninghub.core.permissions import Role
from learninghub.partnerships import services
from learninghub.partnerships.tests.factories import UserFactory

from .test_invitation import invite
from .test_registration import register


def parts(message) -> tuple[str, BeautifulSoup]:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return message.body, BeautifulSoup(html, "html.parser")


def assert_same_notice(message, *, link_start: str, sentence: str) -> None:
    text, soup = parts(message)
    assert soup.html["lang"] == "en"
    assert soup.title.get_text() == message.subject
    assert sentence in text
    assert sentence in " ".join(soup.get_text().split())
    (anchor,) = soup.find_all("a")
    assert anchor["href"].startswith(link_start)
    assert anchor["href"] in text, "the same link in both parts"


def test_the_invitation(world, bu_auditor, sent):
    world.partnership.name = "Northdale & Eastmoor Partnership"
    world.partnership.save()
    with sent():
        invite(bu_auditor, world, role=Role.AGENCY_LEAD)

    (message,) = sent.outbox
    # An ampersand stays one in the subject and the plain text: they are not HTML.
    assert message.subject == (
        "You are invited to Northdale & Eastmoor Partnership on Safeguarding Learning Hub"
    )
    assert "join Northdale & Eastmoor Partnership as Agency lead." in message.body
    assert_same_notice(
        message,
        link_start=absolute_url(reverse("accounts:invitation", args=["T"])).removesuffix("T/"),
        sentence="If you did not expect this email, you can ignore it.",
    )
    assert "&amp;" in str(parts(message)[1]), "escaped in the HTML"


def test_the_confirmation_link(world, sent):
    with sent():
        register(world)

    (message,) = sent.outbox
    assert message.subject == "Confirm your email address for Safeguarding Learning Hub"
    assert_same_notice(
        message,
        link_start=absolute_url(reverse("accounts:confirm_email", args=["T"])).removesuffix("T/"),
        sentence="Confirm your email address within 48 hours to finish registering:",
    )


def test_the_already_registered_notice(world, sent):
    UserFactory(email="taken@example.org")
    with sent():
        register(world, email="taken@example.org")

    (message,) = sent.outbox
    assert message.subject == "You already have an account on Safeguarding Learning Hub"
    assert_same_notice(
        message,
        link_start=absolute_url(reverse("accounts:login")),
        sentence="If this was not you, you can ignore this email.",
    )


def test_the_password_reset_link(world, sent):
    with sent():
        services.password_reset_send(email="practitioner@example.org")

    (message,) = sent.outbox
    assert message.subject == "Reset your password for Safeguarding Learning Hub"
    assert_same_notice(
        message,
        link_start=absolute_url(reverse("accounts:password_reset")),
        sentence="Use this link within 2 hours to choose a new password:",
    )
