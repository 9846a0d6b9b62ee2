"""The benchmark's national-scale dataset: a registry of builders, run in order on an empty,
migrated database.

This is fixture generation, so builders write with `bulk_create` in batches rather than
through the services (which would take hours at this scale). What the services guarantee
still holds: every row is valid, and the audit events form an unbroken, numbered chain sealed
with AUDIT_LOG_KEY (builders add them through `ctx.audit`, which numbers and seals them exactly
as `Auditor.record` does; the run checks the chain with `verify_chain` after the build).

Each app's builders live in `bench/data_<app label>.py` (bench/data_reviews.py for the
reviews app), discovered at the end of this module in INSTALLED_APPS order, as the demo data
is: an app's data builds on the apps before it, and this module names no app after the
partnerships. Such a module registers its builders (and, if its pages need ids from the data,
a context function; its row counts for the results, a counts function):

    @register_builder("learning", version=1)
    def build_learning(ctx: BuildContext) -> None: ...

    @register_context
    def learning_context() -> dict: return {"briefing_id": ...}

    @register_counts
    def learning_counts() -> dict: return {"briefings": Briefing.objects.count()}

Changing a builder's version (or adding one) makes the next run rebuild the dataset.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import import_module
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Q
from django.utils.module_loading import module_has_submodule
from django_otp.plugins.otp_totp.models import TOTPDevice

from learninghub.core.audit.auditor import GENESIS_HASH
from learninghub.core.audit.models import AuditEvent
from learninghub.core.audit.seal import audit_key
from learninghub.core.audit.verify import log_head
from learninghub.core.permissions import ROLES_REQUIRING_TWO_FACTOR, Role
from learninghub.partnerships.models import (
    Agency,
    AgencyType,
    Membership,
    Partnership,
    Region,
    RegionalNetwork,
    User,
)

SEED = 20260101
BATCH = 2000
SYSTEM_LABEL = "system: bench data"

# The scale of a national host (design.md, "Scale path").
NETWORKS = 10
PARTNERSHIPS = 150
AGENCIES_PER_PARTNERSHIP = 20
PEOPLE = 60_000

BENCH_DOMAIN = "bench.learninghub.example"
# One signed-in account per role, all in the partnership with the most members. The run
# makes sessions for them directly (nobody signs in during the benchmark).
BENCH_ACCOUNTS = {
    Role.BUSINESS_UNIT: f"bench.business.unit@{BENCH_DOMAIN}",
    Role.CASE_REVIEW_GROUP: f"bench.case.review@{BENCH_DOMAIN}",
    Role.AGENCY_LEAD: f"bench.agency.lead@{BENCH_DOMAIN}",
    Role.PRACTITIONER: f"bench.practitioner@{BENCH_DOMAIN}",
}

FIRST_NAMES = (  # noqa: SIM905 (easier to read as words)
    "Aaliyah Adam Aisha Alex Alfie Amara Amelia Amir Ava Ben Bethan Callum Chloe Daniel "
    "Dev Eden Elif Ella Emeka Erin Ethan Fatima Finn Freya Gareth Grace Hannah Harry "
    "Imran Isla Jack Jade Jamal Jess Kai Karen Kofi Laura Leah Liam Lucy Maya Megan "
    "Mohammed Nadia Niamh Noah Olivia Omar Priya Rhys Rosa Ruth Sam Sana Sophie Tariq "
    "Theo Zara Zoe"
).split()
SURNAMES = (  # noqa: SIM905 (easier to read as words)
    "Abbott Ahmed Akhtar Bailey Begum Bennett Brooks Campbell Chen Clarke Cooper Davies "
    "Dixon Edwards Evans Fletcher Foster Garcia Gill Graham Green Hall Harris Hughes "
    "Hussain Jackson James Jenkins Johnson Jones Kaur Kelly Khan Kowalski Lewis Lloyd "
    "Marshall Martin Mensah Mitchell Moore Morgan Murphy Nowak Okafor Owen Parker Patel "
    "Phillips Price Reynolds Richards Roberts Robinson Rose Shah Singh Smith Stewart "
    "Taylor Thomas Thompson Turner Walker Ward Watson White Williams Wilson Wood Wright "
    "Young"
).split()
# /manage/people/?q= searches the big partnership for this surname (about 1 person in 70).
PEOPLE_SEARCH = "Okafor"

AGENCY_TEMPLATES = (
    ("Council Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE),
    ("Police", AgencyType.POLICE),
    ("Integrated Care Board", AgencyType.HEALTH_ICB),
    ("Hospitals NHS Foundation Trust", AgencyType.HEALTH_TRUST),
    ("Community Health NHS Trust", AgencyType.HEALTH_TRUST),
    ("Mental Health NHS Trust", AgencyType.HEALTH_TRUST),
    ("GP Federation", AgencyType.HEALTH_GP),
    ("North Primary Care Network", AgencyType.HEALTH_GP),
    ("South Primary Care Network", AgencyType.HEALTH_GP),
    ("Schools and Colleges", AgencyType.EDUCATION),
    ("Early Years Settings", AgencyType.EDUCATION),
    ("Multi-Academy Trust", AgencyType.EDUCATION),
    ("Further Education College", AgencyType.EDUCATION),
    ("Probation Delivery Unit", AgencyType.PROBATION),
    ("Youth Justice Service", AgencyType.YOUTH_JUSTICE),
    ("Family Support Charity", AgencyType.VOLUNTARY_SECTOR),
    ("Young Carers Project", AgencyType.VOLUNTARY_SECTOR),
    ("Domestic Abuse Service", AgencyType.VOLUNTARY_SECTOR),
    ("Housing Services", AgencyType.OTHER),
    ("Fire and Rescue Service", AgencyType.OTHER),
)
assert len(AGENCY_TEMPLATES) == AGENCIES_PER_PARTNERSHIP

# Roles in every partnership besides its practitioners (one agency lead per agency).
BUSINESS_UNIT_PER_PARTNERSHIP = 5
CASE_REVIEW_GROUP_PER_PARTNERSHIP = 12
INDEPENDENT_REVIEWERS_PER_PARTNERSHIP = 2


# The registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Builder:
    name: str
    version: int
    build: Callable[[BuildContext], None]


BUILDERS: list[Builder] = []
CONTEXT: list[Callable[[], dict[str, Any]]] = []
COUNTS: list[Callable[[], dict[str, int]]] = []


def register_builder(name: str, version: int = 1):
    """Add a data builder; builders run in the order they were registered."""

    def decorate(func: Callable[[BuildContext], None]):
        if any(b.name == name for b in BUILDERS):
            raise ValueError(f"A bench data builder named {name!r} is already registered")
        BUILDERS.append(Builder(name, version, func))
        return func

    return decorate


def register_context(func: Callable[[], dict[str, Any]]):
    """Add a function that reads ids etc. from the built data, for scenario paths."""
    CONTEXT.append(func)
    return func


def register_counts(func: Callable[[], dict[str, int]]):
    """Add a function that counts an app's rows, for the results' dataset counts."""
    COUNTS.append(func)
    return func


def builder_versions() -> dict[str, int]:
    return {b.name: b.version for b in BUILDERS}


def run_context() -> dict[str, Any]:
    context: dict[str, Any] = {}
    for func in CONTEXT:
        context.update(func())
    return context


class AuditChain:
    """Appends audit events in bulk, each hashed onto the one before (as Auditor.record does)."""

    def __init__(self) -> None:
        self.pending: list[AuditEvent] = []
        self.written = 0

    def add(
        self,
        *,
        occurred_at: datetime,
        kind: str,
        action: str,
        summary: str,
        obj=None,
        partnership_id: int | None = None,
        changes: dict | None = None,
        actor: User | None = None,
    ) -> None:
        if obj is not None and partnership_id is None:
            if obj._meta.label_lower == "partnerships.partnership":
                partnership_id = obj.pk
            else:
                partnership_id = getattr(obj, "partnership_id", None)
        self.pending.append(
            AuditEvent(
                # The hash covers occurred_at.isoformat(): keep it in UTC, as read back.
                occurred_at=occurred_at.astimezone(UTC),
                kind=kind,
                action=action,
                summary=summary[:300],
                actor=actor,
                actor_label=actor.email if actor is not None else SYSTEM_LABEL,
                partnership_id=partnership_id,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                object_repr=str(obj)[:200] if obj is not None else "",
                scope=getattr(obj, "audit_scope", "") if obj is not None else "",
                changes=json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder)),
                ip_address=None,
            )
        )

    def flush(self) -> None:
        """Write what is pending, oldest first, continuing the chain already in the database."""
        if not self.pending:
            return
        self.pending.sort(key=lambda e: e.occurred_at)
        head = log_head()
        sequence, previous = (head.sequence, head.hash) if head else (0, GENESIS_HASH)
        key = audit_key()
        for event in self.pending:
            sequence += 1
            event.sequence = sequence
            event.previous_hash = previous
            event.hash = previous = event.compute_hash(key=key)
        for start in range(0, len(self.pending), BATCH):
            AuditEvent.objects.bulk_create(self.pending[start : start + BATCH])
        self.written += len(self.pending)
        self.pending = []


@dataclass
class BuildContext:
    rng: random.Random
    now: datetime
    audit: AuditChain
    log: Callable[[str], None]
    # Builders may leave things here for the builders after them.
    shared: dict[str, Any] = field(default_factory=dict)


def build_all(log: Callable[[str], None] = print) -> dict[str, float]:
    """Run every builder on an empty database; returns the seconds each took."""
    ctx = BuildContext(
        rng=random.Random(SEED),
        now=datetime.now(UTC).replace(microsecond=0),
        audit=AuditChain(),
        log=log,
    )
    timings: dict[str, float] = {}
    for builder in BUILDERS:
        started = time.perf_counter()
        with transaction.atomic():
            builder.build(ctx)
            ctx.audit.flush()
        timings[builder.name] = round(time.perf_counter() - started, 2)
        log(f"  built {builder.name} in {timings[builder.name]:.1f}s")
    return timings


def bulk_create(model, objects: Iterable, batch_size: int = BATCH) -> list:
    objects = list(objects)
    for start in range(0, len(objects), batch_size):
        model.objects.bulk_create(objects[start : start + batch_size])
    return objects


# Partnerships, agencies and people --------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _partnership_sizes(rng: random.Random, people: int) -> list[int]:
    """Members per partnership: large counties and small unitaries, none below 100."""
    weights = [0.4 + 1.6 * rng.random() for _ in range(PARTNERSHIPS)]
    total = sum(weights)
    sizes = [max(100, int(people * w / total)) for w in weights]
    biggest = max(range(PARTNERSHIPS), key=lambda i: sizes[i])
    sizes[biggest] += people - sum(sizes)  # exact total
    return sizes


@register_builder("partnerships", version=2)
def build_partnerships(ctx: BuildContext) -> None:
    rng, now, audit = ctx.rng, ctx.now, ctx.audit
    start = now - timedelta(days=4 * 365)
    regions = list(Region)

    networks = bulk_create(
        RegionalNetwork,
        (
            RegionalNetwork(
                name=f"Benchshire {regions[i % len(regions)].label} Network {i + 1}",
                region=regions[i % len(regions)],
            )
            for i in range(NETWORKS)
        ),
    )
    for network in networks:
        audit.add(
            occurred_at=start,
            kind=AuditEvent.Kind.CREATE,
            action="partnerships.network.create",
            summary=f"Created the regional network {network.name}",
            obj=network,
            changes={"name": [None, network.name], "region": [None, network.region]},
        )

    partnerships = bulk_create(
        Partnership,
        (
            Partnership(
                name=f"Benchshire {n} Safeguarding Children Partnership",
                short_name=f"BS{n}SCP",
                region=networks[(n - 1) % NETWORKS].region,
                network=networks[(n - 1) % NETWORKS],
                is_demo=True,
            )
            for n in range(1, PARTNERSHIPS + 1)
        ),
    )
    created_at = {}
    for partnership in partnerships:
        created_at[partnership.pk] = start + timedelta(minutes=rng.randrange(60 * 24 * 60))
        audit.add(
            occurred_at=created_at[partnership.pk],
            kind=AuditEvent.Kind.CREATE,
            action="partnerships.partnership.create",
            summary=f"Created the partnership {partnership.name}",
            obj=partnership,
            changes={
                "name": [None, partnership.name],
                "short_name": [None, partnership.short_name],
            },
        )

    agencies = []
    for index, partnership in enumerate(partnerships):
        place = partnership.name.removesuffix(" Safeguarding Children Partnership")
        for number, (suffix, agency_type) in enumerate(AGENCY_TEMPLATES):
            agencies.append(
                Agency(
                    partnership=partnership,
                    name=f"{place} {suffix}",
                    agency_type=agency_type,
                    # Now and then an agency has closed (kept for its history).
                    is_active=not (number == 10 and index % 7 == 0),
                )
            )
    bulk_create(Agency, agencies)
    by_partnership: dict[int, list[Agency]] = {}
    for agency in agencies:
        by_partnership.setdefault(agency.partnership_id, []).append(agency)
        audit.add(
            occurred_at=created_at[agency.partnership_id] + timedelta(minutes=rng.randrange(600)),
            kind=AuditEvent.Kind.CREATE,
            action="partnerships.agency.create",
            summary=f"Added the agency {agency.name}",
            obj=agency,
            changes={"name": [None, agency.name], "agency_type": [None, agency.agency_type]},
        )

    # People: one active membership each, spread unevenly across the partnerships.
    password = make_password(None)  # unusable: nobody signs in during the benchmark
    sizes = _partnership_sizes(rng, PEOPLE - len(BENCH_ACCOUNTS))
    biggest = max(range(PARTNERSHIPS), key=lambda i: sizes[i])
    users: list[User] = []
    plan: list[tuple[Partnership, Agency | None, str]] = []
    number = 0
    for index, partnership in enumerate(partnerships):
        its_agencies = by_partnership[partnership.pk]
        active = [a for a in its_agencies if a.is_active]
        roles: list[tuple[str, Agency | None]] = []
        roles += [(Role.BUSINESS_UNIT, its_agencies[0])] * BUSINESS_UNIT_PER_PARTNERSHIP
        roles += [
            (Role.CASE_REVIEW_GROUP, active[i % 10])
            for i in range(CASE_REVIEW_GROUP_PER_PARTNERSHIP)
        ]
        roles += [(Role.AGENCY_LEAD, agency) for agency in active]
        roles += [(Role.INDEPENDENT_REVIEWER, None)] * INDEPENDENT_REVIEWERS_PER_PARTNERSHIP
        roles += [(Role.PRACTITIONER, rng.choice(active)) for _ in range(sizes[index] - len(roles))]
        for role, agency in roles:
            number += 1
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            joined = start + timedelta(minutes=rng.randrange(4 * 365 * 24 * 60))
            users.append(
                User(
                    email=f"{_slug(first)}.{_slug(last)}.{number}@{BENCH_DOMAIN}",
                    full_name=f"{first} {last}",
                    password=password,
                    date_joined=joined,
                    email_confirmed_at=min(joined + timedelta(minutes=rng.randrange(5, 600)), now),
                )
            )
            plan.append((partnership, agency, role))
    big = partnerships[biggest]
    for role, email in BENCH_ACCOUNTS.items():
        agency = (
            by_partnership[big.pk][1] if role in (Role.AGENCY_LEAD, Role.PRACTITIONER) else None
        )
        users.append(
            User(
                email=email,
                full_name=f"Bench {Role(role).label}",
                password=password,
                date_joined=start,
                email_confirmed_at=start,
            )
        )
        plan.append((big, agency, role))
    bulk_create(User, users)

    memberships = bulk_create(
        Membership,
        (
            Membership(
                user=user,
                partnership=partnership,
                agency=agency,
                role=role,
                started_at=user.email_confirmed_at,
            )
            for user, (partnership, agency, role) in zip(users, plan, strict=True)
        ),
    )

    # The business unit's own trail: who they gave a role that sees more than a practitioner.
    managers: dict[int, User] = {}
    for membership in memberships:
        if membership.role == Role.BUSINESS_UNIT:
            managers.setdefault(membership.partnership_id, membership.user)
    for membership in memberships:
        if membership.role == Role.PRACTITIONER:
            continue
        manager = managers[membership.partnership_id]
        audit.add(
            occurred_at=membership.started_at,
            kind=AuditEvent.Kind.CREATE,
            action="partnerships.membership.create",
            summary=f"Gave {membership.user.email} the role {Role(membership.role).label}",
            obj=membership,
            actor=None if membership.user_id == manager.pk else manager,
            changes={
                "user": [None, str(membership.user)],
                "role": [None, membership.role],
                "agency": [None, str(membership.agency) if membership.agency else None],
            },
        )

    bulk_create(
        TOTPDevice,
        (
            TOTPDevice(user=user, name="Authenticator app", confirmed=True)
            for user in users
            if user.email in BENCH_ACCOUNTS.values()
        ),
    )
    ctx.log(
        f"  {len(partnerships)} partnerships, {len(agencies)} agencies, {len(users)} people; "
        f"the biggest partnership ({big.short_name}) has {sizes[biggest] + len(BENCH_ACCOUNTS)}"
    )


@register_context
def partnership_context() -> dict[str, Any]:
    big = (
        Partnership.objects.annotate(
            members=Count("memberships", filter=Q(memberships__ended_at__isnull=True))
        )
        .order_by("-members", "pk")
        .first()
    )
    if big is None:
        raise RuntimeError("The bench database has no partnerships: run with --rebuild")
    agency = Agency.objects.filter(partnership=big, is_active=True).order_by("name").first()
    return {
        "partnership_id": big.pk,
        "partnership_short_name": big.short_name,
        "partnership_members": big.members,
        "agency_id": agency.pk,
        "people_search": PEOPLE_SEARCH,
    }


def bench_user(role: str) -> User:
    """The bench account for a role, with the device its sessions are verified against."""
    return User.objects.get(email=BENCH_ACCOUNTS[role])


def needs_two_factor(role: str) -> bool:
    return role in ROLES_REQUIRING_TWO_FACTOR


def dataset_counts() -> dict[str, int]:
    counts = {
        "regional_networks": RegionalNetwork.objects.count(),
        "partnerships": Partnership.objects.count(),
        "agencies": Agency.objects.count(),
        "people": User.objects.count(),
        "active_memberships": Membership.objects.filter(ended_at__isnull=True).count(),
    }
    for func in COUNTS:
        counts.update(func())
    counts["audit_events"] = AuditEvent.objects.count()
    return counts


# Each app's builders --------------------------------------------------------------------


def app_modules() -> list[str]:
    """`bench.data_<label>` for every project app that has one, in INSTALLED_APPS order."""
    bench = import_module("bench")
    return [
        f"data_{app.label}"
        for app in apps.get_app_configs()
        if app.name.startswith("learninghub.") and module_has_submodule(bench, f"data_{app.label}")
    ]


# Registered after the builders above, which make the partnerships and people they build on.
for _name in app_modules():
    import_module(f"bench.{_name}")
