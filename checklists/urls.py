"""The checklists app's URLs, namespace ``checklists``: each area's urls module, by include().
URL names are ``<noun>_<verb>``; templates and code always ``reverse`` them."""

from django.urls import include, path

from .views import (
    admissions_urls,
    assessments_urls,
    board_urls,
    editor_urls,
    events_urls,
    printing_urls,
    quality_urls,
    recording_urls,
)

app_name = "checklists"

urlpatterns = [
    path("", include(board_urls)),
    path("", include(admissions_urls)),
    path("", include(recording_urls)),
    path("", include(assessments_urls)),
    path("editor/", include(editor_urls)),
    path("", include(printing_urls)),
    path("", include(events_urls)),
    path("quality/", include(quality_urls)),
]
