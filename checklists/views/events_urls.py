"""URLs of safety events and teach-back audits on a stay (events.py)."""

from django.urls import path

from . import events

urlpatterns = [
    path("admissions/<int:pk>/events/new/", events.safety_event_create, name="safety_event_create"),
    path("events/<int:pk>/correct/", events.safety_event_correct, name="safety_event_correct"),
    path("admissions/<int:pk>/teach-back/", events.teach_back_create, name="teach_back_create"),
    path("teach-back/<int:pk>/correct/", events.teach_back_correct, name="teach_back_correct"),
]
