"""Navigation by role. Each app registers its own entries; the core only arranges them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    allowed: Callable  # (user) -> bool
    order: int = 100
    description: str = ""  # shown on the dashboard


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _ITEMS:
        _ITEMS.append(item)


def items_for(user) -> list[NavItem]:
    return [item for item in sorted(_ITEMS, key=lambda i: i.order) if item.allowed(user)]
