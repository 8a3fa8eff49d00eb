"""URLs of a stay's assessments (assessments.py)."""

from django.urls import path

from . import assessments

urlpatterns = [
    path(
        "admissions/<int:pk>/assessments/<int:scale_pk>/new/", assessments.assessment_create, name="assessment_create"
    ),
    path("assessments/<int:pk>/correct/", assessments.assessment_correct, name="assessment_correct"),
    path("admissions/<int:pk>/condition-change/", assessments.condition_change_create, name="condition_change_create"),
]
