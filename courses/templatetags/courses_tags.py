from django import template

register = template.Library()


@register.filter
def mask_name(name: str) -> str:
    """王小红 -> 王*红, 李明 -> 李*: enough to compare with a printed name."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
