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
    url_name: str = ""
    roles: frozenset[Role] = field(default_factory=frozenset)  # empty: any user
    order: int = 100
    visible: Callable | None = None  # extra test: visible(user) -> bool
    # Instead of url_name: url() -> str, or None to hide the entry (a URL
    # that lives in data, such as a Wagtail page's).
    url: Callable[[], str | None] | None = None
    public: bool = False  # also shown to anonymous visitors


_registry: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _registry[item.key] = item


def _url(item: NavItem) -> str | None:
    if item.url is not None:
        return item.url()
    try:
        return reverse(item.url_name)
    except NoReverseMatch:
        return None


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        items = [i for i in _registry.values() if i.public]
        return [
            {"key": i.key, "label": i.label, "url": url}
            for i in sorted(items, key=lambda i: (i.order, i.key))
            if (url := _url(i)) is not None
        ]
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
        url = _url(item)
        if url is None:
            continue
        out.append({"key": item.key, "label": item.label, "url": url})
    return out
