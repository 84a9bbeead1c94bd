"""Keeping derived things in step with content: caches and the search index.

Both are presentation concerns of this app (Wagtail indexes pages through
signals the same way); business writes stay in services.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses.models import Programme, ProgrammeQuota
from courses.signals import programme_changed

from .caching import content_changed

for signal in (page_published, page_unpublished, post_page_move):
    signal.connect(content_changed, dispatch_uid=f"cms-stamp-{id(signal)}")
post_delete.connect(content_changed, sender=Page, dispatch_uid="cms-stamp-page-del")
for model in (Programme, ProgrammeQuota):
    post_save.connect(content_changed, sender=model, dispatch_uid=f"cms-stamp-{model}")
    post_delete.connect(
        content_changed, sender=model, dispatch_uid=f"cms-stamp-del-{model}"
    )


@receiver(programme_changed, dispatch_uid="cms-programme-changed")
def reindex_programme_pages(sender, programme, **kwargs):
    """The pages presenting a programme index its facts: refresh them."""
    from .models import ProgrammePage  # noqa: PLC0415

    content_changed()
    for page in ProgrammePage.objects.filter(programme=programme):
        transaction.on_commit(lambda page=page: index.insert_or_update_object(page))
