"""The site's pages for school admins and studio members."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

from .selectors import school_for_admin, school_staff, studios_of_member

STAFF_PER_PAGE = 50
MY_SCHOOL_FORBIDDEN = _(
    "This page is for school admins: it lists the teachers of your own school."
)
MY_STUDIO_FORBIDDEN = _(
    "This page is for mentors: it lists the studios you lead or belong to."
)


def _forbidden(request, message):
    return render(request, "schools/forbidden.html", {"message": message}, status=403)


@login_required
def my_school(request):
    """本校教师: a school admin's own school and its staff, phones in full."""
    school = school_for_admin(user=request.user)
    if school is None:
        return _forbidden(request, MY_SCHOOL_FORBIDDEN)
    staff = school_staff(user=request.user, school=school)
    page = Paginator(staff, STAFF_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/my_school.html",
        {"school": school, "page": page, "staff": page.object_list},
    )


@login_required
def my_studio(request):
    """我的工作室: the studios a mentor leads or belongs to, with their members."""
    studios = list(studios_of_member(user=request.user))
    if not studios and not request.user.has_role(Role.MENTOR):
        return _forbidden(request, MY_STUDIO_FORBIDDEN)
    return render(request, "schools/my_studio.html", {"studios": studios})
