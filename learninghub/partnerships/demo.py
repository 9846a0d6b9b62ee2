"""Demonstration data: fictional partnerships, agencies and one account per role.

Clearly marked as demonstration data; never a real child's or a real person's name. Every
write goes through the services, as the system job "demo data". Running it twice changes
nothing.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from django.db import transaction

from learninghub.core.audit.auditor import Auditor
from learninghub.core.demo import DemoLoaded
from learninghub.core.permissions import ROLES_REQUIRING_TWO_FACTOR, SYSTEM_ADMINISTRATOR, Role

from . import services
from .models import Agency, AgencyType, Membership, Partnership, Region, RegionalNetwork, User

DEMO_DOMAIN = "demo.learninghub.example"
DEMO_PASSWORD = "Northdale-demo-2026"
NETWORK = "Yorkshire and Humber Safeguarding Network (demonstration)"
PARTNERSHIPS = [
    ("Northdale Safeguarding Children Partnership", "NDSCP"),
    ("Eastmoor Safeguarding Children Partnership", "EMSCP"),
    ("Westfield Safeguarding Children Partnership", "WFSCP"),
    ("Southbeck Safeguarding Children Partnership", "SBSCP"),
    ("Ravensby Safeguarding Children Partnership", "RBSCP"),
]
AGENCIES = [
    ("Northdale Council Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE),
    ("Northdale and District Police", AgencyType.POLICE),
    ("Northdale Integrated Care Board", AgencyType.HEALTH_ICB),
    ("Northdale Hospitals NHS Foundation Trust", AgencyType.HEALTH_TRUST),
    ("Northdale GP Federation", AgencyType.HEALTH_GP),
    ("Northdale Schools and Colleges", AgencyType.EDUCATION),
    ("Probation Service (Northdale)", AgencyType.PROBATION),
    ("Northdale Youth Justice Service", AgencyType.YOUTH_JUSTICE),
    ("Northdale Family Support Charity", AgencyType.VOLUNTARY_SECTOR),
    ("Northdale Housing", AgencyType.OTHER),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str | None  # None: system administrator
    agency: str | None

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else SYSTEM_ADMINISTRATOR

    @property
    def totp_key_hex(self) -> str:
        return hashlib.sha1(f"demo-totp:{self.email}".encode()).hexdigest()  # noqa: S324

    @property
    def totp_secret(self) -> str:
        return base64.b32encode(bytes.fromhex(self.totp_key_hex)).decode()


ACCOUNTS = [
    DemoAccount(
        f"business.unit@{DEMO_DOMAIN}", "Sam Business (demo)", Role.BUSINESS_UNIT, AGENCIES[0][0]
    ),
    DemoAccount(
        f"case.review@{DEMO_DOMAIN}", "Cass Review (demo)", Role.CASE_REVIEW_GROUP, AGENCIES[2][0]
    ),
    DemoAccount(f"agency.lead@{DEMO_DOMAIN}", "Alex Lead (demo)", Role.AGENCY_LEAD, AGENCIES[1][0]),
    DemoAccount(f"reviewer@{DEMO_DOMAIN}", "Indy Reviewer (demo)", Role.INDEPENDENT_REVIEWER, None),
    DemoAccount(
        f"practitioner@{DEMO_DOMAIN}", "Pat Practitioner (demo)", Role.PRACTITIONER, AGENCIES[5][0]
    ),
    DemoAccount(f"admin@{DEMO_DOMAIN}", "Ada Admin (demo)", None, None),
]


@transaction.atomic
def load_demo_data() -> list[DemoAccount]:
    auditor = Auditor.for_system("demo data")
    network = RegionalNetwork.objects.filter(name=NETWORK).first() or services.network_create(
        auditor=auditor, name=NETWORK, region=Region.YORKSHIRE
    )
    partnerships = []
    for name, short in PARTNERSHIPS:
        partnership = Partnership.objects.filter(short_name=short).first()
        if partnership is None:
            partnership = services.partnership_create(
                auditor=auditor,
                name=name,
                short_name=short,
                region=Region.YORKSHIRE,
                network=network,
                is_demo=True,
            )
        partnerships.append(partnership)
    home = partnerships[0]
    for name, agency_type in AGENCIES:
        if not Agency.objects.filter(partnership=home, name=name).exists():
            services.agency_create(
                auditor=auditor, partnership=home, name=name, agency_type=agency_type
            )
    for other in partnerships[1:]:
        for suffix, agency_type in [
            ("Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE),
            ("Police", AgencyType.POLICE),
            ("Integrated Care Board", AgencyType.HEALTH_ICB),
        ]:
            name = f"{other.name.split()[0]} {suffix}"
            if not Agency.objects.filter(partnership=other, name=name).exists():
                services.agency_create(
                    auditor=auditor, partnership=other, name=name, agency_type=agency_type
                )
    for account in ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = services.user_create(
                auditor=auditor,
                email=account.email,
                full_name=account.full_name,
                password=DEMO_PASSWORD,
                email_confirmed=True,
                is_superuser=account.role is None,
            )
            services.demo_totp_device(user=user, key_hex=account.totp_key_hex)
        if account.role and not Membership.objects.filter(user=user, partnership=home).exists():
            agency = Agency.objects.filter(partnership=home, name=account.agency).first()
            services.membership_create(
                auditor=auditor, user=user, partnership=home, role=account.role, agency=agency
            )
    return ACCOUNTS


def load() -> DemoLoaded:
    """This app's part of `seed_demo`: the accounts, and their logins printed last."""
    accounts = load_demo_data()
    afterword = [
        "Demo logins (fictional demonstration data). Password for all: " + DEMO_PASSWORD,
        "Two-factor: add the TOTP secret to an authenticator app, or run",
        "  .venv/bin/python manage.py demo_totp_code EMAIL",
        "",
        f"{'Role':<22} {'Email':<42} TOTP secret",
    ]
    for account in accounts:
        needs = account.role is None or account.role in ROLES_REQUIRING_TWO_FACTOR
        secret = account.totp_secret if needs else "(not needed for this role)"
        afterword.append(f"{account.role_label:<22} {account.email:<42} {secret}")
    return DemoLoaded(afterword=[*afterword, ""])
