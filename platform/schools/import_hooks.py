"""Wagtail admin registration of the roster import (imported by wagtail_hooks)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from accounts.scoped_admin import PermissionMenuItem

from . import views_import


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path(
            "roster-import/",
            views_import.ImportIndexView.as_view(),
            name="schools_import_index",
        ),
        path(
            "roster-import/template.xlsx",
            views_import.import_template,
            name="schools_import_template",
        ),
        path(
            "roster-import/<int:pk>/",
            views_import.ImportJobView.as_view(),
            name="schools_import_job",
        ),
        path(
            "roster-import/<int:pk>/confirm/",
            views_import.import_confirm,
            name="schools_import_confirm",
        ),
        path(
            "roster-import/<int:pk>/status/",
            views_import.import_status,
            name="schools_import_status",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return PermissionMenuItem(
        _("Import roster"),
        reverse("schools_import_index"),
        name="roster-import",
        icon_name="upload",
        order=290,
        permission=views_import.PERMISSION,
    )
