"""URLs of the ward at a glance (board.py) and of who has which patient (care.py)."""

from django.urls import path

from . import board, care

urlpatterns = [
    path("", board.home, name="home"),
    path("wards/<int:pk>/", board.ward_board, name="ward_board"),
    path("wards/<int:pk>/handover/", board.ward_handover, name="ward_handover"),
    path("wards/<int:pk>/assignments/", care.ward_assignments, name="ward_assignments"),
    path("admissions/<int:pk>/take/", care.care_take, name="care_take"),
]
