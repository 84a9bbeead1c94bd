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


def bulk_programme_pages(catalog, n, **programme_fields):
    """``n`` live programme pages in ``catalog``, fast (for size tests).

    Programmes go in with bulk_create, pages with computed tree paths; the
    child rows of the page model are saved raw (without their parent rows).
    """
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import Locale, Page

    template = ProgrammeFactory.build(
        level=catalog.level, region=catalog.region, **programme_fields
    )
    fields = {
        f.attname: getattr(template, f.attname)
        for f in template._meta.concrete_fields
        if not f.primary_key
    }
    from courses.models import Programme

    start = Programme.objects.count()
    programmes = Programme.objects.bulk_create(
        [Programme(**{**fields, "title": f"批量培训项目{start + i}"}) for i in range(n)]
    )
    catalog.refresh_from_db()
    content_type = ContentType.objects.get_for_model(ProgrammePage)
    locale = Locale.get_default()
    now = timezone.now()
    first = catalog.numchild
    pages = Page.objects.bulk_create(
        [
            Page(
                title=p.title,
                draft_title=p.title,
                slug=f"bulk{p.pk}",
                content_type=content_type,
                path=Page._get_path(catalog.path, catalog.depth + 1, first + i + 1),
                depth=catalog.depth + 1,
                numchild=0,
                url_path=f"{catalog.url_path}bulk{p.pk}/",
                live=True,
                locale=locale,
                first_published_at=now,
                last_published_at=now,
            )
            for i, p in enumerate(programmes)
        ]
    )
    for page, programme in zip(pages, programmes, strict=True):
        child = ProgrammePage(page_ptr_id=page.pk, programme=programme)
        child.__dict__.update(
            {f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields}
        )
        child.save_base(raw=True)
    catalog.numchild = first + n
    catalog.save(update_fields=["numchild"])
    return programmes
