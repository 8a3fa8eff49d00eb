"""URLs of the scale editor, relative to /editor/ (editor_scales.py)."""

from django.urls import path

from . import editor_scale_questions, editor_scales

urlpatterns = [
    path("scales/", editor_scales.scale_list, name="scale_list"),
    path("scales/import/", editor_scales.scale_import, name="scale_import"),
    path("scales/<int:pk>/", editor_scales.scale_detail, name="scale_detail"),
    path("scales/<int:pk>/draft/", editor_scales.scale_draft_edit, name="scale_draft_edit"),
    path("scales/<int:pk>/questions/new/", editor_scale_questions.scale_question_add, name="scale_question_add"),
    path(
        "scales/<int:pk>/questions/<int:question_pk>/",
        editor_scale_questions.scale_question_edit,
        name="scale_question_edit",
    ),
    path(
        "scales/<int:pk>/questions/<int:question_pk>/remove/",
        editor_scale_questions.scale_question_remove,
        name="scale_question_remove",
    ),
    path(
        "scales/<int:pk>/questions/<int:question_pk>/move/",
        editor_scale_questions.scale_question_move,
        name="scale_question_move",
    ),
    path("scales/<int:pk>/bands/", editor_scale_questions.scale_bands_edit, name="scale_bands_edit"),
    path("scales/<int:pk>/publish/", editor_scales.scale_publish, name="scale_publish"),
    path("scales/<int:pk>/export/", editor_scales.scale_export, name="scale_export"),
    path("scales/<int:pk>/wards/<int:ward_pk>/", editor_scales.ward_scale_setting, name="ward_scale_setting"),
]
