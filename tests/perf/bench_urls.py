"""The project's URLs plus the benchmark's minimal view."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def minimal(request):
    return HttpResponse("ok")


urlpatterns = [path("__bench/minimal/", minimal), *project_urlpatterns]
