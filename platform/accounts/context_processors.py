from . import navigation as nav


def navigation(request) -> dict:
    """The current user's navigation entries, by role."""
    user = getattr(request, "user", None)
    return {"nav_items": nav.items_for(user) if user is not None else []}
