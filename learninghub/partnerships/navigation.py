from learninghub.core.navigation import NavItem, register
from learninghub.core.permissions import can

from . import rules as partnership_rules

register(NavItem("Dashboard", "core:dashboard", lambda user: user.is_authenticated, order=0))
register(
    NavItem(
        "Agencies",
        "partnerships:agency_list",
        partnership_rules.is_business_unit_anywhere,
        order=80,
        description="The agencies that take part in the partnership.",
    )
)
register(
    NavItem(
        "People",
        "partnerships:people_list",
        partnership_rules.is_business_unit_anywhere,
        order=81,
        description="Invite people, change their roles and end memberships.",
    )
)
register(
    NavItem(
        "Audit log",
        "partnerships:audit_log",
        lambda user: can(user, "core.view_audit_log"),
        order=90,
        description="Who changed or viewed what, and when. Entries cannot be altered.",
    )
)
register(
    NavItem(
        "Admin",
        "admin:index",
        partnership_rules.is_system_admin,
        order=99,
        description="The system administrator's tools.",
    )
)
