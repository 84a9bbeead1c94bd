from django.urls import path

from .views import enrolment, learning, study

app_name = "courses"

urlpatterns = [
    path("", learning.my_learning, name="my_learning"),
    path("ledger/", learning.my_ledger, name="my_ledger"),
    path("school/", learning.school_training, name="school_training"),
    path("programmes/<int:pk>/apply/", enrolment.apply, name="apply"),
    path("enrolments/<int:pk>/withdraw/", enrolment.withdraw, name="withdraw"),
    path("school/approvals/", enrolment.school_approvals, name="school_approvals"),
    path("school/approvals/<int:pk>/", enrolment.school_decide, name="school_decide"),
    path("inbox/", enrolment.inbox, name="inbox"),
    path("courses/<int:pk>/", study.course_page, name="course"),
    path("lessons/<int:pk>/", study.lesson_page, name="lesson"),
    path("lessons/<int:pk>/media/", study.lesson_media, name="lesson_media"),
    path("lessons/<int:pk>/position/", study.lesson_position, name="lesson_position"),
    path("lessons/<int:pk>/done/", study.lesson_done, name="lesson_done"),
    path("lessons/<int:pk>/quiz/", study.lesson_quiz, name="lesson_quiz"),
    path(
        "lessons/<int:pk>/assignment/",
        study.lesson_assignment,
        name="lesson_assignment",
    ),
    path("grading/", study.grading, name="grading"),
    path("grading/<int:pk>/", study.grade, name="grade"),
    path("submissions/<int:pk>/file/", study.submission_file, name="submission_file"),
    path(
        "certificates/<str:number>/",
        study.certificate_verify,
        name="certificate_verify",
    ),
    path(
        "certificates/<str:number>/pdf/",
        study.certificate_pdf,
        name="certificate_pdf",
    ),
]
