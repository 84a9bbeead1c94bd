"""Cached renderings of public pages for anonymous visitors.

Catalog pages are the site's most visited and the same for every anonymous
visitor, so :class:`AnonymousPageCacheMiddleware` keeps their rendering and
serves it without routing, querying or rendering again. Safety:

- only anonymous GETs whose cookies are at most the CSRF and language
  cookies (no session: no messages, no user) use or fill the cache;
- only responses a page marked with :func:`cache_for_anonymous` are kept;
- the key holds the content stamp (:class:`cms.models.ContentStamp`, changed
  on every publish and programme change), the language, host and full path;
- the CSRF token in the language form is swapped for each visitor's own;
- entries expire when a listed programme's enrolment opens or closes (and
  after ``CMS_ANONYMOUS_CACHE_SECONDS`` at most).

Signed-in viewers never see cached pages: their cards say what *they* can do.
"""

import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

STAMP_NAME = "content"
CSRF_PLACEHOLDER = "__CMS_CSRF_TOKEN__"
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
SAFE_COOKIES = frozenset({"csrftoken", "django_language"})
KEPT_HEADERS = ("Content-Type", "Content-Language")


def max_seconds() -> int:
    return getattr(settings, "CMS_ANONYMOUS_CACHE_SECONDS", 300)


def content_stamp() -> str:
    from .models import ContentStamp  # noqa: PLC0415

    token = (
        ContentStamp.objects.filter(name=STAMP_NAME)
        .values_list("token", flat=True)
        .first()
    )
    return token or "none"


def content_changed(**kwargs) -> None:
    """Retire every cached rendering (a signal receiver, hence ``**kwargs``)."""
    from .models import ContentStamp  # noqa: PLC0415

    ContentStamp.objects.update_or_create(
        name=STAMP_NAME, defaults={"token": uuid.uuid4().hex}
    )


def cache_for_anonymous(response, *, until=None):
    """Mark ``response`` as cacheable for anonymous visitors until ``until``."""
    seconds = max_seconds()
    if until is not None:
        seconds = min(seconds, int((until - timezone.now()).total_seconds()))
    if seconds > 0:
        response.cms_cache_seconds = seconds
    return response


def _cacheable_request(request) -> bool:
    return (
        request.method == "GET"
        and set(request.COOKIES) <= SAFE_COOKIES
        and max_seconds() > 0
    )


def _key(request, stamp: str) -> str:
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"cms:anon:{stamp}:{language}:{request.get_host()}:{request.get_full_path()}"


class AnonymousPageCacheMiddleware:
    """Serves and stores marked page renderings (place after Locale and CSRF)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request, content_stamp())
        hit = cache.get(key)
        if hit is not None:
            return self._replay(request, hit)
        response = self.get_response(request)
        seconds = getattr(response, "cms_cache_seconds", 0)
        if (
            seconds
            and response.status_code == 200
            and not response.streaming
            and not response.cookies.keys() - SAFE_COOKIES
            and not request.user.is_authenticated
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            content = _CSRF_VALUE.sub(
                rf"\g<1>{CSRF_PLACEHOLDER}\g<3>", response.content.decode()
            )
            headers = {h: response[h] for h in KEPT_HEADERS if h in response}
            cache.set(key, (content, headers), seconds)
        return response

    @staticmethod
    def _replay(request, hit) -> HttpResponse:
        content, headers = hit
        if CSRF_PLACEHOLDER in content:
            content = content.replace(CSRF_PLACEHOLDER, get_token(request))
        response = HttpResponse(content, headers=headers)
        response["X-Cache"] = "hit"
        return response
