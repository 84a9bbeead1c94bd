"""The site's navigation by role.

Apps contribute their entries from ``AppConfig.ready()`` with :func:`register`,
so this module needs to know none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from .roles import Role


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # a lazy translation
    url_name: str
    roles: frozenset[Role] = field(default_factory=frozenset)  # empty: any user
    order: int = 100
    visible: Callable | None = None  # extra test: visible(user) -> bool


_registry: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _registry[item.key] = item


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    roles = set(user.role_names)
    out = []
    for item in sorted(_registry.values(), key=lambda i: (i.order, i.key)):
        allowed = (
            not item.roles
            or user.is_platform_admin
            or roles & {r.value for r in item.roles}
        )
        if not allowed or (item.visible is not None and not item.visible(user)):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        out.append({"key": item.key, "label": item.label, "url": url})
    return out
