from learninghub.core.navigation import NavItem, register

register(
    NavItem(
        "API tokens",
        "api_tokens:token_list",
        lambda user: user.has_perm("api.hold_token"),
        order=92,
        description="Tokens that let your partnership's own systems use the API.",
    )
)
