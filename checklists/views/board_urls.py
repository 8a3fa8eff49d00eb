"""URLs of the ward at a glance (board.py)."""

from django.urls import path

from . import board

urlpatterns = [
    path("", board.home, name="home"),
    path("wards/<int:pk>/", board.ward_board, name="ward_board"),
    path("wards/<int:pk>/handover/", board.ward_handover, name="ward_handover"),
]
