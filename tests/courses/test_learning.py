"""Studying: lessons of each kind, completion rules, ledger lines, certificates."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.factories import UserFactory
from accounts.roles import Role
from courses.factories import (
    CourseFactory,
    LessonFactory,
    ModuleFactory,
    QuizQuestionFactory,
)
from courses.models import (
    AssignmentSubmission,
    Certificate,
    Enrolment,
    LedgerEntry,
    Lesson,
    LessonProgress,
    Notification,
)
from courses.services import (
    assignment_grade,
    assignment_submit,
    enrolment_apply,
    enrolment_complete,
    lesson_complete,
    lesson_live_attach,
    lesson_mark_done,
    lesson_position_save,
    quiz_submit,
)
from tests.courses.helpers import open_programme, teacher

pytestmark = pytest.mark.django_db
K = Lesson.Kind


@pytest.fixture
def mentor(school):
    return UserFactory(real_name="刘老师", school=school, roles=[Role.MENTOR])


@pytest.fixture
def setup(county, school, mentor):
    """A programme with one course: reading, video, quiz, assignment, live."""
    programme = open_programme(county, title="乡村英语教师口语提升班", level="county")
    course = CourseFactory(
        programme=programme,
        title="英语课堂口语",
        credit_hours=12,
        min_quiz_score=60,
        min_live_attendance=1,
        mentors=[mentor],
    )
    module = ModuleFactory(course=course)
    lessons = {
        "text": LessonFactory(module=module, kind=K.TEXT),
        "video": LessonFactory(module=module, kind=K.VIDEO, duration_seconds=600),
        "quiz": LessonFactory(module=module, kind=K.QUIZ, pass_score=60),
        "assignment": LessonFactory(module=module, kind=K.ASSIGNMENT),
        "live": LessonFactory(module=module, kind=K.LIVE, required=False),
    }
    QuizQuestionFactory(lesson=lessons["quiz"], options="*对\n错")
    QuizQuestionFactory(lesson=lessons["quiz"], options="甲\n*乙\n*丙")
    learner = teacher(school, real_name="王小红")
    enrolment_apply(teacher=learner, programme=programme)
    return programme, course, lessons, learner


def done(learner, lesson) -> bool:
    return LessonProgress.objects.filter(
        teacher=learner, lesson=lesson, status="completed"
    ).exists()


def test_teachers_not_admitted_cannot_study(setup, school):
    _programme, _course, lessons, _learner = setup
    outsider = teacher(school)
    with pytest.raises(PermissionDenied) as err:
        lesson_mark_done(lesson=lessons["text"], teacher=outsider)
    assert "录取" in str(err.value)


def test_only_readings_and_documents_are_marked_done_by_hand(setup):
    _programme, _course, lessons, learner = setup
    lesson_mark_done(lesson=lessons["text"], teacher=learner)
    assert done(learner, lessons["text"])
    with pytest.raises(ValidationError):
        lesson_mark_done(lesson=lessons["quiz"], teacher=learner)


def test_video_completes_near_its_end_and_remembers_the_position(setup):
    _programme, _course, lessons, learner = setup
    video = lessons["video"]
    progress = lesson_position_save(lesson=video, teacher=learner, position=200)
    assert progress.position_seconds == 200 and not progress.is_completed
    progress = lesson_position_save(lesson=video, teacher=learner, position=545)
    assert progress.is_completed
    # The position keeps being remembered after completion.
    assert lesson_position_save(lesson=video, teacher=learner, position=30).is_completed


def test_video_length_is_learnt_from_the_player(setup):
    _programme, course, _lessons, learner = setup
    video = LessonFactory(module=course.modules.first(), kind=K.VIDEO)
    lesson_position_save(lesson=video, teacher=learner, position=10, duration=100)
    video.refresh_from_db()
    assert video.duration_seconds == 100
    assert lesson_position_save(lesson=video, teacher=learner, position=95).is_completed


def test_quiz_is_graded_at_once_and_passing_completes(setup):
    _programme, _course, lessons, learner = setup
    quiz = lessons["quiz"]
    q1, q2 = quiz.questions.all()
    attempt = quiz_submit(
        lesson=quiz, teacher=learner, answers={q1.pk: [0], q2.pk: [1]}
    )
    assert attempt.score == 50 and not done(learner, quiz)
    attempt = quiz_submit(
        lesson=quiz, teacher=learner, answers={q1.pk: [0], q2.pk: [2, 1]}
    )
    assert attempt.score == 100 and done(learner, quiz)
    progress = LessonProgress.objects.get(teacher=learner, lesson=quiz)
    assert (progress.best_score, progress.attempts) == (100, 2)


def test_assignment_graded_by_a_mentor_of_the_course(setup, mentor, school):
    _programme, _course, lessons, learner = setup
    lesson = lessons["assignment"]
    with pytest.raises(ValidationError):
        assignment_submit(lesson=lesson, teacher=learner, text="  ")
    submission = assignment_submit(lesson=lesson, teacher=learner, text="我的教案")
    other_mentor = UserFactory(school=school, roles=[Role.MENTOR])
    with pytest.raises(PermissionDenied) as err:
        assignment_grade(submission=submission, user=other_mentor, passed=True)
    assert "导师" in str(err.value)
    assignment_grade(
        submission=submission, user=mentor, passed=False, feedback="补充板书"
    )
    assert not done(learner, lesson)
    assert Notification.objects.filter(user=learner, kind="assignment_graded").exists()
    submission = assignment_submit(lesson=lesson, teacher=learner, text="修改后的教案")
    assignment_grade(submission=submission, user=mentor, passed=True)
    assert done(learner, lesson)
    with pytest.raises(ValidationError):
        assignment_submit(lesson=lesson, teacher=learner, text="再交一次")


def finish_all_but_live(lessons, learner, mentor):
    lesson_mark_done(lesson=lessons["text"], teacher=learner)
    lesson_position_save(lesson=lessons["video"], teacher=learner, position=600)
    q1, q2 = lessons["quiz"].questions.all()
    quiz_submit(
        lesson=lessons["quiz"], teacher=learner, answers={q1.pk: [0], q2.pk: [1, 2]}
    )
    submission = assignment_submit(
        lesson=lessons["assignment"], teacher=learner, text="教案"
    )
    assignment_grade(submission=submission, user=mentor, passed=True)


def test_course_completes_only_with_live_attendance_and_writes_one_ledger_line(
    setup, mentor, django_capture_on_commit_callbacks
):
    programme, course, lessons, learner = setup
    finish_all_but_live(lessons, learner, mentor)
    assert not LedgerEntry.objects.exists()  # the live lesson is still missing
    live = lessons["live"]
    lesson_live_attach(
        lesson=live, ref="pairing.livesession:7", starts_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(lesson=live, teacher=learner)  # pairing: attended
        lesson_complete(lesson=live, teacher=learner)  # reported twice
    entry = LedgerEntry.objects.get()
    assert (entry.teacher, entry.source, entry.hours) == (learner, "course", 12)
    assert entry.level == "county" and entry.ref == f"courses.course:{course.pk}"
    assert entry.title == "乡村英语教师口语提升班 · 英语课堂口语"
    # The only course done: the programme is completed, with a certificate.
    enrolment = Enrolment.objects.get(teacher=learner, programme=programme)
    assert enrolment.status == Enrolment.Status.COMPLETED
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.hours == 12 and certificate.pdf
    kinds = set(
        Notification.objects.filter(user=learner).values_list("kind", flat=True)
    )
    assert {"course_completed", "certificate_ready"} <= kinds


def test_live_lesson_attach_refuses_other_kinds(setup):
    _programme, _course, lessons, _learner = setup
    with pytest.raises(ValidationError):
        lesson_live_attach(lesson=lessons["text"], ref="x", starts_at=timezone.now())


def test_certificate_pdf_has_the_teachers_chinese_name_and_verifies(
    setup, mentor, client, django_capture_on_commit_callbacks
):
    _programme, _course, lessons, learner = setup
    finish_all_but_live(lessons, learner, mentor)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(lesson=lessons["live"], teacher=learner)
    certificate = Certificate.objects.get(teacher=learner)
    pages = PdfReader(certificate.pdf.open()).pages
    text = "".join(p.extract_text() for p in pages).replace("\n", "")
    assert "王小红" in text
    assert "乡村英语教师口语提升班" in text
    assert certificate.number in text
    assert "培训结业证书" in text
    # The QR code's link opens the public verification page.
    url = reverse("courses:certificate_verify", args=[certificate.number])
    assert f"http://testserver{url}" in text
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "真实有效" in html and "王*红" in html
    assert "王小红" not in html  # the name is partly hidden
    assert (
        client.get(
            reverse("courses:certificate_verify", args=["LX2026-NOPE"])
        ).status_code
        == 404
    )
    # Download: the teacher yes; strangers no; anonymous visitors log in.
    pdf_url = reverse("courses:certificate_pdf", args=[certificate.number])
    assert client.get(pdf_url).status_code == 302
    client.force_login(teacher(learner.school))
    assert client.get(pdf_url).status_code == 404
    client.force_login(learner)
    response = client.get(pdf_url)
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body.startswith(b"%PDF")


def test_qr_code_holds_the_verification_url():
    from courses.pdf import qr_drawing

    drawing = qr_drawing("http://testserver/learning/certificates/LX2026-ABCDEFGH/", 90)
    widget = drawing.contents[0]
    assert widget.value == "http://testserver/learning/certificates/LX2026-ABCDEFGH/"


def test_bureau_completes_an_on_site_programme(county, school, reviewer, other_county):
    programme = open_programme(county, credit_hours=24, title="全员师德轮训")
    learner = teacher(school, real_name="李明")
    enrolment = enrolment_apply(teacher=learner, programme=programme)
    far = UserFactory(region=other_county, roles=[Role.REVIEWER])
    with pytest.raises(PermissionDenied):
        enrolment_complete(enrolment=enrolment, user=far)
    enrolment_complete(enrolment=enrolment, user=reviewer)
    entry = LedgerEntry.objects.get(teacher=learner)
    assert (entry.source, entry.hours, entry.verified_by) == ("programme", 24, reviewer)
    assert Certificate.objects.get(teacher=learner).hours == 24
    with pytest.raises(ValidationError):
        enrolment_complete(enrolment=enrolment, user=reviewer)


# --- Pages ---------------------------------------------------------------------


def test_course_and_lessons_are_hidden_from_others(client, setup, school):
    _programme, course, lessons, learner = setup
    client.force_login(teacher(school))
    assert client.get(reverse("courses:course", args=[course.pk])).status_code == 404
    assert (
        client.get(reverse("courses:lesson", args=[lessons["text"].pk])).status_code
        == 404
    )
    client.force_login(learner)
    html = client.get(reverse("courses:course", args=[course.pk])).content.decode()
    assert "英语课堂口语" in html and "data-course-percent" in html


def test_reading_lesson_page_and_mark_done(client, setup):
    _programme, _course, lessons, learner = setup
    client.force_login(learner)
    url = reverse("courses:lesson", args=[lessons["text"].pk])
    assert "阅读材料" in client.get(url).content.decode()
    response = client.post(
        reverse("courses:lesson_done", args=[lessons["text"].pk]), follow=True
    )
    assert "本课已完成。" in response.content.decode()
    assert done(learner, lessons["text"])


def test_video_is_served_with_range_requests(client, setup):
    _programme, _course, lessons, learner = setup
    video = lessons["video"]
    video.media.save("lesson.mp4", ContentFile(bytes(range(256)) * 4))  # 1024 bytes
    client.force_login(learner)
    url = reverse("courses:lesson_media", args=[video.pk])
    full = client.get(url)
    assert full.status_code == 200 and full["Accept-Ranges"] == "bytes"
    assert full["Content-Length"] == "1024" and full["Content-Type"] == "video/mp4"
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == "bytes 100-199/1024"
    assert b"".join(part.streaming_content) == (bytes(range(256)) * 4)[100:200]
    tail = client.get(url, HTTP_RANGE="bytes=-24")
    assert tail["Content-Range"] == "bytes 1000-1023/1024"
    open_ended = client.get(url, HTTP_RANGE="bytes=1000-")
    assert len(b"".join(open_ended.streaming_content)) == 24
    bad = client.get(url, HTTP_RANGE="bytes=5000-6000")
    assert bad.status_code == 416 and bad["Content-Range"] == "bytes */1024"
    client.logout()
    assert client.get(url).status_code == 302


def test_player_reports_its_position(client, setup):
    _programme, _course, lessons, learner = setup
    lessons["video"].media.save("v.mp4", ContentFile(b"0" * 64))
    client.force_login(learner)
    url = reverse("courses:lesson_position", args=[lessons["video"].pk])
    assert client.post(url, {"position": "123.7"}).json() == {
        "position": 123,
        "completed": False,
    }
    html = client.get(
        reverse("courses:lesson", args=[lessons["video"].pk])
    ).content.decode()
    assert 'data-start="123"' in html
    assert client.post(url, {"position": "590", "duration": "600"}).json()["completed"]


def test_quiz_page_grades_and_tells_the_score(client, setup):
    _programme, _course, lessons, learner = setup
    quiz = lessons["quiz"]
    q1, q2 = quiz.questions.all()
    client.force_login(learner)
    url = reverse("courses:lesson_quiz", args=[quiz.pk])
    missing = client.post(url, {f"q{q1.pk}": "0"})
    assert missing.status_code == 400 and "请回答此题" in missing.content.decode()
    response = client.post(
        url, {f"q{q1.pk}": "1", f"q{q2.pk}": ["1", "2"]}, follow=True
    )
    assert "您得了 50 分" in response.content.decode()


def test_mentor_grading_queue(client, setup, mentor, school):
    _programme, _course, lessons, learner = setup
    submission = assignment_submit(
        lesson=lessons["assignment"], teacher=learner, text="我的单元教学设计"
    )
    client.force_login(UserFactory(school=school, roles=[Role.MENTOR]))
    assert (
        "我的单元教学设计"
        not in client.get(reverse("courses:grading")).content.decode()
    )
    assert (
        client.post(
            reverse("courses:grade", args=[submission.pk]), {"decision": "pass"}
        ).status_code
        == 404
    )
    client.force_login(mentor)
    assert "我的单元教学设计" in client.get(reverse("courses:grading")).content.decode()
    client.post(reverse("courses:grade", args=[submission.pk]), {"decision": "pass"})
    submission.refresh_from_db()
    assert submission.status == AssignmentSubmission.Status.PASSED
    assert done(learner, lessons["assignment"])


def test_deadline_shown_on_the_course(client, setup):
    _programme, course, _lessons, learner = setup
    course.deadline = timezone.localdate() + timedelta(days=10)
    course.save()
    client.force_login(learner)
    html = client.get(reverse("courses:course", args=[course.pk])).content.decode()
    assert course.deadline.strftime("%Y-%m-%d") in html


def test_erasing_a_teacher_erases_their_training_records(county, school, reviewer):
    programme = open_programme(county, credit_hours=8)
    learner = teacher(school)
    enrolment = enrolment_apply(teacher=learner, programme=programme)
    enrolment_complete(enrolment=enrolment, user=reviewer)
    assert Certificate.objects.filter(teacher=learner).exists()
    learner.delete()
    assert not Certificate.objects.exists()
    assert not LedgerEntry.objects.exists()
    assert not Enrolment.objects.exists()
