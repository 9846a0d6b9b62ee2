from learninghub.core.navigation import NavItem, register

from . import rules as review_rules

# "Needs attention" is the core's, across every app: this app adds its clocks to it
# (reviews/deadlines.py).
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
register(
    NavItem(
        "Information requests",
        "reviews:agency_requests",
        review_rules.is_agency_lead,
        order=14,
        description="Requests for your agency's summary for a rapid review: upload it here.",
    )
)
