"""Pages. Thin: parse the request, call a queryset or a service, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Ward


@login_required
def ward_overview(request):
    wards = Ward.objects.visible_to(request.user).with_beds_and_patients()
    return render(request, "checklists/ward_overview.html", {"wards": wards})
