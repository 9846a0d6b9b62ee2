from learninghub.core.navigation import NavItem, register

from . import rules as partnership_rules

register(NavItem("Dashboard", "core:dashboard", lambda user: user.is_authenticated, order=0))
register(
    NavItem(
        "Agencies",
        "partnerships:agency_list",
        partnership_rules.is_business_unit_anywhere,
        order=80,
    )
)
register(
    NavItem(
        "People", "partnerships:people_list", partnership_rules.is_business_unit_anywhere, order=81
    )
)
register(
    NavItem(
        "Audit log",
        "partnerships:audit_log",
        lambda user: user.has_perm("core.view_audit_log"),
        order=90,
    )
)
register(NavItem("Admin", "admin:index", partnership_rules.is_system_admin, order=99))
