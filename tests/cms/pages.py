"""Helpers to put programmes on catalog pages in tests."""

from cms.models import ProgrammePage
from courses.factories import ProgrammeFactory


def programme_page(catalog, *, slug=None, title=None, **programme_fields):
    """A published programme page in ``catalog`` for a new programme."""
    fields = {"level": catalog.level, "region": catalog.region, **programme_fields}
    if title:
        fields["title"] = title
    programme = ProgrammeFactory(**fields)
    page = ProgrammePage(
        title=programme.title, slug=slug or f"p{programme.pk}", programme=programme
    )
    catalog.add_child(instance=page)
    page.save_revision().publish()
    return page
