"""The catalog's place in the site navigation."""


def training_index_url() -> str | None:
    """The URL of the live 培训项目 page, or None while there is none."""
    from .models import TrainingIndexPage  # noqa: PLC0415

    page = TrainingIndexPage.objects.live().only("id", "url_path").first()
    return page.get_url() if page is not None else None
