from learninghub.core.navigation import NavItem, register
from learninghub.core.permissions import can

register(
    NavItem(
        "API tokens",
        "api_tokens:token_list",
        lambda user: can(user, "api.hold_token"),
        order=92,
        description="Tokens that let your partnership's own systems use the API.",
    )
)
