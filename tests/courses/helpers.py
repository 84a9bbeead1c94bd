"""Small builders shared by the enrolment, ledger and learning tests."""

from accounts.factories import UserFactory
from accounts.models import Honour
from accounts.roles import Role
from courses.factories import ProgrammeFactory
from courses.models import ApprovalChain


def teacher(school, *, backbone: bool = False, **fields):
    """A rural teacher of ``school`` (a backbone teacher if asked)."""
    user = UserFactory(school=school, roles=[Role.RURAL_TEACHER], **fields)
    if backbone:
        # get_or_create: transactional tests flush the migrations' lists.
        honour, _ = Honour.objects.get_or_create(
            code="backbone", defaults={"name_zh": "骨干教师", "name_en": "Backbone"}
        )
        user.honours.add(honour)
    return user


def open_programme(region, *, chain=ApprovalChain.NONE, **fields):
    """An open programme of ``region`` (admitted at once unless a chain)."""
    return ProgrammeFactory(region=region, approval_chain=chain, **fields)
