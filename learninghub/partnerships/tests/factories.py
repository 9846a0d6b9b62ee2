"""Factories for partnerships, agencies and people: fictional, realistic test data."""

from __future__ import annotations

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from learninghub.core.permissions import Role
from learninghub.partnerships.models import (
    Agency,
    AgencyType,
    Membership,
    Partnership,
    Region,
    RegionalNetwork,
    User,
)

TEST_PASSWORD = "correct-horse-battery-2026"


class RegionalNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalNetwork

    name = factory.Sequence(lambda n: f"Test Regional Network {n}")
    region = Region.YORKSHIRE


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Testshire {n} Safeguarding Children Partnership")
    short_name = factory.Sequence(lambda n: f"TS{n}")
    region = Region.YORKSHIRE
    network = factory.SubFactory(RegionalNetworkFactory)
    is_demo = True


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Test Agency {n}")
    agency_type = AgencyType.POLICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    email_confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    agency = None
    role = Role.PRACTITIONER


def member(
    partnership: Partnership, role: str, agency: Agency | None = None, **user_kwargs
) -> User:
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, partnership=partnership, role=role, agency=agency)
    return user


def confirmed_totp(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
