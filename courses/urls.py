from django.urls import path

from .views import enrolment, learning

app_name = "courses"

urlpatterns = [
    path("", learning.my_learning, name="my_learning"),
    path("programmes/<int:pk>/apply/", enrolment.apply, name="apply"),
    path("enrolments/<int:pk>/withdraw/", enrolment.withdraw, name="withdraw"),
    path("school/approvals/", enrolment.school_approvals, name="school_approvals"),
    path("school/approvals/<int:pk>/", enrolment.school_decide, name="school_decide"),
    path("inbox/", enrolment.inbox, name="inbox"),
]
