"""The courses app's models, one module per part, re-exported here."""

from .certificates import Certificate
from .enrolment import Enrolment, EnrolmentEvent
from .learning import (
    AssignmentSubmission,
    Course,
    CourseCompletion,
    Lesson,
    LessonProgress,
    Module,
    QuizAttempt,
    QuizQuestion,
)
from .ledger import LedgerEntry, LedgerImport
from .notifications import Notification
from .programmes import (
    ENDS_BEFORE_STARTS,
    LEVEL_KEYWORDS,
    LEVEL_REGION_MISMATCH,
    MODE_KEYWORDS,
    QUOTAS_EXCEED_SEATS,
    RURAL_CATEGORIES,
    SCHOOL_OUTSIDE_REGION,
    SCHOOL_REQUIRED,
    WINDOW_REVERSED,
    ApprovalChain,
    Level,
    Mode,
    Programme,
    ProgrammeQuota,
    SchoolCategory,
    TargetRole,
)

__all__ = [
    "ENDS_BEFORE_STARTS",
    "LEVEL_KEYWORDS",
    "LEVEL_REGION_MISMATCH",
    "MODE_KEYWORDS",
    "QUOTAS_EXCEED_SEATS",
    "RURAL_CATEGORIES",
    "SCHOOL_OUTSIDE_REGION",
    "SCHOOL_REQUIRED",
    "WINDOW_REVERSED",
    "ApprovalChain",
    "AssignmentSubmission",
    "Certificate",
    "Course",
    "CourseCompletion",
    "Enrolment",
    "EnrolmentEvent",
    "LedgerEntry",
    "Lesson",
    "LessonProgress",
    "LedgerImport",
    "Level",
    "Mode",
    "Module",
    "Notification",
    "Programme",
    "ProgrammeQuota",
    "QuizAttempt",
    "QuizQuestion",
    "SchoolCategory",
    "TargetRole",
]
