"""Admin forms of the catalog's pages."""

from wagtail.admin.forms import WagtailAdminPageForm


class ProgrammePageForm(WagtailAdminPageForm):
    """A programme page lists a programme of its catalog's level and bureau."""

    def clean(self):
        cleaned = super().clean()
        programme = cleaned.get("programme")
        parent = self.parent_page.specific if self.parent_page else None
        if programme is not None and parent is not None and hasattr(parent, "level"):
            error = self.instance.fit_error(programme, parent)
            if error:
                self.add_error("programme", error)
        return cleaned
