from learninghub.core.navigation import NavItem, register

from . import rules as review_rules

register(NavItem("Needs attention", "reviews:dashboard", review_rules.in_any_case_team, order=10))
register(NavItem("Cases", "reviews:case_list", review_rules.in_any_case_team, order=11))
register(
    NavItem(
        "Your review", "reviews:reviewer_reviews", review_rules.is_independent_reviewer, order=12
    )
)
register(
    NavItem(
        "Recommendations", "reviews:agency_recommendations", review_rules.is_agency_lead, order=13
    )
)
