"""URLs of the ward at a glance (board.py) and of who has which patient (care.py)."""

from django.urls import path

from . import board, care

urlpatterns = [
    path("", board.home, name="home"),
    path("wards/<int:pk>/", board.ward_board, name="ward_board"),
    path("wards/<int:pk>/handover/", board.ward_handover, name="ward_handover"),
    path("wards/<int:pk>/assignments/", care.ward_assignments, name="ward_assignments"),
    path("admissions/<int:pk>/take/", care.care_take, name="care_take"),
    path("admissions/<int:pk>/handover-note/", care.handover_note, name="handover_note"),
    path("admissions/<int:pk>/handover-acknowledge/", care.handover_acknowledge, name="handover_acknowledge"),
]
