from wagtail import hooks

from .models import BureauSection


def _setup_section(request, page):
    from .services import section_setup  # noqa: PLC0415

    if isinstance(page.specific, BureauSection):
        section_setup(page=page)


@hooks.register("after_create_page")
def section_created(request, page):
    """A new catalog or section gets its bureau's permissions and workflow."""
    _setup_section(request, page)


@hooks.register("after_edit_page")
def section_edited(request, page):
    """A section moved to another bureau changes hands."""
    _setup_section(request, page)
