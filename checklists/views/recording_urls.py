"""URLs of recording an item and correcting a record (recording.py)."""

from django.urls import path

from . import recording

urlpatterns = [
    path("checklists/<int:checklist_pk>/items/<int:item_pk>/record/", recording.item_record, name="item_record"),
    path("records/<int:pk>/correct/", recording.record_correct, name="record_correct"),
]
