"""Course completion rules and quiz grading. Pure: plain data in and out.

A course is complete when every required lesson is completed, the average
of the best score of each of its quizzes reaches the minimum (if one is
set; a quiz never tried counts 0), and the teacher attended at least the
required number of its live lessons.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Missing(StrEnum):
    LESSONS = "lessons"
    QUIZ = "quiz"
    LIVE = "live"


MISSING_LABELS = {
    Missing.LESSONS: _("required lessons to complete"),
    Missing.QUIZ: _("quiz average below the minimum"),
    Missing.LIVE: _("live lessons to attend"),
}


@dataclass(frozen=True)
class Rules:
    required: frozenset[int]  # lesson ids
    quizzes: frozenset[int] = frozenset()
    live: frozenset[int] = frozenset()
    min_quiz_score: int | None = None
    min_live_attendance: int = 0


@dataclass(frozen=True)
class State:
    required_done: int
    required_total: int
    quiz_average: int | None
    live_attended: int
    missing: tuple[Missing, ...]

    @property
    def done(self) -> bool:
        return not self.missing

    @property
    def percent(self) -> int:
        """For the progress bar: required lessons done (100 only when done)."""
        if self.done:
            return 100
        if not self.required_total:
            return 0
        return min(99, self.required_done * 100 // self.required_total)

    @property
    def missing_labels(self) -> list[str]:
        return [str(MISSING_LABELS[m]) for m in self.missing]


def completion_state(
    rules: Rules, *, completed: Iterable[int], best_scores: Mapping[int, int]
) -> State:
    """Where a teacher stands against a course's completion rules."""
    completed = frozenset(completed)
    missing = []
    required_done = len(rules.required & completed)
    if required_done < len(rules.required):
        missing.append(Missing.LESSONS)
    average = None
    if rules.quizzes:
        scores = [best_scores.get(q) or 0 for q in rules.quizzes]
        average = round(sum(scores) / len(scores))
        if rules.min_quiz_score is not None and average < rules.min_quiz_score:
            missing.append(Missing.QUIZ)
    attended = len(rules.live & completed)
    if attended < rules.min_live_attendance:
        missing.append(Missing.LIVE)
    return State(
        required_done=required_done,
        required_total=len(rules.required),
        quiz_average=average,
        live_attended=attended,
        missing=tuple(missing),
    )


@dataclass(frozen=True)
class Question:
    id: int
    points: int
    correct: frozenset[int]  # option indexes


def grade(questions: Iterable[Question], answers: Mapping[int, Iterable[int]]) -> int:
    """The score in whole percent: a question's points count only when the
    options chosen are exactly its correct options."""
    questions = list(questions)
    total = sum(q.points for q in questions)
    if not total:
        return 0
    earned = sum(
        q.points for q in questions if frozenset(answers.get(q.id, ())) == q.correct
    )
    return earned * 100 // total
