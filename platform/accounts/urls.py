"""The accounts app's pages; config.urls mounts them at the site root."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("accounts/activate/", views.activate, name="activate"),
    path("accounts/activate/code/", views.activate_code, name="activate_code"),
    path(
        "accounts/activate/password/",
        views.activate_password,
        name="activate_password",
    ),
    # Wagtail's own login form is replaced by the site's (allauth) login.
    path("admin/login/", views.admin_login, name="admin_login"),
]
