from django.urls import path

from . import views

app_name = "checklists"

urlpatterns = [
    path("", views.ward_overview, name="ward_overview"),
]
