"""Course completion rules and quiz grading (pure)."""

from courses.completion import Missing, Question, Rules, completion_state, grade

RULES = Rules(
    required=frozenset({1, 2, 3, 4}),
    quizzes=frozenset({3, 5}),
    live=frozenset({4, 6}),
    min_quiz_score=70,
    min_live_attendance=1,
)


def test_all_rules_met():
    state = completion_state(RULES, completed={1, 2, 3, 4}, best_scores={3: 80, 5: 60})
    assert state.done and state.percent == 100
    assert state.quiz_average == 70 and state.live_attended == 1


def test_required_lessons_missing():
    state = completion_state(RULES, completed={1, 2, 4}, best_scores={3: 100, 5: 100})
    assert state.missing == (Missing.LESSONS,)
    assert state.percent == 75


def test_quiz_average_counts_untried_quizzes_as_zero():
    state = completion_state(RULES, completed={1, 2, 3, 4}, best_scores={3: 100})
    assert state.quiz_average == 50
    assert state.missing == (Missing.QUIZ,)
    assert state.percent == 99  # every lesson done, yet not complete


def test_live_attendance_minimum():
    rules = Rules(
        required=frozenset({1}), live=frozenset({4, 6}), min_live_attendance=2
    )
    state = completion_state(rules, completed={1, 4}, best_scores={})
    assert state.missing == (Missing.LIVE,) and state.live_attended == 1
    assert completion_state(rules, completed={1, 4, 6}, best_scores={}).done


def test_no_minimum_quiz_score_means_quizzes_only_need_doing():
    rules = Rules(required=frozenset({3}), quizzes=frozenset({3}))
    assert completion_state(rules, completed={3}, best_scores={3: 10}).done


def test_grading_needs_exactly_the_correct_options():
    questions = [
        Question(1, 1, frozenset({0})),
        Question(2, 2, frozenset({0, 2})),
        Question(3, 1, frozenset({1})),
    ]
    assert grade(questions, {1: [0], 2: [0, 2], 3: [1]}) == 100
    assert grade(questions, {1: [0], 2: [0], 3: [1]}) == 50  # partial = wrong
    assert grade(questions, {1: [0, 1], 2: [2, 0]}) == 50
    assert grade(questions, {}) == 0
    assert grade([], {}) == 0
