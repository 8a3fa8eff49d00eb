"""URLs of a patient's stay (admissions.py)."""

from django.urls import path

from . import admissions

urlpatterns = [
    path("wards/<int:ward_pk>/admit/", admissions.admission_create, name="admission_create"),
    path("admissions/<int:pk>/", admissions.admission_detail, name="admission_detail"),
    path("admissions/<int:pk>/history/", admissions.admission_history, name="admission_history"),
    path("admissions/<int:pk>/checklists/", admissions.admission_checklists, name="admission_checklists"),
    path("admissions/<int:pk>/risk-factors/", admissions.admission_risk_factors, name="admission_risk_factors"),
    path("admissions/<int:pk>/transfer/", admissions.admission_transfer, name="admission_transfer"),
    path("admissions/<int:pk>/discharge/", admissions.admission_discharge, name="admission_discharge"),
]
