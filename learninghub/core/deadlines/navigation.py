from learninghub.core.navigation import NavItem, register

from .selectors import can_see_needs_attention

register(
    NavItem(
        "Needs attention",
        "core:needs_attention",
        can_see_needs_attention,
        order=10,
        description="Every open deadline across your work, soonest first.",
    )
)
