"""URLs of recording an item, its record dialog, correcting a record (recording.py) and "the
rest: done" (round.py)."""

from django.urls import path

from . import recording, round

urlpatterns = [
    path("checklists/<int:checklist_pk>/items/<int:item_pk>/record/", recording.item_record, name="item_record"),
    path("checklists/<int:checklist_pk>/items/<int:item_pk>/dialog/", recording.item_dialog, name="item_dialog"),
    path("records/<int:pk>/correct/", recording.record_correct, name="record_correct"),
    path("admissions/<int:pk>/rest-done/", round.rest_done, name="rest_done"),
]
