from learninghub.core.navigation import NavItem, register

from . import rules as review_rules

register(
    NavItem(
        "Needs attention",
        "reviews:dashboard",
        review_rules.in_any_case_team,
        order=10,
        description="Every open statutory deadline across your cases, soonest first.",
    )
)
register(
    NavItem(
        "Cases",
        "reviews:case_list",
        review_rules.in_any_case_team,
        order=11,
        description="Serious incident notifications, rapid reviews and practice reviews.",
    )
)
register(
    NavItem(
        "Your reviews",
        "reviews:reviewer_reviews",
        review_rules.is_independent_reviewer,
        order=12,
        description="The practice review you were commissioned for: milestones and documents.",
    )
)
register(
    NavItem(
        "Recommendations",
        "reviews:agency_recommendations",
        review_rules.is_agency_lead,
        order=13,
        description="Recommendations from case reviews addressed to your agency.",
    )
)
