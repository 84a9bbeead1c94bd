from django.urls import path

from . import views

app_name = "pairing"

urlpatterns = [
    path("", views.my_pairings, name="mine"),
    path("<int:pk>/", views.pairing_page, name="detail"),
    path("<int:pk>/activities/new/", views.activity_new, name="activity_new"),
    path(
        "<int:pk>/activities/<int:activity_pk>/delete/",
        views.activity_remove,
        name="activity_delete",
    ),
    path("<int:pk>/targets/", views.targets_edit, name="targets"),
    path("<int:pk>/agreement.pdf", views.agreement, name="agreement"),
    path("<int:pk>/signed/", views.signed_upload, name="signed_upload"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("signed/<int:pk>/", views.signed_file, name="signed"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("profile/needs/", views.need_profile_edit, name="need_profile"),
    path("profile/school/", views.school_helper_edit, name="school_helper"),
    path("profile/mine/", views.my_helper_edit, name="my_helper"),
    path(
        "profile/studio/<int:studio_pk>/",
        views.studio_helper_edit,
        name="studio_helper",
    ),
]
