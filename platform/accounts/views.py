from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import User


@login_required
def profile(request):
    user = (
        User.objects.select_related("school", "school__region", "region")
        .prefetch_related("subjects", "stages", "honours", "groups")
        .get(pk=request.user.pk)
    )
    return render(request, "accounts/profile.html", {"profile": user})
